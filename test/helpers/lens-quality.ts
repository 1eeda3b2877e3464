import { readFileSync } from "node:fs";
import path from "node:path";
import Papa from "papaparse";
import { classifyProject } from "../../src/classify/classify-project.js";
import type { Lens } from "../../src/classify/lens-file.js";
import { compileLens, type ProjectText } from "../../src/classify/match-lens.js";
import { openCordisSource } from "../../src/import/cordis/cordis-source.js";

/**
 * The hand-labelled sample of Horizon Europe projects (test/topic-lens/, see LABELLING.md) and the
 * measures of a lens against it: precision and recall with Wilson 95% intervals, per split.
 */
export const LENS_DIR = path.join(import.meta.dirname, "..", "topic-lens");
export const SAMPLE_ZIP = path.join(LENS_DIR, "cordis-he-sample.zip");
export const LABELS_FILE = path.join(LENS_DIR, "he-labels.csv");
export const SPLIT_FILE = path.join(LENS_DIR, "he-sample.csv");
/** Training-only labels (never measured on): projects drawn outside the sample, their CORDIS rows. */
export const TRAIN_LABELS_FILE = path.join(LENS_DIR, "he-train-labels.csv");
export const TRAIN_SAMPLE_FILE = path.join(LENS_DIR, "he-train-sample.csv");
export const TRAIN_ZIP = path.join(LENS_DIR, "cordis-he-train.zip");
/** The blind third reading of draw order 1-160 (projects of TRAIN_SAMPLE_FILE). */
export const TRAIN_THIRD_READING_FILE = path.join(LENS_DIR, "he-train-labels-third-reading.csv");
/** Draw order 281-400 of the same draw: labels, ids with draw order, CORDIS rows. */
export const TRAIN_LABELS_FILE_2 = path.join(LENS_DIR, "he-train-labels-2.csv");
export const TRAIN_SAMPLE_FILE_2 = path.join(LENS_DIR, "he-train-sample-2.csv");
export const TRAIN_ZIP_2 = path.join(LENS_DIR, "cordis-he-train-2.zip");
/** Draw order 401-880 of the same draw: labels, ids with draw order, CORDIS rows. */
export const TRAIN_LABELS_FILE_3 = path.join(LENS_DIR, "he-train-labels-3.csv");
export const TRAIN_SAMPLE_FILE_3 = path.join(LENS_DIR, "he-train-sample-3.csv");
export const TRAIN_ZIP_3 = path.join(LENS_DIR, "cordis-he-train-3.zip");
/** Draw order 1-480 of a uniform draw from the OTHER stratum: labels, ids with draw order, CORDIS rows. */
export const TRAIN_LABELS_FILE_OTHER = path.join(LENS_DIR, "he-train-labels-other.csv");
export const TRAIN_SAMPLE_FILE_OTHER = path.join(LENS_DIR, "he-train-sample-other.csv");
export const TRAIN_ZIP_OTHER = path.join(LENS_DIR, "cordis-he-train-other.zip");
/** The zips holding the CORDIS rows of every training-only project. */
export const TRAIN_ZIPS = [TRAIN_ZIP, TRAIN_ZIP_2, TRAIN_ZIP_3, TRAIN_ZIP_OTHER] as const;
/** Draw orders 1..FIRST_READER_END of he-train-labels.csv are the first training reader's, who had read the rules. */
const FIRST_READER_END = 160;

/** The guide's topic names (LABELLING-GUIDE.md) -> the ATLAS topic ids of the graph. */
export const GUIDE_TOPICS: Readonly<Record<string, string>> = {
  cancer: "topic:cancer",
  "rare-diseases": "topic:rare-diseases",
  prevention: "topic:prevention",
  "health-economics": "topic:health-economics",
  "data-ict": "topic:data-ict-solutions",
  "clinical-support-tools": "topic:clinical-support-tools",
  implementation: "topic:implementation",
  "data-sharing": "topic:research-data-sharing",
  "preclinical-clinical": "topic:preclinical-clinical-research",
};

export type Split = "dev" | "test";

export interface Label {
  /** Graph id, cordis:<CORDIS id>. */
  project: string;
  tier: "CORE" | "BIOMEDICAL" | "NOT_BIOMEDICAL";
  /** Graph topic ids. */
  topics: Set<string>;
  confidence: string;
  reason: string;
  stratum: "HEALTH" | "OTHER";
  split: Split;
}

const readSemicolonCsv = (text: string) => {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ""), {
    delimiter: ";",
    header: true,
    skipEmptyLines: true,
  });
  if (parsed.errors.length) throw new Error(`${parsed.errors[0]!.message} (row ${parsed.errors[0]!.row})`);
  return parsed.data;
};

/** The labels joined with their stratum and split; throws on a label outside the sample or a bad value. */
export function readLabels(file = LABELS_FILE, sampleFile = SPLIT_FILE): Label[] {
  const sample = new Map(
    readSemicolonCsv(readFileSync(sampleFile, "utf8")).map((row) => [row.projectId!, row]),
  );
  return readSemicolonCsv(readFileSync(file, "utf8")).map((row, index) => {
    const place = `${path.basename(file)} line ${index + 2}`;
    const drawn = sample.get(row.projectId!);
    if (!drawn) throw new Error(`${place}: project ${row.projectId} is not in the drawn sample`);
    if (!["CORE", "BIOMEDICAL", "NOT_BIOMEDICAL"].includes(row.tier!))
      throw new Error(`${place}: tier ${row.tier}`);
    const topics = (row.topics ?? "").split(/\s+/).filter(Boolean);
    for (const topic of topics)
      if (!GUIDE_TOPICS[topic]) throw new Error(`${place}: topic ${topic} is not a topic of the guide`);
    return {
      project: `cordis:${row.projectId}`,
      tier: row.tier as Label["tier"],
      topics: new Set(topics.map((topic) => GUIDE_TOPICS[topic]!)),
      confidence: row.confidence ?? "",
      reason: row.reason ?? "",
      stratum: drawn.stratum as Label["stratum"],
      split: drawn.split as Split,
    };
  });
}

/**
 * The training-only labels, split "train", never part of a measured figure: every label by a reader who
 * saw no rule of the lens (test/topic-lens/LABELLING.md). Draw order 1-160: the blind third reading
 * (he-train-labels-third-reading.csv), in place of the first training reader's labels, which were made
 * after reading the rule file; 161-280: the second training reader (he-train-labels.csv); 281-400: the
 * third reader (he-train-labels-2.csv); 401-880: eight blind readers, 60 projects each (he-train-labels-3.csv);
 * and 480 projects of the OTHER stratum (he-train-labels-other.csv), by eight more blind readers. Same checks as readLabels; throws when a project is labelled twice.
 */
export function readTrainingLabels(): (Omit<Label, "split"> & { split: "train" })[] {
  const drawOrder = new Map(
    readSemicolonCsv(readFileSync(TRAIN_SAMPLE_FILE, "utf8")).map((row) => [
      `cordis:${row.projectId}`,
      Number(row.drawOrder),
    ]),
  );
  const labels = [
    ...readLabels(TRAIN_THIRD_READING_FILE, TRAIN_SAMPLE_FILE),
    ...readLabels(TRAIN_LABELS_FILE, TRAIN_SAMPLE_FILE).filter(
      (label) => drawOrder.get(label.project)! > FIRST_READER_END,
    ),
    ...readLabels(TRAIN_LABELS_FILE_2, TRAIN_SAMPLE_FILE_2),
    ...readLabels(TRAIN_LABELS_FILE_3, TRAIN_SAMPLE_FILE_3),
    ...readLabels(TRAIN_LABELS_FILE_OTHER, TRAIN_SAMPLE_FILE_OTHER),
  ];
  const seen = new Set<string>();
  for (const label of labels) {
    if (seen.has(label.project)) throw new Error(`${label.project} is labelled twice for training`);
    seen.add(label.project);
  }
  return labels.map((label) => ({ ...label, split: "train" }));
}

/**
 * The CSV files of a CORDIS export (a folder or a zip, opened as the importer opens it) as texts by
 * name; the rows are then parsed here with papaparse, not with the importer's CSV reader.
 */
async function exportTexts(location: string): Promise<Map<string, string>> {
  const source = await openCordisSource(location);
  try {
    const texts = new Map<string, string>();
    for (const [name, file] of source.files) {
      const chunks: Buffer[] = [];
      for await (const chunk of await file.open()) chunks.push(chunk as Buffer);
      texts.set(name, Buffer.concat(chunks).toString("utf8"));
    }
    return texts;
  } finally {
    source.close();
  }
}

/**
 * What a lens reads of each sampled project, from the raw CORDIS files of the sample zip (papaparse,
 * not the importer): title, objective and keywords trimmed, EuroSciVoc code and path, call-topic codes.
 */
export async function readSampleProjects(zip = SAMPLE_ZIP): Promise<ProjectText[]> {
  const files = await exportTexts(zip);
  const rows = (name: string) => readSemicolonCsv(files.get(name) ?? "");
  const euroSciVoc = new Map<string, { code: string; path: string }[]>();
  for (const row of rows("euroSciVoc.csv")) {
    const list = euroSciVoc.get(row.projectID!) ?? [];
    list.push({ code: row.euroSciVocCode!.trim(), path: row.euroSciVocPath!.trim() });
    euroSciVoc.set(row.projectID!, list);
  }
  return rows("project.csv").map((row) => ({
    id: `cordis:${row.id}`,
    title: row.title!.trim(),
    objective: row.objective!.trim(),
    keywords: row.keywords!.trim(),
    euroSciVoc: euroSciVoc.get(row.id!) ?? [],
    callTopics: row
      .topics!.split(/[;,]/)
      .map((code) => code.trim())
      .filter(Boolean),
  }));
}

/**
 * The stratum of each sampled project as the draw defines it (test/topic-lens/draw-sample.ts), read again
 * from the sample's own CORDIS files: HEALTH when its legal basis is the Health cluster (HORIZON.2.1*) or
 * one of its EuroSciVoc classes is under "medical and health sciences", else OTHER.
 */
export async function readSampleStrata(zip = SAMPLE_ZIP): Promise<Map<string, "HEALTH" | "OTHER">> {
  const files = await exportTexts(zip);
  const rows = (name: string) => readSemicolonCsv(files.get(name) ?? "");
  const health = new Set<string>();
  for (const row of rows("legalBasis.csv"))
    if (row.legalBasis!.startsWith("HORIZON.2.1")) health.add(row.projectID!);
  for (const row of rows("euroSciVoc.csv"))
    if (row.euroSciVocPath!.startsWith("/medical and health sciences")) health.add(row.projectID!);
  return new Map(
    rows("project.csv").map((row) => [`cordis:${row.id}`, health.has(row.id!) ? "HEALTH" : "OTHER"]),
  );
}

/** What the lens derives for one project: its tier and its topic ids. */
export interface Prediction {
  tier: string;
  topics: Set<string>;
  rules: Map<string, string>;
}

/** The lens applied to each project in memory (the same functions the importer's classifier calls). */
export function predict(lens: Lens, projects: readonly ProjectText[]): Map<string, Prediction> {
  const compiled = compileLens(lens);
  return new Map(
    projects.map((project) => {
      const { tier, topics } = classifyProject(compiled, project);
      return [
        project.id,
        {
          tier: tier?.tier ?? "",
          topics: new Set(topics.map((match) => match.topicId)),
          rules: new Map(
            topics.map((match) => [match.topicId, `${match.rule}: ${match.matched.join(", ")}`]),
          ),
        },
      ];
    }),
  );
}

/** Wilson score interval for k successes in n trials, 95% (z = 1.96). [0, 1] for n = 0. */
export function wilson(k: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const z = 1.96;
  const p = k / n;
  const denominator = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export interface Measure {
  name: string;
  /** Labelled positives. */
  positives: number;
  /** Predicted positives. */
  predicted: number;
  truePositives: number;
  precision: number;
  recall: number;
  precisionCi: [number, number];
  recallCi: [number, number];
  falsePositives: string[];
  falseNegatives: string[];
}

function measure(name: string, pairs: { id: string; label: boolean; predicted: boolean }[]): Measure {
  const tp = pairs.filter((pair) => pair.label && pair.predicted).length;
  const positives = pairs.filter((pair) => pair.label).length;
  const predicted = pairs.filter((pair) => pair.predicted).length;
  return {
    name,
    positives,
    predicted,
    truePositives: tp,
    precision: predicted ? tp / predicted : Number.NaN,
    recall: positives ? tp / positives : Number.NaN,
    precisionCi: wilson(tp, predicted),
    recallCi: wilson(tp, positives),
    falsePositives: pairs.filter((pair) => !pair.label && pair.predicted).map((pair) => pair.id),
    falseNegatives: pairs.filter((pair) => pair.label && !pair.predicted).map((pair) => pair.id),
  };
}

/**
 * Precision and recall of `predictions` against `labels`: the CORE tier against the other two, and
 * each ATLAS topic (a topic is positive when the label has it; labels give topics only to CORE and
 * BIOMEDICAL projects). Micro average over the topics last.
 */
export function measureLens(
  labels: readonly Label[],
  predictions: ReadonlyMap<string, Prediction>,
): Measure[] {
  const of = (label: Label) => {
    const prediction = predictions.get(label.project);
    if (!prediction) throw new Error(`${label.project}: labelled but not in the sample's files`);
    return prediction;
  };
  const measures = [
    measure(
      "CORE tier",
      labels.map((label) => ({
        id: label.project,
        label: label.tier === "CORE",
        predicted: of(label).tier === "CORE",
      })),
    ),
  ];
  const pooled: { id: string; label: boolean; predicted: boolean }[] = [];
  for (const topic of Object.values(GUIDE_TOPICS)) {
    const pairs = labels.map((label) => ({
      id: label.project,
      label: label.topics.has(topic),
      predicted: of(label).topics.has(topic),
    }));
    pooled.push(...pairs.map((pair) => ({ ...pair, id: `${pair.id} ${topic}` })));
    measures.push(measure(topic, pairs));
  }
  measures.push(measure("all topics (micro)", pooled));
  return measures;
}

const figure = (value: number) => (Number.isNaN(value) ? "n/a" : value.toFixed(2));
const interval = ([low, high]: [number, number]) => `${low.toFixed(2)}-${high.toFixed(2)}`;

/** The measures as a Markdown table (the README's). */
export function markdownTable(measures: readonly Measure[]): string {
  const lines = [
    "| | labelled positives | linked | precision (95% CI) | recall (95% CI) |",
    "| --- | ---: | ---: | --- | --- |",
  ];
  for (const m of measures) {
    lines.push(
      `| ${m.name} | ${m.positives} | ${m.predicted} | ${figure(m.precision)} (${interval(m.precisionCi)}) | ${figure(m.recall)} (${interval(m.recallCi)}) |`,
    );
  }
  return lines.join("\n");
}

/** Cohen's kappa of two readings of the same items (chance-corrected agreement), and the raw agreement. */
export function cohenKappa<T>(
  first: readonly T[],
  second: readonly T[],
): { agreement: number; kappa: number } {
  const n = first.length;
  const agreement = first.filter((value, index) => value === second[index]).length / n;
  const share = (list: readonly T[], value: T) => list.filter((item) => item === value).length / n;
  const chance = [...new Set([...first, ...second])].reduce(
    (sum, value) => sum + share(first, value) * share(second, value),
    0,
  );
  return { agreement, kappa: chance < 1 ? (agreement - chance) / (1 - chance) : 1 };
}
