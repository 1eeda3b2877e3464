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
