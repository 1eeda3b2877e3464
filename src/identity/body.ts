import { isoCountry } from "./country.js";

/**
 * An organisation or funder as the sources describe it, the input of the matcher. `id` is the graph id
 * ("org:999507886" for a CORDIS organisation, "org:isciii" / "funder:isciii" for curated ones); `names`
 * the legal name, the short name or acronym and any native name, as written; `country` ISO alpha-2 or
 * null; `websites` as written ("http://www.isciii.es").
 */
export interface Body {
  id: string;
  names: string[];
  country: string | null;
  websites: string[];
}

/** The columns of a CORDIS organization.csv row that identify the organisation. */
export interface CordisOrganisationRow {
  organisationID: string;
  name: string;
  shortName?: string;
  country?: string;
  organizationURL?: string;
}

/** A funder or organisation of the curated seed (seed/icpermed*.yaml): acronym for funders, shortName for organisations. */
export interface CuratedBody {
  id: string;
  name: string;
  acronym?: string;
  shortName?: string;
  /** "country:ES". */
  country?: string;
  website?: string;
}

const distinct = (values: (string | undefined | null)[]) => [
  ...new Set(values.map((value) => value?.trim() ?? "").filter(Boolean)),
];

/**
 * The bodies of CORDIS organisation rows, one per organisationID (a row per participation, so an
 * organisation repeats; its names and websites are united, its first country kept). UK -> GB, EL -> GR.
 */
export function bodiesFromCordisRows(rows: readonly CordisOrganisationRow[]): Body[] {
  const bodies = new Map<string, Body>();
  for (const row of rows) {
    const id = `org:${row.organisationID.trim()}`;
    const known = bodies.get(id);
    const names = distinct([...(known?.names ?? []), row.name, row.shortName]);
    const websites = distinct([...(known?.websites ?? []), row.organizationURL]);
    bodies.set(id, { id, names, country: known?.country ?? isoCountry(row.country), websites });
  }
  return [...bodies.values()];
}

/** The body of a curated funder or organisation. */
export function bodyFromCurated(entry: CuratedBody): Body {
  return {
    id: entry.id,
    names: distinct([entry.name, entry.acronym, entry.shortName]),
    country: isoCountry(entry.country),
    websites: distinct([entry.website]),
  };
}
