import { neo4jDate } from "../../util/neo4j-date.js";
import type { NodeRow } from "../graph-writer.js";
import type { OpenAireFunding, OpenAireOrganisation, OpenAireProject } from "./openaire-record.js";

/**
 * How OpenAIRE records become nodes (ids are namespaced, so nothing of CORDIS or the curated seed is
 * ever overwritten by an OpenAIRE record):
 * - Project `openaire:<OpenAIRE id without 40|>`;
 * - Funder `funder:openaire:<shortName>` (the OpenAIRE funder short name);
 * - Programme `programme:openaire:<funding stream id>` for each level of `FUNDER::LEVEL0::LEVEL1`, the
 *   funder level `programme:openaire:<shortName>` holding all of a funder's grants; PART_OF upwards;
 * - Organisation `openaire-org:<OpenAIRE id without 20|>`.
 */
export const OPENAIRE_SOURCE = "source:openaire-graph";
export const OPENAIRE_DOI = "10.5281/zenodo.3516917";

/** The Project id of an OpenAIRE project: `openaire:<OpenAIRE id without 40|>`. */
export const projectId = (project: OpenAireProject) => `openaire:${project.openaireId}`;
/** The Funder id of an OpenAIRE funder short name (e.g. "NIH"): `funder:openaire:<shortName>`. */
export const funderId = (shortName: string) => `funder:openaire:${shortName}`;
/**
 * The Programme id of a funding stream id (`FUNDER::LEVEL0::...`, or a funder short name for the funder
 * level): `programme:openaire:<streamId>`.
 */
export const programmeId = (streamId: string) => `programme:openaire:${streamId}`;
/** The Organisation id of an OpenAIRE organisation id (without 20|): `openaire-org:<openaireId>`. */
export const organisationId = (openaireId: string) => `openaire-org:${openaireId}`;

/** A jurisdiction that names a country (ISO alpha-2); "EU" and empty do not. */
export const countryCode = (jurisdiction: string | null) =>
  jurisdiction && /^[A-Z]{2}$/.test(jurisdiction) && jurisdiction !== "EU" ? jurisdiction : null;

export interface ProgrammeRow extends NodeRow {
  funder: string;
  parent: string | null;
}

/**
 * The programmes of one funding: the funder level, then each level of the stream id under it. A
 * stream whose id does not start with the funder's short name hangs directly under the funder level.
 */
export function programmeRows(funding: OpenAireFunding): ProgrammeRow[] {
  const kind = countryCode(funding.jurisdiction) ? "NATIONAL_PROGRAMME" : "OTHER";
  const root: ProgrammeRow = {
    id: programmeId(funding.shortName),
    funder: funderId(funding.shortName),
    parent: null,
    properties: { name: `${funding.name}: grants in the OpenAIRE Graph`, acronym: funding.shortName, kind },
  };
  if (!funding.streamId) return [root];
  const segments = funding.streamId.split("::");
  const rows = [root];
  let parent = root.id;
  const start = segments[0] === funding.shortName ? 1 : 0;
  for (let i = start; i < segments.length; i++) {
    const id = programmeId(segments.slice(0, i + 1).join("::"));
    if (id === root.id) continue;
    const leaf = i === segments.length - 1;
    rows.push({
      id,
      funder: root.funder,
      parent,
      properties: {
        name: (leaf ? funding.streamDescription : null) ?? segments[i]!,
        acronym: segments[i]!,
        kind,
      },
    });
    parent = id;
  }
  return rows;
}

/** The programme a project is FUNDED_UNDER for one funding: its deepest stream level, else the funder level. */
export function fundedUnder(funding: OpenAireFunding): string {
  const rows = programmeRows(funding);
  return rows[rows.length - 1]!.id;
}

/**
 * The project's properties. Amounts stay in their currency (fundingOriginal, totalCostOriginal,
 * fundingCurrency); `funding` and `totalCost` (EUR in the schema) are set only when the currency is
 * EUR: no exchange rate is applied anywhere. totalCost 0 is kept as published (national funders often
 * give 0 for "not stated").
 */
export function projectRow(project: OpenAireProject): NodeRow {
  const eur = project.currency === "EUR";
  return {
    id: projectId(project),
    properties: {
      title: project.title,
      acronym: project.acronym,
      startDate: project.startDate ? neo4jDate(project.startDate) : null,
      endDate: project.endDate ? neo4jDate(project.endDate) : null,
      startYear: project.startDate ? Number(project.startDate.slice(0, 4)) : null,
      objective: project.summary,
      keywords: project.keywords,
      subjects: project.subjects.length ? project.subjects : null,
      grantReference: project.code,
      callIdentifier: project.callIdentifier,
      openaireId: project.openaireId,
      fundingCurrency: project.currency,
      fundingOriginal: project.fundedAmount,
      totalCostOriginal: project.totalCost,
      funding: eur ? project.fundedAmount : null,
      totalCost: eur ? project.totalCost : null,
    },
  };
}

/**
 * The Funder node of one funding: id from its short name; name, acronym (the short name) and
 * jurisdiction (as OpenAIRE gives it: ISO alpha-2, "EU" or null).
 */
export function funderRow(funding: OpenAireFunding): NodeRow {
  return {
    id: funderId(funding.shortName),
    properties: { name: funding.name, acronym: funding.shortName, jurisdiction: funding.jurisdiction },
  };
}

/** The Organisation node of one OpenAIRE organisation: its legal name and short name (null when none). */
export function organisationRow(organisation: OpenAireOrganisation): NodeRow {
  return {
    id: organisationId(organisation.openaireId),
    properties: { name: organisation.name, shortName: organisation.shortName },
  };
}
