import { describe, expect, it } from "vitest";
import { parseAmount, parseTimestampDate } from "../src/import/cordis/cordis-rows.js";
import { recognitionRecord } from "../src/import/seed/seed-records.js";
import { hasControlCharacters, withoutControlCharacters, xmlSafe } from "../src/util/control-characters.js";

/** Pure checks of the strict values of issue 16 (no database); the importers' use is in import-mirror.test.ts. */
describe("issue 16.2 and 16.6: timestamps are real dates and times", () => {
  it.each([
    "2023-02-30 10:00:00",
    "2023-04-31",
    "2023-02-29",
    "2022-06-17 24:00:00",
    "2022-06-17 12:60:00",
    "17/06/2022",
  ])("refuses %j", (value) => expect(parseTimestampDate(value)).toBeUndefined());
  it.each([
    ["2024-02-29 23:59:59", "2024-02-29"],
    ["2022-06-17", "2022-06-17"],
    ["", null],
  ])("takes %j as %j", (value, date) => expect(parseTimestampDate(value)).toBe(date));
});

describe("issue 16.3: numbers the API can serve", () => {
  it("refuses an amount too long to be finite", () => {
    expect(parseAmount("9".repeat(400))).toBeUndefined();
    expect(parseAmount("1499514,50")).toBe(1499514.5);
  });
  it("refuses a seed Int beyond 32 bits (listedOrder, rank), as the CORDIS order is refused", () => {
    const base = { id: "recognition:x", name: "X", year: 2020, sources: ["source:x"] };
    expect(recognitionRecord.safeParse({ ...base, listedOrder: 3_000_000_000 }).success).toBe(false);
    expect(recognitionRecord.safeParse({ ...base, rank: 2_147_483_648 }).success).toBe(false);
    expect(recognitionRecord.safeParse({ ...base, listedOrder: 2_147_483_647 }).success).toBe(true);
  });
});

describe("issue 16.4: control characters", () => {
  it("are removed from a name: an ANSI sequence whole, a backspace as a space", () => {
    expect(withoutControlCharacters("\u001b[1;31mCharit\bé\u001b[0m Berlin")).toEqual({
      text: "Charit é Berlin",
      removed: 1 + "\u001b[1;31m".length + "\u001b[0m".length,
    });
  });
  it("keep a long text's line breaks and tabs when asked, and only then", () => {
    expect(hasControlCharacters("line one\nline two\tend", true)).toBe(false);
    expect(hasControlCharacters("line one\nline two", false)).toBe(true);
    expect(withoutControlCharacters("a\nb\u0007c", true).text).toBe("a\nb c");
  });
  it("cannot reach XML: what XML 1.0 forbids becomes U+FFFD, the rest (tab, line feed, accents, emoji) stays", () => {
    expect(xmlSafe("a\u0000b\u0008c\u000bd\ufffee")).toBe("a\ufffdb\ufffdc\ufffdd\ufffde");
    expect(xmlSafe("tab\tnl\nMünchen 🧬")).toBe("tab\tnl\nMünchen 🧬");
    expect(xmlSafe("lone \ud800 surrogate")).toBe("lone \ufffd surrogate");
  });
});
