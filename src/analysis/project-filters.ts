import { type AnalysisContext, readQuery } from "./analysis-context.js";
import { badInput } from "./analysis-error.js";

export interface ProjectFilters {
  topicIds?: readonly string[] | null | undefined;
  programmeIds?: readonly string[] | null | undefined;
  fromYear?: number | null | undefined;
  toYear?: number | null | undefined;
}

export const MIN_YEAR = 1950;
export const MAX_YEAR = 2100;

/**
 * The Cypher predicate on `p` (a Project) shared by every analysis. A project's year is its start
 * year; a programme filter includes the programmes that are part of it (a call within Horizon Europe).
 */
export const PROJECT_FILTER = `($fromYear IS NULL OR p.startYear >= $fromYear)
  AND ($toYear IS NULL OR p.startYear <= $toYear)
  AND ($topicIds IS NULL OR EXISTS { MATCH (p)-[:ADDRESSES]->(topic:Topic) WHERE topic.id IN $topicIds })
  AND ($programmeIds IS NULL OR EXISTS {
    MATCH (p)-[:FUNDED_UNDER]->(:Programme)-[:PART_OF*0..3]->(programme:Programme) WHERE programme.id IN $programmeIds
  })`;

/**
 * The participations `r` in filtered projects `p` of the organisations located in each country, bound to
 * the variable `country`. Countries are reached from their organisations, so LOCATED_IN is expanded once
 * per organisation rather than once per participation (three times faster on 20,000 projects).
 */
export function participationsByCountry(country: string): string {
  return `MATCH (${country}:Country)<-[:LOCATED_IN]-(o:Organisation)
    CALL (o) {
      MATCH (o)-[r:PARTICIPATES_IN]->(p:Project) WHERE ${PROJECT_FILTER}
      RETURN p, r
    }`;
}

/** Checks the filters and that every id names an entity of the right type, then returns the parameters. */
export async function projectFilterParams(
  context: AnalysisContext,
  filters: ProjectFilters,
  argumentPrefix = "",
): Promise<Record<string, unknown>> {
  const name = (argument: string) => `${argumentPrefix}${argument}`;
  for (const key of ["fromYear", "toYear"] as const) {
    const year = filters[key];
    if (year !== null && year !== undefined && (year < MIN_YEAR || year > MAX_YEAR)) {
      throw badInput(name(key), `must be between ${MIN_YEAR} and ${MAX_YEAR}, got ${year}`);
    }
  }
  if (filters.fromYear != null && filters.toYear != null && filters.fromYear > filters.toYear) {
    throw badInput(name("fromYear"), `must not be after toYear (${filters.fromYear} > ${filters.toYear})`);
  }
  await assertIdsExist(context, filters.topicIds, "Topic", name("topicIds"));
  await assertIdsExist(context, filters.programmeIds, "Programme", name("programmeIds"));
  return {
    fromYear: filters.fromYear ?? null,
    toYear: filters.toYear ?? null,
    topicIds: filters.topicIds?.length ? [...filters.topicIds] : null,
    programmeIds: filters.programmeIds?.length ? [...filters.programmeIds] : null,
  };
}

export async function assertIdsExist(
  context: AnalysisContext,
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
