import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/**
 * npx tsx bench/profile-summary.ts <file.cpuprofile | folder> [--top 25] [--per <n>]
 * Summarises a V8 CPU profile (node --cpu-prof; bench/profile-lookup.ts writes one): the sampled time
 * by where its code comes from (an npm package, node's own internals, this project, V8's garbage
 * collector, idle), then the functions with the most self time. With `--per <n>` (the number of
 * requests profiled) every figure is also given in milliseconds per request.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
const top = Number(option("--top") ?? 25);
const per = Number(option("--per") ?? 0);
/**
 * Inclusive time of these stages: a sample counts for a stage when one of its frames is that
 * function (`name` or `name@package`), once per sample however deep the recursion.
 */
const DEFAULT_STAGES = [
  "parse@graphql",
  "validate@graphql",
  "execute@graphql",
  "translateRead@@neo4j/graphql",
  "translateTopLevelCypher@@neo4j/graphql",
  "execute@@neo4j/graphql",
  "getAuthorizationContext@@neo4j/graphql",
  "processGraphQLRequest@@apollo/server",
  "jsonParser@body-parser",
  "compression@compression",
  "run@neo4j-driver-core",
  "run@neo4j-driver-bolt-connection",
  "fetch@undici",
  "(garbage collector)",
];
const stages = (option("--stages")?.split(",") ?? DEFAULT_STAGES).map((stage) => {
  const [name, from] = stage.startsWith("(")
    ? [stage, undefined]
    : [stage.split("@")[0]!, stage.slice(stage.indexOf("@") + 1) || undefined];
  return { stage, name, from: stage.includes("@") && !stage.startsWith("(") ? from : undefined };
});
let file = args[0];
if (!file)
  throw new Error("usage: profile-summary.ts <file.cpuprofile | folder> [--top 25] [--per <requests>]");
if (statSync(file).isDirectory()) {
  // The newest profile of the folder.
  const profiles = readdirSync(file)
    .filter((name) => name.endsWith(".cpuprofile"))
    .map((name) => path.join(file!, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!profiles[0]) throw new Error(`no .cpuprofile in ${file}`);
  file = profiles[0];
}
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;

/** Where a frame's code comes from: the npm package, node:internal, this project's folder, or V8's own. */
function origin(frame: ProfileNode["callFrame"]): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith("node:")) return "node (internals)";
  const project = url.replace(/^file:\/\//, "");
  const match = /\/(src|bench|test)\/(.*)$/.exec(project);
  return match ? `atlas ${match[1]}/${match[2]!.split("/")[0]}` : project;
}

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMs = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i]!;
  selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
}
const totalMs = (profile.endTime - profile.startTime) / 1000;
const byOrigin = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const [id, ms] of selfMs) {
  const frame = byId.get(id)!.callFrame;
  const from = origin(frame);
  byOrigin.set(from, (byOrigin.get(from) ?? 0) + ms);
  const name = `${frame.functionName || "(anonymous)"} ${from}${frame.url ? `:${path.basename(frame.url)}:${frame.lineNumber + 1}` : ""}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
}
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const inclusive = new Map<string, number>();
for (const [id, ms] of selfMs) {
  const hit = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const frame = byId.get(at)!.callFrame;
    for (const stage of stages)
      if (frame.functionName === stage.name && (!stage.from || origin(frame) === stage.from))
        hit.add(stage.stage);
  }
  for (const stage of hit) inclusive.set(stage, (inclusive.get(stage) ?? 0) + ms);
}
const busyMs = totalMs - (byOrigin.get("(idle)") ?? 0);
const row = (name: string, ms: number) =>
  `| ${name} | ${ms.toFixed(0)} | ${((100 * ms) / busyMs).toFixed(1)}% |${per ? ` ${(ms / per).toFixed(3)} |` : ""}`;
const head = (what: string) => [
  `| ${what} | self ms | of busy |${per ? " ms per request |" : ""}`,
  `| --- | ---: | ---: |${per ? " ---: |" : ""}`,
];
const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
const lines = [
  `${path.basename(file)}: ${totalMs.toFixed(0)} ms profiled, ${busyMs.toFixed(0)} ms busy (idle: waiting for Neo4j or the network)`,
  "",
  ...head("where the code comes from"),
  ...sorted(byOrigin)
    .filter(([name]) => name !== "(idle)")
    .slice(0, top)
    .map(([name, ms]) => row(name, ms)),
  "",
  ...head("stage (inclusive)").map((line) => line.replace("self ms", "ms")),
  ...stages.map(({ stage }) => row(stage, inclusive.get(stage) ?? 0)),
  "",
  ...head("function"),
  ...sorted(byFunction)
    .filter(([name]) => !name.startsWith("(idle)"))
    .slice(0, top)
    .map(([name, ms]) => row(name, ms)),
];
process.stdout.write(`${lines.join("\n")}\n`);
