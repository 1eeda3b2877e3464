import { createHash } from "node:crypto";
import { createReadStream, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { createGunzip } from "node:zlib";

/** Which dump a file belongs to: the project, organization or relation part of the OpenAIRE Graph. */
export type DumpPart = "project" | "organization" | "relation";

export interface DumpFile {
  path: string;
  /** As shown in messages: relative to displayRoot (or the working directory). */
  displayName: string;
  size: number;
  part: DumpPart;
  gzip: boolean;
}

const READABLE = /\.(jsonl?|json\.gz|jsonl\.gz|gz)$/i;

/**
 * The part a file belongs to, from its name or folder, as the dump publishes them (`project.tar` holds
 * `project/part-*.json.gz`; organisations and relations likewise). Anything else is read as projects.
 */
function partOf(file: string): DumpPart {
  const segments = file.toLowerCase().split(path.sep);
  if (segments.some((s) => s.startsWith("organization") || s.startsWith("organisation")))
    return "organization";
  if (segments.some((s) => s.startsWith("relation"))) return "relation";
  return "project";
}

/**
 * The files of a dump: one file, or every .json/.jsonl/.gz file under a folder (recursively, in name
 * order so that line numbers and runs are reproducible). Throws when there is none.
 */
export function listDumpFiles(location: string, displayRoot?: string): DumpFile[] {
  const stat = statSync(location);
  const paths: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (READABLE.test(entry.name)) paths.push(full);
    }
  };
  if (stat.isDirectory()) walk(location);
  else paths.push(location);
  if (!paths.length) throw new Error(`${location}: no .json, .jsonl or .gz file found`);
  const root = displayRoot ?? process.cwd();
  return paths.map((file) => ({
    path: file,
    displayName: path.relative(root, file).startsWith("..") ? file : path.relative(root, file),
    size: statSync(file).size,
    part: stat.isDirectory() ? partOf(path.relative(location, file)) : "project",
    gzip: /\.gz$/i.test(file),
  }));
}

export interface DumpLine {
  line: number;
  text: string;
}

/**
 * Streams the lines of one file (gunzipped when .gz), skipping blank lines, in batches: one array per
 * decoded chunk, so that a dump of millions of lines costs one await per chunk rather than per line.
 * `onBytes` sees the compressed bytes read so far (for progress); `digest()` gives the sha256 of the
 * file's bytes once the lines are exhausted. A file that is one JSON array (`[...]`) is not JSON
 * lines: the caller reports its first line as not an object.
 */
export function readDumpLines(file: DumpFile, onBytes?: (bytes: number) => void) {
  const hash = createHash("sha256");
  const raw = createReadStream(file.path, { highWaterMark: 1 << 20 });
  let bytes = 0;
  raw.on("data", (chunk) => {
    bytes += chunk.length;
    hash.update(chunk);
    onBytes?.(bytes);
  });
  const stream = file.gzip ? raw.pipe(createGunzip()) : raw;
  raw.on("error", (error) => stream.destroy(error));
  stream.setEncoding("utf8");
  // Split by hand rather than with readline: twice as fast on a dump of a million lines.
  async function* iterate(): AsyncGenerator<DumpLine[]> {
    let line = 0;
    let rest = "";
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = rest + chunk;
      const batch: DumpLine[] = [];
      let start = 0;
      for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
        line++;
        const value = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
        if (value.trim() !== "") batch.push({ line, text: value });
        start = end + 1;
      }
      rest = text.slice(start);
      if (batch.length) yield batch;
    }
    if (rest.trim() !== "") yield [{ line: line + 1, text: rest.replace(/\r$/, "") }];
  }
  return { batches: iterate(), digest: () => hash.digest("hex") };
}
