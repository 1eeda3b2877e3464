import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * A record of type definitions that passed @neo4j/graphql's validation, so that a start whose type
 * definitions and library versions are unchanged skips it (`new Neo4jGraphQL({ validate: false })`).
 * The validation is about a third of the schema build's CPU (0.5-0.7 s of 1.8-2.2 s on the 2-core
 * benchmark machine), and at start-up it competes for the CPU with the JVM of the embedded Neo4j. The
 * schema built is the same either way: the option only skips the checks of the definitions.
 */

const require = createRequire(import.meta.url);

/** The version of the installed package `name`: its package.json, found above its entry file. */
function installedVersion(name: string): string {
  // @neo4j/graphql's exports map does not export its package.json, so it is found by path.
  for (let dir = path.dirname(require.resolve(name)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === name) return manifest.version ?? "unknown";
    } catch {
      // No package.json at this level.
    }
  }
  return "unknown";
}

/** The versions that decide what validation accepts: the library's and graphql-js's. */
function libraryVersions(): string {
  return `@neo4j/graphql@${installedVersion("@neo4j/graphql")} graphql@${installedVersion("graphql")}`;
}

/** sha256 (hex) of the documents handed to Neo4jGraphQL, in order, and the libraries' versions. */
export function validationDigest(documents: readonly string[]): string {
  const hash = createHash("sha256").update(libraryVersions());
  for (const document of documents) hash.update("\0").update(document);
  return hash.digest("hex");
}

/** Whether `file` records `digest` as validated; a missing or unreadable file records nothing. */
export function isRecordedValid(file: string, digest: string): boolean {
  try {
    return readFileSync(file, "utf8").trim() === digest;
  } catch {
    return false;
  }
}

/**
 * Records `digest` as validated in `file` (one digest: the definitions of the last validated build).
 * A record that cannot be written (a read-only install) is skipped: the next start validates again.
 */
export function recordValid(file: string, digest: string): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${digest}\n`);
  } catch {
    // Only a cost: validation runs at every start.
  }
}
