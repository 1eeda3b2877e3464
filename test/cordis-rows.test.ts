import path from "node:path";
import { describe, expect, it } from "vitest";
import { CORDIS_LAYOUT } from "../src/import/cordis/cordis-layout.js";
import { type CsvRecord, participationRows, projectRows } from "../src/import/cordis/cordis-rows.js";
import { defaultSeedDir } from "../src/import/seed/load-seed.js";
import { readCordisCsv } from "./helpers/cordis-files.js";

/**
 * Every column check of the CORDIS mapping, one bad value at a time on an otherwise good row (the
 * first rows of seed/cordis/horizon, as CORDIS writes them). Pure functions: no database.
 */
const goodProject: CsvRecord = {
  id: "101039438",
  acronym: "NEXUS",
  status: "SIGNED",
  title: "Network Synergies in Tissue Homeostasis and Stromal Prevention of Inflammatory Disease.",
  startDate: "2022-07-01",
  endDate: "2027-06-30",
  totalCost: "1499514",
  ecMaxContribution: "1499514",
  topics: "ERC-2021-STG",
  frameworkProgramme: "HORIZON",
  masterCall: "ERC-2021-STG",
  fundingScheme: "HORIZON-ERC",
  objective: "Inflammation has evolved to protect us from the outside world.",
  contentUpdateDate: "2022-08-16 19:22:13",
  keywords: "",
};

const goodParticipation: CsvRecord = {
  projectID: "101039438",
  organisationID: "999866495",
  name: "UNIVERSITATSKLINIKUM ERLANGEN",
  shortName: "Universitätsklinikum Erlangen",
  SME: "false",
  activityType: "HES",
  city: "ERLANGEN",
  country: "DE",
  order: "1",
  role: "coordinator",
  ecContribution: "1499514",
  netEcContribution: "1499514",
  totalCost: "1499514",
};
const iso = new Map([["DE", "DE"]]);

describe("CORDIS project rows", () => {
  it("the good row maps (the baseline every case below breaks)", () => {
    const result = projectRows(goodProject);
    expect(result.ok).toBe(true);
  });

  it.each([
    ["id", "12a"],
    ["id", ""],
    ["title", "   "],
    ["startDate", "2023-13-45"],
    ["startDate", "01/07/2022"],
    ["endDate", "2027-6-30"],
    ["totalCost", "1.499.514"],
    ["totalCost", "about 1 M"],
    ["ecMaxContribution", "12e5"],
    ["frameworkProgramme", "FP6"],
  ])("refuses %s = %j, naming the column", (column, value) => {
    const result = projectRows({ ...goodProject, [column]: value });
    expect(result).toMatchObject({ ok: false, column });
    if (!result.ok) expect(result.reason).toContain(value.trim() ? value : "");
  });

  // Issue 16 fault: Date.parse moved 2023-02-30 to 2023-03-02 instead of refusing it.
  it.each([
    ["startDate", "2023-02-30"],
    ["endDate", "2023-04-31"],
    ["startDate", "2023-02-29"],
  ])("refuses the impossible calendar date %s = %s", (column, value) => {
    expect(projectRows({ ...goodProject, [column]: value })).toMatchObject({ ok: false, column });
  });

  it.each([
    ["startDate", "2024-02-29"],
    ["endDate", "2000-02-29"],
  ])("takes the leap day %s = %s", (column, value) => {
    expect(projectRows({ ...goodProject, [column]: value }).ok).toBe(true);
  });

  it("takes a decimal comma and a decimal point alike", () => {
    const comma = projectRows({ ...goodProject, totalCost: "1499514,5" });
    const point = projectRows({ ...goodProject, totalCost: "1499514.5" });
    expect(comma.ok && comma.value.project.properties.totalCost).toBe(1499514.5);
    expect(point.ok && point.value.project.properties.totalCost).toBe(1499514.5);
  });
});

describe("CORDIS participation rows", () => {
  it("the good row maps (the baseline every case below breaks)", () => {
    expect(participationRows(goodParticipation, iso).ok).toBe(true);
  });

  it.each([
    ["projectID", "x1"],
    ["organisationID", ""],
    ["name", " "],
    ["role", "leader"],
    ["ecContribution", "n/a"],
    ["netEcContribution", "1,2,3"],
    ["totalCost", "--1"],
    ["order", "1.5"],
    ["order", "-1"],
  ])("refuses %s = %j, naming the column", (column, value) => {
    expect(participationRows({ ...goodParticipation, [column]: value }, iso)).toMatchObject({
      ok: false,
      column,
    });
  });

  // Issue 16 fault: an order the API cannot return as a 32-bit Int was accepted.
  it("refuses an order beyond a 32-bit integer", () => {
    expect(participationRows({ ...goodParticipation, order: "3000000000" }, iso)).toMatchObject({
      ok: false,
      column: "order",
    });
  });

  it("takes the largest order the API can serve", () => {
    expect(participationRows({ ...goodParticipation, order: "2147483647" }, iso).ok).toBe(true);
  });

  it("keeps a participant in an unknown country, without a country", () => {
    const result = participationRows({ ...goodParticipation, country: "XX" }, iso);
    expect(result.ok && result.value.countryId).toBeUndefined();
  });
});

/**
 * The layout that headers are checked against (cordis-layout.ts) names every column the mapping reads:
 * a row of the seed with all its columns maps exactly as the same row cut to the layout's `read` columns
 * (a column read but not listed would go missing from a header without a word).
 */
describe("the CORDIS layout and the row mapping agree", () => {
  const seed = path.join(defaultSeedDir(), "cordis", "horizon");
  const only = (record: CsvRecord, columns: readonly string[]) =>
    Object.fromEntries(columns.map((column) => [column, record[column] ?? ""]));

  it("project.csv", () => {
    const { read, other } = CORDIS_LAYOUT["project.csv"];
    for (const record of readCordisCsv(path.join(seed, "project.csv")).slice(0, 50)) {
      expect(Object.keys(record).sort()).toEqual([...read, ...other].sort());
      expect(projectRows(only(record, read))).toEqual(projectRows(record));
    }
  });

  it("organization.csv", () => {
    const { read, other } = CORDIS_LAYOUT["organization.csv"];
    for (const record of readCordisCsv(path.join(seed, "organization.csv")).slice(0, 50)) {
      expect(Object.keys(record).sort()).toEqual([...read, ...other].sort());
      expect(participationRows(only(record, read), iso)).toEqual(participationRows(record, iso));
    }
  });
});
