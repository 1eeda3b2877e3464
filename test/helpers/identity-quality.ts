import { readFileSync } from "node:fs";
import path from "node:path";
import Papa from "papaparse";
import type { BodyMatch } from "../../src/identity/match-bodies.js";
import { wilson } from "./lens-quality.js";

/**
 * The hand-labelled (body, ROR record) pairs of test/identity/ (LABELLING.md) and the measure of the
 * matcher's APPLIED matches against them: precision and recall with Wilson 95% intervals and their n.
 */
export const IDENTITY_DIR = path.join(import.meta.dirname, "..", "identity");
export const PAIRS_FILE = path.join(IDENTITY_DIR, "pairs.csv");
export const LABELS_FILE = path.join(IDENTITY_DIR, "pairs-labels.csv");

export type Split = "dev" | "test";
export type PairLabel = "SAME" | "DIFFERENT" | "UNSURE";

export interface LabelledPair {
  pairId: string;
  bodyId: string;
  rorId: string;
  stratum: string;
  split: Split;
  label: PairLabel;
  reason: string;
}

const readSemicolonCsv = (file: string) => {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(file, "utf8").replace(/^\uFEFF/, ""), {
    delimiter: ";",
    header: true,
    skipEmptyLines: true,
  });
  if (parsed.errors.length)
    throw new Error(`${file}: ${parsed.errors[0]!.message} (row ${parsed.errors[0]!.row})`);
  return parsed.data;
};

/** The drawn pairs joined with their labels; throws on a label without a pair, a pair without a label, or a bad value. */
export function readLabelledPairs(pairsFile = PAIRS_FILE, labelsFile = LABELS_FILE): LabelledPair[] {
  const labels = new Map(readSemicolonCsv(labelsFile).map((row) => [row.pairId!, row]));
  const pairs = readSemicolonCsv(pairsFile).map((row) => {
    const label = labels.get(row.pairId!);
    if (!label) throw new Error(`pair ${row.pairId} has no label in ${path.basename(labelsFile)}`);
    if (!["SAME", "DIFFERENT", "UNSURE"].includes(label.label!))
      throw new Error(`pair ${row.pairId}: label ${label.label}`);
    if (row.split !== "dev" && row.split !== "test")
      throw new Error(`pair ${row.pairId}: split ${row.split}`);
    return {
      pairId: row.pairId!,
      bodyId: row.bodyId!,
      rorId: row.rorId!,
      stratum: row.stratum!,
      split: row.split as Split,
      label: label.label as PairLabel,
      reason: label.reason ?? "",
    };
  });
  if (labels.size !== pairs.length) throw new Error(`${labels.size} labels for ${pairs.length} pairs`);
  return pairs;
}

export interface IdentityMeasure {
  /** Labelled pairs used (SAME or DIFFERENT). */
  n: number;
  /** SAME pairs. */
  positives: number;
  /** Pairs the matcher links (body's match is this record, with the decisions counted). */
  predicted: number;
  truePositives: number;
  precision: number;
  recall: number;
  precisionCi: [number, number];
  recallCi: [number, number];
  falsePositives: LabelledPair[];
  falseNegatives: LabelledPair[];
}

/**
 * Precision and recall of the matches with the given decisions (by default APPLIED only) over the
 * labelled pairs of `split` ("all" for both); UNSURE pairs are left out. A pair counts as predicted when
 * the body's match is exactly that record.
 */
export function measureMatches(
  pairs: readonly LabelledPair[],
  matches: readonly BodyMatch[],
  split: Split | "all",
  decisions: readonly BodyMatch["decision"][] = ["APPLIED"],
): IdentityMeasure {
  const byBody = new Map(matches.map((match) => [match.bodyId, match]));
  const used = pairs.filter((pair) => pair.label !== "UNSURE" && (split === "all" || pair.split === split));
  const isPredicted = (pair: LabelledPair) => {
    const match = byBody.get(pair.bodyId);
    return match !== undefined && match.rorId === pair.rorId && decisions.includes(match.decision);
  };
  const positives = used.filter((pair) => pair.label === "SAME");
  const predicted = used.filter(isPredicted);
  const truePositives = predicted.filter((pair) => pair.label === "SAME").length;
  return {
    n: used.length,
    positives: positives.length,
    predicted: predicted.length,
    truePositives,
    precision: predicted.length ? truePositives / predicted.length : 1,
    recall: positives.length ? truePositives / positives.length : 0,
    precisionCi: wilson(truePositives, predicted.length),
    recallCi: wilson(truePositives, positives.length),
    falsePositives: predicted.filter((pair) => pair.label !== "SAME"),
    falseNegatives: positives.filter((pair) => !isPredicted(pair)),
  };
}

const ci = ([low, high]: [number, number]) => `[${low.toFixed(3)}, ${high.toFixed(3)}]`;

/** One Markdown table row per measure: split, decisions, n, positives, predicted, precision and recall with CIs. */
export function identityTable(
  rows: { split: string; decisions: string; measure: IdentityMeasure }[],
): string {
  const lines = [
    "| split | matches counted | n labelled | SAME | predicted | precision (95% CI) | recall (95% CI) |",
    "| --- | --- | ---: | ---: | ---: | --- | --- |",
  ];
  for (const { split, decisions, measure: m } of rows)
    lines.push(
      `| ${split} | ${decisions} | ${m.n} | ${m.positives} | ${m.predicted} | ${m.truePositives}/${m.predicted} = ${m.precision.toFixed(3)} ${ci(m.precisionCi)} | ${m.truePositives}/${m.positives} = ${m.recall.toFixed(3)} ${ci(m.recallCi)} |`,
    );
  return lines.join("\n");
}
