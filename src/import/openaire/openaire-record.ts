import { hasControlCharacters, withoutControlCharacters } from "../../util/control-characters.js";

/**
 * One OpenAIRE Graph project record, read from any generation of the dump (see
 * ../shared/data/openaire/SOURCES.md and README "OpenAIRE import"):
 * - `7.x`: lowercase names (`startdate`, `callidentifier`, `funding[].funding_stream`, `granted.fundedamount`);
 * - `8.x`: camelCase singular (`startDate`, `funding[].fundingStream`, `granted.fundedAmount`, `h2020Programme`);
 * - `9.x`: camelCase plural (`fundings`, `subjects`, `h2020Programmes`), ids without the `40|` prefix;
 * - `funder-model`: the project objects of the funder/community dumps (`funder` {shortName, name,
 *   jurisdiction, fundingStream: string}), without dates, amounts or text.
 * Values are taken as published (a mis-encoded title stays as it is); only control characters are
 * removed, as the CORDIS importer does, and each removal is a warning.
 */
export type DumpLayout = "7.x" | "8.x" | "9.x" | "funder-model";

export interface OpenAireFunding {
  /** The funder's short name as OpenAIRE spells it (NIH, ANR, EC, WT, ...). */
  shortName: string;
  name: string;
  /** ISO 3166 alpha-2, "EU", or null where the dump leaves it empty. */
  jurisdiction: string | null;
  /** `FUNDER::LEVEL0[::LEVEL1...]` (or the funder-model's stream text), null when none is given. */
  streamId: string | null;
  streamDescription: string | null;
}

export interface OpenAireProject {
  /** The OpenAIRE id without the `40|` entity prefix (9.x drops it), e.g. `nih_________::4e8b...`. */
  openaireId: string;
  code: string | null;
  acronym: string | null;
  title: string;
  startDate: string | null;
  endDate: string | null;
  callIdentifier: string | null;
  keywords: string | null;
  subjects: string[];
  summary: string | null;
  fundings: OpenAireFunding[];
  /** ISO 4217 code as given; null when the record grants nothing. */
  currency: string | null;
  totalCost: number | null;
  fundedAmount: number | null;
  layout: DumpLayout;
}

export interface RecordProblem {
  field: string;
  reason: string;
}

export type RecordResult =
  | { ok: true; value: OpenAireProject; warnings: RecordProblem[] }
  | { ok: false; problem: RecordProblem };

class Refused extends Error {
  constructor(readonly problem: RecordProblem) {
    super(problem.reason);
  }
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The first of `names` that the record has (not undefined), with the name used. */
function pick(record: Json, names: string[]): { name: string; value: unknown } {
  for (const name of names) if (record[name] !== undefined) return { name, value: record[name] };
  return { name: names[0]!, value: undefined };
}

const shown = (value: string) => JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);

/** A string or null; anything else is refused naming the field. Control characters removed (warned). */
function text(
  record: Json,
  names: string[],
  warnings: RecordProblem[],
  options: { required?: boolean; keepLayout?: boolean; prefix?: string } = {},
): string | null {
  const { name, value } = pick(record, names);
  const field = `${options.prefix ?? ""}${name}`;
  if (value === undefined || value === null) {
    if (options.required) throw new Refused({ field, reason: "is missing" });
    return null;
  }
  if (typeof value !== "string")
    throw new Refused({ field, reason: `must be a string, got ${JSON.stringify(value)}` });
  let result = value;
  if (hasControlCharacters(value, options.keepLayout)) {
    const cleaned = withoutControlCharacters(value, options.keepLayout);
    result = cleaned.text;
    warnings.push({
      field,
      reason: `${cleaned.removed} control character(s) removed: ${shown(value)} is stored as ${shown(result)}`,
    });
  }
  if (result.trim() === "") {
    if (options.required) throw new Refused({ field, reason: "is empty" });
    return null;
  }
  return result;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** YYYY-MM-DD that names a day of the calendar, or null; "2021-02-30" is refused, never rolled over. */
function date(record: Json, names: string[]): string | null {
  const { name, value } = pick(record, names);
  if (value === undefined || value === null || value === "") return null;
  const match = typeof value === "string" ? DATE.exec(value) : null;
  if (!match)
    throw new Refused({ field: name, reason: `${JSON.stringify(value)} is not a date (YYYY-MM-DD)` });
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  if (
    year < 1000 ||
    parsed.getUTCFullYear() !== year ||
    parsed.getUTCMonth() !== month - 1 ||
    parsed.getUTCDate() !== day
  ) {
    throw new Refused({ field: name, reason: `${value} is no day of the calendar` });
  }
  return match[0];
}

/** A finite, non-negative JSON number (or null); a string or NaN-like value is refused. */
function amount(granted: Json, names: string[]): number | null {
  const { name, value } = pick(granted, names);
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
    throw new Refused({
      field: `granted.${name}`,
      reason: `must be a non-negative number, got ${JSON.stringify(value)}`,
    });
  return value;
}

const CURRENCY = /^[A-Z]{3}$/;

function fundingsOf(record: Json, warnings: RecordProblem[]): { fundings: OpenAireFunding[]; field: string } {
  const list = pick(record, ["fundings", "funding"]);
  let items: { item: unknown; prefix: string }[];
  if (list.value !== undefined && list.value !== null) {
    if (!Array.isArray(list.value)) throw new Refused({ field: list.name, reason: "must be a list" });
    items = list.value.map((item, i) => ({ item, prefix: `${list.name}[${i}].` }));
  } else if (record.funder !== undefined && record.funder !== null) {
    items = [{ item: record.funder, prefix: "funder." }];
  } else {
    items = [];
  }
  const fundings = items.map(({ item, prefix }) => {
    if (!isObject(item)) throw new Refused({ field: prefix.slice(0, -1), reason: "must be an object" });
    const shortName = text(item, ["shortName"], warnings, { required: true, prefix })!;
    const name = text(item, ["name"], warnings, { prefix }) ?? shortName;
    const jurisdiction = text(item, ["jurisdiction"], warnings, { prefix });
    const stream = pick(item, ["fundingStream", "funding_stream"]);
    let streamId: string | null = null;
    let streamDescription: string | null = null;
    if (typeof stream.value === "string") {
      // The funder model gives the stream as its description only.
      streamDescription = text(item, [stream.name], warnings, { prefix });
      streamId = streamDescription === null ? null : `${shortName}::${streamDescription}`;
    } else if (isObject(stream.value)) {
      const streamPrefix = `${prefix}${stream.name}.`;
      streamId = text(stream.value, ["id"], warnings, { prefix: streamPrefix });
      streamDescription = text(stream.value, ["description"], warnings, { prefix: streamPrefix });
    } else if (stream.value !== undefined && stream.value !== null) {
      throw new Refused({ field: `${prefix}${stream.name}`, reason: "must be an object or a string" });
    }
    return { shortName, name, jurisdiction, streamId, streamDescription };
  });
  return { fundings, field: items.length ? list.name : "funding" };
}

function layoutOf(record: Json): DumpLayout {
  if ("fundings" in record || "subjects" in record || "h2020Programmes" in record) return "9.x";
  if ("funder" in record && !("funding" in record)) return "funder-model";
  if (
    "startDate" in record ||
    "callIdentifier" in record ||
    "h2020Programme" in record ||
    "websiteUrl" in record
  )
    return "8.x";
  return "7.x";
}

/**
 * Reads one parsed JSON line as a project of any dump generation. Refuses (naming the field) a record
 * without id or title, with an impossible date, an amount that is not a non-negative number, an
 * amount without a valid ISO 4217 currency, or no funder.
 */
export function readProjectRecord(record: unknown): RecordResult {
  if (!isObject(record)) return { ok: false, problem: { field: "(record)", reason: "is not a JSON object" } };
  const warnings: RecordProblem[] = [];
  try {
    const rawId = text(record, ["id"], warnings, { required: true })!;
    const openaireId = rawId.replace(/^40\|/, "");
    const { fundings, field: fundingField } = fundingsOf(record, warnings);
    if (!fundings.length) throw new Refused({ field: fundingField, reason: "names no funder" });
    const subjectList = pick(record, ["subjects", "subject"]);
    const subjects: string[] = [];
    if (Array.isArray(subjectList.value)) {
      for (const [i, subject] of subjectList.value.entries()) {
        // 9.x may give a subject as {scheme, value} (or {subject: {value}}); older dumps as a string.
        const value = isObject(subject)
          ? (subject.value ?? (isObject(subject.subject) ? subject.subject.value : undefined))
          : subject;
        if (typeof value !== "string")
          throw new Refused({ field: `${subjectList.name}[${i}]`, reason: "must be a string or {value}" });
        const cleaned = withoutControlCharacters(value).text;
        if (cleaned) subjects.push(cleaned);
      }
    } else if (subjectList.value !== undefined && subjectList.value !== null) {
      throw new Refused({ field: subjectList.name, reason: "must be a list" });
    }
    const startDate = date(record, ["startDate", "startdate"]);
    const endDate = date(record, ["endDate", "enddate"]);
    // Kept as published (CORDIS does not check the order either), but said.
    if (startDate && endDate && endDate < startDate)
      warnings.push({
        field: pick(record, ["endDate", "enddate"]).name,
        reason: `${endDate} is before the start ${startDate}`,
      });
    let currency: string | null = null;
    let totalCost: number | null = null;
    let fundedAmount: number | null = null;
    if (record.granted !== undefined && record.granted !== null) {
      if (!isObject(record.granted)) throw new Refused({ field: "granted", reason: "must be an object" });
      totalCost = amount(record.granted, ["totalCost", "totalcost"]);
      fundedAmount = amount(record.granted, ["fundedAmount", "fundedamount"]);
      const given = record.granted.currency;
      if (totalCost !== null || fundedAmount !== null) {
        if (typeof given !== "string" || !CURRENCY.test(given))
          throw new Refused({
            field: "granted.currency",
            reason: `${JSON.stringify(given ?? null)} is no ISO 4217 currency code, so the amounts cannot be stated`,
          });
        currency = given;
      }
    }
    return {
      ok: true,
      value: {
        openaireId,
        code: text(record, ["code"], warnings),
        acronym: text(record, ["acronym"], warnings),
        title: text(record, ["title"], warnings, { required: true })!,
        startDate,
        endDate,
        callIdentifier: text(record, ["callIdentifier", "callidentifier"], warnings),
        keywords: text(record, ["keywords"], warnings),
        subjects,
        summary: text(record, ["summary"], warnings, { keepLayout: true }),
        fundings,
        currency,
        totalCost,
        fundedAmount,
        layout: layoutOf(record),
      },
      warnings,
    };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, problem: error.problem };
    throw error;
  }
}

export interface OpenAireOrganisation {
  openaireId: string;
  name: string;
  shortName: string | null;
  /** ISO 3166 alpha-2 as given (country.code), null when none. */
  countryCode: string | null;
}

/** Reads an organisation record (lowercase `legalname` up to 8.x, `legalName` from 9.0). */
export function readOrganisationRecord(
  record: unknown,
):
  | { ok: true; value: OpenAireOrganisation; warnings: RecordProblem[] }
  | { ok: false; problem: RecordProblem } {
  if (!isObject(record)) return { ok: false, problem: { field: "(record)", reason: "is not a JSON object" } };
  const warnings: RecordProblem[] = [];
  try {
    const id = text(record, ["id"], warnings, { required: true })!.replace(/^20\|/, "");
    const name = text(record, ["legalName", "legalname"], warnings, { required: true })!;
    const shortName = text(record, ["legalShortName", "legalshortname"], warnings);
    let countryCode: string | null = null;
    if (isObject(record.country))
      countryCode = text(record.country, ["code"], warnings, { prefix: "country." });
    return { ok: true, value: { openaireId: id, name, shortName, countryCode }, warnings };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, problem: error.problem };
    throw error;
  }
}

/** A participation from a relation record: `hasParticipant` (project -> organisation) or `isParticipant`. */
export interface OpenAireParticipation {
  project: string;
  organisation: string;
}

const nodeId = (value: unknown): string | null =>
  typeof value === "string" ? value : isObject(value) && typeof value.id === "string" ? value.id : null;

/**
 * Reads a relation record of either layout (`source`/`target` as {id, type} with `reltype` up to 8.x;
 * as strings with `relType` from 9.0). Returns null for relations other than participation.
 */
export function readRelationRecord(
  record: unknown,
): { ok: true; value: OpenAireParticipation | null } | { ok: false; problem: RecordProblem } {
  if (!isObject(record)) return { ok: false, problem: { field: "(record)", reason: "is not a JSON object" } };
  const type = pick(record, ["relType", "reltype"]);
  if (!isObject(type.value) || typeof type.value.name !== "string")
    return { ok: false, problem: { field: `${type.name}.name`, reason: "is missing" } };
  const name = type.value.name;
  if (name !== "hasParticipant" && name !== "isParticipant") return { ok: true, value: null };
  const source = nodeId(record.source);
  const target = nodeId(record.target);
  if (!source) return { ok: false, problem: { field: "source", reason: "is missing" } };
  if (!target) return { ok: false, problem: { field: "target", reason: "is missing" } };
  const strip = (id: string) => id.replace(/^\d\d\|/, "");
  const [project, organisation] = name === "hasParticipant" ? [source, target] : [target, source];
  return { ok: true, value: { project: strip(project), organisation: strip(organisation) } };
}
