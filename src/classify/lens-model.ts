import { readFileSync } from "node:fs";
import { z } from "zod";
import { describeSentenceFeature } from "./sentence-features.js";

/**
 * The features a lens's linear model reads of a project: the one definition used both when the model is
 * trained (scripts/lens-model-features.ts writes them for scripts/train-lens-model.py) and when it is
 * applied (here); computed by model-features.ts, so that training and use cannot drift apart.
 *
 * - `text`: counts of words and word pairs of title, keywords and objective together (lower-cased,
 *   letters and digits, stop words and pure numbers dropped), and of the title's and keywords' words
 *   again with the prefix `t:` (a word in the title says more than one in the objective). The model
 *   weighs them by TF-IDF (1 + ln count) x idf and scales the block to unit length.
 * - `meta`: binary evidence CORDIS and the lens's own rules give: `esv:<path>` for each EuroSciVoc class
 *   and its ancestors, `call:<code>` for each call topic, its programme part (`call:HORIZON-HLTH`) and its
 *   area without years and numbers (`call:HORIZON-HLTH-CARE`), `rule:<id>` for every rule of the lens that
 *   matches (topic rules, exclusions, tier rules).
 * - `sentence`: how and where the text speaks of each decision's concept, sentence by sentence
 *   (sentence-features.ts: `sentence/<decision>/<concept>/<measure>` with its value); a decision's weights
 *   name only its own concepts' features. `phrases` holds the first phrase found per concept, the
 *   evidence a reader sees.
 */
export interface ModelFeatures {
  text: Map<string, number>;
  meta: Set<string>;
  sentence: Map<string, number>;
  phrases: Map<string, string>;
}

/**
 * A lens's linear model (logistic regression, trained offline by scripts/train-lens-model.py): for the
 * CORE tier and each topic, weights over the features of model-features.ts. Applied here as a dot product:
 * no model is fetched and no Python is needed at run time.
 */
const weightsSchema = z.record(z.string(), z.number().finite());

const decisionSchema = z
  .object({
    /**
     * How the decision is made: by the model alone (the rules' matches are among its features), or by
     * the lens's rules OR the model. A decision the model file does not name is the rules' alone.
     */
    combine: z.enum(["model", "or-rules"]),
    /** Added to the dot product. */
    intercept: z.number().finite(),
    /** The decision: score = intercept + w.x >= threshold (log-odds; chosen by cross-validation). */
    threshold: z.number().finite(),
    weights: weightsSchema,
  })
  .strict();

export const lensModelSchema = z
  .object({
    format: z.literal("atlas-linear-model/1"),
    /** Training data, date, library and version, seed, hyper-parameters, cross-validated figures. */
    provenance: z.record(z.string(), z.unknown()),
    /** idf of each text feature the model knows (others are ignored, as in training). */
    idf: weightsSchema,
    /** The tier the model decides ("CORE") and the topic ids (topic:cancer, ...) it decides. */
    decisions: z.record(z.string(), decisionSchema),
  })
  .strict();

export type LensModel = z.infer<typeof lensModelSchema>;

/** One model decision with the features that weighed most for it (its evidence). */
export interface ModelDecision {
  combine: "model" | "or-rules";
  score: number;
  positive: boolean;
  /** The features with the largest positive contributions, strongest first, at most 6. */
  top: string[];
}

/**
 * Reads and checks a model file; throws Error naming the file and the first problem (a model that is
 * not what the lens expects is refused before anything is written).
 */
export function readLensModel(file: string, shown = file): LensModel {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${shown}: ${(error as Error).message}`);
  }
  const parsed = lensModelSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${shown}: ${issue.path.join(".") || "(document)"}: ${issue.message}`);
  }
  return parsed.data;
}

/** The TF-IDF vector of the text features, unit length (as scikit-learn's TfidfTransformer, sublinear). */
function textVector(model: LensModel, features: ModelFeatures): Map<string, number> {
  const vector = new Map<string, number>();
  let squares = 0;
  for (const [feature, count] of features.text) {
    const idf = model.idf[feature];
    if (idf === undefined) continue;
    const value = (1 + Math.log(count)) * idf;
    vector.set(feature, value);
    squares += value * value;
  }
  const norm = Math.sqrt(squares);
  if (norm > 0) for (const [feature, value] of vector) vector.set(feature, value / norm);
  return vector;
}

/** A feature as a reader of a link's evidence reads it. */
function describe(feature: string, features: ModelFeatures): string {
  if (feature.startsWith("sentence/")) return describeSentenceFeature(feature, features.phrases);
  if (feature.startsWith("t:")) return `"${feature.slice(2)}" (title or keywords)`;
  if (feature.startsWith("esv:")) return `EuroSciVoc ${feature.slice(4)}`;
  if (feature.startsWith("call:")) return `call ${feature.slice(5)}`;
  if (feature.startsWith("rule:")) return `rule ${feature.slice(5)}`;
  return `"${feature}"`;
}

/**
 * Every decision of `model` for one project's features: its score (log-odds), whether it reaches the
 * threshold, and the features that contributed most to it.
 */
export function decide(model: LensModel, features: ModelFeatures): Map<string, ModelDecision> {
  const text = textVector(model, features);
  const decisions = new Map<string, ModelDecision>();
  for (const [name, decision] of Object.entries(model.decisions)) {
    let score = decision.intercept;
    const contributions: [string, number][] = [];
    for (const [feature, value] of text) {
      const weight = decision.weights[feature];
      if (weight === undefined) continue;
      score += weight * value;
      contributions.push([feature, weight * value]);
    }
    for (const feature of features.meta) {
      const weight = decision.weights[feature];
      if (weight === undefined) continue;
      score += weight;
      contributions.push([feature, weight]);
    }
    for (const [feature, value] of features.sentence) {
      const weight = decision.weights[feature];
      if (weight === undefined) continue;
      score += weight * value;
      contributions.push([feature, weight * value]);
    }
    const top = contributions
      .filter(([, contribution]) => contribution > 0)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 6)
      .map(([feature]) => describe(feature, features));
    decisions.set(name, { combine: decision.combine, score, positive: score >= decision.threshold, top });
  }
  return decisions;
}
