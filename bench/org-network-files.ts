import { createReadStream, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { parse } from "csv-parse";
import { participationProjection } from "../src/analysis/participation-projection.js";
import { projectRoot } from "../src/util/project-root.js";
import { type BenchSize, generateLandscape, SIZES } from "./generate.js";
import { projectionNetworkSideBySide } from "./network-side-by-side.js";

/**
 * npx tsx bench/org-network-files.ts [--size L] [--requests 10]
 *
 * Issue 19a at sizes whose Neo4j import does not fit a session (L: 1.4 million rows, an hour on a busy
 * machine): the old and new projection network side by side (network-side-by-side.ts) on a projection
 * built DIRECTLY from the generated CORDIS files, without Neo4j. Only what the networks read is filled
 * (projects' start years, participations with their whole cents, organisations, their one country);
 * no sources (sourceCount is 0 on both sides). It times the network code, not the projection's build
 * nor the API; bench/org-network.ts measures those at M through Neo4j.
 */
const { values } = parseArgs({
  options: {
    size: { type: "string", default: "L" },
    requests: { type: "string", default: "10" },
  },
});
const size = values.size!.toUpperCase() as BenchSize;
if (!(size in SIZES)) throw new Error(`--size must be one of ${Object.keys(SIZES).join(", ")}`);
const requests = Number(values.requests);
const loadAtStart = os.loadavg();
const dataDir = path.join(projectRoot(), "bench", "data", size);
process.stderr.write(`generating ${SIZES[size]} projects into ${dataDir}\n`);
await generateLandscape(dataDir, SIZES[size]);

async function* rows(file: string) {
  yield* createReadStream(path.join(dataDir, file)).pipe(parse({ delimiter: ";", columns: true, bom: true }));
}

/** Whole cents of a CORDIS amount ("1234.5" or "1234,5"). */
const cents = (amount: string) => (amount.trim() ? Math.round(Number(amount.replace(",", ".")) * 100) : 0);

const built = performance.now();
const projectIndex = new Map<string, number>();
const projectIds: string[] = [];
const startYear: number[] = [];
for await (const row of rows("project.csv")) {
  projectIndex.set(row.id, projectIds.length);
  projectIds.push(`cordis:${row.id}`);
  startYear.push(row.startDate ? Number(row.startDate.slice(0, 4)) : Number.NaN);
}
const organisationIndex = new Map<string, number>();
const organisationNames: string[] = [];
const organisationCountry: number[] = [];
const countryIndex = new Map<string, number>();
const partsOf: [number, number][][] = projectIds.map(() => []);
for await (const row of rows("organization.csv")) {
  let o = organisationIndex.get(row.organisationID);
  if (o === undefined) {
    o = organisationNames.length;
    organisationIndex.set(row.organisationID, o);
    organisationNames.push(row.name);
    if (!countryIndex.has(row.country)) countryIndex.set(row.country, countryIndex.size);
    organisationCountry.push(countryIndex.get(row.country)!);
  }
  partsOf[projectIndex.get(row.projectID)!]!.push([o, cents(row.ecContribution)]);
}
const countryIds = [...countryIndex.keys()].map((code) => `country:${code}`);
const projection = participationProjection({
  projects: projectIds.map((id, p) => ({ id, startYear: startYear[p]!, parts: partsOf[p]! })),
  organisations: [...organisationIndex.keys()].map((id, o) => ({
    id: `org:${id}`,
    name: organisationNames[o]!,
    countries: [organisationCountry[o]!],
  })),
  countries: countryIds.map((id) => ({ id, name: id })),
});
const projectionMs = performance.now() - built;
process.stderr.write(
  `projection from the files: ${projectIds.length} projects, ${projection.projects.participations.organisation.length} participations, ${organisationNames.length} organisations, ${projectionMs.toFixed(0)} ms\n`,
);

const sideBySide = projectionNetworkSideBySide(projection, requests);
const result = {
  date: new Date().toISOString(),
  size,
  requests,
  machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? "unknown", node: process.version },
  loadAverage: { start: loadAtStart, end: os.loadavg() },
  projection: {
    builtFrom: "generated CORDIS files directly (no Neo4j)",
    projects: projectIds.length,
    participations: projection.projects.participations.organisation.length,
    organisations: organisationNames.length,
  },
  projectionNetwork: sideBySide,
  heapUsedMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
};
mkdirSync(path.join(projectRoot(), "bench", "results"), { recursive: true });
const file = path.join(
  projectRoot(),
  "bench",
  "results",
  `${result.date.slice(0, 10)}-${size}-org-network-files.json`,
);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(result, null, 2)}\nJSON: ${path.relative(process.cwd(), file)}\n`);
