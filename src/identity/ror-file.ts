import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { parseRorText, type RorRecord } from "./ror-record.js";

/**
 * The ROR records of a file: `.jsonl.gz` / `.jsonl` (the extract in ../shared/data/ror or the subset in
 * seed/reference/ror) or `.json` / `.json.gz` (the official schema-v2 dump, a JSON array). Reads the file
 * only; throws the fs error (ENOENT ...) or parseRorText's error with the file name.
 */
export function readRorFile(file: string): RorRecord[] {
  const bytes = readFileSync(file);
  const text = (file.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
  try {
    return parseRorText(text);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}
