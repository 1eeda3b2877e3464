// Draws the hand-labelled (body, ROR record) pairs that measure the identity matcher, and fixes their
// development/test split.
//
// Usage: npx tsx test/identity/draw-pairs.ts [../shared/data/ror/ror-records.jsonl.gz]
//   Writes test/identity/pairs.csv (pairId, bodyId, rorId, stratum, similarity, split) and prints the
//   strata sizes. Run once, before any match rule was written; the output is committed before any label.
//
// Why this candidate set: the pairs come from the generic generator of src/identity/candidates.ts (token
// Jaccard over normalised names, same country), which no match rule tunes, so the sample does not lean
// towards what the rules find. Why strata: a uniform draw of bodies would be mostly clear matches or
// clear non-matches; the strata put likely matches (HIGH), doubtful ones (MEDIUM, LOW) and near-misses
// (SECOND: the runner-up of a body) side by side. Why a hash split: the split must not depend on the draw
// order or on a label: sha256 of the pair id, even first byte = dev, odd = test.
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { buildRorIndex, candidatesFor } from "../../src/identity/candidates.js";
import { readRorFile } from "../../src/identity/ror-file.js";
import { seededRandom } from "../../src/util/seeded-random.js";
import { ROR_SHARED, seedBodies } from "../helpers/identity-seed.js";

export const SEED = 20261207;
type Stratum = "HIGH" | "MEDIUM" | "LOW" | "SECOND";
/** Top candidate with similarity >= 0.75 | in [0.4, 0.75) | in [0.2, 0.4); second candidate >= 0.3. */
export const SIZES: Record<Stratum, number> = { HIGH: 90, MEDIUM: 70, LOW: 40, SECOND: 50 };

/** "dev" or "test" for a pair id ("<bodyId>|<rorId>"): the split every quality figure uses. */
export function splitOf(pairId: string): "dev" | "test" {
  return createHash("sha256").update(pairId).digest()[0]! % 2 === 0 ? "dev" : "test";
}

function main(rorFile: string): void {
  const index = buildRorIndex(readRorFile(rorFile));
  const bodies = seedBodies().sort((a, b) => (a.id < b.id ? -1 : 1));
  const eligible: Record<Stratum, { bodyId: string; rorId: string; similarity: number }[]> = {
    HIGH: [],
    MEDIUM: [],
    LOW: [],
    SECOND: [],
  };
  for (const body of bodies) {
    const [top, second] = candidatesFor(body, index, 2);
    if (top) {
      const stratum =
        top.similarity >= 0.75
          ? "HIGH"
          : top.similarity >= 0.4
            ? "MEDIUM"
            : top.similarity >= 0.2
              ? "LOW"
              : null;
      if (stratum)
        eligible[stratum].push({ bodyId: body.id, rorId: top.record.rorId, similarity: top.similarity });
    }
    if (second && second.similarity >= 0.3)
      eligible.SECOND.push({ bodyId: body.id, rorId: second.record.rorId, similarity: second.similarity });
  }
  const random = seededRandom(SEED);
  const lines = ["pairId;bodyId;rorId;stratum;similarity;split"];
  for (const stratum of ["HIGH", "MEDIUM", "LOW", "SECOND"] as const) {
    // Fisher-Yates on a copy, then the first n: a uniform draw without replacement within the stratum.
    const pool = [...eligible[stratum]];
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    for (const pair of pool.slice(0, SIZES[stratum])) {
      const pairId = `${pair.bodyId}|${pair.rorId}`;
      lines.push(
        [pairId, pair.bodyId, pair.rorId, stratum, pair.similarity.toFixed(3), splitOf(pairId)].join(";"),
      );
    }
    console.log(`${stratum}: ${Math.min(SIZES[stratum], pool.length)} drawn of ${pool.length} eligible`);
  }
  writeFileSync(path.join(import.meta.dirname, "pairs.csv"), `${lines.join("\n")}\n`);
}

if (process.argv[1] === import.meta.filename) main(process.argv[2] ?? ROR_SHARED);
