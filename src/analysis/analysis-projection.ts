import type { ManagedTransaction } from "neo4j-driver";
import { toNumber } from "../db/neo4j-number.js";
import { REL } from "../model/relationships.js";
import { centsOf } from "./money.js";
import { bodyOf, funderBody } from "./project-filters.js";

/**
 * A list of integer lists in two typed arrays (compressed sparse rows): the items of list `i` are
 * `items[start[i]] .. items[start[i + 1] - 1]`. One allocation per list kind instead of one per list.
 */
export interface IdLists {
  start: Int32Array;
  items: Int32Array;
}

/** A table of one label's nodes: their ids by index and the index of each id. */
export interface NodeTable {
  ids: string[];
  index: Map<string, number>;
}

/**
 * The in-memory analysis projection (issue 19): who takes part in which project, with every property
 * the analyses filter, group or sum by, as integer indices into node tables and typed arrays. Built
 * once per data version by `loadProjection` and shared by every analysis and filter; no request reads
 * the participations from Neo4j again until the version changes.
 *
 * Amounts are whole cents computed by Neo4j with the expression (`centsOf`) of the Cypher analyses,
 * so the projection and the Cypher analyses (and the tests' oracle) sum the same integers.
 */
export interface AnalysisProjection {
  projects: NodeTable & {
    /** `p.startYear` (NaN when absent), as stored; YEAR columns use its integer part as toInteger does. */
    startYear: Float64Array;
    /** Index into `tiers` of `p.pmRelevance`, -1 when absent. */
    tier: Int32Array;
    /** `centsOf(p.funding)`. */
    fundingCents: Float64Array;
    /** Topics it ADDRESSES (distinct). */
    topics: IdLists;
    /** Programmes it is FUNDED_UNDER directly (distinct). */
    programmes: IdLists;
    /** Programmes it is funded under directly or through PART_OF*0..3 (distinct): what programmeIds match. */
    programmeScope: IdLists;
    /** The bodies (funderBody) of the funders FUNDED_BY one of its programmeScope (distinct): FUNDER rows. */
    funders: IdLists;
    /** The Funder nodes themselves FUNDED_BY one of its programmeScope (distinct): what funderIds match. */
    directFunders: IdLists;
    /** Its participations (Organisation PARTICIPATES_IN, each relationship once) as organisation and cents. */
    participations: { start: Int32Array; organisation: Int32Array; cents: Float64Array };
  };
  tiers: string[];
  organisations: NodeTable & {
    name: (string | null)[];
    /** Countries it is LOCATED_IN, one entry per relationship (as participationsByCountry expands them). */
    countries: IdLists;
  };
  countries: NodeTable & { name: (string | null)[]; rowLabel: string[]; population: (number | null)[] };
  topics: NodeTable & { name: (string | null)[]; scheme: (string | null)[]; linkedProjects: Int32Array };
  programmes: NodeTable & {
    columnLabel: (string | null)[];
    rowLabel: string[];
    /** `g.startYear` and `g.endYear` (NaN when absent): the FUNDER network's year filter. */
    startYear: Float64Array;
    endYear: Float64Array;
    /** Topics it COVERS (distinct). */
    topics: IdLists;
    /** Itself and the programmes it is PART_OF through 1..3 steps (distinct). */
    scope: IdLists;
    /** The bodies (funderBody) of the funders it is FUNDED_BY itself (distinct): the FUNDER network's nodes. */
    bodies: IdLists;
    /** The Funder nodes FUNDED_BY one of its scope (distinct): what funderIds match for a programme. */
    directFunders: IdLists;
    /** 1 when it is PART_OF no Programme (a top of the hierarchy: coverage's programmes), else 0. */
    topLevel: Uint8Array;
  };
  funders: NodeTable & {
    rowLabel: string[];
    /** The Funders it is linked to by SAME_AS, either way (one entry per relationship). */
    sameAs: IdLists;
  };
  /** Source ids by index, and the sources (indices) of every project, programme and country that has one. */
  sources: {
    ids: string[];
    ofEntity: Map<string, Int32Array>;
    /** Coverage's facts of each source, by index. */
    details: SourceDetails;
  };
}

/**
 * Per source (by index into `sources.ids`): its title, and its `date` and `newestContentUpdate` as
 * `toString` gives them in Cypher (ISO 8601), null when absent.
 */
export interface SourceDetails {
  title: string[];
  date: (string | null)[];
  newestContentUpdate: (string | null)[];
}

function table(ids: string[]): NodeTable {
  return { ids, index: new Map(ids.map((id, i) => [id, i])) };
}

/** Builds IdLists from per-list arrays of indices, optionally removing repeated items of a list. */
function idLists(lists: readonly (readonly number[])[], distinct: boolean): IdLists {
  const start = new Int32Array(lists.length + 1);
  const kept = distinct ? lists.map((list) => [...new Set(list)]) : lists;
  for (let i = 0; i < kept.length; i++) start[i + 1] = start[i]! + kept[i]!.length;
  const items = new Int32Array(start[kept.length]!);
  for (let i = 0; i < kept.length; i++) items.set(kept[i]!, start[i]!);
  return { start, items };
}

/**
 * Runs a query and hands each row (as a plain object) to `each` as the rows arrive, without holding
 * them all. Through `subscribe`: the result's async iterator costs 3-6x more per row (measured at M:
 * 26,559 organisations in 3.0 s against 0.8 s).
 */
function stream(
  tx: ManagedTransaction,
  cypher: string,
  each: (row: Record<string, unknown>) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.run(cypher).subscribe({
      onNext: (record) => {
        try {
          each(record.toObject());
        } catch (error) {
          reject(error);
        }
      },
      onCompleted: () => resolve(),
      onError: reject,
    });
  });
}

const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

/** Records the sources of an entity (its id, and the Source ids read with it); none are kept when it has none. */
type KeepSources = (id: string, sources: unknown) => void;

/**
 * Collects the sources of entities as they are read: `keep` gives each Source id an index in order of
 * first sight, `sources()` returns the Source ids by index and each entity's distinct source indices.
 */
function sourceCollector(): {
  keep: KeepSources;
  sources: () => Omit<AnalysisProjection["sources"], "details">;
} {
  const sourceIndex = new Map<string, number>();
  const ofEntity = new Map<string, Int32Array>();
  const keep: KeepSources = (id, sources) => {
    const list = [...new Set(sources as string[])];
    if (!list.length) return;
    ofEntity.set(
      id,
      Int32Array.from(list, (source) => {
        let index = sourceIndex.get(source);
        if (index === undefined) {
          index = sourceIndex.size;
          sourceIndex.set(source, index);
        }
        return index;
      }),
    );
  };
  return { keep, sources: () => ({ ids: [...sourceIndex.keys()], ofEntity }) };
}

/** Reads the Countries: name, row label (acronym, else name, else id), population (null when absent), sources. */
async function readCountries(
  tx: ManagedTransaction,
  keep: KeepSources,
): Promise<AnalysisProjection["countries"]> {
  const countryRows: { id: string; name: string | null; rowLabel: string; population: number | null }[] = [];
  await stream(
    tx,
    `MATCH (c:Country) RETURN c.id AS id, c.name AS name, coalesce(c.acronym, c.name, c.id) AS rowLabel,
            c.population AS population, [(c)-[:${REL.SOURCED_FROM}]->(s:Source) | s.id] AS sources`,
    (row) => {
      keep(String(row.id), row.sources);
      countryRows.push({
        id: String(row.id),
        name: text(row.name),
        rowLabel: String(row.rowLabel),
        population: row.population === null || row.population === undefined ? null : toNumber(row.population),
      });
    },
  );
  return {
    ...table(countryRows.map((c) => c.id)),
    name: countryRows.map((c) => c.name),
    rowLabel: countryRows.map((c) => c.rowLabel),
    population: countryRows.map((c) => c.population),
  };
}

/** Reads the Organisations: name and the countries (indices into `countries`) each is LOCATED_IN. */
async function readOrganisations(
  tx: ManagedTransaction,
  countries: NodeTable,
): Promise<AnalysisProjection["organisations"]> {
  const organisationIds: string[] = [];
  const organisationNames: (string | null)[] = [];
  const organisationCountries: number[][] = [];
  await stream(
    tx,
    `MATCH (o:Organisation) RETURN o.id AS id, o.name AS name, [(o)-[:${REL.LOCATED_IN}]->(c:Country) | c.id] AS countries`,
    (row) => {
      organisationIds.push(String(row.id));
      organisationNames.push(text(row.name));
      organisationCountries.push((row.countries as string[]).map((id) => countries.index.get(id)!));
    },
  );
  return {
    ...table(organisationIds),
    name: organisationNames,
    countries: idLists(organisationCountries, false),
  };
}

/** Reads the Topics: name, scheme and how many projects ADDRESS each (linkedProjects). */
async function readTopics(tx: ManagedTransaction): Promise<AnalysisProjection["topics"]> {
  const topicRows: { id: string; name: string | null; scheme: string | null; linked: number }[] = [];
  await stream(
    tx,
    `MATCH (t:Topic) RETURN t.id AS id, t.name AS name, t.scheme AS scheme,
            COUNT { (:Project)-[:${REL.ADDRESSES}]->(t) } AS linked`,
    (row) =>
      topicRows.push({
        id: String(row.id),
        name: text(row.name),
        scheme: text(row.scheme),
        linked: toNumber(row.linked),
      }),
  );
  return {
    ...table(topicRows.map((t) => t.id)),
    name: topicRows.map((t) => t.name),
    scheme: topicRows.map((t) => t.scheme),
    linkedProjects: Int32Array.from(topicRows.map((t) => t.linked)),
  };
}

/** Reads the Funders: row labels (acronym, else name, else id) and their SAME_AS neighbours. */
async function readFunders(tx: ManagedTransaction): Promise<AnalysisProjection["funders"]> {
  const funderRows: { id: string; rowLabel: string; same: string[] }[] = [];
  await stream(
    tx,
    `MATCH (f:Funder) RETURN f.id AS id, coalesce(f.acronym, f.name, f.id) AS rowLabel,
            [(f)-[:${REL.SAME_AS}]-(s:Funder) | s.id] AS same`,
    (row) =>
      funderRows.push({ id: String(row.id), rowLabel: String(row.rowLabel), same: row.same as string[] }),
  );
  const funders = table(funderRows.map((f) => f.id));
  return {
    ...funders,
    rowLabel: funderRows.map((f) => f.rowLabel),
    sameAs: idLists(
      funderRows.map((f) => f.same.map((id) => funders.index.get(id)!)),
      false,
    ),
  };
}

/**
 * Per programme (by index), the programmes reachable through PART_OF*0..3 (itself included), as the
 * Cypher pattern fundedUnder() matches them. `parents` are the PART_OF targets' indices per programme.
 */
function programmeScopes(parents: readonly (readonly number[])[]): number[][] {
  return parents.map((_, self) => {
    const reached = new Set([self]);
    let frontier = [self];
    for (let depth = 0; depth < 3 && frontier.length; depth++) {
      const next: number[] = [];
      for (const g of frontier) {
        for (const h of parents[g]!) {
          if (!reached.has(h)) {
            reached.add(h);
            next.push(h);
          }
        }
      }
      frontier = next;
    }
    return [...reached];
  });
}

/** One Programme as read (ids not yet indices). */
interface ProgrammeRow {
  id: string;
  columnLabel: string | null;
  rowLabel: string;
  startYear: number;
  endYear: number;
  parents: string[];
  topics: string[];
  bodies: string[];
  direct: string[];
}

const yearOrNaN = (value: unknown) => (value === null || value === undefined ? Number.NaN : toNumber(value));

/**
 * Reads the Programmes: column label (acronym, else name; null when neither), row label (else id),
 * years, topics it COVERS, sources (to `keep`), and per programme index its PART_OF*0..3 scope, the
 * bodies of the funders it is FUNDED_BY, and the Funder nodes FUNDED_BY one of its scope.
 */
async function readProgrammes(
  tx: ManagedTransaction,
  keep: KeepSources,
  tables: { funders: NodeTable; topics: NodeTable },
): Promise<AnalysisProjection["programmes"]> {
  const rows: ProgrammeRow[] = [];
  await stream(
    tx,
    `MATCH (g:Programme) RETURN g.id AS id, coalesce(g.acronym, g.name) AS columnLabel,
            coalesce(g.acronym, g.name, g.id) AS rowLabel, g.startYear AS startYear, g.endYear AS endYear,
            [(g)-[:${REL.PART_OF}]->(h:Programme) | h.id] AS parents,
            [(g)-[:${REL.COVERS}]->(t:Topic) | t.id] AS topics,
            [(g)-[:${REL.FUNDED_BY}]->(f:Funder) | f.id] AS direct,
            [(g)-[:${REL.SOURCED_FROM}]->(s:Source) | s.id] AS sources,
            COLLECT { MATCH (g)-[:${REL.FUNDED_BY}]->(f:Funder) WITH ${funderBody("f")} AS body RETURN DISTINCT body.id } AS bodies`,
    (row) => {
      keep(String(row.id), row.sources);
      rows.push({
        id: String(row.id),
        columnLabel: text(row.columnLabel),
        rowLabel: String(row.rowLabel),
        startYear: yearOrNaN(row.startYear),
        endYear: yearOrNaN(row.endYear),
        parents: row.parents as string[],
        topics: row.topics as string[],
        bodies: row.bodies as string[],
        direct: row.direct as string[],
      });
    },
  );
  const programmes = table(rows.map((g) => g.id));
  const funderIndex = (id: string) => tables.funders.index.get(id)!;
  const scope = programmeScopes(rows.map((g) => g.parents.map((id) => programmes.index.get(id)!)));
  return {
    ...programmes,
    columnLabel: rows.map((g) => g.columnLabel),
    rowLabel: rows.map((g) => g.rowLabel),
    startYear: Float64Array.from(rows, (g) => g.startYear),
    endYear: Float64Array.from(rows, (g) => g.endYear),
    topics: idLists(
      rows.map((g) => g.topics.map((id) => tables.topics.index.get(id)!)),
      true,
    ),
    scope: idLists(scope, true),
    bodies: idLists(
      rows.map((g) => g.bodies.map(funderIndex)),
      true,
    ),
    directFunders: idLists(
      scope.map((reached) => reached.flatMap((h) => rows[h]!.direct.map(funderIndex))),
      true,
    ),
    topLevel: Uint8Array.from(rows, (g) => (g.parents.length ? 0 : 1)),
  };
}

/**
 * Reads the title and dates (SourceDetails) of the sources `ids`, in their order; a source read by
 * id from an entity exists, so every entry is filled.
 */
async function readSourceDetails(tx: ManagedTransaction, ids: readonly string[]): Promise<SourceDetails> {
  const index = new Map(ids.map((id, i) => [id, i]));
  const details: SourceDetails = {
    title: new Array<string>(ids.length).fill(""),
    date: new Array<string | null>(ids.length).fill(null),
    newestContentUpdate: new Array<string | null>(ids.length).fill(null),
  };
  await stream(
    tx,
    `MATCH (s:Source) RETURN s.id AS id, s.title AS title, toString(s.date) AS date,
            toString(s.newestContentUpdate) AS newest`,
    (row) => {
      const i = index.get(String(row.id));
      if (i === undefined) return;
      // Source.title is required by the schema (String!): kept as read, as the Cypher coverage returned it.
      details.title[i] = row.title as string;
      details.date[i] = text(row.date);
      details.newestContentUpdate[i] = text(row.newest);
    },
  );
  return details;
}

/** The items of list `i` of `lists`, as a plain array. */
export function itemsOf(lists: IdLists, i: number): number[] {
  return Array.from(lists.items.subarray(lists.start[i]!, lists.start[i + 1]!));
}

/**
 * Reads the Projects with their start year (NaN when absent), tier (index into the returned `tiers`,
 * in order of first sight; -1 when absent), funding in whole cents, topics, programmes (direct and
 * through the programmes' scope), funders (bodies and nodes, through the scope), participations (organisation
 * and contribution in whole cents) and sources (to `keep`). Indices are into the given tables.
 */
async function readProjects(
  tx: ManagedTransaction,
  keep: KeepSources,
  tables: { organisations: NodeTable; topics: NodeTable; programmes: AnalysisProjection["programmes"] },
): Promise<{ projects: AnalysisProjection["projects"]; tiers: string[] }> {
  const { organisations, topics, programmes } = tables;
  const projectIds: string[] = [];
  const startYear: number[] = [];
  const tierOf = new Map<string, number>();
  const tier: number[] = [];
  const fundingCents: number[] = [];
  const projectTopics: number[][] = [];
  const projectProgrammes: number[][] = [];
  const partStart: number[] = [0];
  const partOrganisation: number[] = [];
  const partCents: number[] = [];
  await stream(
    tx,
    `MATCH (p:Project)
     RETURN p.id AS id, p.startYear AS startYear, p.pmRelevance AS tier,
            toFloat(${centsOf("p.funding")}) AS funding,
            [(p)-[:${REL.ADDRESSES}]->(t:Topic) | t.id] AS topics,
            [(p)-[:${REL.FUNDED_UNDER}]->(g:Programme) | g.id] AS programmes,
            [(o:Organisation)-[r:${REL.PARTICIPATES_IN}]->(p) | [${bodyOf("o", "Organisation")}.id, toFloat(${centsOf("r.contribution")})]] AS parts,
            [(p)-[:${REL.SOURCED_FROM}]->(s:Source) | s.id] AS sources`,
    (row) => {
      projectIds.push(String(row.id));
      keep(String(row.id), row.sources);
      startYear.push(
        row.startYear === null || row.startYear === undefined ? Number.NaN : toNumber(row.startYear),
      );
      const relevance = text(row.tier);
      if (relevance === null) tier.push(-1);
      else {
        if (!tierOf.has(relevance)) tierOf.set(relevance, tierOf.size);
        tier.push(tierOf.get(relevance)!);
      }
      fundingCents.push(row.funding as number);
      projectTopics.push((row.topics as string[]).map((id) => topics.index.get(id)!));
      projectProgrammes.push((row.programmes as string[]).map((id) => programmes.index.get(id)!));
      for (const [organisation, cents] of row.parts as [string, number][]) {
        partOrganisation.push(organisations.index.get(organisation)!);
        partCents.push(cents);
      }
      partStart.push(partOrganisation.length);
    },
  );
  const programmeScope = projectProgrammes.map((direct) =>
    direct.flatMap((g) => itemsOf(programmes.scope, g)),
  );
  return {
    projects: {
      ...table(projectIds),
      startYear: Float64Array.from(startYear),
      tier: Int32Array.from(tier),
      fundingCents: Float64Array.from(fundingCents),
      topics: idLists(projectTopics, true),
      programmes: idLists(projectProgrammes, true),
      programmeScope: idLists(programmeScope, true),
      funders: idLists(
        programmeScope.map((scope) => scope.flatMap((g) => itemsOf(programmes.bodies, g))),
        true,
      ),
      directFunders: idLists(
        programmeScope.map((scope) => scope.flatMap((g) => itemsOf(programmes.directFunders, g))),
        true,
      ),
      participations: {
        start: Int32Array.from(partStart),
        organisation: Int32Array.from(partOrganisation),
        cents: Float64Array.from(partCents),
      },
    },
    tiers: [...tierOf.keys()],
  };
}

/**
 * Reads the projection in one read transaction (`tx`): countries, organisations, topics, funders,
 * programmes, projects, then the title and dates of the sources read with them, one query each. Rows
 * stream, so the driver never holds all participations at once. Throws what the driver throws (e.g. the transaction's timeout).
 */
export async function loadProjection(tx: ManagedTransaction): Promise<AnalysisProjection> {
  // sourceCount counts the sources of projects, of the FUNDER network's programmes and, per capita,
  // of countries: those are read.
  const { keep, sources } = sourceCollector();
  const countries = await readCountries(tx, keep);
  const organisations = await readOrganisations(tx, countries);
  const topics = await readTopics(tx);
  const funders = await readFunders(tx);
  const programmes = await readProgrammes(tx, keep, { funders, topics });
  const { projects, tiers } = await readProjects(tx, keep, { organisations, topics, programmes });
  const collected = sources();
  const details = await readSourceDetails(tx, collected.ids);
  return {
    projects,
    tiers,
    organisations,
    countries,
    topics,
    programmes,
    funders,
    sources: { ...collected, details },
  };
}

/** The number of distinct source indices in `sourceLists` (each an entity's sources, or none). */
function distinctSources(
  projection: AnalysisProjection,
  sourceLists: Iterable<Int32Array | undefined>,
): number {
  const seen = new Uint8Array(projection.sources.ids.length);
  let count = 0;
  for (const sources of sourceLists) {
    if (!sources) continue;
    for (const source of sources) {
      if (!seen[source]) {
        seen[source] = 1;
        count++;
      }
    }
  }
  return count;
}

/**
 * Distinct sources of the entities `ids` (the projection's sourcesOf/countSources): the `sourceCount`
 * of records, without a query.
 */
export function projectionSourceCount(projection: AnalysisProjection, ids: Iterable<string>): number {
  const { ofEntity } = projection.sources;
  return distinctSources(
    projection,
    (function* () {
      for (const id of ids) yield ofEntity.get(id);
    })(),
  );
}

// Each project's sources by project index, built once per projection: answers that list thousands of
// projects count their sources without a string look-up per project.
const projectSources = new WeakMap<AnalysisProjection, (Int32Array | undefined)[]>();

/**
 * Distinct sources of the projects whose index is set in `projects` (a mask over
 * `projection.projects`): the same count as projectionSourceCount of their ids.
 */
export function projectionSourceCountOfProjects(
  projection: AnalysisProjection,
  projects: Uint8Array,
): number {
  let byProject = projectSources.get(projection);
  if (!byProject) {
    byProject = projection.projects.ids.map((id) => projection.sources.ofEntity.get(id));
    projectSources.set(projection, byProject);
  }
  const ofProject = byProject;
  return distinctSources(
    projection,
    (function* () {
      for (let p = 0; p < projects.length; p++) if (projects[p]) yield ofProject[p];
    })(),
  );
}
