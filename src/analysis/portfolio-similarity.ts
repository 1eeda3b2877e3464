import { type AnalysisContext, readQuery } from "./analysis-context.js";
import { badInput } from "./analysis-error.js";
import {
  type AnalysisProjection,
  type IdLists,
  projectionSourceCountOfProjects,
} from "./analysis-projection.js";
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

/** The portfolios (by entity id) and the labels of their dimensions (topics, or topic and tier). */
export interface PortfolioTally {
  portfolios: Map<string, Portfolio>;
  dimensionLabels: Map<string, string>;
}

/**
 * The space the portfolios live in for one request: the level's entities, the filtered projects, and
 * the dimensions: a slot per topic of the scheme (or per topic given), or with byTier a slot and tier
 * (slot * (tiers + 1) + tier + 1). Counting over the scheme's topics alone, not every topic of every
 * scheme, keeps the vectors small.
 */
interface PortfolioSpace {
  analysis: AnalysisProjection;
  funding: FundingProjection;
  entityTable: { ids: string[]; rowLabel: string[] };
  entities: IdLists;
  mask: Uint8Array;
  /** Topic index -> its slot, -1 for a topic outside the scheme. */
  slotOf: Int32Array;
  /** Slot -> topic index. */
  topicOfSlot: number[];
  byTier: boolean;
  perTopic: number;
  dimensions: number;
}

function portfolioSpace(
  analysis: AnalysisProjection,
  funding: FundingProjection,
  args: Pick<PortfolioArgs, "level" | "byTier">,
  params: Record<string, unknown>,
): PortfolioSpace {
  const { topics } = analysis;
  const topicIds = params.topicIds as string[] | null;
  const byTier = args.byTier ?? false;
  const perTopic = byTier ? analysis.tiers.length + 1 : 1;
  const slotOf = new Int32Array(topics.ids.length).fill(-1);
  const topicOfSlot: number[] = [];
  topics.ids.forEach((id, t) => {
    if (topicIds ? topicIds.includes(id) : topics.scheme[t] === params.topicScheme) {
      slotOf[t] = topicOfSlot.length;
      topicOfSlot.push(t);
    }
  });
  return {
    analysis,
    funding,
    entityTable: args.level === "COUNTRY" ? analysis.countries : analysis.funders,
    entities: args.level === "COUNTRY" ? funding.projectCountries : analysis.projects.funders,
    mask: filteredProjects(analysis, params),
    slotOf,
    topicOfSlot,
    byTier,
    perTopic,
    dimensions: topicOfSlot.length * perTopic,
  };
}

/** A dimension's key (a topic id, or `topic|TIER`, `NONE` for no tier) and the label a reader sees. */
function dimensionOf(space: PortfolioSpace, dimension: number): { key: string; label: string } {
  const { analysis, funding, byTier, perTopic } = space;
  const slot = Math.floor(dimension / perTopic);
  const t = space.topicOfSlot[slot]!;
  const topicLabel = funding.topicLabel[t]!;
  if (!byTier) return { key: analysis.topics.ids[t]!, label: topicLabel };
  const offset = dimension - slot * perTopic;
  const tier = offset === 0 ? null : analysis.tiers[offset - 1]!;
  return {
    key: `${analysis.topics.ids[t]!}|${tier ?? "NONE"}`,
    label: `${topicLabel} (${tier ?? "no tier"})`,
  };
}

/**
 * Visits every filtered project with a topic of the scheme, in the order of the project ids (so lists
 * built in the visit are sorted by id), with its dimensions.
 */
function forEachProject(space: PortfolioSpace, visit: (p: number, dimensions: number[]) => void): void {
  const { analysis, mask, slotOf, byTier, perTopic } = space;
  const { projects } = analysis;
  const dimensions: number[] = [];
  for (const p of projectsInIdOrder(analysis)) {
    if (!mask[p]) continue;
    dimensions.length = 0;
    const tierOffset = byTier ? projects.tier[p]! + 1 : 0;
    for (let k = projects.topics.start[p]!; k < projects.topics.start[p + 1]!; k++) {
      const slot = slotOf[projects.topics.items[k]!]!;
      if (slot >= 0) dimensions.push(slot * perTopic + tierOffset);
    }
    if (dimensions.length > 0) visit(p, dimensions);
  }
}

/**
 * Every entity's portfolio as counts: `counts[entity * dimensions + dimension]` projects, and
 * `projects[entity]` distinct projects (an entity listed twice for a project counts it once).
 */
function portfolioCounts(space: PortfolioSpace): { counts: Int32Array; projects: Int32Array } {
  const { entities, dimensions } = space;
  const entityCount = space.entityTable.ids.length;
  const counts = new Int32Array(entityCount * dimensions);
  const projects = new Int32Array(entityCount);
  const lastCounted = new Int32Array(entityCount).fill(-1);
  forEachProject(space, (p, projectDimensions) => {
    for (let j = entities.start[p]!; j < entities.start[p + 1]!; j++) {
      const e = entities.items[j]!;
      for (const dimension of projectDimensions) counts[e * dimensions + dimension]!++;
      if (lastCounted[e] !== p) {
        lastCounted[e] = p;
        projects[e]!++;
      }
    }
  });
  return { counts, projects };
}

/**
 * The first `cap` projects (indices, in id order) of each wanted entity per dimension, and a mask of
 * every project of the wanted entities.
 */
function portfolioLists(
  space: PortfolioSpace,
  wanted: Set<number>,
  cap: number,
): { heads: Map<number, Map<number, number[]>>; listed: Uint8Array } {
  const { entities } = space;
  const heads = new Map<number, Map<number, number[]>>([...wanted].map((e) => [e, new Map()]));
  // Which entities are wanted, by index: read for every participation, so an array, not the Map.
  const headsOf: (Map<number, number[]> | undefined)[] = new Array(space.entityTable.ids.length);
  for (const [e, byDimension] of heads) headsOf[e] = byDimension;
  const listed = new Uint8Array(space.analysis.projects.ids.length);
  forEachProject(space, (p, projectDimensions) => {
    for (let j = entities.start[p]!; j < entities.start[p + 1]!; j++) {
      const byDimension = headsOf[entities.items[j]!];
      if (!byDimension) continue;
      listed[p] = 1;
      for (const dimension of projectDimensions) {
        const list = byDimension.get(dimension);
        if (!list) byDimension.set(dimension, cap > 0 ? [p] : []);
        else if (list.length < cap) list.push(p);
      }
    }
  });
  return { heads, listed };
}

// The projection's project indices in the order of their ids, computed once per projection: lists built
// in this order come out sorted by id without sorting strings on every request.
const idOrders = new WeakMap<AnalysisProjection, Int32Array>();

function projectsInIdOrder(analysis: AnalysisProjection): Int32Array {
  let order = idOrders.get(analysis);
  if (!order) {
    const ids = analysis.projects.ids;
    order = Int32Array.from(ids.keys()).sort((a, b) => compare(ids[a]!, ids[b]!));
    idOrders.set(analysis, order);
  }
  return order;
}

/**
 * The level's portfolios from the projections: the filtered projects (PROJECT_FILTER as
 * filteredProjects applies it, funderIds included), each with its entities (COUNTRY: its participants'
 * countries; FUNDER: the bodies funding a programme it is funded under, PART_OF*0..3) and its topics of
 * the scheme (or the topics given). A dimension key is a topic id, or with byTier `topic|TIER` (`NONE`
 * for a project without a tier); project ids are sorted. Every portfolio is materialised with every id:
 * for comparison with an independent reading (the tests' Cypher oracle); the answer itself compares
 * counts and lists the projects of the few entities it shows.
 */
export function projectedPortfolios(
  analysis: AnalysisProjection,
  funding: FundingProjection,
  args: Pick<PortfolioArgs, "level" | "byTier">,
  params: Record<string, unknown>,
): PortfolioTally {
  const space = portfolioSpace(analysis, funding, args, params);
  const ids = analysis.projects.ids;
  const everyEntity = new Set(space.entityTable.ids.keys());
  const tally: PortfolioTally = { portfolios: new Map(), dimensionLabels: new Map() };
  for (const [e, byDimension] of portfolioLists(space, everyEntity, Number.POSITIVE_INFINITY).heads) {
    if (byDimension.size === 0) continue;
    const portfolio: Portfolio = {
      key: space.entityTable.ids[e]!,
      label: space.entityTable.rowLabel[e]!,
      dimensions: new Map(),
      projects: new Set(),
    };
    for (const [dimension, list] of byDimension) {
      const { key, label } = dimensionOf(space, dimension);
      tally.dimensionLabels.set(key, label);
      const listIds = list.map((p) => ids[p]!);
      portfolio.dimensions.set(key, listIds);
      for (const id of listIds) portfolio.projects.add(id);
    }
    tally.portfolios.set(portfolio.key, portfolio);
  }
  return tally;
}

/** The chosen entity's index; BAD_USER_INPUT saying whether the id is unknown or has nothing to compare. */
async function chosenEntity(
  context: AnalysisContext,
  args: PortfolioArgs,
  space: PortfolioSpace,
  projects: Int32Array,
): Promise<number> {
  const index = space.entityTable.ids.indexOf(args.id);
  if (index >= 0 && projects[index]! > 0) return index;
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

type Similarity = { entity: number; key: string; similarity: number };

/** Every other entity with a project in the scheme, with its cosine similarity to the chosen one. */
function similarities(
  space: PortfolioSpace,
  counts: Int32Array,
  projects: Int32Array,
  chosen: number,
): Similarity[] {
  const { dimensions } = space;
  const chosenDimensions: number[] = [];
  for (let d = 0; d < dimensions; d++) if (counts[chosen * dimensions + d]! > 0) chosenDimensions.push(d);
  const norm = (e: number) => {
    let squares = 0;
    for (let d = e * dimensions; d < (e + 1) * dimensions; d++) squares += counts[d]! ** 2;
    return Math.sqrt(squares);
  };
  const chosenNorm = norm(chosen);
  const result: Similarity[] = [];
  for (let e = 0; e < projects.length; e++) {
    if (e === chosen || projects[e] === 0) continue;
    let dot = 0;
    for (const d of chosenDimensions) dot += counts[chosen * dimensions + d]! * counts[e * dimensions + d]!;
    result.push({ entity: e, key: space.entityTable.ids[e]!, similarity: dot / (chosenNorm * norm(e)) });
  }
  return result;
}

/** An entity as compared with the chosen one: the topics they share, weightiest for both first. */
function describeSimilar(
  space: PortfolioSpace,
  { entity, key, similarity }: Similarity,
  chosen: number,
  { counts, projects }: { counts: Int32Array; projects: Int32Array },
  heads: Map<number, Map<number, number[]>>,
): SimilarPortfolio {
  const ids = space.analysis.projects.ids;
  const { dimensions } = space;
  const shared: (SharedTopic & { weight: number })[] = [];
  for (let d = 0; d < dimensions; d++) {
    const mine = counts[chosen * dimensions + d]!;
    const theirs = counts[entity * dimensions + d]!;
    if (mine === 0 || theirs === 0) continue;
    const { key: topicKey, label } = dimensionOf(space, d);
    shared.push({
      key: topicKey,
      label,
      projects: mine,
      otherProjects: theirs,
      projectIds: heads
        .get(chosen)!
        .get(d)!
        .map((p) => ids[p]!),
      otherProjectIds: heads
        .get(entity)!
        .get(d)!
        .map((p) => ids[p]!),
      weight: (mine / projects[chosen]!) * (theirs / projects[entity]!),
    });
  }
  return {
    key,
    label: space.entityTable.rowLabel[entity]!,
    similarity,
    projects: projects[entity]!,
    sharedTopics: shared
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
  const space = portfolioSpace(projected.analysis, projected.funding, args, params);
  const { counts, projects } = portfolioCounts(space);
  const chosen = await chosenEntity(context, args, space, projects);
  const others = similarities(space, counts, projects, chosen);
  const most = [...others]
    .sort((a, b) => b.similarity - a.similarity || compare(a.key, b.key))
    .slice(0, limit);
  const least = [...others]
    .sort((a, b) => a.similarity - b.similarity || compare(a.key, b.key))
    .slice(0, limit);
  // Projects are listed only for the entities the answer shows, at most projectCap per topic.
  const shown = new Set([chosen, ...most.map((item) => item.entity), ...least.map((item) => item.entity)]);
  const { heads, listed } = portfolioLists(space, shown, projectCap);
  const tally = { counts, projects };
  const describe = (item: Similarity) => describeSimilar(space, item, chosen, tally, heads);
  return {
    key: args.id,
    label: space.entityTable.rowLabel[chosen]!,
    projects: projects[chosen]!,
    topics: heads.get(chosen)!.size,
    mostSimilar: most.map(describe),
    leastSimilar: least.map(describe),
    compared: others.length,
    description:
      `Cosine similarity of ${args.level === "COUNTRY" ? "countries'" : "funders'"} project counts per ${
        args.byTier ? "topic and PM relevance tier" : "topic"
      } (${params.topicIds ? "the topics given" : `scheme ${params.topicScheme}`}); the same as on topic shares. ` +
      "A project with several topics counts once in each; entities without a project in a topic are not compared.",
    // The projects behind every shown portfolio, each once.
    sourceCount: projectionSourceCountOfProjects(projected.analysis, listed),
    coverageRequest: { params, memberships: args.level === "FUNDER" ? "ALL" : null, thresholds: [] },
  };
}
