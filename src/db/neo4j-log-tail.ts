import { closeSync, openSync, readSync, statSync } from "node:fs";
import path from "node:path";

const TAIL_BYTES = 8192;

/** Neo4j's own log of the embedded store (`<data folder>/neo4j/logs/debug.log`). */
export const debugLogFile = (dataDir: string) => path.join(dataDir, "neo4j", "logs", "debug.log");

/**
 * The last `lines` lines of a text file, read from its last 8 KB only (debug.log grows to megabytes).
 * Never throws: a missing or unreadable file gives []. For log lines that say why a process ended.
 */
export function fileTail(file: string, lines: number): string[] {
  try {
    const size = statSync(file).size;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    const fd = openSync(file, "r");
    try {
      readSync(fd, buffer, 0, length, size - length);
    } finally {
      closeSync(fd);
    }
    const text = buffer.toString("utf8").split("\n");
    // The first line of a cut read is partial unless the read began at the start of the file.
    if (length < size) text.shift();
    return text.filter((line) => line.trim()).slice(-lines);
  } catch {
    return [];
  }
}
