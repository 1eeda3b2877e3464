/**
 * What the default lens costs and gives on a whole CORDIS export, in memory: the time to classify every
 * project (tier and topics, rules and model) and the counts per tier and per topic.
 *
 *   npx tsx scripts/lens-timing.ts <CORDIS export zip or folder> [--lens seed/lenses/atlas.yaml]
 *
 * Reading and parsing the export is not timed; the lens is compiled once, then every project is
 * classified (classify-project.ts, as the importer's classifier calls it). Prints the CPU time and the
 * wall time (on a shared machine the wall time includes waiting for a core), then Markdown tables.
 */
import { parseArgs } from "node:util";
import { classifyProject } from "../src/classify/classify-project.js";
import { readLensFile } from "../src/classify/lens-file.js";
import { compileLens } from "../src/classify/match-lens.js";
import { readSampleProjects } from "../test/helpers/lens-quality.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { lens: { type: "string", default: "seed/lenses/atlas.yaml" } },
});
if (!positionals[0]) throw new Error("usage: npx tsx scripts/lens-timing.ts <CORDIS export zip or folder>");
const projects = await readSampleProjects(positionals[0]);
const lens = readLensFile(values.lens, process.cwd());
const started = process.hrtime.bigint();
const cpuStarted = process.cpuUsage();
const compiled = compileLens(lens);
const tiers = new Map<string, number>();
const topics = new Map<string, Map<string, number>>();
const methods = new Map<string, number>();
for (const project of projects) {
  const { tier, topics: linked } = classifyProject(compiled, project);
  const name = tier?.tier ?? "(none)";
  tiers.set(name, (tiers.get(name) ?? 0) + 1);
  for (const topic of linked) {
    const byTier = topics.get(topic.topicId) ?? new Map<string, number>();
    byTier.set(name, (byTier.get(name) ?? 0) + 1);
    topics.set(topic.topicId, byTier);
    methods.set(topic.method, (methods.get(topic.method) ?? 0) + 1);
  }
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
// On a shared machine the wall time includes waiting for a core; the CPU time is what the lens costs.
const per10k = (s: number) => ((s * 10_000) / projects.length).toFixed(1);
console.log(
  `${projects.length} projects classified: ${cpuSeconds.toFixed(1)} s of CPU (${per10k(cpuSeconds)} s per 10,000 projects), ${seconds.toFixed(1)} s wall (${per10k(seconds)} s per 10,000)\n`,
);
console.log("| tier | projects |\n| --- | ---: |");
for (const [tier, count] of [...tiers].sort((a, b) => b[1] - a[1])) console.log(`| ${tier} | ${count} |`);
console.log("\n| topic | CORE | BIOMEDICAL |\n| --- | ---: | ---: |");
for (const [topic, byTier] of [...topics].sort((a, b) => (b[1].get("CORE") ?? 0) - (a[1].get("CORE") ?? 0)))
  console.log(`| ${topic} | ${byTier.get("CORE") ?? 0} | ${byTier.get("BIOMEDICAL") ?? 0} |`);
console.log(`\nlinks by method: ${[...methods].map(([m, n]) => `${m} ${n}`).join(", ")}`);
