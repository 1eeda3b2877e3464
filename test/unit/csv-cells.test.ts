import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { exportNetwork } from "../../src/analysis/network-export.js";
import { toCsv } from "../../web/src/shared/csv-text.js";

/**
 * CSV downloads, in the browser (toCsv) and on the server (the network export), read back with an
 * independent parser (papaparse): every cell stays one cell whatever it holds, and text a spreadsheet
 * would run as a formula comes back with a leading quote, after any whitespace or control character.
 */
const parse = (text: string) =>
  Papa.parse<string[]>(text.replace(/^\ufeff/, ""), { skipEmptyLines: true }).data;

const HOSTILE: [string, string][] = [
  ["X\r=1+2", "X\r=1+2"], // a bare CR inside: one cell, not a row and a live formula
  ["a\nb", "a\nb"],
  ["a,b", "a,b"],
  ['say "hi"', 'say "hi"'],
  ["=1+2", "'=1+2"],
  ["  =1+2", "'  =1+2"],
  ["\u0007=HYPERLINK(1)", "'\u0007=HYPERLINK(1)"],
  ["\t+cmd", "'\t+cmd"],
  ["\r-1", "'\r-1"],
  ["@SUM(A1)", "'@SUM(A1)"],
  ["-abc", "'-abc"],
  ["Évry", "Évry"],
  ["plain", "plain"],
];

describe("CSV cells", () => {
  it("the browser's CSV keeps every cell whole and defuses formulas; numbers stay numbers", () => {
    const rows = parse(toCsv(["name", "value"], [...HOSTILE.map(([text]) => [text, -5]), ["n", 1.5]]));
    expect(rows).toHaveLength(HOSTILE.length + 2);
    for (const [i, [text, expected]] of HOSTILE.entries())
      expect(rows[i + 1], JSON.stringify(text)).toEqual([expected, "-5"]);
    expect(rows.at(-1)).toEqual(["n", "1.5"]);
  });

  it("the server's network CSV does the same with hostile node ids", () => {
    const text = exportNetwork(
      "CSV",
      {
        nodes: [],
        edges: HOSTILE.map(([id]) => ({ source: id, target: "ok", weight: 1, projects: 1, amountEur: -2 })),
        totalEdges: HOSTILE.length,
        description: "",
        sourceCount: 0,
        coverageRequest: { params: {}, memberships: null, thresholds: [] },
      },
      [],
    );
    const rows = parse(text);
    expect(rows[0]).toEqual(["Source", "Target", "Type", "Weight", "projects", "amountEur"]);
    for (const [i, [text, expected]] of HOSTILE.entries())
      expect(rows[i + 1], JSON.stringify(text)).toEqual([expected, "ok", "undirected", "1", "1", "-2"]);
  });
});
