import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const webDir = path.join(root, "web");
const distDir = path.join(webDir, "dist");
/** Written after a successful build: the inputs' digest, so the next start can skip an identical build. */
const STAMP = path.join(distDir, ".inputs.sha256");

/**
 * The sha256 (hex) of everything the Vite build reads: web/ (sources, pages, configs, generated client)
 * without its output, the example operations the playground bundles, and the lock file (dependency
 * versions). Content, not mtimes: a fresh clone or a checkout touches every mtime.
 */
export function webInputsDigest(): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "dist" || entry.name === "node_modules") continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(webDir);
  walk(path.join(root, "schema", "operations"));
  files.push(path.join(root, "package-lock.json"));
  const hash = createHash("sha256");
  for (const file of files.sort()) {
    hash.update(path.relative(root, file));
    hash.update("\0");
    hash.update(readFileSync(file));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/**
 * Builds the playground and the dashboard into web/dist (web/vite.config.ts) unless the last build
 * was made from identical inputs (then the stamp's time is set to now); `force` builds anyway. Returns whether it built. Throws what Vite
 * throws (a failed build leaves no stamp, so the next run builds again).
 */
export async function buildWebIfChanged(options: { force?: boolean } = {}): Promise<boolean> {
  const digest = webInputsDigest();
  const pages = ["index.html", "dashboard.html", "explore.html", "admin.html"].map((page) =>
    path.join(distDir, page),
  );
  const fresh =
    !options.force &&
    pages.every((page) => existsSync(page)) &&
    existsSync(STAMP) &&
    readFileSync(STAMP, "utf8").trim() === digest;
  if (fresh) {
    // The inputs were only touched (a checkout): the stamp's time says so, and scripts/build.mjs then
    // skips even this digest on the next start.
    const now = new Date();
    utimesSync(STAMP, now, now);
    return false;
  }
  const { build } = await import("vite");
  await build({ configFile: path.join(webDir, "vite.config.ts"), logLevel: "warn", mode: "production" });
  writeFileSync(STAMP, `${digest}\n`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const built = await buildWebIfChanged({ force: process.argv.includes("--force") });
  const ms = Math.round(performance.now() - started);
  process.stderr.write(
    built ? `web/dist built in ${ms} ms\n` : `web/dist is up to date with its inputs (checked in ${ms} ms)\n`,
  );
}
