import { readFileSync } from "node:fs";
import path from "node:path";
import Papa from "papaparse";
import { parse } from "yaml";
import {
  type Body,
  bodiesFromCordisRows,
  bodyFromCurated,
  type CordisOrganisationRow,
  type CuratedBody,
} from "../../src/identity/body.js";

/**
 * The bodies of the seed, read from the raw files (papaparse and yaml, not the importers): the CORDIS
 * organisations of seed/cordis/{horizon,h2020}/organization.csv (one body per organisationID) and the
 * funders and organisations of seed/icpermed.yaml and seed/icpermed-sources-2.yaml.
 */
export const ROOT = path.join(import.meta.dirname, "..", "..");
export const CORDIS_FILES = ["seed/cordis/horizon/organization.csv", "seed/cordis/h2020/organization.csv"];
export const CURATED_FILES = ["seed/icpermed.yaml", "seed/icpermed-sources-2.yaml"];
/** The ROR subset committed with the repository (seed/reference/ror/PROVENANCE.md). */
export const ROR_SUBSET = path.join(ROOT, "seed/reference/ror/ror-subset.jsonl.gz");
/** The full extract, present when the clone sits beside ../shared. */
export const ROR_SHARED = path.join(ROOT, "..", "shared/data/ror/ror-records.jsonl.gz");

export function readCordisRows(file: string): CordisOrganisationRow[] {
  const text = readFileSync(path.join(ROOT, file), "utf8").replace(/^\uFEFF/, "");
  const parsed = Papa.parse<CordisOrganisationRow>(text, {
    delimiter: ";",
    header: true,
    skipEmptyLines: true,
  });
  if (parsed.errors.length)
    throw new Error(`${file}: ${parsed.errors[0]!.message} (row ${parsed.errors[0]!.row})`);
  return parsed.data;
}

export function readCuratedBodies(file: string): CuratedBody[] {
  const document = parse(readFileSync(path.join(ROOT, file), "utf8")) as Record<
    string,
    CuratedBody[] | undefined
  >;
  return [...(document.funders ?? []), ...(document.organisations ?? [])];
}

/** Every body of the seed, CORDIS first, each id once (a curated id repeated across files keeps its first entry). */
export function seedBodies(): Body[] {
  const bodies = new Map<string, Body>();
  for (const body of bodiesFromCordisRows(CORDIS_FILES.flatMap(readCordisRows)))
    if (!bodies.has(body.id)) bodies.set(body.id, body);
  for (const file of CURATED_FILES)
    for (const entry of readCuratedBodies(file))
      if (!bodies.has(entry.id)) bodies.set(entry.id, bodyFromCurated(entry));
  return [...bodies.values()];
}
