import { describe, expect, it } from "vitest";
import type { ProjectText } from "../../src/classify/match-lens.js";
import {
  describeSentenceFeature,
  SENTENCE_CONCEPTS,
  sentenceFeatures,
  sentences,
} from "../../src/classify/sentence-features.js";

const project = (objective: string, title = "A project", keywords = ""): ProjectText => ({
  id: "cordis:1",
  title,
  objective,
  keywords,
  euroSciVoc: [],
  callTopics: [],
});

describe("sentence features of the lens's model", () => {
  it("splits an objective into sentences after . ! and ? followed by white space", () => {
    expect(sentences("One. Two! Three? Four")).toEqual(["One.", "Two!", "Three?", "Four"]);
    // A decimal point or an abbreviation without a following space does not split.
    expect(sentences("A 2.5-fold rise (e.g.the mice).  Next")).toEqual([
      "A 2.5-fold rise (e.g.the mice).",
      "Next",
    ]);
    expect(sentences("")).toEqual([]);
  });

  it("tells a project's own tailoring from a passing, hedged mention of precision medicine", () => {
    const own = sentenceFeatures(
      project(
        "We will develop personalised treatment plans from tumour genomes. Patients are enrolled in three hospitals. " +
          "Results are published.",
      ),
    ).values;
    expect(own.get("sentence/CORE/pm/first2")).toBe(1);
    expect(own.get("sentence/CORE/pm/ownWork")).toBe(1);
    expect(own.get("sentence/CORE/pm/sentences")).toBeCloseTo(Math.log(2), 12);
    expect(own.get("sentence/CORE/pm/share")).toBeCloseTo(1 / 3, 12);
    expect(own.has("sentence/CORE/pm/onlyHedged")).toBe(false);

    const passing = sentenceFeatures(
      project(
        "The consortium studies the structure of a bacterial membrane protein. It solves three structures. " +
          "The work sets out methods for synthesis. In the long term this could pave the way to precision medicine.",
      ),
    ).values;
    expect(passing.get("sentence/CORE/pm/onlyHedged")).toBe(1);
    expect(passing.has("sentence/CORE/pm/first2")).toBe(false);
    expect(passing.has("sentence/CORE/pm/ownWork")).toBe(false);
    expect(passing.get("sentence/CORE/pm/share")).toBeCloseTo(1 / 4, 12);
  });

  it("reads the title and keywords apart, and leaves out features that are zero", () => {
    const { values, phrases } = sentenceFeatures(
      project("Nothing about it here.", "Early detection of lung cancer", "screening; tumour biology"),
    );
    expect(values.get("sentence/topic:prevention/prevention/title")).toBe(1);
    expect(values.get("sentence/topic:prevention/prevention/keywords")).toBe(1);
    expect(values.get("sentence/topic:cancer/cancer/title")).toBe(1);
    expect(values.has("sentence/topic:prevention/prevention/sentences")).toBe(false);
    expect([...values.values()].every((value) => value !== 0)).toBe(true);
    // The evidence phrase is the first found, title before keywords.
    expect(phrases.get("sentence/topic:prevention/prevention")).toBe("Early detection");
  });

  it("matches whole words only, case-insensitively", () => {
    // "aim" must not match the ICT concept's "ai", nor "tumorigenic" the cancer concept's "tumor".
    const none = sentenceFeatures(project("Our aim is tumorigenic-free growth.")).values;
    expect(none.has("sentence/topic:data-ict-solutions/ict/sentences")).toBe(false);
    expect(none.has("sentence/topic:cancer/cancer/sentences")).toBe(false);
    const some = sentenceFeatures(project("An AI model reads TUMOUR slides.")).values;
    expect(some.has("sentence/topic:data-ict-solutions/ict/sentences")).toBe(true);
    expect(some.has("sentence/topic:cancer/cancer/sentences")).toBe(true);
  });

  it("gives the preclinical-clinical decision both arms, apart and in one sentence", () => {
    const apart = sentenceFeatures(
      project("Mouse models reveal the mechanism. A cohort of 300 patients confirms it."),
    ).values;
    expect(apart.get("sentence/topic:preclinical-clinical-research/preclinical+clinical/both")).toBe(1);
    expect(apart.has("sentence/topic:preclinical-clinical-research/preclinical+clinical/together")).toBe(
      false,
    );
    const together = sentenceFeatures(project("Organoids from patients are compared.")).values;
    expect(together.get("sentence/topic:preclinical-clinical-research/preclinical+clinical/together")).toBe(
      1,
    );
    const one = sentenceFeatures(project("Organoids are grown.")).values;
    expect(one.has("sentence/topic:preclinical-clinical-research/preclinical+clinical/both")).toBe(false);
  });

  it("names one decision per feature, so a decision's model reads only its own", () => {
    const decisions = Object.keys(SENTENCE_CONCEPTS);
    expect(decisions).toContain("CORE");
    const { values } = sentenceFeatures(
      project(
        "We will stratify patients by biomarkers for tailored treatment. Screening prevents cancer. " +
          "An AI decision-support tool for clinicians is implemented in clinical practice with data sharing. " +
          "Cost-effectiveness is assessed. Mice and patients with a rare disease are studied.",
      ),
    );
    for (const feature of values.keys()) {
      const [kind, decision] = feature.split("/");
      expect(kind).toBe("sentence");
      expect(decisions, feature).toContain(decision);
    }
    expect(new Set([...values.keys()].map((feature) => feature.split("/")[1]))).toEqual(new Set(decisions));
  });

  it("describes a feature as a reader of a link's evidence reads it", () => {
    const { phrases } = sentenceFeatures(project("We will develop personalised treatment plans."));
    expect(describeSentenceFeature("sentence/CORE/pm/ownWork", phrases)).toBe(
      'sentences: personalised medicine in a sentence on the project\'s own work ("personalised treatment")',
    );
    expect(
      describeSentenceFeature(
        "sentence/topic:preclinical-clinical-research/preclinical+clinical/together",
        phrases,
      ),
    ).toBe("sentences: experimental models and patients named in one sentence");
  });
});
