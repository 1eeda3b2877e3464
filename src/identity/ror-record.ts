import { isoCountry } from "./country.js";
import { websiteParts } from "./website.js";

/**
 * ROR records in the shape the matcher reads. Two inputs are accepted, both CC0 (ROR data licence):
 * - the compact extract of /work/shared/data/ror (and its subset seed/reference/ror/ror-subset.jsonl.gz):
 *   one JSON object per line, ROR schema-v2 spelling, with `country: {code, name}` (see its PROVENANCE.md);
 * - a record of the official ROR schema-v2 data dump (Zenodo, doi:10.5281/zenodo.6347574), a JSON array,
 *   where the country is `locations[0].geonames_details.country_code`.
 */
export interface RorName {
  value: string;
  /** ror_display, label, alias, acronym. */
  types: string[];
  lang: string | null;
}

export interface RorRelationship {
  /** parent, child, related, successor, predecessor. */
  type: string;
  rorId: string;
  label: string;
}

export interface RorRecord {
  /** The full ROR id, "https://ror.org/00ca2c886". */
  rorId: string;
  names: RorName[];
  /** ISO 3166-1 alpha-2, or null when the record has no location. */
  country: string | null;
  /** active, inactive, withdrawn. */
  status: string;
  /** education, funder, healthcare, company, archive, nonprofit, government, facility, other. */
  types: string[];
  /** Hosts of the `website` links, as websiteDomain gives them. */
  websiteDomains: string[];
  /** The same links with whether each points at its site's root (a deep link is often a sub-unit's page). */
  websites: { domain: string; rootLike: boolean }[];
  externalIds: { fundref: string[]; wikidata: string[]; grid: string[]; isni: string[] };
  relationships: RorRelationship[];
}

const EXTERNAL_ID_TYPES = ["fundref", "wikidata", "grid", "isni"] as const;

const asObject = (value: unknown): Record<string, unknown> | null =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asString = (value: unknown): string | null => (typeof value === "string" ? value : null);

/**
 * One record from its JSON (either input above). Throws an Error naming the field when the value is not
 * a record (no `id` or no `names` list): a file of the wrong kind should stop a run, not match nothing.
 */
export function rorRecordFromJson(value: unknown): RorRecord {
  const json = asObject(value);
  const rorId = asString(json?.id);
  if (!json || !rorId || !Array.isArray(json.names))
    throw new Error(
      `not a ROR schema-v2 record (needs "id" and a "names" list): ${JSON.stringify(value)?.slice(0, 120)}`,
    );
  const names = asArray(json.names).flatMap((entry) => {
    const name = asObject(entry);
    const text = asString(name?.value);
    if (!name || !text) return [];
    return [
      {
        value: text,
        types: asArray(name.types).filter((type): type is string => typeof type === "string"),
        lang: asString(name.lang),
      },
    ];
  });
  const firstLocation = asObject(asObject(asArray(json.locations)[0])?.geonames_details);
  const country = isoCountry(asString(asObject(json.country)?.code) ?? asString(firstLocation?.country_code));
  const websites = asArray(json.links).flatMap((entry) => {
    const link = asObject(entry);
    if (link?.type !== "website") return [];
    const parts = websiteParts(asString(link.value));
    return parts ? [parts] : [];
  });
  const externalIds = {
    fundref: [] as string[],
    wikidata: [] as string[],
    grid: [] as string[],
    isni: [] as string[],
  };
  for (const entry of asArray(json.external_ids)) {
    const id = asObject(entry);
    const type = asString(id?.type)?.toLowerCase();
    if (!id || !type || !(EXTERNAL_ID_TYPES as readonly string[]).includes(type)) continue;
    const all = Array.isArray(id.all) ? id.all : [id.all];
    externalIds[type as (typeof EXTERNAL_ID_TYPES)[number]].push(
      ...new Set(all.filter((one): one is string => typeof one === "string")),
    );
  }
  return {
    rorId,
    names,
    country,
    status: asString(json.status) ?? "active",
    types: asArray(json.types).filter((type): type is string => typeof type === "string"),
    websiteDomains: [...new Set(websites.map((website) => website.domain))],
    websites,
    externalIds,
    relationships: asArray(json.relationships).flatMap((entry) => {
      const relation = asObject(entry);
      const type = asString(relation?.type);
      const id = asString(relation?.id);
      return relation && type && id
        ? [{ type: type.toLowerCase(), rorId: id, label: asString(relation.label) ?? "" }]
        : [];
    }),
  };
}

/**
 * The records of a text: JSON lines (the extract) or one JSON array (the official dump). Throws an Error
 * naming the line on malformed JSON or a non-record.
 */
export function parseRorText(text: string): RorRecord[] {
  const trimmed = text.replace(/^\uFEFF/, "").trimStart();
  if (trimmed.startsWith("[")) return (JSON.parse(trimmed) as unknown[]).map(rorRecordFromJson);
  return trimmed.split("\n").flatMap((line, index) => {
    if (!line.trim()) return [];
    try {
      return [rorRecordFromJson(JSON.parse(line))];
    } catch (error) {
      throw new Error(`ROR line ${index + 1}: ${(error as Error).message}`);
    }
  });
}

/** The successor named by an inactive record, if any (ROR's way of saying where the body went). */
export function successorOf(record: RorRecord): RorRelationship | null {
  return record.relationships.find((relation) => relation.type === "successor") ?? null;
}

/**
 * Whether a record may be matched at all: withdrawn records never (they were errors or duplicates);
 * inactive ones only when they name a successor, which the match's evidence then reports.
 */
export function isMatchable(record: RorRecord): boolean {
  if (record.status === "withdrawn") return false;
  if (record.status === "inactive") return successorOf(record) !== null;
  return true;
}
