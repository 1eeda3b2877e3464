import { REL } from "../model/relationships.js";
import { type AnalysisContext, readQuery, toNumber } from "./analysis-context.js";
import { badInput } from "./analysis-error.js";
import type { CoverageRequest } from "./coverage.js";
import { centsOf, eurFromCents } from "./money.js";
import {
  type AnalysisFilters,
  type ArgumentNames,
  PROJECT_FILTER,
  participationsByCountry,
  projectFilterParams,
  sourceCountOf,
  topicSelected,
} from "./project-filters.js";

export type TrendGroup = "TOPIC" | "COUNTRY" | "PROGRAMME" | "FRAMEWORK_PROGRAMME";

export interface TrendSeries {
  /** The group's entity id (GraphQL `key`). */
  key: string;
  label: string;
  points: { year: number; amountEur: number; projects: number }[];
}

export interface FundingTrend {
  series: TrendSeries[];
  description: string;
  sourceCount: number;
  /** Resolved into `coverage` when a client asks for it (coverage.ts). */
  coverageRequest: CoverageRequest;
}

/** (group g, project p, amount in whole cents) of the filtered projects that have a start year. */
const GROUP_FACTS: Record<TrendGroup, string> = {
  COUNTRY: `${participationsByCountry("g")}
    WITH g, p, sum(${centsOf("r.contribution")}) AS amount WHERE p.startYear IS NOT NULL`,
  TOPIC: `MATCH (p:Project) WHERE ${PROJECT_FILTER} AND p.startYear IS NOT NULL
    MATCH (p)-[:${REL.ADDRESSES}]->(g:Topic) WHERE ${topicSelected("g")}
    WITH g, p, ${centsOf("p.funding")} AS amount`,
  PROGRAMME: `MATCH (p:Project) WHERE ${PROJECT_FILTER} AND p.startYear IS NOT NULL
    MATCH (p)-[:${REL.FUNDED_UNDER}]->(g:Programme)
    WITH DISTINCT g, p, ${centsOf("p.funding")} AS amount`,
  // The outermost programme (part of no other) above each programme a project is funded under, so that a
  // framework programme and its own calls are never two series of one chart (issue 20).
  FRAMEWORK_PROGRAMME: `MATCH (p:Project) WHERE ${PROJECT_FILTER} AND p.startYear IS NOT NULL
    MATCH (p)-[:${REL.FUNDED_UNDER}]->(:Programme)-[:${REL.PART_OF}*0..3]->(g:Programme) WHERE NOT (g)-[:${REL.PART_OF}]->(:Programme)
    WITH DISTINCT g, p, ${centsOf("p.funding")} AS amount`,
};

/**
 * Amounts (EUR, summed in whole cents) and distinct projects by start year for each group, every year
 * of the range present; projects without a start year are left out. fromYear/toYear may be given at the
 * top level or in filters (not both, unless equal). Errors: BAD_USER_INPUT naming the argument as
 * written (`fromYear` or `filters.fromYear`).
 */
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
  const names: ArgumentNames = (filter) =>
    (filter === "fromYear" || filter === "toYear") && args[filter] != null ? filter : `filters.${filter}`;
  const params = await projectFilterParams(context, filters, names);
  const points = await readQuery<{
    key: string;
    label: string;
    year: unknown;
    cents: unknown;
    projects: string[];
  }>(
    context,
    `${GROUP_FACTS[args.groupBy]}
     RETURN g.id AS key, coalesce(g.acronym, g.name, g.id) AS label, toInteger(p.startYear) AS year,
            sum(amount) AS cents, collect(DISTINCT p.id) AS projects`,
    params,
  );
  const years = points.map((point) => toNumber(point.year));
  const first = filters.fromYear ?? (years.length ? Math.min(...years) : 0);
  const last = filters.toYear ?? (years.length ? Math.max(...years) : -1);
  const bySeries = new Map<
    string,
    { label: string; cents: number; byYear: Map<number, { cents: number; projects: number }> }
  >();
  for (const point of points) {
    const series = bySeries.get(point.key) ?? { label: point.label, cents: 0, byYear: new Map() };
    const cents = toNumber(point.cents);
    series.cents += cents;
    series.byYear.set(toNumber(point.year), { cents, projects: point.projects.length });
    bySeries.set(point.key, series);
  }
  const series = [...bySeries]
    .sort(([a, x], [b, y]) => y.cents - x.cents || a.localeCompare(b))
    .map(([key, { label, byYear }]) => ({
      key,
      label,
      points: Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => {
        const value = byYear.get(first + i);
        return {
          year: first + i,
          amountEur: eurFromCents(value?.cents ?? 0),
          projects: value?.projects ?? 0,
        };
      }),
    }));
  return {
    coverageRequest: { params, memberships: null, thresholds: [] },
    series,
    description:
      (args.groupBy === "COUNTRY"
        ? "By start year: EU contributions (EUR, exact to the cent) to participants located in the country, and distinct projects."
        : "By start year: EU funding (EUR, exact to the cent) of the projects in the group, and distinct projects.") +
      " Projects without a start year are left out.",
    sourceCount: await sourceCountOf(
      context,
      points.flatMap((point) => point.projects),
    ),
  };
}
