import { type AnalysisContext, readQuery, toNumber } from "../../src/analysis/analysis-context.js";
import {
  type CollaborationNetwork,
  checkedLimit,
  type NetworkArgs,
  type NetworkDefinition,
  type NetworkEdge,
  type NetworkLevel,
  type NetworkNode,
} from "../../src/analysis/collaboration-network.js";
import { type Coverage, type CoverageRequest, coverageStatement } from "../../src/analysis/coverage.js";
import {
  type FundingMatrix,
  type MatrixArgs,
  type MatrixColumns,
  type MatrixRows,
  matrixAnswer,
  matrixParams,
} from "../../src/analysis/funding-matrix.js";
import { centsOf, eurFromCents } from "../../src/analysis/money.js";
import type {
  Portfolio,
  PortfolioArgs,
  PortfolioLevel,
  PortfolioTally,
} from "../../src/analysis/portfolio-similarity.js";
import {
  type AnalysisFilters,
  bodyOf,
  type CheckedFilters,
  fundedUnder,
  funderBody,
  PROGRAMME_FILTER,
  PROJECT_FILTER,
  participationsByCountry,
  projectFilterParams,
  sourceCountOf,
  topicSelected,
} from "../../src/analysis/project-filters.js";
import { unrecordedMembers, unrecordedProjects } from "../../src/analysis/stated-vs-recorded.js";
import { REL } from "../../src/model/relationships.js";

/**
 * The independent oracle of the analysis projection: the Cypher implementations of fundingMatrix's
 * facts, of the collaboration network and of portfolioSimilarity's portfolios that the server ran
 * before the projection became the one engine. Neo4j evaluates the filters (PROJECT_FILTER, PROGRAMME_FILTER), the memberships and the
 * SAME_AS bodies itself, so an answer here shares no counting code with the projection: tests compare
 * the two on graphs loaded by the real importers. The matrix's assembly from its facts (ordering,
 * per capita, totals) is the server's own matrixAnswer: what is compared is the engine under it.
 */

/** A YEAR column's key: the start year as a whole number in text ("2023", whatever type it is stored as). */
const yearKey = (year: number) => String(year);
const YEAR_KEY_CYPHER = "toString(toInteger(p.startYear))";

/** Integer sums: amounts in whole cents, projects, participations. */
type Aggregate = { cents: number; projects: number; parts: number };

/**
 * (row entity, project, amount in whole cents, participations) of the filtered projects, one per pair,
 * so that sums never count a project twice in a row.
 */
const ROW_FACTS: Record<MatrixRows, string> = {
  COUNTRY: `${participationsByCountry("rowNode")}
    WITH rowNode, p, sum(${centsOf("r.contribution")}) AS amount, count(r) AS parts`,
  FUNDER: `MATCH (p:Project) WHERE ${PROJECT_FILTER}
    MATCH ${fundedUnder("p", ":Programme")}-[:${REL.FUNDED_BY}]->(fundedBy:Funder)
    WITH DISTINCT ${funderBody("fundedBy")} AS rowNode, p
    WITH rowNode, p, ${centsOf("p.funding")} AS amount, COUNT { (:Organisation)-[:${REL.PARTICIPATES_IN}]->(p) } AS parts`,
  PROGRAMME: `MATCH (p:Project) WHERE ${PROJECT_FILTER}
    MATCH (p)-[:${REL.FUNDED_UNDER}]->(rowNode:Programme)
    WITH DISTINCT rowNode, p
    WITH rowNode, p, ${centsOf("p.funding")} AS amount, COUNT { (:Organisation)-[:${REL.PARTICIPATES_IN}]->(p) } AS parts`,
};

/** The column key(s) of each filtered project. */
const COLUMN_OF_PROJECT: Record<MatrixColumns, string> = {
  TOPIC: `MATCH (p)-[:${REL.ADDRESSES}]->(col:Topic) WHERE col.id IN $columnIds WITH p, col.id AS column`,
  YEAR: `WITH p, ${YEAR_KEY_CYPHER} AS column WHERE p.startYear IS NOT NULL`,
  PROGRAMME: `MATCH (p)-[:${REL.FUNDED_UNDER}]->(col:Programme) WITH p, col.id AS column`,
};

const ROW_LABEL = "coalesce(rowNode.acronym, rowNode.name, rowNode.id)";

/**
 * The matrix's facts read with Cypher: Neo4j gives which projects each row entity has (with its
 * amount) and which columns each project falls in; the cells and totals are summed here, a loop over
 * the facts instead of four Cypher passes over a collected list of them.
 */
export async function cypherMatrixFacts(
  context: AnalysisContext,
  rows: MatrixRows,
  columns: MatrixColumns,
  filters: AnalysisFilters,
  params: Record<string, unknown>,
) {
  const columnHeaders = await columnHeadersOf(context, columns, filters, params);
  const queryParams = { ...params, columnIds: columnHeaders.map((column) => column.key) };
  const [rowFacts, columnFacts] = await Promise.all([
    readQuery<RowFacts>(
      context,
      `${ROW_FACTS[rows]}
       RETURN rowNode.id AS id, ${ROW_LABEL} AS label, rowNode.population AS population,
              collect(p.id) AS projects, collect(amount) AS amounts, collect(parts) AS parts`,
      queryParams,
    ),
    readQuery<{ column: string; projects: string[] }>(
      context,
      `MATCH (p:Project) WHERE ${PROJECT_FILTER}
       ${COLUMN_OF_PROJECT[columns]}
       RETURN column, collect(DISTINCT p.id) AS projects`,
      queryParams,
    ),
  ]);
  const { cellsByKey, rowTotals } = aggregateFacts(rowFacts, columnFacts);
  const projectsOf = new Map(rowTotals.map((row) => [row.id, row.projects]));
  return {
    columnHeaders,
    rowTotals,
    cellOf: (row: string, column: string) => cellsByKey.get(cellKey(row, column)),
    sourceCount: (rowIds: readonly string[], perMillion: boolean) => {
      const counted = rowIds.flatMap((id) => projectsOf.get(id) ?? []);
      return sourceCountOf(context, perMillion ? [...counted, ...rowIds] : counted);
    },
  };
}

/** The key of a cell in aggregateFacts' cellsByKey. */
const cellKey = (row: string, column: string) => `${row}\u0000${column}`;

interface RowFacts {
  id: string;
  label: string;
  population: number | null;
  projects: string[];
  /** Whole cents, per project. */
  amounts: unknown[];
  parts: unknown[];
}

/**
 * Cells and totals from the facts: a project counts in a cell when the row entity takes part in it and
 * it falls in the column; a row's `placed` total counts each of its projects that fall in some column
 * once, its `outside` total those that fall in none.
 */
export function aggregateFacts(
  rowFacts: readonly RowFacts[],
  columnFacts: readonly { column: string; projects: string[] }[],
) {
  const columnsOf = new Map<string, string[]>();
  for (const { column, projects } of columnFacts) {
    for (const project of projects) {
      const columns = columnsOf.get(project);
      if (columns) columns.push(column);
      else columnsOf.set(project, [column]);
    }
  }
  const empty = (): Aggregate => ({ cents: 0, projects: 0, parts: 0 });
  const add = (to: Aggregate, cents: number, parts: number) => {
    to.cents += cents;
    to.projects += 1;
    to.parts += parts;
  };
  const cellsByKey = new Map<string, Aggregate>();
  const rowTotals: {
    id: string;
    label: string;
    population: number | null;
    placed: Aggregate;
    outside: Aggregate;
    projects: string[];
  }[] = [];
  for (const row of rowFacts) {
    const total = {
      id: row.id,
      label: row.label,
      population: row.population,
      placed: empty(),
      outside: empty(),
    };
    row.projects.forEach((project, k) => {
      const cents = toNumber(row.amounts[k]);
      const parts = toNumber(row.parts[k]);
      const columns = columnsOf.get(project);
      if (!columns) {
        add(total.outside, cents, parts);
        return;
      }
      add(total.placed, cents, parts);
      for (const column of columns) {
        const key = cellKey(row.id, column);
        let cell = cellsByKey.get(key);
        if (!cell) {
          cell = empty();
          cellsByKey.set(key, cell);
        }
        add(cell, cents, parts);
      }
    });
    if (row.projects.length) rowTotals.push({ ...total, projects: row.projects });
  }
  return { cellsByKey, rowTotals };
}

async function columnHeadersOf(
  context: AnalysisContext,
  columns: MatrixColumns,
  filters: AnalysisFilters,
  params: Record<string, unknown>,
): Promise<{ key: string; label: string; linkedProjects?: number | null }[]> {
  switch (columns) {
    case "TOPIC": {
      const topics = await readQuery<{ key: string; label: string; linkedProjects: unknown }>(
        context,
        `MATCH (t:Topic) WHERE ${topicSelected("t")}
         RETURN t.id AS key, t.name AS label, COUNT { (:Project)-[:${REL.ADDRESSES}]->(t) } AS linkedProjects
         ORDER BY t.id`,
        params,
      );
      return topics.map((topic) => ({ ...topic, linkedProjects: toNumber(topic.linkedProjects) }));
    }
    case "YEAR": {
      const [range] = await readQuery<{ first: unknown; last: unknown }>(
        context,
        `MATCH (p:Project) WHERE ${PROJECT_FILTER} AND p.startYear IS NOT NULL
         RETURN min(toInteger(p.startYear)) AS first, max(toInteger(p.startYear)) AS last`,
        params,
      );
      const first = filters.fromYear ?? (range?.first == null ? null : toNumber(range.first));
      const last = filters.toYear ?? (range?.last == null ? null : toNumber(range.last));
      if (first === null || last === null) return [];
      return Array.from({ length: last - first + 1 }, (_, i) => ({
        key: yearKey(first + i),
        label: yearKey(first + i),
      }));
    }
    case "PROGRAMME":
      return readQuery<{ key: string; label: string }>(
        context,
        `MATCH (p:Project)-[:${REL.FUNDED_UNDER}]->(g:Programme) WHERE ${PROJECT_FILTER}
         RETURN DISTINCT g.id AS key, coalesce(g.acronym, g.name) AS label ORDER BY key`,
        params,
      );
  }
}

/** fundingMatrix with its facts read by Cypher (same arguments, same answer shape, same errors). */
export async function oracleFundingMatrix(
  context: AnalysisContext,
  args: MatrixArgs,
): Promise<FundingMatrix> {
  const params = await matrixParams(context, args);
  const facts = await cypherMatrixFacts(context, args.rows, args.columns, args.filters ?? {}, params);
  return matrixAnswer(args, facts, params);
}

interface Membership {
  id: string;
  label: string | null;
  projects: string[];
  /** Whole cents, per project. */
  amounts: unknown[];
}

/** The whole network as the Cypher path made it: nodes and edges with the records each number counts. */
export interface OracleNetwork {
  nodes: (NetworkNode & { records: string[] })[];
  edges: (NetworkEdge & { records?: string[] })[];
  description: string;
}

/** The whole network of a definition by Cypher (wholeNetwork before the projection was the one engine). */
export async function oracleWholeNetwork(
  context: AnalysisContext,
  args: NetworkDefinition,
): Promise<OracleNetwork> {
  const minWeight = args.minWeight ?? 1;
  const filters = await projectFilterParams(context, args);
  if (args.level === "FUNDER") return funderNetwork(context, filters, minWeight);
  const kind = args.level === "COUNTRY" ? "Country" : "Organisation";
  const description =
    `${kind} network: an edge counts the distinct projects in which both ends have a participant ` +
    "(weight = projects); amountEur sums the EU contributions to both ends' participants in those projects; " +
    "a node's weight counts its distinct projects. Only nodes with at least one kept edge are listed.";
  // Neo4j gives who is in which project; the pairs are counted here, where it is a tight loop over
  // integers instead of hundreds of thousands of Cypher rows.
  const members = await readQuery<Membership>(
    context,
    `${MEMBERSHIP[args.level]}
     WITH e, p, sum(${centsOf("r.contribution")}) AS cents
     WITH e, collect(p.id) AS projects, collect(cents) AS amounts
     RETURN e.id AS id, e.name AS label, projects, amounts`,
    filters,
  );
  const edges = sharedProjectEdges(members, minWeight);
  return {
    nodes: nodesOf(
      edges,
      members.map((member) => ({
        key: member.id,
        label: member.label ?? member.id,
        kind,
        weight: member.projects.length,
        records: member.projects,
      })),
    ),
    edges,
    description,
  };
}

/** collaborationNetwork by Cypher: the whole network cut to the heaviest `limit` edges; sourceCount by Cypher. */
export async function oracleCollaborationNetwork(
  context: AnalysisContext,
  args: NetworkArgs,
): Promise<Omit<CollaborationNetwork, "coverageRequest">> {
  const limit = checkedLimit(args.limit);
  const whole = await oracleWholeNetwork(context, args);
  const edges = whole.edges.slice(0, limit);
  const used = new Set(edges.flatMap((edge) => [edge.source, edge.target]));
  const nodes = whole.nodes.filter((node) => used.has(node.key));
  const records = [...nodes.flatMap((node) => node.records), ...edges.flatMap((edge) => edge.records ?? [])];
  return {
    nodes: nodes.map(({ records: _, ...node }) => node),
    edges: edges.map(({ records: _, ...edge }) => edge),
    totalEdges: whole.edges.length,
    description: whole.description,
    sourceCount: await sourceCountOf(context, records),
  };
}

/** The participations `r` of each entity `e` in the filtered projects `p`. */
const MEMBERSHIP: Record<Exclude<NetworkLevel, "FUNDER">, string> = {
  COUNTRY: participationsByCountry("e"),
  // Participations of the nodes of one body (a CORDIS organisation, its curated record) count as the body's.
  ORGANISATION: `MATCH (o:Organisation)-[r:${REL.PARTICIPATES_IN}]->(p:Project) WHERE ${PROJECT_FILTER}
    WITH ${bodyOf("o", "Organisation")} AS e, p, r`,
};

interface Membership {
  id: string;
  label: string | null;
  projects: string[];
  /** Whole cents, per project. */
  amounts: unknown[];
}

/**
 * Every pair of entities that share at least `minWeight` projects, heaviest first then by ids, with the
 * EU contributions of both ends in their shared projects summed in whole cents.
 */
export function sharedProjectEdges(members: readonly Membership[], minWeight: number): NetworkEdge[] {
  // Entities by index in id order, so that a pair (i < j) has source id < target id.
  const ordered = [...members].sort((a, b) => compareIds(a.id, b.id));
  const inProject = new Map<string, { entity: number; cents: number }[]>();
  ordered.forEach((member, entity) => {
    member.projects.forEach((project, k) => {
      const list = inProject.get(project);
      const entry = { entity, cents: toNumber(member.amounts[k]) };
      if (list) list.push(entry);
      else inProject.set(project, [entry]);
    });
  });
  const size = ordered.length;
  const pairs = new Map<number, { projects: number; cents: number }>();
  for (const list of inProject.values()) {
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const [a, b] = list[x]!.entity < list[y]!.entity ? [list[x]!, list[y]!] : [list[y]!, list[x]!];
        const key = a.entity * size + b.entity;
        const pair = pairs.get(key);
        if (pair) {
          pair.projects += 1;
          pair.cents += a.cents + b.cents;
        } else pairs.set(key, { projects: 1, cents: a.cents + b.cents });
      }
    }
  }
  const kept: NetworkEdge[] = [];
  for (const [key, pair] of pairs) {
    if (pair.projects < minWeight) continue;
    kept.push({
      source: ordered[Math.floor(key / size)]!.id,
      target: ordered[key % size]!.id,
      weight: pair.projects,
      projects: pair.projects,
      amountEur: eurFromCents(pair.cents),
    });
  }
  return kept.sort(byWeightThenIds);
}

const byWeightThenIds = (a: NetworkEdge, b: NetworkEdge) =>
  b.weight - a.weight || compareIds(a.source, b.source) || compareIds(a.target, b.target);

/** Code-unit order, as Cypher's ORDER BY sorts strings (localeCompare would not). */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The nodes that the edges touch, heaviest first, then by id. */
function nodesOf<T extends NetworkNode>(edges: readonly NetworkEdge[], all: readonly T[]): T[] {
  const used = new Set(edges.flatMap((edge) => [edge.source, edge.target]));
  return all
    .filter((node) => used.has(node.key))
    .sort((a, b) => b.weight - a.weight || compareIds(a.key, b.key));
}

async function funderNetwork(
  context: AnalysisContext,
  filters: CheckedFilters,
  minWeight: number,
): Promise<OracleNetwork> {
  // A programme counts when it matches the filters itself (PROGRAMME_FILTER); the projects of an edge
  // are the filtered projects (PROJECT_FILTER) funded under its shared programmes.
  const programmes = await readQuery<{
    programme: string;
    funders: { id: string; label: string }[];
    projects: string[];
  }>(
    context,
    // Not named \`funder\`: PROGRAMME_FILTER's own subquery binds that name.
    `MATCH (g:Programme)-[:${REL.FUNDED_BY}]->(fundedBy:Funder) WHERE ${PROGRAMME_FILTER}
     WITH g, ${funderBody("fundedBy")} AS f
     WITH g, collect(DISTINCT {id: f.id, label: coalesce(f.acronym, f.name, f.id)}) AS funders
     RETURN g.id AS programme, funders,
            COLLECT { MATCH ${fundedUnder("p:Project", "g")} WHERE ${PROJECT_FILTER} RETURN DISTINCT p.id } AS projects`,
    filters,
  );
  const funders = new Map<string, { label: string; programmes: string[] }>();
  const pairs = new Map<
    string,
    { source: string; target: string; programmes: string[]; projects: Set<string> }
  >();
  for (const { programme, funders: fundedBy, projects } of programmes) {
    const ids = [...fundedBy].sort((a, b) => compareIds(a.id, b.id));
    for (const funder of ids) {
      const entry = funders.get(funder.id) ?? { label: funder.label, programmes: [] };
      entry.programmes.push(programme);
      funders.set(funder.id, entry);
    }
    for (let x = 0; x < ids.length; x++) {
      for (let y = x + 1; y < ids.length; y++) {
        const key = `${ids[x]!.id}\u0000${ids[y]!.id}`;
        const pair = pairs.get(key) ?? {
          source: ids[x]!.id,
          target: ids[y]!.id,
          programmes: [],
          projects: new Set<string>(),
        };
        pair.programmes.push(programme);
        for (const project of projects) pair.projects.add(project);
        pairs.set(key, pair);
      }
    }
  }
  const edges = [...pairs.values()]
    .filter((pair) => pair.programmes.length >= minWeight)
    .map((pair) => ({
      source: pair.source,
      target: pair.target,
      weight: pair.programmes.length,
      projects: pair.projects.size,
      amountEur: 0,
      records: [...pair.programmes, ...pair.projects],
    }))
    .sort(byWeightThenIds);
  return {
    nodes: nodesOf(
      edges,
      [...funders].map(([key, funder]) => ({
        key,
        label: funder.label,
        kind: "Funder",
        weight: funder.programmes.length,
        records: funder.programmes,
      })),
    ),
    edges,
    description:
      `Funder network: an edge counts the programmes both funders fund (${REL.FUNDED_BY}), weight = programmes; ` +
      "projects counts the distinct filtered projects funded under those programmes; a node's weight counts its programmes.",
  };
}

/** Cypher binding `e` (the entity) and `p` (a filtered project of it), one row per pair. */
const ENTITY_PROJECTS: Record<PortfolioLevel, string> = {
  COUNTRY: `${participationsByCountry("e")}
    WITH DISTINCT e, p`,
  // Not named `funder`: PROJECT_FILTER's own subquery binds that name.
  FUNDER: `MATCH (g:Programme)-[:${REL.FUNDED_BY}]->(fundedBy:Funder)
    WITH g, ${funderBody("fundedBy")} AS e
    MATCH ${fundedUnder("p:Project", "g")} WHERE ${PROJECT_FILTER}
    WITH DISTINCT e, p`,
};

/**
 * portfolioSimilarity's portfolios read with Cypher (the engine before the projections): per entity of
 * the level, its filtered projects per topic of the scheme (or the topics given), or per topic and tier.
 * The same shape as projectedPortfolios (src/analysis/portfolio-similarity.ts) gives.
 */
export async function oraclePortfolios(
  context: AnalysisContext,
  args: Pick<PortfolioArgs, "level" | "byTier">,
  params: Record<string, unknown>,
): Promise<PortfolioTally> {
  const rows = await readQuery<{
    entity: string;
    label: string | null;
    topic: string;
    topicLabel: string | null;
    projects: { id: string; tier: string | null }[];
  }>(
    context,
    `${ENTITY_PROJECTS[args.level]}
     MATCH (p)-[:${REL.ADDRESSES}]->(t:Topic) WHERE ${topicSelected("t")}
     RETURN e.id AS entity, coalesce(e.acronym, e.name, e.id) AS label, t.id AS topic,
            coalesce(t.name, t.code, t.id) AS topicLabel, collect(DISTINCT {id: p.id, tier: p.pmRelevance}) AS projects`,
    params,
  );
  const portfolios = new Map<string, Portfolio>();
  const dimensionLabels = new Map<string, string>();
  for (const row of rows) {
    const portfolio = portfolios.get(row.entity) ?? {
      key: row.entity,
      label: row.label ?? row.entity,
      dimensions: new Map<string, string[]>(),
      projects: new Set<string>(),
    };
    for (const project of row.projects) {
      const key = args.byTier ? `${row.topic}|${project.tier ?? "NONE"}` : row.topic;
      dimensionLabels.set(
        key,
        args.byTier
          ? `${row.topicLabel ?? row.topic} (${project.tier ?? "no tier"})`
          : (row.topicLabel ?? row.topic),
      );
      const list = portfolio.dimensions.get(key) ?? [];
      list.push(project.id);
      portfolio.dimensions.set(key, list);
      portfolio.projects.add(project.id);
    }
    portfolios.set(row.entity, portfolio);
  }
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  for (const portfolio of portfolios.values())
    for (const list of portfolio.dimensions.values()) list.sort(compare);
  return { portfolios, dimensionLabels };
}

/**
 * coverageOf (src/analysis/coverage.ts) with the Cypher it ran before the analysis projection gave it
 * its population: three scans of the projects PROJECT_FILTER selects (counts and start years, top-level
 * programmes reached through FUNDED_UNDER then PART_OF*0..3, sources), so that Neo4j evaluates the
 * filters and the hierarchy itself. The shortfalls (stated-vs-recorded.ts, still Cypher in the server)
 * and the statement's wording are the server's own: what is compared is the population under them.
 */
export async function oracleCoverage(context: AnalysisContext, request: CoverageRequest): Promise<Coverage> {
  const { params } = request;
  const programmeScope = `($programmeIds IS NULL OR EXISTS { MATCH (g)-[:${REL.PART_OF}*0..3]->(selected:Programme) WHERE selected.id IN $programmeIds })`;
  const [counts, programmes, sources, projectShortfalls, memberShortfalls] = await Promise.all([
    readQuery<{ projects: unknown; first: unknown; last: unknown; undated: unknown; unplaced: unknown }>(
      context,
      `MATCH (p:Project) WHERE ${PROJECT_FILTER}
       RETURN count(p) AS projects, min(toInteger(p.startYear)) AS first, max(toInteger(p.startYear)) AS last,
              count(CASE WHEN p.startYear IS NULL THEN 1 END) AS undated,
              count(CASE WHEN NOT (p)-[:${REL.FUNDED_UNDER}]->(:Programme) THEN 1 END) AS unplaced`,
      params,
    ),
    readQuery<{ id: string; label: string; projects: unknown }>(
      context,
      `MATCH (p:Project) WHERE ${PROJECT_FILTER}
       MATCH (p)-[:${REL.FUNDED_UNDER}]->(:Programme)-[:${REL.PART_OF}*0..3]->(g:Programme) WHERE NOT (g)-[:${REL.PART_OF}]->(:Programme)
       RETURN g.id AS id, coalesce(g.acronym, g.name, g.id) AS label, count(DISTINCT p) AS projects
       ORDER BY projects DESC, id`,
      params,
    ),
    readQuery<{ id: string; title: string; date: unknown; newest: unknown; projects: unknown }>(
      context,
      `MATCH (p:Project) WHERE ${PROJECT_FILTER}
       MATCH (p)-[:${REL.SOURCED_FROM}]->(s:Source)
       RETURN s.id AS id, s.title AS title, toString(s.date) AS date, toString(s.newestContentUpdate) AS newest,
              count(DISTINCT p) AS projects
       ORDER BY projects DESC, id`,
      params,
    ),
    unrecordedProjects(context, programmeScope, params),
    request.memberships === null
      ? Promise.resolve([])
      : unrecordedMembers(context, request.memberships === "ALL" ? "true" : "k.id = $consortiumId", {
          consortiumId: request.memberships,
        }),
  ]);
  const count = counts[0];
  const coverage: Omit<Coverage, "statement"> = {
    projects: toNumber(count?.projects),
    fromYear: count?.first == null ? null : toNumber(count.first),
    toYear: count?.last == null ? null : toNumber(count.last),
    projectsWithoutStartYear: toNumber(count?.undated),
    programmes: programmes.map((row) => ({ ...row, projects: toNumber(row.projects) })),
    projectsWithoutProgramme: toNumber(count?.unplaced),
    sources: sources.map((row) => ({
      id: row.id,
      title: row.title,
      date: (row.date as string | null) ?? null,
      newestContentUpdate: (row.newest as string | null) ?? null,
      projects: toNumber(row.projects),
    })),
    missing: [...memberShortfalls, ...projectShortfalls],
    thresholds: request.thresholds,
  };
  return { ...coverage, statement: coverageStatement(coverage) };
}
