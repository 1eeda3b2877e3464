import type { DashboardCoFundingQuery } from "../generated/graphql.js";
import { CsvButton } from "../shared/csv.js";
import type { CsvValue } from "../shared/csv-text.js";
import { exploreHref } from "../shared/links.js";
import { flagParam, integerParam, useUrlState } from "../shared/url-state.js";
import { plural } from "../shared/words.js";
import { namesBy, ScrollRegion } from "./analytics-shared.js";
import type { Filters } from "./filters.js";
import { amountIn, number } from "./format.js";
import { CoFundingQuery } from "./queries.js";
import { Described, Empty, QueryView } from "./status.js";
import { useQuery } from "./use-query.js";

type CoFunding = DashboardCoFundingQuery["coFundingNetwork"];
type Edge = CoFunding["edges"][number];

/** The least number of shared calls per pair (`?cocalls=2`) and the European Commission as a funder (`?coec=1`). */
const MIN_CALLS_PARAM = integerParam("cocalls", 1, 99);
const EC_PARAM = flagParam("coec");

/**
 * One CSV row per pair and currency of its commitments (one row with an empty currency when no
 * commitment is stated): amounts in different currencies are never added.
 */
export const CO_FUNDING_CSV_HEADER = [
  "source_id",
  "source",
  "target_id",
  "target",
  "calls",
  "call_ids",
  "call_names",
  "currency",
  "commitment",
  "calls_without_commitment",
];

function csvRows(network: CoFunding): CsvValue[][] {
  const funder = namesBy(network.nodes);
  const call = namesBy(network.calls);
  return network.edges.flatMap((edge) => {
    const common = [
      edge.source,
      funder(edge.source),
      edge.target,
      funder(edge.target),
      edge.calls,
      edge.callKeys.join("; "),
      edge.callKeys.map(call).join("; "),
    ];
    const money = edge.commitments.length ? edge.commitments : [null];
    return money.map((commitment) => [
      ...common,
      commitment?.currency ?? "",
      commitment?.amount ?? "",
      edge.callsWithoutCommitment,
    ]);
  });
}

function EdgeRow({ edge, network, filters }: { edge: Edge; network: CoFunding; filters: Filters }) {
  const funder = namesBy(network.nodes);
  const calls = new Map(network.calls.map((call) => [call.key, call]));
  const years = { fromYear: filters.fromYear, toYear: filters.toYear };
  return (
    <tr
      data-testid="co-funding-edge"
      data-source={edge.source}
      data-target={edge.target}
      data-calls={String(edge.calls)}
      data-without-commitment={String(edge.callsWithoutCommitment)}
    >
      <td>
        <a href={exploreHref(edge.source, years)} title={edge.source}>
          {funder(edge.source)}
        </a>{" "}
        and{" "}
        <a href={exploreHref(edge.target, years)} title={edge.target}>
          {funder(edge.target)}
        </a>
      </td>
      <td className="num">{number(edge.calls)}</td>
      <td>
        <ul className="plain-list">
          {edge.callKeys.map((key) => {
            const call = calls.get(key);
            return (
              <li key={key} data-testid="co-funding-call" data-call={key}>
                <a href={exploreHref(key)} title={key}>
                  {call?.label ?? key}
                </a>
                {call?.year ? ` (${call.year})` : ""}
              </li>
            );
          })}
        </ul>
      </td>
      <td className="num">
        {edge.commitments.length === 0 ? (
          <span className="hint">none stated</span>
        ) : (
          <ul className="plain-list">
            {edge.commitments.map((commitment) => (
              <li
                key={commitment.currency}
                data-testid="co-funding-commitment"
                data-currency={commitment.currency}
                data-amount={String(commitment.amount)}
              >
                {amountIn(commitment.amount, commitment.currency)}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className="num">{number(edge.callsWithoutCommitment)}</td>
    </tr>
  );
}

/**
 * coFundingNetwork with the dashboard's years: which funders fund the same transnational calls, the
 * calls behind each pair, and what both committed to them, each amount in its own currency.
 */
export function CoFundingPanel({ filters }: { filters: Filters }) {
  const [minCalls, setMinCalls] = useUrlState(MIN_CALLS_PARAM, 1);
  const [withEc, setWithEc] = useUrlState(EC_PARAM, false);
  const state = useQuery(CoFundingQuery, {
    fromYear: filters.fromYear,
    toYear: filters.toYear,
    minCalls,
    includeEuropeanCommission: withEc,
  });
  return (
    <section className="panel" data-testid="co-funding-panel" aria-labelledby="co-funding-title">
      <header>
        <h2 id="co-funding-title">Who co-funds with whom</h2>
        <label>
          Shared calls at least{" "}
          <input
            type="number"
            min={1}
            max={99}
            value={minCalls}
            onChange={(event) => {
              const value = Number(event.target.value);
              if (Number.isInteger(value) && value >= 1 && value <= 99) setMinCalls(value);
            }}
            data-testid="co-funding-min-calls"
          />
        </label>
        <label>
          <input
            type="checkbox"
            checked={withEc}
            onChange={(event) => setWithEc(event.target.checked)}
            data-testid="co-funding-ec"
          />{" "}
          Include the European Commission
        </label>
      </header>
      <p className="hint">
        Funders linked by the transnational calls they both fund. Only the year filter applies (a call's year
        is its start year): calls have no topic, tier or funder filter.
      </p>
      <QueryView state={state} what="the co-funding network">
        {(data) => {
          const network = data.coFundingNetwork;
          const links = network.commitmentsStated + network.commitmentsMissing;
          return (
            <>
              <Described answer={network} />
              <div className="panel-tools">
                <span data-testid="co-funding-summary">
                  {plural(network.nodes.length, "funder")}, {plural(network.edges.length, "pair")},{" "}
                  {plural(network.calls.length, "call")}; commitments stated for{" "}
                  {number(network.commitmentsStated)} of {plural(links, "funder-call link")}
                </span>
                <CsvButton
                  filename="co-funding.csv"
                  testId="co-funding-csv"
                  header={CO_FUNDING_CSV_HEADER}
                  rows={() => csvRows(network)}
                />
              </div>
              {network.edges.length === 0 ? (
                <Empty>
                  No two funders share {minCalls === 1 ? "a call" : `${minCalls} calls`} in these years.
                </Empty>
              ) : (
                <ScrollRegion label="Co-funding pairs" tall>
                  <table className="list-table analytics-wide" data-testid="co-funding-table">
                    <caption>
                      Each pair's commitments are both funders' stated commitments to their shared calls, per
                      currency, never converted nor added across currencies: a lower bound where a commitment
                      is not stated.
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Funders</th>
                        <th scope="col" className="num">
                          Shared calls
                        </th>
                        <th scope="col">Calls</th>
                        <th scope="col" className="num">
                          Commitments
                        </th>
                        <th scope="col" className="num">
                          Calls without a stated commitment
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {network.edges.map((edge) => (
                        <EdgeRow
                          key={`${edge.source}\u0000${edge.target}`}
                          edge={edge}
                          network={network}
                          filters={filters}
                        />
                      ))}
                    </tbody>
                  </table>
                </ScrollRegion>
              )}
            </>
          );
        }}
      </QueryView>
    </section>
  );
}
