// Draws the hand-labelling sample of Horizon Europe projects and fixes its development/test split.
//
// Usage: npx tsx test/topic-lens/draw-sample.ts <dir with the unpacked CORDIS Horizon Europe CSVs>
//   (the official export, e.g. cordis-HORIZONprojects-csv.zip unpacked; project.csv, legalBasis.csv and
//   euroSciVoc.csv are read). Writes test/topic-lens/he-sample.csv (id, stratum, split) and prints the
//   strata sizes. Run once, before any lens rule was written or changed; the output is committed.
//
// Why strata: personalised medicine is rare among all 19,189 projects (energy, physics, ...), so a plain
// random sample holds too few positives per topic to measure recall. The HEALTH stratum is defined by
// CORDIS's own metadata, never by words a lens rule reads: the Health cluster's legal basis (HORIZON.2.1*)
// or a EuroSciVoc class under "medical and health sciences". Within each stratum the draw is uniform.
// Why a hash split: the split must not depend on the draw order or on any label, and must stay the same
// if the sample grows: sha256 of the project id, even first byte = dev, odd = test.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Papa from "papaparse";
import { seededRandom } from "../../src/util/seeded-random.js";

export const SEED = 20261206;
export const SIZES: Record<Stratum, number> = { HEALTH: 480, OTHER: 240 };
type Stratum = "HEALTH" | "OTHER";

function readCsv(path: string): Record<string, string>[] {
  const text = readFileSync(path, "utf8").replace(/^\uFEFF/, "");
  return Papa.parse<Record<string, string>>(text, { delimiter: ";", header: true, skipEmptyLines: true })
    .data;
}

/** "dev" or "test" for a project id: the split every quality figure uses. */
export function splitOf(id: string): "dev" | "test" {
  return createHash("sha256").update(String(id)).digest()[0]! % 2 === 0 ? "dev" : "test";
}

function main(dir: string): void {
  const projects = readCsv(join(dir, "project.csv"));
  const health = new Set<string>();
  for (const r of readCsv(join(dir, "legalBasis.csv"))) {
    if (r.legalBasis!.startsWith("HORIZON.2.1")) health.add(r.projectID!);
  }
  for (const r of readCsv(join(dir, "euroSciVoc.csv"))) {
    if (r.euroSciVocPath!.startsWith("/medical and health sciences")) health.add(r.projectID!);
  }
  const ids = projects.map((p) => p.id!).sort((a, b) => Number(a) - Number(b));
  const strata: Record<Stratum, string[]> = {
    HEALTH: ids.filter((id) => health.has(id)),
    OTHER: ids.filter((id) => !health.has(id)),
  };
  const random = seededRandom(SEED);
  const rows: { id: string; stratum: Stratum; split: string }[] = [];
  for (const stratum of ["HEALTH", "OTHER"] as const) {
    const members = strata[stratum];
    // Fisher-Yates on a copy, then the first n: a uniform draw without replacement.
    const pool = [...members];
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    for (const id of pool.slice(0, SIZES[stratum])) rows.push({ id, stratum, split: splitOf(id) });
    console.log(
      `${stratum}: population ${members.length}, drawn ${Math.min(SIZES[stratum], members.length)}`,
    );
  }
  rows.sort((a, b) => Number(a.id) - Number(b.id));
  const out = ["projectId;stratum;split", ...rows.map((r) => `${r.id};${r.stratum};${r.split}`)].join("\n");
  writeFileSync(new URL("./he-sample.csv", import.meta.url), `${out}\n`);
  console.log(
    `dev ${rows.filter((r) => r.split === "dev").length}, test ${rows.filter((r) => r.split === "test").length}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv[2]!);
