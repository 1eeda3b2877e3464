import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readCountryReference } from "../src/import/seed/countries.js";
import { defaultSeedDir } from "../src/import/seed/load-seed.js";
import { readSeed } from "../src/import/seed/read-seed.js";
import { InputValidationError } from "../src/util/input-problems.js";

/**
 * Every way a curated seed file can be wrong, each reported as file:line: field: reason before anything
 * is written (readSeed is pure: no database here). The bad-field case runs against Neo4j in
 * knowledge-graph.test.ts.
 */
describe("seed files that are wrong", () => {
  let dir: string;
  const countries = readCountryReference(path.join(defaultSeedDir(), "reference"));
  // The CORDIS projects the curated records may point at (readSeed gets them from the importer's dry run).
  const externalIds = new Map(
    [...readFileSync(path.join(defaultSeedDir(), "icpermed.yaml"), "utf8").matchAll(/cordis:\d+/g)].map(
      ([id]) => [id, ["Project"]] as [string, string[]],
    ),
  );
  const read = () => readSeed({ seedDir: dir, countries, externalIds, displayRoot: dir });
  const problems = () => {
    try {
      read();
    } catch (error) {
      expect(error).toBeInstanceOf(InputValidationError);
      return (error as InputValidationError).problems;
    }
    throw new Error("readSeed accepted a broken seed");
  };
  /** Replaces the first line matching `find` after the line matching `after`; returns its 1-based number. */
  const edit = (file: string, after: RegExp, find: RegExp, replacement: string): number => {
    const full = path.join(dir, file);
    const lines = readFileSync(full, "utf8").split("\n");
    const start = lines.findIndex((line) => after.test(line));
    const index = lines.findIndex((line, i) => i >= start && find.test(line));
    expect(start, `${after} in ${file}`).toBeGreaterThanOrEqual(0);
    expect(index, `${find} in ${file}`).toBeGreaterThanOrEqual(0);
    lines[index] = lines[index]!.replace(find, replacement);
    writeFileSync(full, lines.join("\n"));
    return index + 1;
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "atlas-seed-errors-"));
    // Every curated file: records of one file cite sources and ids defined in another.
    for (const name of readdirSync(defaultSeedDir()).filter((file) => file.endsWith(".yaml")))
      cpSync(path.join(defaultSeedDir(), name), path.join(dir, name));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("the unchanged copy is read without a problem (the baseline the cases below break)", () => {
    expect(read().nodes.length).toBeGreaterThan(0);
  });

  it("YAML that does not parse: its line, field (yaml)", () => {
    const line = edit("icpermed.yaml", /^consortia:/, /^ {4}name: (.*)$/, '    name: "unclosed');
    const [problem] = problems();
    expect(problem).toMatchObject({ file: "icpermed.yaml", field: "(yaml)" });
    expect(problem!.line).toBeGreaterThanOrEqual(line);
  });

  it("a file that is not a mapping of collections", () => {
    writeFileSync(path.join(dir, "extra.yaml"), "- just\n- a list\n");
    expect(problems()).toEqual([
      expect.objectContaining({
        file: "extra.yaml",
        line: 1,
        field: "(file)",
        reason: expect.stringMatching(/mapping/),
      }),
    ]);
  });

  it("an unknown collection, named with its line", () => {
    writeFileSync(path.join(dir, "extra.yaml"), "sources: []\nwidgets:\n  - id: widget:1\n");
    expect(problems()).toEqual([
      expect.objectContaining({
        file: "extra.yaml",
        line: 2,
        field: "widgets",
        reason: expect.stringMatching(/unknown collection/),
      }),
    ]);
  });

  it("a collection that is not a list", () => {
    writeFileSync(path.join(dir, "extra.yaml"), "topics:\n  id: topic:x\n");
    expect(problems()).toEqual([
      expect.objectContaining({
        file: "extra.yaml",
        line: 1,
        field: "topics",
        reason: "must be a list of records",
      }),
    ]);
  });

  it("a duplicate id, pointing at the first definition", () => {
    const line = edit(
      "icpermed.yaml",
      /^consortia:/,
      /id: consortium:era-permed$/,
      "id: consortium:icpermed",
    );
    const [problem] = problems();
    expect(problem).toMatchObject({
      file: "icpermed.yaml",
      line,
      field: expect.stringMatching(/^consortia\[\d+\]\.id$/),
    });
    expect(problem!.reason).toMatch(
      /^duplicate id consortium:icpermed \(first defined at icpermed\.yaml:\d+\)$/,
    );
  });

  it("a reference to an id that nothing defines", () => {
    const line = edit(
      "icpermed.yaml",
      /^governanceBodies:/,
      /consortium: consortium:icpermed$/,
      "consortium: consortium:nowhere",
    );
    expect(problems()).toEqual([
      expect.objectContaining({ file: "icpermed.yaml", line, reason: "unknown id consortium:nowhere" }),
    ]);
  });

  it("a reference to an entity of the wrong kind", () => {
    const line = edit(
      "icpermed.yaml",
      /^recognitions:/,
      /awardedTo: \[org:navarrabiomed\]$/,
      "awardedTo: [country:DE]",
    );
    const [problem] = problems();
    expect(problem).toMatchObject({ file: "icpermed.yaml", line });
    expect(problem!.reason).toMatch(/^country:DE is a Country, but AWARDED_TO needs a /);
  });

  it("a field the record type does not have", () => {
    const line = edit("icpermed.yaml", /^consortia:/, /^ {4}founded: 2016$/, "    foundedd: 2016");
    const found = problems();
    expect(found).toContainEqual(
      expect.objectContaining({ file: "icpermed.yaml", line, field: expect.stringMatching(/foundedd$/) }),
    );
  });

  it.each(["2025-02-29", "2025-04-31", "2025-13-01"])(
    "an impossible calendar date (%s) with its line",
    (date) => {
      const line = edit("sources.yaml", /^sources:/, /^ {4}date: 2025-11-29$/, `    date: ${date}`);
      // First the date; the records that cite the refused source follow as unknown ids.
      expect(problems()[0]).toEqual({
        file: "sources.yaml",
        line,
        field: "sources[0].date",
        reason: "must be a calendar date YYYY-MM-DD",
      });
    },
  );
});
