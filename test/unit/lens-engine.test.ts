import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readLensFile } from "../../src/classify/lens-file.js";
import { compileLens, matchTopics, type ProjectText, relevanceTier } from "../../src/classify/match-lens.js";

/** A lens file written for the test, read through the real reader. */
function lens(yaml: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "atlas-lens-"));
  const file = path.join(dir, "lens.yaml");
  writeFileSync(file, yaml);
  try {
    return readLensFile(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const project = (title: string, objective = ""): ProjectText => ({
  id: "cordis:1",
  title,
  objective,
  keywords: "",
  euroSciVoc: [],
  callTopics: [],
});

const HEAD = "lens: t\nscheme: T\nname: t\ndescription: t\n";

describe("lens rules: unless and topicsFor", () => {
  it("an unless term refuses its own rule only; a later rule of the topic may still link", () => {
    const compiled = compileLens(
      lens(
        `${HEAD}topics:\n  - id: topic:cancer\n    name: c\n    rules:\n` +
          "      - {id: title, reason: r, fields: [title], terms: [tumour], unless: [tumour growth factor]}\n" +
          "      - {id: objective, reason: r, fields: [objective], terms: [cancer], minCount: 2}\n",
      ),
    );
    expect(matchTopics(compiled, project("Tumour cells in the liver"))).toEqual([
      { topicId: "topic:cancer", rule: "title", matched: ["tumour"] },
    ]);
    expect(matchTopics(compiled, project("Tumor Growth Factor beta in heart failure"))).toEqual([]);
    expect(
      matchTopics(compiled, project("Tumor Growth Factor beta in cancer", "A cancer project on cancer.")),
    ).toEqual([{ topicId: "topic:cancer", rule: "objective", matched: ["cancer"] }]);
  });

  it("topicsFor links topics only to projects of the tiers it names", () => {
    const compiled = compileLens(
      lens(
        `${HEAD}topics:\n  - id: topic:ai\n    name: a\n    rules:\n      - {id: ai, reason: r, terms: [machine learning]}\n` +
          "relevance:\n  property: pmRelevance\n  description: d\n  topicsFor: [HEALTH]\n  tiers:\n" +
          "    - tier: HEALTH\n      description: d\n      rules:\n        - {id: h, reason: r, terms: [patients]}\n" +
          "  otherwise: OTHER\n",
      ),
    );
    const health = project("Machine learning for patients");
    const other = project("Machine learning for wind turbines");
    expect(relevanceTier(compiled, health)?.tier).toBe("HEALTH");
    expect(matchTopics(compiled, health).map((match) => match.topicId)).toEqual(["topic:ai"]);
    expect(relevanceTier(compiled, other)?.tier).toBe("OTHER");
    expect(matchTopics(compiled, other)).toEqual([]);
  });

  it("refuses a topicsFor tier that the lens does not have, naming where", () => {
    expect(() =>
      lens(
        `${HEAD}topics:\n  - id: topic:ai\n    name: a\n    rules:\n      - {id: ai, reason: r, terms: [x]}\n` +
          "relevance:\n  property: pmRelevance\n  description: d\n  topicsFor: [CORE]\n  tiers:\n" +
          "    - tier: HEALTH\n      description: d\n      rules:\n        - {id: h, reason: r, terms: [y]}\n" +
          "  otherwise: OTHER\n",
      ),
    ).toThrow(/relevance\.topicsFor\[0\]: CORE is not a tier of this lens/);
  });
});
