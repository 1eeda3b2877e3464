import { readFileSync } from "node:fs";
import path from "node:path";
import type { RunOpenAireImportOptions } from "../../src/import/openaire/run-openaire-import.js";
import { readCountryReference } from "../../src/import/seed/countries.js";
import { defaultSeedDir } from "../../src/import/seed/load-seed.js";

/** The real OpenAIRE sample records of test/fixtures/openaire (provenance in SOURCES.md there). */
export const OPENAIRE_FIXTURES = path.resolve("test/fixtures/openaire");
/** 12 real records in the lowercase layout of dumps up to schema 7.x. */
export const OPENAIRE_V7 = path.join(OPENAIRE_FIXTURES, "dump-v7-lowercase_projects.jsonl");
/** 17 real records in the funder/community model layout. */
export const OPENAIRE_FUNDER_MODEL = path.join(OPENAIRE_FIXTURES, "alternative-model_projects.jsonl");

const countries = readCountryReference(`${defaultSeedDir()}/reference`);

/** The options of a plain OpenAIRE test import (written, not strict, files named from /), with `extra`. */
export const openAireOptions = (extra: Partial<RunOpenAireImportOptions> = {}): RunOpenAireImportOptions => ({
  countries,
  dryRun: false,
  strict: false,
  displayRoot: "/",
  ...extra,
});

export type Json = Record<string, unknown>;

/** The records of a JSON-lines file, read here with JSON.parse (not the importer's reader). */
export const readJsonLines = (file: string): Json[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Json);

/** The funder short names of a record of any dump layout, read independently of the importer. */
export const fundingShortNames = (record: Json): string[] => {
  const list = (record.fundings ?? record.funding ?? (record.funder ? [record.funder] : [])) as Json[];
  return list.map((f) => f.shortName as string);
};

/** The graph id of a project record (`openaire:` and its id without the `40|` prefix of older dumps). */
export const openAireGraphId = (record: Json) => `openaire:${String(record.id).replace(/^40\|/, "")}`;
