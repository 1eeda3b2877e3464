import { type AnalysisContext, readQuery } from "./analysis-context.js";
import { badInput } from "./analysis-error.js";
import { type AnalysisProjection, type IdLists, projectionSourceCount } from "./analysis-projection.js";
import type { CoverageRequest } from "./coverage.js";
import { type FundingProjection, fundingProjectionFor } from "./funding-projection.js";
import { type AnalysisFilters, inFilters, projectFilterParams } from "./project-filters.js";
import { filteredProjects } from "./projection-analyses.js";

export type PortfolioLevel = "COUNTRY" | "FUNDER";

export interface PortfolioArgs {
  level: PortfolioLevel;
  id: string;
  filters?: AnalysisFilters | null | undefined;
  byTier?: boolean | null | undefined;
  limit?: number | null | undefined;
  projectCap?: number | null | undefined;
}

export interface SharedTopic {
  key: string;
  label: string;
  projects: number;
  otherProjects: number;
  projectIds: string[];
  otherProjectIds: string[];
}

export interface SimilarPortfolio {
  key: string;
  label: string;
  similarity: number;
  projects: number;
  sharedTopics: SharedTopic[];
}

export interface PortfolioSimilarity {
  key: string;
  label: string;
  projects: number;
  topics: number;
  mostSimilar: SimilarPortfolio[];
  leastSimilar: SimilarPortfolio[];
  compared: number;
  description: string;
  sourceCount: number;
  coverageRequest: CoverageRequest;
}

/** One entity's portfolio: projects (ids, sorted) per dimension, and all its projects. */
export interface Portfolio {
  key: string;
  label: string;
  dimensions: Map<string, string[]>;
  projects: Set<string>;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type Similarity = { other: Portfolio; similarity: number };

/** The portfolios (by entity id) and the labels of their dimensions (topics, or topic and tier). */
export interface PortfolioTally {
  portfolios: Map<string, Portfolio>;
  dimensionLabels: Map<string, string>;
}

/**
 * The projects (indices) of each entity in each dimension, keyed entity * dimensions + dimension: a
 * dimension is a topic index, or with byTier a topic and tier (topic * (tiers + 1) + tier + 1).
 */
function projectedLists(
  analysis: AnalysisProjection,
  entities: IdLists,
  mask: Uint8Array,
  chosenTopic: boolean[],
  byTier: boolean,
): { lists: Map<number, number[]>; dimensions: number } {
  const { projects } = analysis;
  const perTopic = byTier ? analysis.tiers.length + 1 : 1;
  const dimensions = analysis.topics.ids.length * perTopic;
  const lists = new Map<number, number[]>();
  for (let p = 0; p < mask.length; p++) {
    if (!mask[p]) continue;
    const tierOffset = byTier ? projects.tier[p]! + 1 : 0;
    for (let k = projects.topics.start[p]!; k < projects.topics.start[p + 1]!; k++) {
      const t = projects.topics.items[k]!;
      if (!chosenTopic[t]) continue;
      const dimension = t * perTopic + tierOffset;
      for (let j = entities.start[p]!; j < entities.start[p + 1]!; j++) {
        const key = entities.items[j]! * dimensions + dimension;
        const list = lists.get(key);
        if (list) list.push(p);
        else lists.set(key, [p]);
      }
    }
  }
  return { lists, dimensions };
}

/**
 * The level's portfolios from the projections: the filtered projects (PROJECT_FILTER as
 * filteredProjects applies it, funderIds included), each with its entities (COUNTRY: its participants'
 * countries; FUNDER: the bodies funding a programme it is funded under, PART_OF*0..3) and its topics of
 * the scheme (or the topics given). A dimension key is a topic id, or with byTier `topic|TIER` (`NONE`
 * for a project without a tier); project ids are sorted.
 */
export function projectedPortfolios(
  analysis: AnalysisProjection,
  funding: FundingProjection,
  args: Pick<PortfolioArgs, "level" | "byTier">,
  params: Record<string, unknown>,
): PortfolioTally {
  const { projects, topics } = analysis;
  const topicIds = params.topicIds as string[] | null;
  const chosenTopic = topics.ids.map((id, t) =>
    topicIds ? topicIds.includes(id) : topics.scheme[t] === params.topicScheme,
  );
  const byTier = args.byTier ?? false;
  const entityTable = args.level === "COUNTRY" ? analysis.countries : analysis.funders;
  const { lists, dimensions } = projectedLists(
    analysis,
    args.level === "COUNTRY" ? funding.projectCountries : projects.funders,
    filteredProjects(analysis, params),
    chosenTopic,
    byTier,
  );
  const perTopic = byTier ? analysis.tiers.length + 1 : 1;
  const tally: PortfolioTally = { portfolios: new Map(), dimensionLabels: new Map() };
  for (const [code, list] of lists) {
    const e = Math.floor(code / dimensions);
    const dimension = code - e * dimensions;
    const t = Math.floor(dimension / perTopic);
    const tier = byTier
      ? dimension - t * perTopic === 0
        ? null
        : analysis.tiers[dimension - t * perTopic - 1]!
      : null;
    const key = byTier ? `${topics.ids[t]!}|${tier ?? "NONE"}` : topics.ids[t]!;
    const label = funding.topicLabel[t]!;
    tally.dimensionLabels.set(key, byTier ? `${label} (${tier ?? "no tier"})` : label);
    const id = entityTable.ids[e]!;
    let portfolio = tally.portfolios.get(id);
    if (!portfolio) {
      portfolio = { key: id, label: entityTable.rowLabel[e]!, dimensions: new Map(), projects: new Set() };
      tally.portfolios.set(id, portfolio);
    }
    const ids = list.map((p) => projects.ids[p]!).sort(compare);
    portfolio.dimensions.set(key, ids);
    for (const project of ids) portfolio.projects.add(project);
  }
  return tally;
}

/** The chosen entity's portfolio; BAD_USER_INPUT saying whether the id is unknown or has nothing to compare. */
async function chosenPortfolio(
  context: AnalysisContext,
  args: PortfolioArgs,
  portfolios: Map<string, Portfolio>,
): Promise<Portfolio> {
  const chosen = portfolios.get(args.id);
  if (chosen) return chosen;
  const label = args.level === "COUNTRY" ? "Country" : "Funder";
  const known = await readQuery<{ id: string }>(context, `MATCH (n:${label} {id: $id}) RETURN n.id AS id`, {
    id: args.id,
  });
  throw badInput(
    "id",
    known.length
      ? `${args.id} has no project in a topic of the scheme within the filters: nothing to compare`
      : `unknown ${label} id ${args.id}`,
  );
}

const norm = (p: Portfolio) => Math.sqrt([...p.dimensions.values()].reduce((s, l) => s + l.length ** 2, 0));

/** Every other portfolio with its cosine similarity to the chosen one. */
function similarities(chosen: Portfolio, portfolios: Map<string, Portfolio>): Similarity[] {
  const chosenNorm = norm(chosen);
  return [...portfolios.values()]
    .filter((p) => p.key !== chosen.key)
    .map((other) => {
      let dot = 0;
      for (const [key, list] of chosen.dimensions)
        dot += list.length * (other.dimensions.get(key)?.length ?? 0);
      return { other, similarity: dot / (chosenNorm * norm(other)) };
    });
}

/** An entity as compared with the chosen one: the topics they share, weightiest for both first. */
function describeSimilar(
  chosen: Portfolio,
  { other, similarity }: Similarity,
  dimensionLabels: Map<string, string>,
  projectCap: number,
): SimilarPortfolio {
  return {
    key: other.key,
    label: other.label,
    similarity,
    projects: other.projects.size,
    sharedTopics: [...chosen.dimensions]
      .filter(([key]) => other.dimensions.has(key))
      .map(([key, mine]) => {
        const theirs = other.dimensions.get(key)!;
        return {
          key,
          label: dimensionLabels.get(key) ?? key,
          projects: mine.length,
          otherProjects: theirs.length,
          projectIds: mine.slice(0, projectCap),
          otherProjectIds: theirs.slice(0, projectCap),
          weight: (mine.length / chosen.projects.size) * (theirs.length / other.projects.size),
        };
      })
      .sort((a, b) => b.weight - a.weight || compare(a.key, b.key))
      .map(({ weight: _, ...topic }) => topic),
  };
}

/**
 * The cosine similarity of topic portfolios (see the PortfolioSimilarity type in
 * schema/network-analytics.graphql): the chosen entity against every other with at least one project
 * in a topic of the scheme, the `limit` most and least similar with their shared topics and the projects
 * behind each count (at most `projectCap` ids per side). Errors: BAD_USER_INPUT naming id, limit,
 * projectCap or a filter (`filters.*`); an id with no project in a topic of the scheme is BAD_USER_INPUT.
 */
export async function portfolioSimilarity(
  context: AnalysisContext,
  args: PortfolioArgs,
): Promise<PortfolioSimilarity> {
  const limit = args.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw badInput("limit", `must be a whole number between 1 and 100, got ${limit}`);
  const projectCap = args.projectCap ?? 20;
  if (!Number.isInteger(projectCap) || projectCap < 0 || projectCap > 100)
    throw badInput("projectCap", `must be a whole number between 0 and 100, got ${projectCap}`);
  const params = await projectFilterParams(context, args.filters ?? {}, inFilters);
  const projected = await fundingProjectionFor(context);
  const { portfolios, dimensionLabels } = projectedPortfolios(
    projected.analysis,
    projected.funding,
    args,
    params,
  );
  const chosen = await chosenPortfolio(context, args, portfolios);
  const others = similarities(chosen, portfolios);
  const describe = (item: Similarity) => describeSimilar(chosen, item, dimensionLabels, projectCap);
  const mostSimilar = [...others]
    .sort((a, b) => b.similarity - a.similarity || compare(a.other.key, b.other.key))
    .slice(0, limit)
    .map(describe);
  const leastSimilar = [...others]
    .sort((a, b) => a.similarity - b.similarity || compare(a.other.key, b.other.key))
    .slice(0, limit)
    .map(describe);
  const listed = new Set<string>(chosen.projects);
  for (const item of [...mostSimilar, ...leastSimilar])
    for (const project of portfolios.get(item.key)!.projects) listed.add(project);
  return {
    key: chosen.key,
    label: chosen.label,
    projects: chosen.projects.size,
    topics: chosen.dimensions.size,
    mostSimilar,
    leastSimilar,
    compared: others.length,
    description:
      `Cosine similarity of ${args.level === "COUNTRY" ? "countries'" : "funders'"} project counts per ${
        args.byTier ? "topic and PM relevance tier" : "topic"
      } (${params.topicIds ? "the topics given" : `scheme ${params.topicScheme}`}); the same as on topic shares. ` +
      "A project with several topics counts once in each; entities without a project in a topic are not compared.",
    // The listed ids are projects, whose sources the analysis projection holds.
    sourceCount: projectionSourceCount(projected.analysis, listed),
    coverageRequest: { params, memberships: args.level === "FUNDER" ? "ALL" : null, thresholds: [] },
  };
}
