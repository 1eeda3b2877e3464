import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { type CsvFileOptions, DEFAULT_CSV_LIMITS, readCsvRecords } from "../../src/import/csv-records.js";
import { FileRefusedError } from "../../src/util/input-problems.js";

/** The CSV reader's guard on bytes that arrive in chunks, as a file or a zip entry gives them. */
const options = (extra: Partial<CsvFileOptions> = {}): CsvFileOptions => ({
  file: "project.csv",
  delimiter: ";",
  limits: DEFAULT_CSV_LIMITS,
  onSkip: () => {},
  ...extra,
});

async function read(chunks: Buffer[], extra: Partial<CsvFileOptions> = {}) {
  const rows = [];
  for await (const row of readCsvRecords(Readable.from(chunks), options(extra))) rows.push(row);
  return rows;
}

async function refusal(chunks: Buffer[], extra: Partial<CsvFileOptions> = {}) {
  const error = await read(chunks, extra).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(FileRefusedError);
  return (error as FileRefusedError).problem;
}

describe("readCsvRecords on chunked bytes", () => {
  const text = Buffer.from('"id";"name"\n"1";"Zürich"\n"2";"Ελλάδα"\n');

  it("accepts UTF-8 split anywhere, a character's bytes in two chunks included", async () => {
    for (let cut = 1; cut < text.length; cut++) {
      const rows = await read([text.subarray(0, cut), text.subarray(cut)]);
      expect(rows.map((r) => [r.line, r.record.name])).toEqual([
        [2, "Zürich"],
        [3, "Ελλάδα"],
      ]);
    }
  });

  it("places a byte that is not UTF-8 at its line and column, wherever the chunks end", async () => {
    const latin1 = Buffer.from('"id";"name"\n"1";"Zurich"\n"2";"Malm\xf6"\n', "latin1");
    for (let cut = 1; cut < latin1.length; cut++) {
      expect(await refusal([latin1.subarray(0, cut), latin1.subarray(cut)])).toMatchObject({
        line: 3,
        field: "(encoding)",
        reason: expect.stringMatching(/^byte 0xF6 at column 10 is not UTF-8/),
      });
    }
  });

  it("refuses an entry that inflates past the ratio of its compressed bytes, counting what arrives", async () => {
    const row = Buffer.from('"1";"a name"\n'.repeat(10_000));
    const chunks = [Buffer.from('"id";"name"\n'), ...Array.from({ length: 20 }, () => row)];
    const limits = { ...DEFAULT_CSV_LIMITS, inflationRatioFloorBytes: 1024 * 1024 };
    expect(await refusal(chunks, { compressedSize: 10_000, limits })).toMatchObject({
      field: "(zip)",
      reason: expect.stringMatching(/^inflates to more than 100 times its 10,000 compressed bytes/),
    });
    // The same bytes from a file that is not a zip entry are read.
    expect(await read(chunks, { limits })).toHaveLength(20 * 10_000);
  });
});
