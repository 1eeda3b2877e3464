import type { ExploreFilters } from "../shared/links.js";

/** A GraphQL `ProjectWhere` / `ProgrammeWhere` input, as plain JSON. */
export type Where = Record<string, unknown>;

/**
 * A programme that matches `programme` or is part of one that does, up to 3 levels (the analyses'
 * `PART_OF*0..3`, src/analysis/project-filters.ts): a framework programme includes its calls.
 */
export function programmeOrPartOf(programme: Where): Where {
  const levels: Where[] = [programme];
  for (let depth = 1; depth <= 3; depth++) levels.push({ partOf: { some: levels[depth - 1] } });
  return { OR: levels };
}

/** Projects funded under a programme matching `programme`, or under one of its calls. */
export const fundedUnder = (programme: Where): Where => ({
  programmes: { some: programmeOrPartOf(programme) },
});

/** The analyses' filters (topics, programmes, start years, PM relevance tiers) as project conditions. */
export function filterConditions(filters: ExploreFilters): Where[] {
  const out: Where[] = [];
  if (filters.topicIds?.length) out.push({ topics: { some: { id: { in: filters.topicIds } } } });
  if (filters.programmeIds?.length) out.push(fundedUnder({ id: { in: filters.programmeIds } }));
  if (filters.fromYear != null) out.push({ startYear: { gte: filters.fromYear } });
  if (filters.toYear != null) out.push({ startYear: { lte: filters.toYear } });
  if (filters.pmRelevance?.length) out.push({ pmRelevance: { in: filters.pmRelevance } });
  return out;
}

/** The projects of an entity, by the prefix of its id, within the filters; null for a kind without a list. */
export function projectsOf(id: string, filters: ExploreFilters): Where | null {
  const eq = { id: { eq: id } };
  const kind = id.slice(0, id.indexOf(":"));
  const own: Where | null =
    kind === "country"
      ? { participants: { some: { country: { some: eq } } } }
      : kind === "org"
        ? { participants: { some: eq } }
        : kind === "funder"
          ? fundedUnder({ funders: { some: eq } })
          : kind === "consortium"
            ? fundedUnder({ runBy: { some: eq } })
            : kind === "programme"
              ? fundedUnder(eq)
              : null;
  return own ? { AND: [own, ...filterConditions(filters)] } : null;
}

/** The analyses' filters argument (AnalysisFilters) for the same filters. */
export function analysisFilters(filters: ExploreFilters) {
  return {
    topicIds: filters.topicIds?.length ? filters.topicIds : null,
    programmeIds: filters.programmeIds?.length ? filters.programmeIds : null,
    fromYear: filters.fromYear ?? null,
    toYear: filters.toYear ?? null,
    pmRelevance: filters.pmRelevance?.length ? filters.pmRelevance : null,
  };
}

/** Whole cents of a EUR amount, as the API sums them (src/analysis/money.ts): exact sums of many. */
export const cents = (eur: number | null | undefined): number => Math.round((eur ?? 0) * 100);
