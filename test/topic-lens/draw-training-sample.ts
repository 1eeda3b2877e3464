// Draws extra Horizon Europe projects to label for TRAINING ONLY (the default lens's classifier), never
// for measuring: they are not among the 720 of he-sample.csv, and no quality figure is computed on them.
//
// Usage: npx tsx test/topic-lens/draw-training-sample.ts <dir with the unpacked CORDIS Horizon Europe CSVs>
//   Writes test/topic-lens/he-train-sample.csv (projectId;stratum;drawOrder) and the drawn projects' rows of the
//   export, re-written with papaparse in the export's own layout, to test/topic-lens/he-train/*.csv
//   (zip them into cordis-he-train.zip). Prints the strata sizes.
// npx tsx test/topic-lens/draw-training-sample.ts <dir> <size>, with a size above TRAIN_SIZE, extends the same
//   draw order by one segment: size 400 writes only draw order 281..400, to he-train-sample-2.csv and
//   he-train-2/*.csv (zip them into cordis-he-train-2.zip); a size above 400 writes only 401..size, to
//   he-train-sample-3.csv and he-train-3/*.csv (cordis-he-train-3.zip). Files of other segments are left
//   untouched.
// npx tsx test/topic-lens/draw-training-sample.ts <dir> <size> OTHER draws from the OTHER stratum instead
//   (outside the 720 too; its own seed TRAIN_SEED_OTHER): draw order 1..size, to he-train-sample-other.csv
//   and he-train-other/*.csv (zip them into cordis-he-train-other.zip). Why: a model trained on the HEALTH
//   stratum alone never sees the three quarters of the programme that are not health research, and so
//   calls engineering "digital twins" or a mathematician's "subgroups" CORE.
//
// Why the HEALTH stratum first: the classifier's hard cases are on the CORE/BIOMEDICAL line, which lies in
// it; OTHER projects are almost all NOT_BIOMEDICAL (the OTHER draw above shows the model those). The
// stratum is CORDIS's metadata (as draw-sample.ts):
// the Health cluster's legal basis (HORIZON.2.1*) or a EuroSciVoc class under "medical and health
// sciences". Uniform without replacement (Fisher-Yates, mulberry32) with its own seed.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Papa from "papaparse";
import { seededRandom } from "../../src/util/seeded-random.js";

export const TRAIN_SEED = 20261207;
// 160 were drawn and labelled first; the next 120 of the same order were added later (LABELLING.md).
export const TRAIN_SIZE = 280;
export const TRAIN_SEED_OTHER = 20261208;
// Where each later segment of the same draw order starts, and the suffix of its files (LABELLING.md).
const SEGMENTS = [
  { first: 400, suffix: "-3" },
  { first: TRAIN_SIZE, suffix: "-2" },
  { first: 0, suffix: "" },
] as const;

function readCsv(path: string): { rows: Record<string, string>[]; fields: string[] } {
  const text = readFileSync(path, "utf8").replace(/^\uFEFF/, "");
  const parsed = Papa.parse<Record<string, string>>(text, {
    delimiter: ";",
    header: true,
    skipEmptyLines: true,
  });
  return { rows: parsed.data, fields: parsed.meta.fields ?? [] };
}

function main(dir: string, size: number = TRAIN_SIZE, stratum: "HEALTH" | "OTHER" = "HEALTH"): void {
  if (!Number.isInteger(size) || size < (stratum === "HEALTH" ? TRAIN_SIZE : 1))
    throw new Error(`size must be an integer >= ${stratum === "HEALTH" ? TRAIN_SIZE : 1}`);
  // Each segment has its own files; a size writes only the segment it ends.
  const { first, suffix } =
    stratum === "OTHER" ? { first: 0, suffix: "-other" } : SEGMENTS.find((segment) => size > segment.first)!;
  const here = new URL(".", import.meta.url).pathname;
  const measured = new Set(
    readFileSync(join(here, "he-sample.csv"), "utf8")
      .split("\n")
      .slice(1)
      .map((line) => line.split(";")[0]!)
      .filter(Boolean),
  );
  const projects = readCsv(join(dir, "project.csv"));
  const health = new Set<string>();
  const legal = readCsv(join(dir, "legalBasis.csv"));
  const esv = readCsv(join(dir, "euroSciVoc.csv"));
  for (const r of legal.rows) if (r.legalBasis!.startsWith("HORIZON.2.1")) health.add(r.projectID!);
  for (const r of esv.rows)
    if (r.euroSciVocPath!.startsWith("/medical and health sciences")) health.add(r.projectID!);
  const pool = projects.rows
    .map((p) => p.id!)
    .filter((id) => health.has(id) === (stratum === "HEALTH") && !measured.has(id))
    .sort((a, b) => Number(a) - Number(b));
  const random = seededRandom(stratum === "HEALTH" ? TRAIN_SEED : TRAIN_SEED_OTHER);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  // Draw order is kept: any first k of it is itself a uniform draw, so labelling may stop early.
  const order = pool.slice(first, size);
  const drawn = new Set(order);
  console.log(`${stratum} stratum outside the measured sample: ${pool.length}, drawn ${drawn.size}`);
  writeFileSync(
    join(here, `he-train-sample${suffix}.csv`),
    `${["projectId;stratum;drawOrder", ...order.map((id, index) => `${id};${stratum};${first + index + 1}`)].join("\n")}\n`,
  );
  const out = join(here, `he-train${suffix}`);
  mkdirSync(out, { recursive: true });
  const files: [string, string][] = [
    ["project.csv", "id"],
    ["organization.csv", "projectID"],
    ["topics.csv", "projectID"],
    ["euroSciVoc.csv", "projectID"],
    ["legalBasis.csv", "projectID"],
  ];
  for (const [name, key] of files) {
    const { rows, fields } =
      name === "legalBasis.csv" ? legal : name === "euroSciVoc.csv" ? esv : readCsv(join(dir, name));
    const kept =
      name === "project.csv"
        ? projects.rows.filter((r) => drawn.has(r[key]!))
        : rows.filter((r) => drawn.has(r[key]!));
    writeFileSync(
      join(out, name),
      `${Papa.unparse(kept, { delimiter: ";", columns: fields, quotes: true, newline: "\n" })}\n`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  main(
    process.argv[2]!,
    process.argv[3] === undefined ? undefined : Number(process.argv[3]),
    process.argv[4] === "OTHER" ? "OTHER" : "HEALTH",
  );
