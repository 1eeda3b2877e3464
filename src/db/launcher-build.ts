import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { Logger } from "../util/logger.js";
import { projectRoot } from "../util/project-root.js";

export class MissingToolError extends Error {
  override name = "MissingToolError";
}

export interface LauncherFiles {
  /** The Java class path: the launcher, APOC (its extension must be on the class path too) and Neo4j. */
  classPath: string;
  pluginDir: string;
  /** Where the class-data sharing archives of this launcher build are kept (class-data-sharing.ts). */
  classArchiveDir: string;
}

const launcherDir = () => path.join(projectRoot(), "neo4j");

function launcherFiles(): LauncherFiles {
  const target = path.join(launcherDir(), "target");
  return {
    classPath: [
      path.join(target, "atlas-neo4j-launcher.jar"),
      path.join(target, "plugins", "*"),
      path.join(target, "lib", "*"),
    ].join(path.delimiter),
    pluginDir: path.join(target, "plugins"),
    classArchiveDir: path.join(target, "cds"),
  };
}

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function isBuilt(): boolean {
  const jar = path.join(launcherDir(), "target", "atlas-neo4j-launcher.jar");
  if (!existsSync(jar) || !existsSync(path.join(launcherDir(), "target", "plugins"))) return false;
  const sources = Math.max(
    statSync(path.join(launcherDir(), "pom.xml")).mtimeMs,
    newestSourceTime(path.join(launcherDir(), "src")),
  );
  return statSync(jar).mtimeMs >= sources;
}

/** Throws MissingToolError(installHint) unless `command args` runs and exits 0 (e.g. `java -version`). */
export function assertToolAvailable(command: string, args: string[], installHint: string): void {
  const probe = spawnSync(command, args, { stdio: "ignore" });
  if (probe.error || probe.status !== 0) {
    throw new MissingToolError(installHint);
  }
}

/**
 * Builds the Java launcher with Maven when it is missing or older than its sources.
 * The first build downloads Neo4j from Maven Central (about 120 MB), later ones are offline.
 */
export function ensureLauncherBuilt(log: Logger): LauncherFiles {
  assertToolAvailable(
    "java",
    ["-version"],
    "Java 17 or later is needed to run the embedded Neo4j: install a JDK (for example `apt-get install openjdk-17-jdk`), or set NEO4J_URI to use an existing Neo4j.",
  );
  if (!isBuilt()) {
    assertToolAvailable(
      "mvn",
      ["-v"],
      "Apache Maven is needed to build the embedded Neo4j launcher: install it (for example `apt-get install maven`), or set NEO4J_URI to use an existing Neo4j.",
    );
    log.info(
      { dir: launcherDir() },
      "building the embedded Neo4j launcher with Maven (first run downloads Neo4j)",
    );
    const started = Date.now();
    const build = spawnSync(
      "mvn",
      [
        "-B",
        "-q",
        "-Dstyle.color=never",
        "-f",
        path.join(launcherDir(), "pom.xml"),
        "package",
        "-DskipTests",
      ],
      {
        stdio: ["ignore", "inherit", "inherit"],
      },
    );
    if (build.status !== 0) {
      throw new Error(
        `Maven could not build the Neo4j launcher in ${launcherDir()} (exit code ${build.status}); see its output above.`,
      );
    }
    log.info({ ms: Date.now() - started }, "embedded Neo4j launcher built");
  }
  return launcherFiles();
}
