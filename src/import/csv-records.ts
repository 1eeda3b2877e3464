import type { Readable } from "node:stream";
import { parse } from "csv-parse";

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
 * Streams the records of a semicolon-separated CORDIS file: quoted fields with doubled quotes and
 * line breaks inside, UTF-8 with or without BOM. Values stay strings (NA is Namibia, "" is empty).
 * A malformed record is reported through onSkip and the stream goes on.
 */
export async function* readCsvRecords(
  input: Readable,
  options: { delimiter: string; onSkip: (skip: CsvSkip) => void },
): AsyncGenerator<CsvRow> {
  const parser = input.pipe(
    parse({
      delimiter: options.delimiter,
      columns: true,
      bom: true,
      info: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      relax_column_count: false,
    }),
  );
  let previousEnd = 1;
  parser.on("skip", (error: Error & { lines?: number }) => {
    options.onSkip({ line: error.lines ?? previousEnd + 1, reason: error.message });
    previousEnd = error.lines ?? previousEnd;
  });
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    yield { line: previousEnd + 1, record };
    previousEnd = info.lines;
  }
}
