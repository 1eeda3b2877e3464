import { REL } from "../model/relationships.js";
import { type AnalysisContext, readQuery, toNumber } from "./analysis-context.js";
import type { CoverageRequest } from "./coverage.js";
import { centsOf, eurFromCents } from "./money.js";
import {
  type AnalysisFilters,
  fundedUnder,
  funderBody,
  inFilters,
  PROJECT_FILTER,
  projectFilterParams,
  sourceCountOf,
} from "./project-filters.js";

/**
 * One row of fundingByFunder: the money of one funder in one currency. National and EU money side by
 * side (issue 21.4): CORDIS grants are EUR (Project.funding), OpenAIRE grants are in the currency the
 * funder states (Project.fundingOriginal, fundingCurrency). Figures in different currencies are never
 * added: no exchange rate is applied anywhere.
 */
export interface FunderMoneyRow {
  /** ISO 3166 alpha-2 of the funder (BASED_IN), "EU" for the European Commission or an EU jurisdiction, else null. */
  country: string | null;
  funderId: string;
  funderLabel: string;
  /** ISO 4217 currency of `amount`. */
  currency: string;
  /** The sum of the amounts of the projects that this funder alone funds, exact to the cent, in `currency`. */
  amount: number;
  /** Projects counted in `amount`. */
  projects: number;
}

export interface FunderMoney {
  rows: FunderMoneyRow[];
  /**
   * Projects within the filters that are funded under programmes of several funders (e.g. a
   * transnational call): their amount cannot be split between the funders and is in no row.
   */
  projectsWithSeveralFunders: number;
  /** Projects within the filters of a single funder that state no amount (e.g. OpenAIRE granted null). */
  projectsWithoutAmount: number;
  description: string;
  /** Distinct sources of the projects behind the answer (its rows and the two counts). */
  sourceCount: number;
  /** Resolved into `coverage` when a client asks for it (coverage.ts). */
  coverageRequest: CoverageRequest;
}

/**
 * The money of each funder, in each currency it is stated in, for the projects within `filters`
 * (the shared AnalysisFilters, funderIds included). A project's funder is the funder of the
 * programme it is funded under (or a programme that programme is part of). Rows by country, then
 * funder, then currency. Errors: BAD_USER_INPUT naming `filters.<field>`.
 */
export async function fundingByFunder(
  context: AnalysisContext,
  args: { filters?: AnalysisFilters | null | undefined },
): Promise<FunderMoney> {
  const params = await projectFilterParams(context, args.filters ?? {}, inFilters);
  const rows = await readQuery<{
    id: string;
    funders: { id: string; label: string; country: string | null }[];
    currency: string | null;
    cents: unknown;
  }>(
    context,
    `MATCH (p:Project) WHERE ${PROJECT_FILTER}
     CALL (p) {
       MATCH ${fundedUnder("p", ":Programme")}-[:${REL.FUNDED_BY}]->(fundedBy:Funder)
       WITH DISTINCT ${funderBody("fundedBy")} AS f
       OPTIONAL MATCH (f)-[:${REL.BASED_IN}]->(c:Country)
       WITH DISTINCT f, c
       RETURN collect({id: f.id, label: coalesce(f.acronym, f.name, f.id),
         country: CASE WHEN f.kind = 'EUROPEAN_COMMISSION' OR f.jurisdiction = 'EU' THEN 'EU' ELSE coalesce(c.code, f.jurisdiction) END}) AS funders
     }
     WITH p, funders,
       CASE WHEN p.fundingOriginal IS NOT NULL THEN p.fundingCurrency
            WHEN p.funding IS NOT NULL THEN 'EUR' END AS currency,
       CASE WHEN p.fundingOriginal IS NOT NULL THEN ${centsOf("p.fundingOriginal")}
            WHEN p.funding IS NOT NULL THEN ${centsOf("p.funding")} END AS cents
     WHERE size(funders) > 0
     RETURN p.id AS id, funders, currency, cents`,
    params,
  );
  const byKey = new Map<string, FunderMoneyRow & { cents: number }>();
  let several = 0;
  let withoutAmount = 0;
  for (const row of rows) {
    if (row.funders.length > 1) {
      several++;
      continue;
    }
    if (row.currency === null || row.cents === null) {
      withoutAmount++;
      continue;
    }
    const funder = row.funders[0]!;
    const key = `${funder.id}|${row.currency}`;
    const entry = byKey.get(key) ?? {
      country: funder.country,
      funderId: funder.id,
      funderLabel: funder.label,
      currency: row.currency,
      amount: 0,
      projects: 0,
      cents: 0,
    };
    entry.cents += toNumber(row.cents);
    entry.projects++;
    byKey.set(key, entry);
  }
  const out = [...byKey.values()]
    .map(({ cents, ...rest }) => ({ ...rest, amount: eurFromCents(cents) }))
    .sort(
      (a, b) =>
        (a.country ?? "~").localeCompare(b.country ?? "~") ||
        a.funderLabel.localeCompare(b.funderLabel) ||
        a.funderId.localeCompare(b.funderId) ||
        a.currency.localeCompare(b.currency),
    );
  return {
    coverageRequest: { params, memberships: "ALL", thresholds: [] },
    rows: out,
    projectsWithSeveralFunders: several,
    projectsWithoutAmount: withoutAmount,
    sourceCount: await sourceCountOf(
      context,
      rows.map((row) => row.id),
    ),
    description:
      "Money by funder and currency (rows by funder country; EU for the European Commission): CORDIS amounts in EUR, OpenAIRE amounts in the currency the funder states; no exchange rate is applied, so amounts in different currencies are never added. Projects of several funders and projects without an amount are counted apart.",
  };
}
