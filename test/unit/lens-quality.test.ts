import { createHash } from "node:crypto";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { classifyProject } from "../../src/classify/classify-project.js";
import { parseStoredLens, readLensFile } from "../../src/classify/lens-file.js";
import { decide } from "../../src/classify/lens-model.js";
import { compileLens, type ProjectText } from "../../src/classify/match-lens.js";
import { modelFeatures } from "../../src/classify/model-features.js";
import {
  cohenKappa,
  type Label,
  type Measure,
  measureLens,
  type Prediction,
  predict,
  readLabels,
  readSampleProjects,
  readSampleStrata,
  readTrainingLabels,
  TRAIN_ZIPS,
  wilson,
} from "../helpers/lens-quality.js";

/**
 * The default lens measured on the hand-labelled random sample of Horizon Europe
 * (test/topic-lens/LABELLING.md): the sample is what its drawing says, and the lens holds its
 * test-set quality. The rules were tuned on the dev split only; these figures are on the test split.
 */
const lensFile = path.join(import.meta.dirname, "..", "..", "seed", "lenses", "atlas.yaml");

/**
 * Floors on the test split, below which a change to the lens (its rules or its model) fails the suite:
 * the test-set figures of the lens as shipped (rules and the linear model of seed/lenses/atlas-model.json,
 * scored on the test split after the method was fixed by cross-validation on training data), exactly, as
 * counts, so that a change that loses one true link or adds one false one on a gated measure fails.
 * They are not the targets of a funder's use (precision >= 0.85 and recall >= 0.75 per topic, CORE
 * 0.85 / 0.80): only topic:cancer reaches them; docs/lens-quality.md gives every figure beside them.
 * Gated are the measures with at least MIN_POSITIVES labelled positives; below that one project moves a
 * ratio by over 10 points.
 */
const MIN_POSITIVES = 10;
/** Measured: true positives, linked (precision = tp / linked), labelled positives (recall = tp / positives). */
const FLOORS: Record<string, { tp: number; linked: number; positives: number }> = {
  "CORE tier": { tp: 13, linked: 26, positives: 15 },
  "topic:cancer": { tp: 50, linked: 54, positives: 55 },
  "topic:rare-diseases": { tp: 5, linked: 8, positives: 10 },
  "topic:prevention": { tp: 28, linked: 41, positives: 43 },
  "topic:health-economics": { tp: 12, linked: 15, positives: 14 },
  "topic:data-ict-solutions": { tp: 36, linked: 43, positives: 57 },
  "topic:clinical-support-tools": { tp: 22, linked: 36, positives: 38 },
  "topic:implementation": { tp: 14, linked: 19, positives: 19 },
  "topic:preclinical-clinical-research": { tp: 10, linked: 25, positives: 17 },
  "all topics (micro)": { tp: 180, linked: 244, positives: 262 },
};

let labels: Label[];
let projects: ProjectText[];
let strata: Map<string, "HEALTH" | "OTHER">;
// Classifying the sample is most of this file's time: done once, read by every test below.
let predictions: Map<string, Prediction>;

beforeAll(async () => {
  labels = readLabels();
  projects = await readSampleProjects();
  strata = await readSampleStrata();
  predictions = predict(readLensFile(lensFile), projects);
});

describe("the labelled sample", () => {
  it("labels every drawn project once, at least 600, each with a tier, a confidence and a quoted reason", () => {
    expect(labels.length).toBeGreaterThanOrEqual(600);
    expect(new Set(labels.map((label) => label.project)).size).toBe(labels.length);
    expect(new Set(projects.map((project) => project.id))).toEqual(
      new Set(labels.map((label) => label.project)),
    );
    for (const label of labels) {
      expect(["high", "medium", "low"], label.project).toContain(label.confidence);
      expect(label.reason.length, label.project).toBeGreaterThan(20);
      // A topic only for CORE and BIOMEDICAL projects, as the guide says.
      if (label.tier === "NOT_BIOMEDICAL") expect(label.topics.size, label.project).toBe(0);
    }
  });

  it("splits by sha256 of the CORDIS id (even first byte: dev), and each stratum is what CORDIS's metadata says", () => {
    for (const label of labels) {
      const id = label.project.replace(/^cordis:/, "");
      const even = createHash("sha256").update(id).digest()[0]! % 2 === 0;
      expect(label.split, label.project).toBe(even ? "dev" : "test");
      expect(label.stratum, label.project).toBe(strata.get(label.project));
    }
    const test = labels.filter((label) => label.split === "test");
    expect(test.length).toBeGreaterThan(300);
    expect(labels.length - test.length).toBeGreaterThan(300);
  });
});

describe("the default lens on the test split", () => {
  let measures: Measure[];
  beforeAll(() => {
    const test = labels.filter((label) => label.split === "test");
    measures = measureLens(test, predictions);
  });

  it("gives every project a tier, and topics only to CORE and BIOMEDICAL projects", () => {
    for (const [id, prediction] of predictions) {
      expect(["CORE", "BIOMEDICAL", "NOT_BIOMEDICAL"], id).toContain(prediction.tier);
      if (prediction.tier === "NOT_BIOMEDICAL") expect(prediction.topics.size, id).toBe(0);
    }
  });

  it(`holds its floors on every measure with at least ${MIN_POSITIVES} labelled positives`, () => {
    const gated = measures.filter((m) => m.positives >= MIN_POSITIVES);
    expect(gated.map((m) => m.name).sort()).toEqual(Object.keys(FLOORS).sort());
    for (const m of gated) {
      const floor = FLOORS[m.name]!;
      // The labels do not change, so the positives are fixed; precision and recall may only rise.
      expect(m.positives, m.name).toBe(floor.positives);
      expect(m.precision, `${m.name} precision (${m.truePositives}/${m.predicted})`).toBeGreaterThanOrEqual(
        floor.tp / floor.linked - 1e-12,
      );
      expect(m.recall, `${m.name} recall (${m.truePositives}/${m.positives})`).toBeGreaterThanOrEqual(
        floor.tp / floor.positives - 1e-12,
      );
    }
  });

  it("computes Cohen's kappa as the textbook does", () => {
    // 50 items: both yes 20, first only 5, second only 10, both no 15. Observed 0.7; by chance
    // 25/50 * 30/50 + 25/50 * 20/50 = 0.5; kappa (0.7 - 0.5) / (1 - 0.5) = 0.4.
    const first = [...Array(25).fill(true), ...Array(25).fill(false)];
    const second = [
      ...Array(20).fill(true),
      ...Array(5).fill(false),
      ...Array(10).fill(true),
      ...Array(15).fill(false),
    ];
    expect(cohenKappa(first, second).agreement).toBeCloseTo(0.7, 10);
    expect(cohenKappa(first, second).kappa).toBeCloseTo(0.4, 10);
  });

  it("reports intervals that contain the estimate (Wilson score, 95%)", () => {
    // Wilson's interval for 8 of 10, by hand: centre (0.8 + 1.96²/20) / (1 + 1.96²/10), half-width 0.2266: 0.490-0.943.
    const [low, high] = wilson(8, 10);
    expect(low).toBeCloseTo(0.49, 2);
    expect(high).toBeCloseTo(0.943, 3);
    for (const m of measures) {
      if (m.predicted) expect(m.precisionCi[0]).toBeLessThanOrEqual(m.precision);
      if (m.positives) expect(m.recallCi[1]).toBeGreaterThanOrEqual(m.recall);
    }
  });
});

describe("the default lens's linear model", () => {
  it("scores projects as the training script did (scikit-learn's weights applied in TypeScript)", () => {
    // scripts/train-lens-model.py writes, per decision, the scores it computes itself (numpy, on its own
    // TF-IDF matrix) for a few development projects; lens-model.ts must reach the same from the raw texts.
    const lens = readLensFile(lensFile);
    const compiled = compileLens(lens);
    const byId = new Map(projects.map((project) => [project.id, project]));
    const checks = lens.model!.provenance.scoreChecks as Record<string, Record<string, number>>;
    expect(Object.keys(checks).sort()).toEqual(Object.keys(lens.model!.decisions).sort());
    for (const [decision, scores] of Object.entries(checks)) {
      expect(Object.keys(scores).length).toBeGreaterThan(0);
      for (const [id, expected] of Object.entries(scores)) {
        const found = decide(lens.model!, modelFeatures(compiled, byId.get(id)!)).get(decision)!;
        expect(found.score, `${decision} ${id}`).toBeCloseTo(expected, 3);
      }
    }
  });

  it("was trained on labels outside the measured sample or in its development half only", async () => {
    const measured = new Map(labels.map((label) => [label.project, label.split]));
    const training = readTrainingLabels();
    expect(training.length).toBeGreaterThanOrEqual(100);
    // Both strata: a model that never saw the non-health three quarters of the programme misreads them.
    expect(training.filter((label) => label.stratum === "OTHER").length).toBeGreaterThanOrEqual(100);
    for (const label of training) {
      expect(measured.has(label.project), label.project).toBe(false);
      expect(["HEALTH", "OTHER"], label.project).toContain(label.stratum);
      expect(["high", "medium", "low"], label.project).toContain(label.confidence);
      expect(label.reason.length, label.project).toBeGreaterThan(20);
    }
    const trainingProjects = (await Promise.all(TRAIN_ZIPS.map((zip) => readSampleProjects(zip)))).flat();
    expect(new Set(trainingProjects.map((project) => project.id))).toEqual(
      new Set(training.map((label) => label.project)),
    );
    const provenance = readLensFile(lensFile).model!.provenance;
    const dev = labels.filter((label) => label.split === "dev").length;
    expect(provenance.projects).toEqual({ dev, train: training.length });
  });

  it("reads back from its stored definition unchanged (so re-applying the stored lens changes nothing)", () => {
    const { file, ...definition } = readLensFile(lensFile);
    const json = JSON.stringify(definition);
    const { file: _again, ...back } = parseStoredLens(json, file);
    expect(JSON.stringify(back)).toBe(json);
  });

  it("gives every model link the features that decided it as evidence", () => {
    const compiled = compileLens(readLensFile(lensFile));
    let modelLinks = 0;
    for (const project of projects) {
      const { tier, topics } = classifyProject(compiled, project);
      if (tier?.method === "MODEL") expect(tier.matched.length, project.id).toBeGreaterThan(0);
      for (const topic of topics.filter((t) => t.method === "MODEL")) {
        modelLinks++;
        expect(topic.rule, project.id).toMatch(/^model-[a-z0-9-]+$/);
        expect(topic.matched.length, project.id).toBeGreaterThan(0);
        for (const feature of topic.matched)
          expect(feature, project.id).toMatch(
            /^("[^"]+"( \(title or keywords\))?|EuroSciVoc \/.+|call .+|rule [a-z0-9-]+|sentences: .+)$/,
          );
      }
    }
    expect(modelLinks).toBeGreaterThan(0);
  });
});
