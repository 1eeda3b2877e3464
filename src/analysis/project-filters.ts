import { type ReadTarget, readQuery } from "../db/read-query.js";
import type { AnalysisFilters as GeneratedAnalysisFilters } from "../generated/graphql.js";
import { REL } from "../model/relationships.js";
import { TOPIC_SCHEMES } from "../model/topic-schemes.js";
import { EARLIEST_YEAR, LATEST_YEAR } from "../util/year-range.js";
import { badInput } from "./analysis-error.js";

/** A generated input type with its lists read-only, so that a caller may pass the lists it holds. */
type ReadonlyInput<T> = T extends readonly (infer U)[] ? readonly U[] : T;

/**
 * The `filters` argument of fundingMatrix, fundingTrend and the other analyses: the schema's
 * AnalysisFilters input as codegen generates it (src/generated/graphql.ts), lists read-only. A filter
 * added to the schema appears here, and CheckedFilters below fails to compile until it is checked
 * and every engine serves it.
 */
export type AnalysisFilters = {
  [K in keyof GeneratedAnalysisFilters]?: ReadonlyInput<GeneratedAnalysisFilters[K]> | undefined;
};

/** The filters the network queries take as top-level arguments: AnalysisFilters without topicScheme. */
export type ProjectFilters = Omit<AnalysisFilters, "topicScheme">;

/**
 * The one checked filter object of a request (projectFilterParams): every AnalysisFilters field, with
 * null for no filter and topicScheme defaulted. The analyses' engine (the projection) reads it, and it
 * is also the parameter map of the Cypher analyses that splice PROJECT_FILTER.
 */
export type CheckedFilters = {
  fromYear: number | null;
  toYear: number | null;
  topicIds: string[] | null;
  programmeIds: string[] | null;
  topicScheme: string;
  pmRelevance: string[] | null;
  funderIds: string[] | null;
};

// Compile-time: CheckedFilters has exactly the generated input's fields.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : false;
const checkedFiltersMatchSchema: SameKeys<CheckedFilters, GeneratedAnalysisFilters> = true;
void checkedFiltersMatchSchema;

/** The years a filter may name: the atlas's one record year range (src/util/year-range.ts). */
export const MIN_YEAR = EARLIEST_YEAR;
export const MAX_YEAR = LATEST_YEAR;
export const DEFAULT_TOPIC_SCHEME = "LEGAL_BASIS";

// Every filter and pattern below is written once and spliced into the analyses' Cypher: a filter
// restated by hand in one query is how a funder network once counted projects outside its years.

/** Cypher: project `p` starts within $fromYear..$toYear (a project's year is its start year). */
export const YEAR_FILTER =
  "($fromYear IS NULL OR p.startYear >= $fromYear) AND ($toYear IS NULL OR p.startYear <= $toYear)";

/** Cypher pattern: project `project` is funded under programme `programme` or one of its calls (PART_OF, 3 levels). */
export const fundedUnder = (project: string, programme: string): string =>
  `(${project})-[:${REL.FUNDED_UNDER}]->(:Programme)-[:${REL.PART_OF}*0..3]->(${programme})`;

/**
 * Cypher expression: the node of the body that `node` (a Funder or an Organisation, its `label`) is.
 * Nodes that are one body are linked SAME_AS towards one canonical node of their label (by the OpenAIRE
 * importer, from a shared ROR record, by a curator); the body is the end of that chain, or `node`
 * itself. Every per-funder and per-organisation rollup groups by it, so a body counts once.
 */
export const bodyOf = (node: string, label: "Funder" | "Organisation"): string =>
  `coalesce(head([(${node})-[:${REL.SAME_AS}*1..3]->(sameBody:${label}) WHERE NOT (sameBody)-[:${REL.SAME_AS}]->(:${label}) | sameBody]), ${node})`;

/** bodyOf a Funder. */
export const funderBody = (f: string): string => bodyOf(f, "Funder");

/**
 * Cypher: `funder` is one of $funderIds, or the same body as one (SAME_AS, recorded with its evidence by
 * the OpenAIRE importer or from a shared ROR record; two nodes of a body may both point at a third), so
 * that a curated funder's filter also finds its grants from OpenAIRE.
 */
const FUNDER_SELECTED = `(funder.id IN $funderIds OR EXISTS { MATCH (funder)-[:${REL.SAME_AS}*1..3]-(same:Funder) WHERE same.id IN $funderIds })`;

/**
 * Variables that PROJECT_FILTER and PROGRAMME_FILTER bind inside their subqueries. A query that splices
 * a filter must not bind them itself: Cypher would read the subquery's `funder` as the outer one, and
 * a funder filter would then keep only the selected funder's own rows.
 */
export const FILTER_VARIABLES = ["topic", "programme", "funder", "same"] as const;

/**
 * The Cypher predicate on `p` (a Project) shared by every analysis: its start year within the years,
 * one of the topics, under one of the programmes (a programme includes the calls that are part of it).
 */
export const PROJECT_FILTER = `${YEAR_FILTER}
  AND ($pmRelevance IS NULL OR p.pmRelevance IN $pmRelevance)
  AND ($topicIds IS NULL OR EXISTS { MATCH (p)-[:${REL.ADDRESSES}]->(topic:Topic) WHERE topic.id IN $topicIds })
  AND ($programmeIds IS NULL OR EXISTS { MATCH ${fundedUnder("p", "programme:Programme")} WHERE programme.id IN $programmeIds })
  AND ($funderIds IS NULL OR EXISTS { MATCH ${fundedUnder("p", ":Programme")}-[:${REL.FUNDED_BY}]->(funder:Funder) WHERE ${FUNDER_SELECTED} })`;

/**
 * The same filters on a programme `g` (the funder network counts programmes): its own years overlap
 * the range, it covers one of the topics, it is or is part of one of the programmes.
 */
export const PROGRAMME_FILTER = `($fromYear IS NULL OR coalesce(g.endYear, g.startYear) >= $fromYear)
  AND ($toYear IS NULL OR g.startYear <= $toYear)
  AND ($topicIds IS NULL OR EXISTS { MATCH (g)-[:${REL.COVERS}]->(topic:Topic) WHERE topic.id IN $topicIds })
  AND ($programmeIds IS NULL OR EXISTS { MATCH (g)-[:${REL.PART_OF}*0..3]->(programme:Programme) WHERE programme.id IN $programmeIds })
  AND ($funderIds IS NULL OR EXISTS { MATCH (g)-[:${REL.PART_OF}*0..3]->(:Programme)-[:${REL.FUNDED_BY}]->(funder:Funder) WHERE ${FUNDER_SELECTED} })`;

/** Cypher: topic `t` is a column or group: one of $topicIds, or else a topic of $topicScheme. */
export const topicSelected = (t: string): string =>
  `(($topicIds IS NOT NULL AND ${t}.id IN $topicIds) OR ($topicIds IS NULL AND ${t}.scheme = $topicScheme))`;

/**
 * The participations `r` in filtered projects `p` of the organisations located in each country, bound to
 * the variable `country` (optionally restricted by `where` on it). Countries are reached from their
 * organisations, so LOCATED_IN is expanded once per organisation rather than once per participation
 * (three times faster on 20,000 projects).
 */
export function participationsByCountry(country: string, where = "true"): string {
  return `MATCH (${country}:Country)<-[:${REL.LOCATED_IN}]-(o:Organisation) WHERE ${where}
    CALL (o) {
      MATCH (o)-[r:${REL.PARTICIPATES_IN}]->(p:Project) WHERE ${PROJECT_FILTER}
      RETURN p, r
    }`;
}

/**
 * How an argument is named in errors (`extensions.argumentName`): its path in the query's arguments,
 * input fields joined by dots, e.g. `fromYear` or `filters.fromYear`.
 */
export type ArgumentNames = (filter: keyof AnalysisFilters) => string;

/** Filters given as top-level arguments: the argument is named as the filter, e.g. `fromYear`. */
export const topLevel: ArgumentNames = (filter) => filter;
/** Filters given in a `filters` input object: the argument is named `filters.<filter>`, e.g. `filters.fromYear`. */
export const inFilters: ArgumentNames = (filter) => `filters.${filter}`;

/**
 * Checks the filters (years in range and in order, every id naming an entity of the right type, a known
 * topic scheme: a built-in one or that of an applied lens, tiers that an applied lens sets) and returns
 * the Cypher parameters $fromYear, $toYear, $topicIds, $programmeIds, $topicScheme, $pmRelevance, $funderIds.
 * Throws BAD_USER_INPUT naming the argument as `names` spells it.
 */
export async function projectFilterParams(
  context: ReadTarget,
  filters: AnalysisFilters,
  names: ArgumentNames = topLevel,
): Promise<CheckedFilters> {
  for (const key of ["fromYear", "toYear"] as const) {
    const year = filters[key];
    if (year !== null && year !== undefined && (year < MIN_YEAR || year > MAX_YEAR)) {
      throw badInput(names(key), `must be between ${MIN_YEAR} and ${MAX_YEAR}, got ${year}`);
    }
  }
  if (filters.fromYear != null && filters.toYear != null && filters.fromYear > filters.toYear) {
    throw badInput(names("fromYear"), `must not be after toYear (${filters.fromYear} > ${filters.toYear})`);
  }
  const topicScheme = filters.topicScheme ?? DEFAULT_TOPIC_SCHEME;
  const lenses = await readQuery<{ scheme: string; tiers: string[] | null }>(
    context,
    "MATCH (l:Lens) RETURN l.scheme AS scheme, l.tiers AS tiers ORDER BY l.scheme",
    {},
  );
  const schemes = [...new Set([...TOPIC_SCHEMES, ...lenses.map((lens) => lens.scheme)])];
  if (!schemes.includes(topicScheme)) {
    throw badInput(names("topicScheme"), `unknown scheme "${topicScheme}": use one of ${schemes.join(", ")}`);
  }
  if (filters.pmRelevance?.length) {
    const tiers = [...new Set(lenses.flatMap((lens) => lens.tiers ?? []))];
    const unknown = filters.pmRelevance.filter((tier) => !tiers.includes(tier));
    if (unknown.length) {
      throw badInput(
        names("pmRelevance"),
        `unknown tier(s) ${unknown.join(", ")}: ${tiers.length ? `use ${tiers.join(", ")}` : "no applied lens sets relevance tiers"}`,
      );
    }
  }
  await assertIdsExist(context, filters.topicIds, "Topic", names("topicIds"));
  await assertIdsExist(context, filters.programmeIds, "Programme", names("programmeIds"));
  await assertIdsExist(context, filters.funderIds, "Funder", names("funderIds"));
  return {
    fromYear: filters.fromYear ?? null,
    toYear: filters.toYear ?? null,
    topicIds: filters.topicIds?.length ? [...filters.topicIds] : null,
    programmeIds: filters.programmeIds?.length ? [...filters.programmeIds] : null,
    topicScheme,
    pmRelevance: filters.pmRelevance?.length ? [...filters.pmRelevance] : null,
    funderIds: filters.funderIds?.length ? [...filters.funderIds] : null,
  };
}

/** Throws BAD_USER_INPUT (argumentName) unless every id names a node with this label. */
export async function assertIdsExist(
  context: ReadTarget,
  ids: readonly string[] | null | undefined,
  label: string,
  argumentName: string,
): Promise<void> {
  if (!ids?.length) return;
  const found = await readQuery<{ id: string }>(
    context,
    `MATCH (n:\`${label}\`) WHERE n.id IN $ids RETURN n.id AS id`,
    { ids: [...ids] },
  );
  const known = new Set(found.map((row) => row.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) throw badInput(argumentName, `unknown ${label} id(s): ${unknown.join(", ")}`);
}

/**
 * `sourceCount`, one meaning for every analysis: the number of distinct Source nodes that the records
 * behind the numbers returned are SOURCED_FROM (the projects counted, the programmes of a funder
 * network, the countries whose population a figure uses, the subject of a gap). This reads the
 * sources of each of `ids` (entity ids): source ids by entity id.
 */
export async function sourcesOf(context: ReadTarget, ids: Iterable<string>): Promise<Map<string, string[]>> {
  const list = [...new Set(ids)];
  if (!list.length) return new Map();
  const rows = await readQuery<{ id: string; sources: string[] }>(
    context,
    `MATCH (n:Entity)-[:${REL.SOURCED_FROM}]->(s:Source) WHERE n.id IN $ids RETURN n.id AS id, collect(s.id) AS sources`,
    { ids: list },
  );
  return new Map(rows.map((row) => [row.id, row.sources]));
}

/** Distinct sources of the records `ids`, from a sourcesOf answer. */
export function countSources(sources: ReadonlyMap<string, string[]>, ids: Iterable<string>): number {
  const distinct = new Set<string>();
  for (const id of ids) for (const source of sources.get(id) ?? []) distinct.add(source);
  return distinct.size;
}

/** `sourceCount` of records `ids` (see sourcesOf). */
export async function sourceCountOf(context: ReadTarget, ids: Iterable<string>): Promise<number> {
  const list = [...new Set(ids)];
  return countSources(await sourcesOf(context, list), list);
}
