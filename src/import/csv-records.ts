import { isUtf8 } from "node:buffer";
import { type Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type CsvError, parse } from "csv-parse";
import { FileRefusedError, InputValidationError } from "../util/input-problems.js";
import { firstInvalidUtf8 } from "../util/utf8.js";

export interface CsvRow {
  /** The line the record starts on (1 = header), as an editor shows it. */
  line: number;
  record: Record<string, string>;
}

export interface CsvSkip {
  line: number;
  reason: string;
}

/**
 * What a CSV file may hold before it is refused as a whole. A real CORDIS export stays far below them
 * (all of Horizon Europe: longest field 4,001 characters, an objective; longest row 4,433; largest file
 * 44 MB; least compressible entry 3x, most 17x).
 */
export interface CsvLimits {
  /** Bytes of one file as read (a zip entry: as inflated, counted, not as the zip declares). */
  maxFileBytes: number;
  /** Characters of one record, all its fields together; bounds what the parser holds. */
  maxRowChars: number;
  /** Characters of one field. */
  maxFieldChars: number;
  /** A zip entry that inflates to more than this many times its compressed bytes is refused (a compression bomb)… */
  maxInflationRatio: number;
  /** …once it has inflated past this many bytes (small files cannot hurt, whatever their ratio). */
  inflationRatioFloorBytes: number;
}

export const DEFAULT_CSV_LIMITS: CsvLimits = {
  maxFileBytes: 1024 * 1024 * 1024,
  maxRowChars: 256 * 1024,
  maxFieldChars: 64 * 1024,
  maxInflationRatio: 100,
  inflationRatioFloorBytes: 16 * 1024 * 1024,
};

export interface CsvFileOptions {
  /** The file as named in messages (e.g. export.zip!csv/project.csv). */
  file: string;
  /** The delimiter the layout has; a header separated by another one refuses the file. */
  delimiter: string;
  limits: CsvLimits;
  /** For a zip entry: its compressed bytes, against which inflation is measured. */
  compressedSize?: number | undefined;
  /** Called with the header's column names before any row is read; may throw to refuse the file. */
  onHeader?: (columns: string[]) => void;
  /** Read the header only (to check it), then stop. */
  headerOnly?: boolean;
  onSkip: (skip: CsvSkip) => void;
}

const DELIMITERS = [";", ",", "\t", "|"];
const shownDelimiter = (d: string) => (d === "\t" ? "tab" : `"${d}"`);
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024).toLocaleString("en")} MB`;

/**
 * The delimiters outside quotes in the first line of `head` (a prefix of the file, BOM removed), or
 * undefined when the first line does not end within it.
 */
function headerDelimiters(head: Buffer): Map<string, number> | undefined {
  const counts = new Map(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const byte of head) {
    const char = String.fromCharCode(byte);
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) return counts;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  return undefined;
}

/** How many bytes at the end of `bytes` start a UTF-8 sequence that the next chunk completes. */
function incompleteTail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/**
 * Passes a file's bytes through unchanged and refuses it, naming file and line, when they are not what
 * a CORDIS CSV is: UTF-16 or binary (NUL bytes), not UTF-8, another delimiter in the header, larger
 * than the limit, or (a zip entry) inflating more than the limit ratio. Counts what actually arrives.
 */
class CsvFileGuard extends Transform {
  private bytes = 0;
  /** Newlines passed so far: the line a problem is on is this + 1. */
  private newlines = 0;
  /** Characters of the current line passed so far (UTF-8 lead bytes since the last newline). */
  private lineChars = 0;
  private carry: Buffer = Buffer.alloc(0);
  private head: Buffer | undefined = Buffer.alloc(0);

  constructor(private readonly options: CsvFileOptions) {
    super();
  }

  private refuse(line: number, field: string, reason: string): FileRefusedError {
    return new FileRefusedError({ file: this.options.file, line, field, reason });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.check(chunk);
      callback(null, chunk);
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.carry.length) {
      callback(this.notUtf8(this.carry, 0));
      return;
    }
    if (this.head) this.checkHeader(true);
    callback();
  }

  private check(chunk: Buffer): void {
    const { limits, compressedSize } = this.options;
    const startBytes = this.bytes;
    this.bytes += chunk.length;
    if (this.head) {
      this.head = Buffer.concat([this.head, chunk]);
      this.checkHeader(false);
    }
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const tail = incompleteTail(data);
    const whole = data.subarray(0, data.length - tail);
    if (!isUtf8(whole)) throw this.notUtf8(whole, firstInvalidUtf8(whole));
    this.carry = Buffer.from(data.subarray(data.length - tail));
    let lastNewline = -1;
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) {
      this.newlines++;
      lastNewline = at;
    }
    if (lastNewline !== -1) this.lineChars = 0;
    for (let i = lastNewline + 1; i < chunk.length; i++) if ((chunk[i]! & 0xc0) !== 0x80) this.lineChars++;
    if (this.bytes > limits.maxFileBytes)
      throw this.refuse(
        this.newlines + 1,
        "(file)",
        `is larger than ${mb(limits.maxFileBytes)} (the limit; --max-file-mb raises it): refused at byte ${this.bytes.toLocaleString("en")}`,
      );
    if (
      compressedSize !== undefined &&
      this.bytes > limits.inflationRatioFloorBytes &&
      this.bytes > compressedSize * limits.maxInflationRatio
    )
      throw this.refuse(
        this.newlines + 1,
        "(zip)",
        `inflates to more than ${limits.maxInflationRatio} times its ${compressedSize.toLocaleString("en")} compressed bytes ` +
          `(${startBytes.toLocaleString("en")} bytes and counting): a compression bomb, not a CORDIS export`,
      );
  }

  /** The encoding and the delimiter, from the first bytes and the header line. */
  private checkHeader(atEnd: boolean): void {
    const head = this.head!;
    if (head.length < 4 && !atEnd) return;
    if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))
      throw this.refuse(
        1,
        "(encoding)",
        "is UTF-16 (it starts with a UTF-16 byte-order mark); CORDIS exports are UTF-8: convert it, e.g. iconv -f UTF-16 -t UTF-8",
      );
    const sample = head.subarray(0, 4096);
    if (sample.includes(0))
      throw this.refuse(
        1,
        "(encoding)",
        "holds NUL bytes: UTF-16 without a byte-order mark, or not a text file; CORDIS exports are UTF-8 text",
      );
    const text = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? head.subarray(3) : head;
    const counts = headerDelimiters(text);
    if (!counts) {
      if (atEnd || head.length > this.options.limits.maxRowChars) this.head = undefined;
      return;
    }
    this.head = undefined;
    const { delimiter } = this.options;
    if (counts.get(delimiter)! > 0) return;
    const [other, seen] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    if (seen > 0)
      throw this.refuse(
        1,
        "(delimiter)",
        `the header is separated by ${shownDelimiter(other)} (${seen + 1} columns), not by ${shownDelimiter(delimiter)} as CORDIS exports are: ` +
          `export it again with ${shownDelimiter(delimiter)} as the separator`,
      );
  }

  /** Characters (lead bytes) of the carried incomplete sequence: already counted in lineChars. */
  private carryChars(): number {
    let n = 0;
    for (const b of this.carry) if ((b & 0xc0) !== 0x80) n++;
    return n;
  }

  private notUtf8(bytes: Buffer, offset: number): FileRefusedError {
    const before = bytes.subarray(0, offset);
    let line = this.newlines + 1;
    let lineStart = 0;
    for (let at = before.indexOf(10); at !== -1; at = before.indexOf(10, at + 1)) {
      line++;
      lineStart = at + 1;
    }
    // Characters, as an editor counts them: UTF-8 lead bytes (the carry before `bytes` is on this line).
    let column = line === this.newlines + 1 ? this.lineChars - this.carryChars() + 1 : 1;
    for (let i = lineStart; i < offset; i++) if ((bytes[i]! & 0xc0) !== 0x80) column++;
    const byte = bytes[offset] ?? 0;
    return this.refuse(
      line,
      "(encoding)",
      `byte 0x${byte.toString(16).toUpperCase().padStart(2, "0")} at column ${column} is not UTF-8 ` +
        "(Latin-1 or Windows-1252?); CORDIS exports are UTF-8: convert it, e.g. iconv -f WINDOWS-1252 -t UTF-8",
    );
  }
}

/**
 * Streams the records of a CORDIS CSV file: quoted fields with doubled quotes and line breaks inside,
 * UTF-8 with or without BOM. Values stay strings (NA is Namibia, "" is empty). The header is given to
 * `onHeader` before any row is read. A malformed record is reported through onSkip and the stream
 * goes on; a file that is not what it claims (see CsvFileGuard), a row or a field over the limits,
 * or a stream that fails is refused with FileRefusedError naming file, line and column.
 */
export async function* readCsvRecords(input: Readable, options: CsvFileOptions): AsyncGenerator<CsvRow> {
  const { file, limits } = options;
  let previousEnd = 0;
  let columns: string[] | undefined;
  const columnName = (index: unknown) =>
    typeof index === "number" ? (columns?.[index] ?? `(column ${index + 1})`) : "(row)";
  const parser = parse({
    delimiter: options.delimiter,
    columns: false,
    bom: true,
    info: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    relax_column_count: false,
    max_record_size: limits.maxRowChars,
    on_skip: (error: CsvError | undefined) => {
      if (!error) return;
      const line = previousEnd + 1;
      if (error.code === "CSV_MAX_RECORD_SIZE")
        throw new FileRefusedError({
          file,
          line,
          field: columnName((error as unknown as { column?: unknown }).column),
          reason: `the row is longer than ${limits.maxRowChars.toLocaleString("en")} characters (the limit; --max-row-chars raises it): an unclosed quote, or not a CORDIS export`,
        });
      options.onSkip({ line, reason: error.message });
      previousEnd = (error as unknown as { lines?: number }).lines ?? previousEnd + 1;
    },
  });
  const guard = new CsvFileGuard(options);
  const flowing = pipeline(input, guard, parser);
  // Observed through the parser's iteration; kept from being an unhandled rejection.
  flowing.catch(() => {});
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const line = previousEnd + 1;
      previousEnd = info.lines;
      if (!columns) {
        columns = record.map((name) => name.trim());
        options.onHeader?.(columns);
        if (options.headerOnly) return;
        continue;
      }
      const row: Record<string, string> = Object.create(null);
      for (let i = 0; i < record.length; i++) {
        const value = record[i]!;
        if (value.length > limits.maxFieldChars)
          throw new FileRefusedError({
            file,
            line,
            field: columnName(i),
            reason: `is ${value.length.toLocaleString("en")} characters long, over the limit of ${limits.maxFieldChars.toLocaleString("en")} (--max-field-chars raises it)`,
          });
        row[columns[i]!] = value;
      }
      yield { line, record: row };
    }
    await flowing;
    // A file without even a header line still gets its header checked.
    if (!columns) options.onHeader?.([]);
  } catch (error) {
    // Refusals, and what onHeader throws, as they are.
    if (error instanceof InputValidationError) throw error;
    const message = (error as Error).message;
    // yauzl counts what it inflates against the sizes the zip declares (validateEntrySizes).
    const forged = /too many bytes in the stream|not enough bytes in the stream/.test(message);
    throw new FileRefusedError({
      file,
      line: previousEnd + 1,
      field: forged ? "(zip)" : "(file)",
      reason: forged
        ? `inflates to another size than the zip declares (${message}): a damaged or forged zip`
        : `cannot be read: ${message}`,
    });
  } finally {
    // A refused or abandoned file: stop inflating or reading it.
    if (!input.destroyed) input.destroy();
  }
}
