import { type AnalysisContext, readQuery, toNumber } from "./analysis-context.js";
import { badInput } from "./analysis-error.js";
import type { AnalysisFilters } from "./funding-matrix.js";
import { PROJECT_FILTER, projectFilterParams } from "./project-filters.js";

export type TrendGroup = "TOPIC" | "COUNTRY" | "PROGRAMME";

export interface FundingTrend {
  series: { id: string; label: string; points: { year: number; amountEur: number; projects: number }[] }[];
  description: string;
  sourceCount: number;
}

const GROUP_FACTS: Record<TrendGroup, string> = {
  COUNTRY: `MATCH (g:Country)<-[:LOCATED_IN]-(:Organisation)-[r:PARTICIPATES_IN]->(p)
    WITH g, p, sum(coalesce(r.contribution, 0.0)) AS amount`,
  TOPIC: `MATCH (p)-[:ADDRESSES]->(g:Topic)
    WHERE ($topicIds IS NOT NULL AND g.id IN $topicIds) OR ($topicIds IS NULL AND g.scheme = $scheme)
    WITH g, p, coalesce(p.funding, 0.0) AS amount`,
  PROGRAMME: `MATCH (p)-[:FUNDED_UNDER]->(g:Programme)
    WITH DISTINCT g, p, coalesce(p.funding, 0.0) AS amount`,
};

/** Amounts and distinct projects by start year for each group, every year of the range present. */
export async function fundingTrend(
  context: AnalysisContext,
  args: {
    groupBy: TrendGroup;
    fromYear?: number | null;
    toYear?: number | null;
    filters?: AnalysisFilters | null;
  },
): Promise<FundingTrend> {
  const filters = { ...(args.filters ?? {}) };
  for (const key of ["fromYear", "toYear"] as const) {
    if (args[key] != null && filters[key] != null && args[key] !== filters[key]) {
      throw badInput(key, `differs from filters.${key}; give one of them`);
    }
    filters[key] = args[key] ?? filters[key] ?? null;
  }
  const params = await projectFilterParams(context, filters);
  const [result] = await readQuery(
    context,
    `MATCH (p:Project) WHERE ${PROJECT_FILTER} AND p.startYear IS NOT NULL
     ${GROUP_FACTS[args.groupBy]}
     WITH g.id AS id, coalesce(g.acronym, g.name, g.id) AS label, p.startYear AS year, sum(amount) AS amount, count(DISTINCT p) AS projects,
          collect(p.id) AS projectIds
     WITH collect({id: id, label: label, year: year, amount: amount, projects: projects}) AS points,
          apoc.coll.toSet(apoc.coll.flatten(collect(projectIds))) AS projectIds
     CALL (projectIds) {
       UNWIND projectIds AS pid
       MATCH (:Project {id: pid})-[:SOURCED_FROM]->(s:Source)
       RETURN count(DISTINCT s) AS sourceCount
     }
     RETURN points, sourceCount`,
    { ...params, scheme: filters.topicScheme ?? "LEGAL_BASIS" },
  );
  const points = (result?.points ?? []) as {
    id: string;
    label: string;
    year: unknown;
    amount: number;
    projects: unknown;
  }[];
  const years = points.map((point) => toNumber(point.year));
  const first = filters.fromYear ?? (years.length ? Math.min(...years) : 0);
  const last = filters.toYear ?? (years.length ? Math.max(...years) : -1);
  const bySeries = new Map<
    string,
    { label: string; byYear: Map<number, { amount: number; projects: number }> }
  >();
  for (const point of points) {
    const series = bySeries.get(point.id) ?? { label: point.label, byYear: new Map() };
    series.byYear.set(toNumber(point.year), { amount: point.amount, projects: toNumber(point.projects) });
    bySeries.set(point.id, series);
  }
  const series = [...bySeries]
    .map(([id, { label, byYear }]) => ({
      id,
      label,
      points: Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => {
        const value = byYear.get(first + i);
        return { year: first + i, amountEur: value?.amount ?? 0, projects: value?.projects ?? 0 };
      }),
    }))
    .sort((a, b) => {
      const total = (s: typeof a) => s.points.reduce((sum, point) => sum + point.amountEur, 0);
      return total(b) - total(a) || a.id.localeCompare(b.id);
    });
  return {
    series,
    description:
      args.groupBy === "COUNTRY"
        ? "By start year: EU contributions (EUR) to participants located in the country, and distinct projects."
        : "By start year: EU funding (EUR) of the projects in the group, and distinct projects.",
    sourceCount: toNumber(result?.sourceCount),
  };
}
