import { describe, expect, it } from "vitest";
import type { ReadWorkbook } from "../../src/curate/workbook-shapes.js";
import { packWorkbook, unpackWorkbook } from "../../src/curate/workbook-transfer.js";
import { jsonInSlices } from "../../src/util/json-slices.js";
import { runsOf, TimeSlicer } from "../../src/util/time-slices.js";

/**
 * Issue 32: the curation check's work on the server's thread is sliced (the worker's answer read chunk by
 * chunk, the report written in slices). Slicing must not change a thing: the same workbook, the same JSON.
 * A slicer of budget 0 takes a turn of the event loop after every item, the most slices there can be.
 */
describe("curation work in slices gives the same results", () => {
  it("a packed workbook unpacks to the one read: Maps, Dates, order, problems", async () => {
    const long = "x".repeat(300_000);
    const rows = Array.from({ length: 1_200 }, (_, i) => ({
      row: i + 2,
      cells: new Map([
        [1, { address: `A${i + 2}`, value: { type: "text" as const, text: i % 100 === 0 ? long : `t${i}` } }],
        [
          2,
          {
            address: `B${i + 2}`,
            value: { type: "date" as const, date: new Date(Date.UTC(2024, 0, 1 + i)) },
          },
        ],
        [3, { address: `C${i + 2}`, value: { type: "number" as const, number: i / 7 } }],
      ]),
    }));
    const read: ReadWorkbook = {
      fileName: "w.xlsx",
      sha256: "ab".repeat(32),
      sheets: new Map([
        ["Facts", { name: "Facts", headers: [{ column: 1, address: "A1", text: "subject" }], rows }],
        ["About", { name: "About", headers: [], rows: [] }],
      ]),
      problems: Array.from({ length: 3_000 }, (_, i) => ({ sheet: "Facts", cell: `Z${i}`, reason: `r${i}` })),
    };
    const { message, transfer } = packWorkbook(read);
    // Several chunks, each a buffer of its own to move.
    expect(message.sheets[0]!.rows.length).toBeGreaterThan(10);
    expect(new Set(transfer).size).toBe(transfer.length);
    expect(transfer.length).toBe(
      message.sheets.reduce((n, s) => n + s.rows.length, 0) + message.problems.length,
    );
    const back = await unpackWorkbook(structuredClone(message, { transfer }), new TimeSlicer(0));
    expect(back).toEqual(read);
    expect([...back.sheets.keys()]).toEqual(["Facts", "About"]);
  });

  it("a report written in slices is JSON.stringify's text, undefined fields and all", async () => {
    const report = {
      status: "CHECKED",
      file: 'a "quoted" \u2028 name',
      rowsRead: 3,
      problems: [],
      changes: Array.from({ length: 2_500 }, (_, i) => ({
        change: "ADDED",
        record: `fact:${i}`,
        sheet: i % 3 ? "Facts" : undefined,
        row: i,
      })),
      counts: { added: 2_500, changed: 0 },
      importRun: undefined,
      odd: [undefined, null, () => 1, new Date(0)],
    };
    expect(await jsonInSlices(report, new TimeSlicer(0))).toBe(JSON.stringify(report));
  });

  it("runs of items keep their order and bounds", () => {
    const items = ["a".repeat(10), "b".repeat(10), "c".repeat(25), "d", "e", "f"];
    expect(runsOf(items, 20)).toEqual([[items[0], items[1]], [items[2]], ["d", "e", "f"]]);
    expect(runsOf(items, 1_000, 4)).toEqual([items.slice(0, 4), items.slice(4)]);
    expect(runsOf([], 10)).toEqual([]);
  });
});
