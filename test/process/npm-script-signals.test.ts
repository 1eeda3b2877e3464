import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";

/**
 * Fault (found by `timeout 60 npm start`): a SIGTERM sent to npm alone (what `timeout`, systemd's
 * default of a main PID, or a supervisor does) killed npm and the shell of the script, but the server
 * behind `build && node ...` kept running, and with it the embedded Neo4j. The scripts that run a
 * long-lived process must hand it the signal: `exec` makes the server the shell itself.
 *
 * The real script texts from package.json are run through npm, with the build step replaced by `true`
 * and the server by a probe that reports the signals it gets; npm alone is signalled.
 */
const root = path.resolve(import.meta.dirname, "../..");
const scripts = (
  JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts;
const scratch = mkdtempSync(path.join(os.tmpdir(), "atlas-script-signals-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const PROBE = `process.on("SIGTERM", () => { console.log("probe: SIGTERM"); process.exit(0); });
console.log("probe: ready"); setInterval(() => {}, 1000);`;

/** Runs script `name` through npm in a scratch package; resolves with what the probe printed after npm got SIGTERM. */
async function signalNpmAlone(name: string): Promise<{ probeLines: string[]; probeExited: boolean }> {
  const dir = mkdtempSync(path.join(scratch, `${name}-`));
  const text = scripts[name]!.replace(/npm run -s build|node scripts\/build\.mjs/, "true").replace(
    /node dist\/src\/\S+\.js/,
    "node probe.cjs",
  );
  writeFileSync(path.join(dir, "probe.cjs"), PROBE);
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "probe", version: "0.0.0", scripts: { [name]: text } }),
  );
  const npm = spawn("npm", ["run", "-s", name], { cwd: dir, stdio: ["ignore", "pipe", "inherit"] });
  const probeLines: string[] = [];
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => {
    ready = resolve;
  });
  let sawTerm!: () => void;
  const gotTerm = new Promise<void>((resolve) => {
    sawTerm = resolve;
  });
  createInterface({ input: npm.stdout! }).on("line", (line) => {
    probeLines.push(line);
    if (line === "probe: ready") ready();
    if (line === "probe: SIGTERM") sawTerm();
  });
  await isReady;
  npm.kill("SIGTERM");
  // The probe's stdout is npm's pipe: the pipe closes only when every writer (npm, shell, probe) is gone.
  const closed = new Promise<boolean>((resolve) => npm.stdout!.once("close", () => resolve(true)));
  const probeExited = await Promise.race([
    Promise.all([gotTerm, closed]).then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20_000)),
  ]);
  // A probe left behind (the fault) is stopped here, so that a failing run leaves nothing running.
  if (!probeExited) spawn("pkill", ["-f", "node probe.cjs"]);
  return { probeLines, probeExited };
}

describe("npm scripts that run a server hand a SIGTERM sent to npm on to it", () => {
  it.each(["start", "cli", "seed"])("npm run %s", async (name) => {
    expect(scripts[name], `package.json has a "${name}" script`).toMatch(/node dist\/src\/\S+\.js/);
    const { probeLines, probeExited } = await signalNpmAlone(name);
    expect(probeLines).toContain("probe: SIGTERM");
    expect(probeExited).toBe(true);
  });
});
