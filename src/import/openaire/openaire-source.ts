import { createHash } from "node:crypto";
import { createReadStream, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { createGunzip } from "node:zlib";
import { FileRefusedError } from "../../util/input-problems.js";

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

/** Limits on a dump file's text, whatever it claims (see readDumpLines). */
export interface DumpLimits {
  /** Characters of one line (one JSON record); OpenAIRE's records are a few kilobytes. */
  maxLineChars: number;
  /** Nesting of objects and arrays in one record; OpenAIRE's records nest a handful of levels. */
  maxNesting: number;
  /** Inflated bytes per compressed byte of a .gz file, checked once past `inflationFloorBytes`. */
  maxInflation: number;
  inflationFloorBytes: number;
}

export const DEFAULT_DUMP_LIMITS: DumpLimits = {
  maxLineChars: 1_048_576,
  maxNesting: 64,
  // JSON lines compress about 5 to 15 times; a file that inflates 200 times is a compression bomb.
  maxInflation: 200,
  inflationFloorBytes: 64 * 1_048_576,
};

/**
 * Streams the lines of one file (gunzipped when .gz), skipping blank lines, in batches: one array per
 * decoded chunk, so that a dump of millions of lines costs one await per chunk rather than per line.
 * `onBytes` sees the compressed bytes read so far (for progress); `digest()` gives the sha256 of the
 * file's bytes once the lines are exhausted. A file that is one JSON array (`[...]`) is not JSON
 * lines: the caller reports its first line as not an object. A line longer than `limits.maxLineChars`,
 * a line nested deeper than `limits.maxNesting`, and a .gz that inflates more than `limits.maxInflation` times are refused (FileRefusedError naming
 * the file and line) as soon as they are seen, before the rest is read.
 */
export function readDumpLines(
  file: DumpFile,
  onBytes?: (bytes: number) => void,
  limits: DumpLimits = DEFAULT_DUMP_LIMITS,
) {
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
  let inflated = 0;
  if (file.gzip) stream.on("data", (chunk: string) => (inflated += Buffer.byteLength(chunk)));
  stream.setEncoding("utf8");
  const refuse = (line: number, field: string, reason: string) => {
    raw.destroy();
    stream.destroy();
    return new FileRefusedError({ file: file.displayName, line, field, reason });
  };
  // Split by hand rather than with readline: twice as fast on a dump of a million lines.
  async function* iterate(): AsyncGenerator<DumpLine[]> {
    let line = 0;
    let rest = "";
    for await (const chunk of stream as AsyncIterable<string>) {
      if (file.gzip && inflated > limits.inflationFloorBytes && inflated > limits.maxInflation * bytes) {
        throw refuse(
          line + 1,
          "(gzip)",
          `inflates ${Math.round(inflated / Math.max(bytes, 1))} times its compressed size (over ${limits.maxInflation}): a compression bomb`,
        );
      }
      const text = rest + chunk;
      const batch: DumpLine[] = [];
      let start = 0;
      for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
        line++;
        if (end - start > limits.maxLineChars) throw refuse(line, "(line)", tooLong(end - start, limits));
        const value = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
        if (nestedDeeperThan(value, limits.maxNesting)) throw refuse(line, "(json)", tooDeep(limits));
        if (value.trim() !== "") batch.push({ line, text: value });
        start = end + 1;
      }
      rest = text.slice(start);
      if (rest.length > limits.maxLineChars) throw refuse(line + 1, "(line)", tooLong(rest.length, limits));
      if (batch.length) yield batch;
    }
    if (nestedDeeperThan(rest, limits.maxNesting)) throw refuse(line + 1, "(json)", tooDeep(limits));
    if (rest.trim() !== "") yield [{ line: line + 1, text: rest.replace(/\r$/, "") }];
  }
  return { batches: iterate(), digest: () => hash.digest("hex") };
}

const tooDeep = (limits: DumpLimits) =>
  `objects and arrays nested deeper than ${limits.maxNesting} levels: not one OpenAIRE record`;

/**
 * true when the JSON text opens more than `max` objects or arrays inside one another (brackets inside
 * strings do not count). Linear and without recursion, so that a hostile line is refused before
 * JSON.parse or any code that walks the parsed value.
 */
export function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) {
      depth--;
    }
  }
  return false;
}

const tooLong = (chars: number, limits: DumpLimits) =>
  `a line of more than ${limits.maxLineChars.toLocaleString("en-GB")} characters (${chars.toLocaleString("en-GB")} so far): not one OpenAIRE record`;
