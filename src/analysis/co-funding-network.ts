import { REL } from "../model/relationships.js";
import { type AnalysisContext, toNumber } from "./analysis-context.js";
import { badInput } from "./analysis-error.js";
import type { CoverageRequest } from "./coverage.js";
import {
  callsInWindow,
  type FundingCall,
  type FundingLink,
  fundingProjectionFor,
} from "./funding-projection.js";
import { eurFromCents } from "./money.js";
import { countSources, MAX_YEAR, MIN_YEAR } from "./project-filters.js";
import type { Shortfall } from "./stated-vs-recorded.js";

export interface CoFundingArgs {
  fromYear?: number | null | undefined;
  toYear?: number | null | undefined;
  /** Pairs sharing fewer calls are left out; at least 1. */
  minCalls?: number | null | undefined;
  includeEuropeanCommission?: boolean | null | undefined;
}

/** An amount in one currency, exact to the cent (GraphQL CurrencyAmount). */
export interface CurrencyAmount {
  currency: string;
  amount: number;
}

export interface CoFundedCall {
  key: string;
  label: string;
  year: number | null;
  funderKeys: string[];
  statedFunders: number | null;
  commitments: CurrencyAmount[];
  fundersWithoutCommitment: number;
}

export interface CoFunder {
  key: string;
  label: string;
  kind: string | null;
  country: string | null;
  calls: number;
  callKeys: string[];
  commitments: CurrencyAmount[];
  callsWithoutCommitment: number;
}

export interface CoFundingEdge {
  source: string;
  target: string;
  calls: number;
  callKeys: string[];
  commitments: CurrencyAmount[];
  callsWithoutCommitment: number;
}

export interface CoFundingNetwork {
  nodes: CoFunder[];
  edges: CoFundingEdge[];
  calls: CoFundedCall[];
  commitmentsStated: number;
  commitmentsMissing: number;
  description: string;
  sourceCount: number;
  /** The coverage of the calls' projects (coverage.ts), plus the shortfalls below. */
  coverageRequest: CoverageRequest;
  /** Calls with fewer recorded funders than stated (FUNDERS) or funders without a stated commitment (COMMITMENTS). */
  shortfalls: Shortfall[];
}

/** One funder's link to one call, as read: the commitment in its own currency, in whole cents, or null. */
type Link = FundingLink;

interface CallRow {
  call: string;
  label: string;
  year: unknown;
  statedFunders: unknown[];
  statements: string[];
  links: (Omit<Link, "cents"> & { cents: unknown })[];
}

/** Whole cents per currency, summed; the answer's list is ordered by currency. */
class Purse {
  private readonly cents = new Map<string, number>();
  add(currency: string, cents: number): void {
    this.cents.set(currency, (this.cents.get(currency) ?? 0) + cents);
  }
  amounts(): CurrencyAmount[] {
    return [...this.cents]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([currency, cents]) => ({ currency, amount: eurFromCents(cents) }));
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A link whose commitment is stated. */
const committed = (link: Link): link is Link & { currency: string; cents: number } =>
  link.cents !== null && link.currency !== null;

/** The years and threshold, checked; BAD_USER_INPUT naming the argument that is out of range. */
function checkedArgs(args: CoFundingArgs) {
  const fromYear = args.fromYear ?? null;
  const toYear = args.toYear ?? null;
  for (const [name, year] of [
    ["fromYear", fromYear],
    ["toYear", toYear],
  ] as const) {
    if (year !== null && (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR))
      throw badInput(name, `must be a year between ${MIN_YEAR} and ${MAX_YEAR}, got ${year}`);
  }
  if (fromYear !== null && toYear !== null && fromYear > toYear)
    throw badInput("fromYear", `must not be after toYear (${fromYear} > ${toYear})`);
  const minCalls = args.minCalls ?? 1;
  if (!Number.isInteger(minCalls) || minCalls < 1)
    throw badInput("minCalls", `must be a whole number of at least 1, got ${minCalls}`);
  return { fromYear, toYear, minCalls };
}

/** A call of the funding projection as the query reads it: without the European Commission unless `withEc`. */
function projectedRow(call: FundingCall, withEc: boolean): CallRow {
  return {
    call: call.call,
    label: call.label,
    year: call.year,
    statedFunders: call.statedFunders,
    statements: call.statements,
    links: withEc ? call.links : call.links.filter((link) => (link.kind ?? "") !== "EUROPEAN_COMMISSION"),
  };
}

/** A call's links, one per funder body (ordered by id): two nodes of one body are one funder of the call. */
function linksOf(row: CallRow): Link[] {
  const byFunder = new Map<string, Link>();
  for (const link of row.links) {
    const cents = link.cents === null || link.cents === undefined ? null : toNumber(link.cents);
    const known = byFunder.get(link.funder);
    // A stated commitment wins over the same body's link without one.
    if (!known || (known.cents === null && cents !== null)) byFunder.set(link.funder, { ...link, cents });
  }
  return [...byFunder.values()].sort((a, b) => compare(a.funder, b.funder));
}

/** Where a call records fewer funders, or fewer commitments, than it should. */
function callShortfalls(row: CallRow, links: Link[], statedFunders: number | null): Shortfall[] {
  const shortfalls: Shortfall[] = [];
  if (statedFunders !== null && links.length < statedFunders)
    shortfalls.push({
      what: "FUNDERS",
      subjectId: row.call,
      subjectLabel: row.label,
      stated: statedFunders,
      qualifier: null,
      recorded: links.length,
      statements: row.statements,
      records: [row.call],
    });
  const uncommitted = links.filter((link) => !committed(link));
  if (uncommitted.length > 0)
    shortfalls.push({
      what: "COMMITMENTS",
      subjectId: row.call,
      subjectLabel: row.label,
      stated: links.length,
      qualifier: null,
      recorded: links.length - uncommitted.length,
      statements: [`commitment not stated: ${uncommitted.map((link) => link.label).join(", ")}`],
      records: [row.call],
    });
  return shortfalls;
}

/** The network as the calls are read one by one: each adds to its funders, their pairs and the totals. */
class CoFundingTally {
  readonly calls: CoFundedCall[] = [];
  readonly shortfalls: Shortfall[] = [];
  stated = 0;
  missing = 0;
  private readonly funders = new Map<string, { node: Omit<CoFunder, "commitments">; purse: Purse }>();
  private readonly pairs = new Map<string, { edge: Omit<CoFundingEdge, "commitments">; purse: Purse }>();

  addCall(row: CallRow): void {
    const links = linksOf(row);
    const purse = new Purse();
    let without = 0;
    for (const link of links) {
      if (committed(link)) purse.add(link.currency, link.cents);
      else without += 1;
      this.countFunder(row.call, link);
    }
    this.stated += links.length - without;
    this.missing += without;
    for (let x = 0; x < links.length; x++)
      for (let y = x + 1; y < links.length; y++) this.countPair(row.call, links[x]!, links[y]!);
    const statedCounts = row.statedFunders.map(toNumber);
    const statedFunders = statedCounts.length ? Math.max(...statedCounts) : null;
    this.calls.push({
      key: row.call,
      label: row.label,
      year: row.year === null || row.year === undefined ? null : toNumber(row.year),
      funderKeys: links.map((link) => link.funder),
      statedFunders,
      commitments: purse.amounts(),
      fundersWithoutCommitment: without,
    });
    this.shortfalls.push(...callShortfalls(row, links, statedFunders));
  }

  private countFunder(call: string, link: Link): void {
    const entry = this.funders.get(link.funder) ?? {
      node: {
        key: link.funder,
        label: link.label,
        kind: link.kind,
        country: link.country,
        calls: 0,
        callKeys: [],
        callsWithoutCommitment: 0,
      },
      purse: new Purse(),
    };
    entry.node.calls += 1;
    entry.node.callKeys.push(call);
    if (committed(link)) entry.purse.add(link.currency, link.cents);
    else entry.node.callsWithoutCommitment += 1;
    this.funders.set(link.funder, entry);
  }

  /** `a` and `b` in funder order: the edge is undirected, source < target. */
  private countPair(call: string, a: Link, b: Link): void {
    const key = `${a.funder}\u0000${b.funder}`;
    const pair = this.pairs.get(key) ?? {
      edge: { source: a.funder, target: b.funder, calls: 0, callKeys: [], callsWithoutCommitment: 0 },
      purse: new Purse(),
    };
    pair.edge.calls += 1;
    pair.edge.callKeys.push(call);
    for (const end of [a, b]) if (committed(end)) pair.purse.add(end.currency, end.cents);
    if (!committed(a) || !committed(b)) pair.edge.callsWithoutCommitment += 1;
    this.pairs.set(key, pair);
  }

  /** Funders by the number of their calls, then id. */
  nodes(): CoFunder[] {
    return [...this.funders.values()]
      .map(({ node, purse }) => ({ ...node, commitments: purse.amounts() }))
      .sort((a, b) => b.calls - a.calls || compare(a.key, b.key));
  }

  /** Pairs sharing at least `minCalls` calls, by the number of them, then ends. */
  edges(minCalls: number): CoFundingEdge[] {
    return [...this.pairs.values()]
      .filter(({ edge }) => edge.calls >= minCalls)
      .map(({ edge, purse }) => ({ ...edge, commitments: purse.amounts() }))
      .sort((a, b) => b.calls - a.calls || compare(a.source, b.source) || compare(a.target, b.target));
  }
}

/**
 * The co-funding network of the transnational calls whose start year is within fromYear..toYear:
 * nodes are the funders (as bodies: SAME_AS nodes count once) of those calls, an edge joins two funders
 * that fund at least `minCalls` calls together, with those calls and both ends' stated commitments
 * summed per currency (FUNDED_BY commitmentOriginal in commitmentCurrency, else commitment in EUR).
 * Undirected, source < target. Errors: BAD_USER_INPUT naming fromYear, toYear or minCalls.
 */
export async function coFundingNetwork(
  context: AnalysisContext,
  args: CoFundingArgs,
): Promise<CoFundingNetwork> {
  const { fromYear, toYear, minCalls } = checkedArgs(args);
  const withEc = args.includeEuropeanCommission ?? false;
  const projected = await fundingProjectionFor(context);
  const rows = callsInWindow(projected.funding, fromYear, toYear).map((call) => projectedRow(call, withEc));
  const tally = new CoFundingTally();
  for (const row of rows) tally.addCall(row);
  const nodes = tally.nodes();
  const callKeys = tally.calls.map((call) => call.key);
  const recordIds = [...callKeys, ...nodes.map((node) => node.key)];
  return {
    nodes,
    edges: tally.edges(minCalls),
    calls: tally.calls,
    commitmentsStated: tally.stated,
    commitmentsMissing: tally.missing,
    description:
      `Co-funding network: funders linked by the transnational calls (Programme kind TRANSNATIONAL_CALL) they both fund (${REL.FUNDED_BY}); ` +
      `an edge's weight is the number of shared calls; commitments are the amounts stated on ${REL.FUNDED_BY}, summed per currency and never converted, ` +
      "a lower bound wherever a commitment is not stated. Only the funders recorded for a call are counted: sources often name more.",
    sourceCount: countSources(projected.funding.sources, new Set(recordIds)),
    coverageRequest: {
      // The projects recorded under the calls; a window without calls selects none (an impossible id).
      params: {
        fromYear: null,
        toYear: null,
        topicIds: null,
        programmeIds: callKeys.length ? callKeys : ["programme:(no call in the window)"],
        topicScheme: "LEGAL_BASIS",
        pmRelevance: null,
        funderIds: null,
      },
      memberships: null,
      thresholds: [],
    },
    shortfalls: tally.shortfalls,
  };
}
