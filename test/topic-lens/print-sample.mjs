import { readFileSync } from "node:fs";
import Papa from "papaparse";

const text = readFileSync("seed/cordis/horizon/project.csv", "utf8").replace(/^\uFEFF/, "");
const rows = Papa.parse(text, { delimiter: ";", header: true, skipEmptyLines: true }).data;
rows.sort((a, b) => a.id.localeCompare(b.id));
const sample = rows.filter((_, i) => i % 5 === 2);
const start = Number(process.argv[2]),
  end = Number(process.argv[3]);
for (const r of sample.slice(start, end)) {
  console.log(
    `## ${r.id} | ${r.acronym} | ${r.title}\nKW: ${r.keywords}\n${r.objective.replace(/\s+/g, " ").slice(0, Number(process.argv[4] ?? 1100))}\n`,
  );
}
console.error("sample size", sample.length);
