import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { exportNetwork } from "../../src/analysis/network-export.js";
import { toCsv } from "../../web/src/shared/csv-text.js";

/**
 * Issue 32 (d), with inputs that csv-cells.test.ts does not hold: a formula after C1 control characters
 * (U+0080-U+009F, control characters as much as the C0 ones), after format characters that show nothing
 * (zero-width space, word joiner, soft hyphen, byte-order mark) and after Unicode spaces; each CSV read
 * back with an independent parser (papaparse).
 */
const parse = (text: string) =>
  Papa.parse<string[]>(text.replace(/^\ufeff/, ""), { skipEmptyLines: true }).data;

const DEFUSED = [
  "\u0085=1+2", // NEL, a C1 control
  "\u009b+SUM(A1)", // CSI
  "\u0080\u009f-2+3",
  "\u200b=HYPERLINK(1)", // zero-width space
  "\u2060@SUM(A1)", // word joiner
  "\u00ad=1", // soft hyphen
  "\ufeff=1", // byte-order mark inside the cell
  "\u3000\u00a0=1", // ideographic and no-break spaces
  "\u200e\u0007 =1", // a direction mark, a bell, a space
];
const LEFT_AS_IS = ["\u0085plain", "a\u200b=b", "x-y", "5-3"];

describe("CSV cells: formulas after C1 controls and invisible characters", () => {
  it("the browser's CSV prefixes them with ' and keeps each cell whole", () => {
    const rows = parse(
      toCsv(
        ["name"],
        [...DEFUSED, ...LEFT_AS_IS].map((text) => [text]),
      ),
    );
    expect(rows.slice(1).map((row) => row[0])).toEqual([...DEFUSED.map((text) => `'${text}`), ...LEFT_AS_IS]);
  });

  it("the server's network CSV does the same with such node ids", () => {
    const ids = [...DEFUSED, ...LEFT_AS_IS];
    const text = exportNetwork(
      "CSV",
      {
        nodes: [],
        edges: ids.map((id) => ({ source: id, target: id, weight: 1, projects: 1, amountEur: 0 })),
        totalEdges: ids.length,
        description: "",
        sourceCount: 0,
        coverageRequest: { params: {}, memberships: null, thresholds: [] },
      },
      [],
    );
    const expected = [...DEFUSED.map((id) => `'${id}`), ...LEFT_AS_IS];
    expect(
      parse(text)
        .slice(1)
        .map((row) => [row[0], row[1]]),
    ).toEqual(expected.map((id) => [id, id]));
  });
});
