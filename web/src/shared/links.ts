import { tiersInUrl } from "./tiers.js";

/** The filters an explore page applies to its project list (the dashboard's, or a heat-map cell's). */
export interface ExploreFilters {
  topicIds?: string[] | null;
  programmeIds?: string[] | null;
  fromYear?: number | null;
  toYear?: number | null;
  /** PM relevance tiers (Project.pmRelevance), e.g. ["CORE"]; none: every project. */
  pmRelevance?: string[] | null;
}

/** The kinds of entity that have an explore page, by the prefix of their id. */
export const EXPLORE_KINDS = [
  "country",
  "org",
  "cordis",
  "project",
  "funder",
  "consortium",
  "programme",
] as const;

export function exploreKind(id: string): (typeof EXPLORE_KINDS)[number] | null {
  const prefix = id.slice(0, id.indexOf(":"));
  return (EXPLORE_KINDS as readonly string[]).includes(prefix)
    ? (prefix as (typeof EXPLORE_KINDS)[number])
    : null;
}

/**
 * The explore page of an entity: /explore/<id> (the id's colon kept readable), with the filters as
 * repeated query parameters (?topic=A&topic=B&programme=P&from=2022&to=2023&tier=CORE).
 */
export function exploreHref(id: string, filters: ExploreFilters = {}): string {
  const params = new URLSearchParams();
  for (const topic of filters.topicIds ?? []) params.append("topic", topic);
  for (const programme of filters.programmeIds ?? []) params.append("programme", programme);
  if (filters.fromYear != null) params.set("from", String(filters.fromYear));
  if (filters.toYear != null) params.set("to", String(filters.toYear));
  for (const tier of filters.pmRelevance ?? []) params.append("tier", tier);
  const query = params.toString();
  return `/explore/${encodeURIComponent(id).replace(/%3A/gi, ":")}${query ? `?${query}` : ""}`;
}

/** The id and filters of the explore page at this location (the inverse of exploreHref). */
export function parseExploreLocation(location: { pathname: string; search: string }): {
  id: string;
  filters: ExploreFilters;
} {
  const id = decodeURIComponent(location.pathname.replace(/^\/explore\//, "").replace(/\/$/, ""));
  const params = new URLSearchParams(location.search);
  const year = (name: string) => {
    const value = params.get(name);
    return value !== null && /^\d{4}$/.test(value) ? Number(value) : null;
  };
  return {
    id,
    filters: {
      topicIds: params.getAll("topic"),
      programmeIds: params.getAll("programme"),
      fromYear: year("from"),
      toYear: year("to"),
      pmRelevance: tiersInUrl(params),
    },
  };
}

/** The CORDIS page of a CORDIS project (cordis:<grant id>), or null for other ids. */
export function cordisUrl(id: string): string | null {
  const match = /^cordis:(\d+)$/.exec(id);
  return match ? `https://cordis.europa.eu/project/id/${match[1]}` : null;
}
