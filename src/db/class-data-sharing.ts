import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";

/**
 * Application class-data sharing (AppCDS, JDK 13+) for the embedded Neo4j: the first start records
 * the ~10,000 classes Neo4j loads into an archive when the JVM exits cleanly; later starts map it
 * instead of parsing and verifying the classes again. Measured on this project's launcher with a
 * fresh store: 30.8-33.9 s of CPU to "ready" without, 24.2-25.0 s with (about a fifth less), which is
 * most of a warm `npm start`.
 *
 * The archive is named by a digest of the class path's files (names, sizes, mtimes): a rebuilt
 * launcher or a new Neo4j gets a new archive instead of one the JVM would refuse. A JVM of another
 * version refuses it with a warning and starts without it, never fails.
 */
export interface ClassDataSharing {
  /** JVM options to add: use the archive if there is one, else record one at exit. */
  jvmOptions: string[];
  /**
   * Call once the JVM has exited: a recorded archive becomes the shared one only after a clean exit
   * (a JVM killed while writing leaves a partial file, which is removed).
   */
  afterExit(exitedCleanly: boolean): void;
}

function classPathDigest(classPath: string): string {
  const hash = createHash("sha256");
  for (const entry of classPath.split(path.delimiter)) {
    const files = entry.endsWith("*")
      ? readdirSync(path.dirname(entry))
          .filter((name) => name.endsWith(".jar"))
          .sort()
          .map((name) => path.join(path.dirname(entry), name))
      : [entry];
    for (const file of files) {
      const stat = statSync(file);
      hash.update(`${file}\0${stat.size}\0${stat.mtimeMs}\n`);
    }
  }
  return hash.digest("hex").slice(0, 16);
}

/** Recordings of processes that died before publishing them (about 120 MB each). */
function removeAbandonedRecordings(archiveDir: string): void {
  for (const name of readdirSync(archiveDir)) {
    const pid = /\.jsa\.(\d+)\.\d+\.tmp$/.exec(name)?.[1];
    if (pid && !isAlive(Number(pid))) rmSync(path.join(archiveDir, name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The AppCDS options for a JVM on `classPath`, archives kept in `archiveDir` (created when missing).
 * Several JVMs may start at once (tests run a scratch Neo4j beside the shared one): each records into
 * a file of its own, and the rename that publishes it is atomic.
 */
export function classDataSharing(classPath: string, archiveDir: string): ClassDataSharing {
  const archive = path.join(archiveDir, `neo4j-${classPathDigest(classPath)}.jsa`);
  if (existsSync(archive)) {
    return { jvmOptions: [`-XX:SharedArchiveFile=${archive}`], afterExit: () => undefined };
  }
  mkdirSync(archiveDir, { recursive: true });
  removeAbandonedRecordings(archiveDir);
  const recording = `${archive}.${process.pid}.${Date.now()}.tmp`;
  return {
    jvmOptions: [`-XX:ArchiveClassesAtExit=${recording}`],
    afterExit(exitedCleanly) {
      if (!existsSync(recording)) return;
      if (exitedCleanly && !existsSync(archive)) renameSync(recording, archive);
      else rmSync(recording, { force: true });
    },
  };
}
