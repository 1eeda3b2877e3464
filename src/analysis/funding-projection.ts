import type { ManagedTransaction } from "neo4j-driver";
import { toNumber } from "../db/neo4j-number.js";
import { readTransaction } from "../db/read-query.js";
import { REL } from "../model/relationships.js";
import { withinDeadline } from "../util/query-deadline.js";
import type { AnalysisContext } from "./analysis-context.js";
import { type AnalysisProjection, type IdLists, loadProjection } from "./analysis-projection.js";
import { funderBody } from "./project-filters.js";

/**
 * One funder body's link to a transnational call, as coFundingNetwork reads it: the commitment in the
 * source's currency (else EUR) in whole cents, or null when none is stated.
 */
export interface FundingLink {
  funder: string;
  label: string;
  kind: string | null;
  country: string | null;
  currency: string | null;
  cents: number | null;
}

/** A transnational call (Programme kind TRANSNATIONAL_CALL) with every funder link, the European Commission's included. */
export interface FundingCall {
  call: string;
  label: string;
  /** `g.startYear`, null when absent. */
  year: number | null;
  /** Stated fundingOrganisationCount values (StatedFact ABOUT the call). */
  statedFunders: number[];
  statements: string[];
  /** In the order Neo4j collects them (linksOf keeps the first stated commitment of a body). */
  links: FundingLink[];
}

/**
 * The funding side of the graph, for coFundingNetwork and portfolioSimilarity: read once per data
 * version (beside the analysis projection, indexed like it) instead of by Cypher per request.
 */
export interface FundingProjection {
  /** Every transnational call, by start year (null last) then id: the order coFundingNetwork reads them. */
  calls: FundingCall[];
  /** Source ids (SOURCED_FROM) of every Programme and Funder that has one, by entity id. */
  sources: Map<string, string[]>;
  /**
   * Per project (analysis projection index): the countries (indices into its `countries`) that an
   * Organisation PARTICIPATES_IN it is LOCATED_IN, distinct; the organisation node itself, as the
   * Cypher of portfolioSimilarity(level: COUNTRY) matches it, not its SAME_AS body.
   */
  projectCountries: IdLists;
  /** Per topic (analysis projection index): coalesce(name, code, id). */
  topicLabel: string[];
}

/**
 * The Cypher that reads transnational calls (rows: call, label, year, links, statedFunders, statements),
 * one definition for the funding projection and the tests' oracle: `callWhere` narrows the calls
 * (`g`), `funderWhere` the funders (`f`) of each call's links. A link's commitment is in the
 * source's currency where stated, else the EUR figure, as whole cents.
 */
export function transnationalCallsCypher(callWhere = "true", funderWhere = "true"): string {
  return `MATCH (g:Programme {kind: 'TRANSNATIONAL_CALL'})
     WHERE ${callWhere}
     CALL (g) {
       OPTIONAL MATCH (g)-[fb:${REL.FUNDED_BY}]->(fundedBy:Funder)
       WITH fb, ${funderBody("fundedBy")} AS f
       WHERE f IS NOT NULL AND ${funderWhere}
       RETURN collect({
         funder: f.id, label: coalesce(f.acronym, f.name, f.id), kind: f.kind,
         country: head([(f)-[:${REL.BASED_IN}]->(c:Country) | c.iso2]),
         currency: CASE WHEN fb.commitmentOriginal IS NOT NULL THEN coalesce(fb.commitmentCurrency, 'EUR')
                        WHEN fb.commitment IS NOT NULL THEN 'EUR' END,
         cents: toInteger(round(coalesce(fb.commitmentOriginal, fb.commitment) * 100))
       }) AS links
     }
     RETURN g.id AS call, coalesce(g.acronym, g.name, g.id) AS label, g.startYear AS year, links,
            [(s:StatedFact {attribute: 'fundingOrganisationCount'})-[:${REL.ABOUT}]->(g) WHERE s.value IS NOT NULL | s.value] AS statedFunders,
            [(s:StatedFact {attribute: 'fundingOrganisationCount'})-[:${REL.ABOUT}]->(g) | s.attribute + ': ' + s.statement] AS statements
     ORDER BY year, call`;
}

/** Reads the calls with all their funder links (no window, every funder). */
async function readCalls(tx: ManagedTransaction): Promise<FundingCall[]> {
  const result = await tx.run(transnationalCallsCypher());
  return result.records.map((record) => {
    const row = record.toObject();
    const nullable = (value: unknown) => (value === null || value === undefined ? null : toNumber(value));
    return {
      call: String(row.call),
      label: String(row.label),
      year: nullable(row.year),
      statedFunders: (row.statedFunders as unknown[]).map(toNumber),
      statements: row.statements as string[],
      links: (row.links as (Omit<FundingLink, "cents"> & { cents: unknown })[]).map((link) => ({
        ...link,
        cents: nullable(link.cents),
      })),
    };
  });
}

/** Source ids of every Programme and Funder, by id (as sourcesOf in project-filters.ts reads them). */
async function readSources(tx: ManagedTransaction): Promise<Map<string, string[]>> {
  const result = await tx.run(
    `MATCH (n:Entity)-[:${REL.SOURCED_FROM}]->(s:Source) WHERE n:Programme OR n:Funder
     RETURN n.id AS id, collect(s.id) AS sources`,
  );
  return new Map(result.records.map((record) => [String(record.get("id")), record.get("sources")]));
}

/** Per project of `analysis`, its participants' countries; null when a project is not in `analysis`. */
async function readProjectCountries(
  tx: ManagedTransaction,
  analysis: AnalysisProjection,
): Promise<IdLists | null> {
  const result = await tx.run(
    `MATCH (p:Project)
     RETURN p.id AS id, COLLECT { MATCH (c:Country)<-[:${REL.LOCATED_IN}]-(:Organisation)-[:${REL.PARTICIPATES_IN}]->(p) RETURN DISTINCT c.id } AS countries`,
  );
  const lists: number[][] = Array.from({ length: analysis.projects.ids.length }, () => []);
  for (const record of result.records) {
    const project = analysis.projects.index.get(String(record.get("id")));
    if (project === undefined) return null;
    for (const id of record.get("countries") as string[]) {
      const country = analysis.countries.index.get(id);
      if (country === undefined) return null;
      lists[project]!.push(country);
    }
  }
  const start = new Int32Array(lists.length + 1);
  for (let i = 0; i < lists.length; i++) start[i + 1] = start[i]! + lists[i]!.length;
  const items = new Int32Array(start[lists.length]!);
  for (let i = 0; i < lists.length; i++) items.set(lists[i]!, start[i]!);
  return { start, items };
}

/** Per topic of `analysis`: coalesce(name, code, id). */
async function readTopicLabels(tx: ManagedTransaction, analysis: AnalysisProjection): Promise<string[]> {
  const result = await tx.run("MATCH (t:Topic) RETURN t.id AS id, coalesce(t.name, t.code, t.id) AS label");
  const labels = [...analysis.topics.ids];
  for (const record of result.records) {
    const topic = analysis.topics.index.get(String(record.get("id")));
    if (topic !== undefined) labels[topic] = String(record.get("label"));
  }
  return labels;
}

/** The funding projection for `analysis`, read in `tx`; null when a project or country is not in `analysis`. */
async function readFunding(
  tx: ManagedTransaction,
  analysis: AnalysisProjection,
): Promise<FundingProjection | null> {
  const projectCountries = await readProjectCountries(tx, analysis);
  if (!projectCountries) return null;
  return {
    calls: await readCalls(tx),
    sources: await readSources(tx),
    projectCountries,
    topicLabel: await readTopicLabels(tx, analysis),
  };
}

/**
 * Reads the funding projection for the store's `analysis` in one read transaction, then checks that
 * the analysis projection is still the current one (a fresh data-version read): when a write committed
 * since the request read its version, the rows may be of another version, and the answer is null.
 */
async function build(
  context: AnalysisContext,
  analysis: AnalysisProjection,
): Promise<FundingProjection | null> {
  const funding = await readTransaction(context, (tx) => readFunding(tx, analysis), {
    timeout: 600_000,
    metadata: { app: "permed-atlas", job: "funding-projection" },
  });
  // A fresh object: the version reader keeps one answer per request context.
  const current = await context.projections?.current({ ...context });
  return current === analysis ? funding : null;
}

/** Times ownProjections reads again when a write lands between its reads (then it gives up). */
const OWN_READ_ATTEMPTS = 3;

/**
 * Both projections read for one call alone, in one read transaction with the request's settings (not
 * kept): a direct call without a server (tests, benchmarks, scripts), or a store whose build saw a write
 * commit meanwhile. Throws what the driver throws, or an Error when writes kept landing between the reads.
 */
async function ownProjections(
  context: AnalysisContext,
): Promise<{ analysis: AnalysisProjection; funding: FundingProjection }> {
  for (let attempt = 0; attempt < OWN_READ_ATTEMPTS; attempt++) {
    const read = await readTransaction(context, async (tx) => {
      const analysis = await loadProjection(tx);
      const funding = await readFunding(tx, analysis);
      return funding && { analysis, funding };
    });
    if (read) return read;
  }
  throw new Error(
    `the graph changed during each of ${OWN_READ_ATTEMPTS} reads of the funding projection: try again`,
  );
}

const built = new WeakMap<AnalysisProjection, Promise<FundingProjection | null>>();

/**
 * The analysis projection of the request's data version (projection-store.ts) and the funding
 * projection built beside it (once per analysis projection, shared by concurrent requests); without a
 * store, or when the build saw a write commit meanwhile, both read for this call alone. Never null: the
 * projections are the one engine of coFundingNetwork and portfolioSimilarity. Throws what a build throws;
 * QueryDeadlineExceeded when the build outlasts the request's timeout (the build goes on for the next
 * request).
 */
export async function fundingProjectionFor(
  context: AnalysisContext,
): Promise<{ analysis: AnalysisProjection; funding: FundingProjection }> {
  const analysis = context.projections ? await context.projections.current(context) : null;
  if (!analysis) return ownProjections(context);
  let funding = built.get(analysis);
  if (!funding) {
    const building = build(context, analysis);
    funding = building;
    built.set(analysis, building);
    // A failed build is not kept: the next request tries again.
    building.catch(() => {
      if (built.get(analysis) === building) built.delete(analysis);
    });
  }
  const ready = await withinDeadline(funding, context.transaction?.timeout);
  return ready ? { analysis, funding: ready } : ownProjections(context);
}

/** The calls whose start year is within fromYear..toYear (a call without one only when neither is given). */
export function callsInWindow(
  funding: FundingProjection,
  fromYear: number | null,
  toYear: number | null,
): FundingCall[] {
  return funding.calls.filter(
    (call) =>
      (fromYear === null || (call.year !== null && call.year >= fromYear)) &&
      (toYear === null || (call.year !== null && call.year <= toYear)),
  );
}
