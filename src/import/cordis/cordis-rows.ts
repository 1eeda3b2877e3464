import { type FrameworkProgrammeCode, OrganisationKind, ProgrammeKind } from "../../generated/graphql.js";
import { isCalendarDate } from "../../util/calendar-date.js";
import { hasControlCharacters, withoutControlCharacters } from "../../util/control-characters.js";
import { neo4jDate } from "../../util/neo4j-date.js";
import type { NodeRow, RelationshipRow } from "../graph-writer.js";

/**
 * Pure transforms from CORDIS CSV rows to graph rows. Each returns either the rows or the first
 * problem of the input row, as { column, reason }; nothing here touches the database.
 */

export type CsvRecord = Record<string, string>;
export type RowResult<T> = { ok: true; value: T } | { ok: false; column: string; reason: string };

const ok = <T>(value: T): RowResult<T> => ({ ok: true, value });
const fail = (column: string, reason: string): RowResult<never> => ({ ok: false, column, reason });

/**
 * CORDIS mixes decimal commas (totalCost, ecMaxContribution) and points (ecContribution): accept both.
 * A number too long to be finite (a run of 400 digits is Infinity to JavaScript) is no amount either.
 */
export function parseAmount(value: string | undefined): number | null | undefined {
  const text = (value ?? "").trim();
  if (text === "") return null;
  if (!/^-?\d+([.,]\d+)?$/.test(text)) return undefined;
  const amount = Number(text.replace(",", "."));
  return Number.isFinite(amount) ? amount : undefined;
}

function parseDate(value: string | undefined): string | null | undefined {
  const text = (value ?? "").trim();
  if (text === "") return null;
  return isCalendarDate(text) ? text : undefined;
}

/**
 * A CORDIS timestamp (contentUpdateDate): `YYYY-MM-DD`, or `YYYY-MM-DD HH:MM:SS` as the exports write
 * it. Returns its calendar date; undefined when the date or the time is impossible (24:00:00, 12:61:00).
 */
export function parseTimestampDate(value: string | undefined): string | null | undefined {
  const text = (value ?? "").trim();
  if (text === "") return null;
  const match = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!match || !isCalendarDate(match[1]!)) return undefined;
  const [hours, minutes, seconds] = [match[2], match[3], match[4]].map((part) => Number(part ?? 0));
  if (hours! > 23 || minutes! > 59 || seconds! > 59) return undefined;
  return match[1]!;
}

/** A cleaning that a row went through: reported as a warning at the row's line. */
export interface RowWarning {
  column: string;
  reason: string;
}

/** A value shown in a warning: at most 80 characters, control characters visible as escapes. */
const shown = (value: string) => JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);

/**
 * Cleans the given columns of a record in place and says which were cleaned. Names and short texts lose
 * every control character; the `layout` columns (long texts) keep their tabs and line breaks.
 */
function cleanColumns(record: CsvRecord, columns: string[], layout: string[] = []): RowWarning[] {
  const warnings: RowWarning[] = [];
  for (const column of [...columns, ...layout]) {
    const value = record[column];
    const keepLayout = layout.includes(column);
    if (value === undefined || !hasControlCharacters(value, keepLayout)) continue;
    const { text, removed } = withoutControlCharacters(value, keepLayout);
    record[column] = text;
    warnings.push({
      column,
      reason: `${removed} control character(s) removed: ${shown(value)} is stored as ${shown(text)}`,
    });
  }
  return warnings;
}

/** The framework programmes CORDIS exports, by its frameworkProgramme code (the schema's FrameworkProgrammeCode). */
const FRAMEWORKS: Record<
  FrameworkProgrammeCode,
  { id: string; name: string; acronym: string; startYear: number; endYear: number }
> = {
  FP7: {
    id: "programme:fp7",
    name: "Seventh Framework Programme",
    acronym: "FP7",
    startYear: 2007,
    endYear: 2013,
  },
  H2020: { id: "programme:h2020", name: "Horizon 2020", acronym: "H2020", startYear: 2014, endYear: 2020 },
  HORIZON: {
    id: "programme:horizon",
    name: "Horizon Europe",
    acronym: "HORIZON",
    startYear: 2021,
    endYear: 2027,
  },
};

export const EUROPEAN_COMMISSION = "funder:european-commission";

export interface ProjectRows {
  projectId: string;
  project: NodeRow;
  isCoordinationAction: boolean;
  framework: NodeRow;
  call: NodeRow | undefined;
  topicCodes: string[];
  contentUpdateDate: string | null;
  searchText: string;
  /** Text values cleaned of control characters. */
  warnings: RowWarning[];
}

/** The text columns of project.csv that are stored: cleaned of control characters. */
const PROJECT_TEXT_COLUMNS = ["acronym", "title", "status", "fundingScheme", "grantDoi"];
/** Long texts: their paragraphs (tabs, line breaks) are kept. */
const PROJECT_LONG_TEXT_COLUMNS = ["objective", "keywords"];

/** The Programme rows of a project: its framework programme and, when CORDIS names one, its call. */
function programmeRows(
  framework: (typeof FRAMEWORKS)[FrameworkProgrammeCode],
  masterCall: string,
): Pick<ProjectRows, "framework" | "call"> {
  return {
    framework: {
      id: framework.id,
      properties: {
        name: framework.name,
        acronym: framework.acronym,
        kind: ProgrammeKind.FrameworkProgramme,
        startYear: framework.startYear,
        endYear: framework.endYear,
      },
    },
    call: masterCall
      ? {
          id: `programme:${masterCall}`,
          properties: { name: masterCall, acronym: masterCall, kind: ProgrammeKind.EuCall },
        }
      : undefined,
  };
}

/**
 * One row of CORDIS project.csv as the rows the importer writes: the project (a CoordinationAction too
 * for a CSA), its framework programme and call (ProgrammeKind FRAMEWORK_PROGRAMME and EU_CALL), its
 * topic codes. Amounts in EUR; dates as Neo4j dates; text cleaned of control characters (each cleaning
 * a warning). A bad value gives `{ok: false, column, reason}` instead; never throws.
 */
export function projectRows(input: CsvRecord): RowResult<ProjectRows> {
  const record = { ...input };
  const warnings = cleanColumns(record, PROJECT_TEXT_COLUMNS, PROJECT_LONG_TEXT_COLUMNS);
  const id = (record.id ?? "").trim();
  if (!/^\d+$/.test(id)) return fail("id", `must be a number, got "${record.id ?? ""}"`);
  const title = (record.title ?? "").trim();
  if (!title) return fail("title", "is empty");
  const startDate = parseDate(record.startDate);
  if (startDate === undefined)
    return fail("startDate", `must be a calendar date YYYY-MM-DD, got "${record.startDate}"`);
  const endDate = parseDate(record.endDate);
  if (endDate === undefined)
    return fail("endDate", `must be a calendar date YYYY-MM-DD, got "${record.endDate}"`);
  const totalCost = parseAmount(record.totalCost);
  if (totalCost === undefined) return fail("totalCost", `must be an amount, got "${record.totalCost}"`);
  const funding = parseAmount(record.ecMaxContribution);
  if (funding === undefined)
    return fail("ecMaxContribution", `must be an amount, got "${record.ecMaxContribution}"`);
  const frameworkCode = (record.frameworkProgramme ?? "").trim();
  const framework = Object.hasOwn(FRAMEWORKS, frameworkCode)
    ? FRAMEWORKS[frameworkCode as FrameworkProgrammeCode]
    : undefined;
  if (!framework)
    return fail(
      "frameworkProgramme",
      `must be one of ${Object.keys(FRAMEWORKS).join(", ")}, got "${frameworkCode}"`,
    );
  // Not stored on the project, but a date column all the same: an impossible one is refused, not dropped.
  if (parseDate(record.ecSignatureDate) === undefined)
    return fail("ecSignatureDate", `must be a calendar date YYYY-MM-DD, got "${record.ecSignatureDate}"`);
  const contentUpdateDate = parseTimestampDate(record.contentUpdateDate);
  if (contentUpdateDate === undefined)
    return fail(
      "contentUpdateDate",
      `must be a calendar date YYYY-MM-DD, optionally with a time HH:MM:SS, got "${record.contentUpdateDate}"`,
    );

  const fundingScheme = (record.fundingScheme ?? "").trim();
  const isCoordinationAction = /(^|-)CSA(-|$)/.test(fundingScheme);
  const masterCall = (record.masterCall ?? "").trim();
  const projectId = `cordis:${id}`;
  const projectProperties: NodeRow["properties"] = {
    acronym: record.acronym?.trim() || null,
    title,
    status: record.status?.trim() || null,
    startDate: startDate ? neo4jDate(startDate) : null,
    endDate: endDate ? neo4jDate(endDate) : null,
    startYear: startDate ? Number(startDate.slice(0, 4)) : null,
    totalCost,
    funding,
    fundingScheme: fundingScheme || null,
    objective: record.objective?.trim() || null,
    keywords: record.keywords?.trim() || null,
    grantDoi: record.grantDoi?.trim() || null,
  };
  if (isCoordinationAction) {
    Object.assign(projectProperties, {
      grantId: id,
      frameworkProgramme: frameworkCode,
      euContribution: funding,
    });
  }
  return ok({
    projectId,
    project: { id: projectId, properties: projectProperties },
    isCoordinationAction,
    ...programmeRows(framework, masterCall),
    topicCodes: (record.topics ?? "")
      .split(/[;,]/)
      .map((code) => code.trim())
      .filter(Boolean),
    contentUpdateDate,
    searchText: [record.title, record.objective, record.keywords].join("\n"),
    warnings,
  });
}

/** CORDIS activityType -> the schema's OrganisationKind. */
export const ACTIVITY_KINDS: Readonly<Record<string, OrganisationKind>> = {
  HES: OrganisationKind.University,
  REC: OrganisationKind.ResearchInstitute,
  PRC: OrganisationKind.Company,
  PUB: OrganisationKind.PublicBody,
  OTH: OrganisationKind.Other,
};

const ROLES: Record<string, string> = {
  coordinator: "COORDINATOR",
  participant: "PARTNER",
  partner: "PARTNER",
  thirdParty: "THIRD_PARTY",
  associatedPartner: "ASSOCIATED_PARTNER",
  internationalPartner: "INTERNATIONAL_PARTNER",
};

export interface ParticipationRows {
  organisation: NodeRow;
  /** The ISO country id, or undefined where CORDIS gives no (or an unknown) country. */
  countryId: string | undefined;
  participation: RelationshipRow;
  /** Text values cleaned of control characters. */
  warnings: RowWarning[];
}

/** The text columns of organization.csv that are stored: cleaned of control characters. */
const ORGANISATION_TEXT_COLUMNS = ["name", "shortName", "city", "organizationURL"];

/**
 * One row of CORDIS organization.csv as the organisation (kind from activityType, ACTIVITY_KINDS), its
 * country (through `cordisToIso`: CORDIS code -> ISO alpha-2; none when unknown) and the
 * PARTICIPATES_IN relationship keyed by role and order (amounts in EUR). A bad value gives
 * `{ok: false, column, reason}` instead; never throws.
 */
export function participationRows(
  input: CsvRecord,
  cordisToIso: Map<string, string>,
): RowResult<ParticipationRows> {
  const record = { ...input };
  const warnings = cleanColumns(record, ORGANISATION_TEXT_COLUMNS);
  const projectId = (record.projectID ?? "").trim();
  if (!/^\d+$/.test(projectId)) return fail("projectID", `must be a number, got "${record.projectID ?? ""}"`);
  const organisationId = (record.organisationID ?? "").trim();
  if (!/^\d+$/.test(organisationId))
    return fail("organisationID", `must be a number, got "${record.organisationID ?? ""}"`);
  const name = (record.name ?? "").trim();
  if (!name) return fail("name", "is empty");
  const role = ROLES[(record.role ?? "").trim()];
  if (!role)
    return fail("role", `must be one of ${Object.keys(ROLES).join(", ")}, got "${record.role ?? ""}"`);
  const amounts: Record<string, number | null> = {};
  for (const [column, property] of [
    ["ecContribution", "contribution"],
    ["netEcContribution", "netContribution"],
    ["totalCost", "totalCost"],
  ] as const) {
    const value = parseAmount(record[column]);
    if (value === undefined) return fail(column, `must be an amount, got "${record[column]}"`);
    amounts[property] = value;
  }
  const order = (record.order ?? "").trim();
  if (order && !/^\d+$/.test(order)) return fail("order", `must be a whole number, got "${order}"`);
  // What the importer accepts, the API must be able to return: GraphQL's Int is 32-bit.
  if (order && Number(order) > 2_147_483_647)
    return fail("order", `must be at most 2147483647 (a GraphQL Int), got "${order}"`);
  if (parseTimestampDate(record.contentUpdateDate) === undefined)
    return fail(
      "contentUpdateDate",
      `must be a calendar date YYYY-MM-DD, optionally with a time HH:MM:SS, got "${record.contentUpdateDate}"`,
    );
  const countryCode = (record.country ?? "").trim();
  const iso = cordisToIso.get(countryCode);
  return ok({
    organisation: {
      id: `org:${organisationId}`,
      properties: {
        name,
        shortName: record.shortName?.trim() || null,
        kind: ACTIVITY_KINDS[(record.activityType ?? "").trim()] ?? null,
        city: record.city?.trim() || null,
        website: record.organizationURL?.trim() || null,
        cordisId: organisationId,
        sme: record.SME === "true" ? true : record.SME === "false" ? false : null,
      },
    },
    countryId: iso ? `country:${iso}` : undefined,
    participation: {
      from: `org:${organisationId}`,
      to: `cordis:${projectId}`,
      key: { role, order: order ? Number(order) : 0 },
      properties: amounts,
    },
    warnings,
  });
}
