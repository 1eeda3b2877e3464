import type { DashboardFunderMoneyQuery, DashboardFundersQuery } from "../generated/graphql.js";
import { CsvButton } from "../shared/csv.js";
import { exploreHref } from "../shared/links.js";
import { analysisFilters, type Filters, matrixFilters } from "./filters.js";
import { amountIn, number } from "./format.js";
import { countryGroups, countryName } from "./money-groups.js";
import { FunderMoneyQuery } from "./queries.js";
import { Described, Empty, QueryView } from "./status.js";
import { type QueryState, useQuery } from "./use-query.js";

type Money = DashboardFunderMoneyQuery["fundingByFunder"];
type MoneyRow = Money["rows"][number];

function MoneyTable({
  money,
  names,
  filters,
}: {
  money: Money;
  names: ReadonlyMap<string, string>;
  filters: Filters;
}) {
  const groups = countryGroups(money.rows);
  const fullName = (row: MoneyRow) => {
    const name = names.get(row.funderId);
    return name && name !== row.funderLabel ? name : "";
  };
  const currencies = [...new Set(money.rows.map((row) => row.currency))].sort();
  return (
    <>
      <div className="panel-tools">
        <span>
          {money.rows.length} {money.rows.length === 1 ? "line" : "lines"}, {groups.length}{" "}
          {groups.length === 1 ? "country" : "countries"}, {currencies.length}{" "}
          {currencies.length === 1 ? "currency" : "currencies"} ({currencies.join(", ")})
        </span>
        <CsvButton
          filename="money-by-funder.csv"
          testId="funder-money-csv"
          header={["country", "funder_id", "funder", "funder_name", "currency", "amount", "projects"]}
          rows={() =>
            groups.flatMap((group) =>
              group.rows.map((row) => [
                row.country ?? "",
                row.funderId,
                row.funderLabel,
                fullName(row),
                row.currency,
                row.amount,
                row.projects,
              ]),
            )
          }
        />
      </div>
      <div className="table-scroll">
        <table className="list-table money-table" data-testid="funder-money-table">
          <caption>
            Each amount in the currency its funder states; amounts in different currencies are never added, so
            there is no total across currencies.
          </caption>
          <thead>
            <tr>
              <th scope="col">Funder</th>
              <th scope="col">Name</th>
              <th scope="col">Currency</th>
              <th scope="col" className="num">
                Amount
              </th>
              <th scope="col" className="num">
                Projects
              </th>
            </tr>
          </thead>
          {groups.map((group) => (
            <tbody
              key={group.country ?? ""}
              data-testid="funder-money-country"
              data-country={group.country ?? ""}
            >
              <tr className="group">
                <th scope="rowgroup" colSpan={5}>
                  {countryName(group.country)}
                </th>
              </tr>
              {group.rows.map((row) => (
                <tr
                  key={`${row.funderId}\u0000${row.currency}`}
                  data-testid="funder-money-row"
                  data-country={row.country ?? ""}
                  data-funder={row.funderId}
                  data-currency={row.currency}
                  data-amount={String(row.amount)}
                  data-projects={String(row.projects)}
                >
                  <td title={row.funderId}>
                    <a href={exploreHref(row.funderId, analysisFilters(filters))}>{row.funderLabel}</a>
                    {/* An OpenAIRE funder may be the same body as a curated one (the EC of CORDIS): its
                        line is apart, since the same grant may come from both sources. */}
                    {row.funderId.startsWith("funder:openaire:") ? (
                      <span className="hint source-tag"> OpenAIRE</span>
                    ) : null}
                  </td>
                  <td data-testid="funder-money-name">{fullName(row)}</td>
                  <td>{row.currency}</td>
                  <td className="num" data-testid="funder-money-amount">
                    {amountIn(row.amount, row.currency)}
                  </td>
                  <td className="num">{number(row.projects)}</td>
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      </div>
    </>
  );
}

/**
 * fundingByFunder with the dashboard's filters (funders included): national and EU money side by side,
 * one line per funder and currency, grouped by funder country, every amount with its currency code
 * (issue 21.4). `funders` (the DashboardFunders answer) gives the full names beside the short labels.
 */
export function MoneyPanel({
  filters,
  funders,
}: {
  filters: Filters;
  funders: QueryState<DashboardFundersQuery>;
}) {
  const state = useQuery(FunderMoneyQuery, { filters: matrixFilters(filters) });
  const names = new Map(
    funders.status === "done" ? funders.data.funders.map((funder) => [funder.id, funder.name]) : [],
  );
  return (
    <section className="panel" data-testid="funder-money-panel" aria-labelledby="funder-money-title">
      <header>
        <h2 id="funder-money-title">Money by funder</h2>
      </header>
      <QueryView state={state} what="the money by funder">
        {(data) => {
          const money = data.fundingByFunder;
          return (
            <>
              <Described answer={money} />
              <p
                className="hint"
                data-testid="funder-money-note"
                data-several={String(money.projectsWithSeveralFunders)}
                data-without-amount={String(money.projectsWithoutAmount)}
              >
                Not in any line: {number(money.projectsWithSeveralFunders)}{" "}
                {money.projectsWithSeveralFunders === 1 ? "project" : "projects"} funded under programmes of
                several funders (their amount cannot be split between them) and{" "}
                {number(money.projectsWithoutAmount)}{" "}
                {money.projectsWithoutAmount === 1 ? "project" : "projects"} of one funder without a stated
                amount.
              </p>
              {money.rows.length === 0 ? (
                <Empty>No funder states an amount for these filters.</Empty>
              ) : (
                <MoneyTable money={money} names={names} filters={filters} />
              )}
            </>
          );
        }}
      </QueryView>
    </section>
  );
}
