// `npm run build` and the build step of `npm start`: the server's TypeScript (tsc -b) and the web
// pages (scripts/build-web.ts), each skipped when none of its inputs changed since its last build.
// Plain JavaScript run by node itself, so that a start with nothing to build pays neither for loading
// the TypeScript compiler nor for tsx: a start with nothing to build checks file times in milliseconds
// (it cost about 2 s of every warm start). `--force` builds both anyway.
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, statSync, utimesSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const force = process.argv.includes("--force");

/**
 * The newest modification time (ms) of the paths given, walking folders (their own times too, which
 * change when a file is added or removed), skipping the folders named in `skip`. Missing paths count
 * as changed now (Infinity) so that a build runs.
 */
function newestTime(paths, skip = new Set()) {
  let newest = 0;
  const walk = (full) => {
    let stat;
    try {
      stat = statSync(full);
    } catch {
      newest = Number.POSITIVE_INFINITY;
      return;
    }
    newest = Math.max(newest, stat.mtimeMs);
    if (!stat.isDirectory()) return;
    for (const entry of readdirSync(full)) if (!skip.has(entry)) walk(path.join(full, entry));
  };
  for (const p of paths) walk(path.join(root, p));
  return newest;
}

/** The modification time (ms) of a stamp file, or -Infinity when there is none. */
function stampTime(file) {
  return existsSync(file) ? statSync(file).mtimeMs : Number.NEGATIVE_INFINITY;
}

/** Sets a stamp file's time to now (creating it): the inputs as they are now are built. */
function touch(file) {
  if (!existsSync(file)) closeSync(openSync(file, "w"));
  const now = new Date();
  utimesSync(file, now, now);
}

/** Runs a command in the project's folder with this process's output; exits with its failure. */
function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const bin = (name) => path.join(root, "node_modules", ".bin", name);

// The server: tsc -b compares contents itself, but loading the compiler costs about a second; the
// stamp is written after each successful tsc -b, so inputs untouched since then skip it.
const serverStamp = path.join(root, "dist", ".build-stamp");
const serverInputs = ["src", "tsconfig.json", "tsconfig.build.json", "package-lock.json"];
if (force || newestTime(serverInputs) >= stampTime(serverStamp)) {
  run(bin("tsc"), ["-b", "tsconfig.build.json"]);
  touch(serverStamp);
}

// The web pages: build-web.ts compares the inputs' contents with the last build's digest (and touches
// its stamp when they are the same); its stamp's time lets untouched inputs skip even that.
const webStamp = path.join(root, "web", "dist", ".inputs.sha256");
const webInputs = ["web", "schema/operations", "package-lock.json"];
const pages = ["index.html", "dashboard.html", "explore.html", "admin.html"];
const webBuilt = pages.every((page) => existsSync(path.join(root, "web", "dist", page)));
if (force || !webBuilt || newestTime(webInputs, new Set(["dist", "node_modules"])) >= stampTime(webStamp)) {
  run(bin("tsx"), ["scripts/build-web.ts", ...(force ? ["--force"] : [])]);
}
