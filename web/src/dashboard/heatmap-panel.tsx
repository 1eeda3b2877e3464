import { useState } from "react";
import type { DashboardMatrixQuery } from "../generated/graphql.js";
import { CsvButton } from "../shared/csv.js";
import { exploreHref } from "../shared/links.js";
import { flagParam, useUrlState } from "../shared/url-state.js";
import { idWords } from "../shared/words.js";
import { analysisFilters, type Filters, matrixFilters } from "./filters.js";
import { eur, eurExact, heat, heatText, number } from "./format.js";
import { MatrixQuery } from "./queries.js";
import { Described, Empty, QueryView } from "./status.js";
import { useQuery } from "./use-query.js";

type Matrix = DashboardMatrixQuery["fundingMatrix"];
type Row = Matrix["rows"][number];

/** How the rows are ordered: by total (the API's order), by name, or by one column's value. */
export type RowOrder = { by: "total" } | { by: "name" } | { by: "column"; column: string };

/**
 * The rows as shown: zero-total rows dropped unless asked for, then sorted descending by the chosen value
 * (ascending by name); ties are broken by name, then by key, so the order never depends on the answer's.
 */
export function shownRows(
  matrix: Matrix,
  options: { order: RowOrder; showZero: boolean },
  value: (row: string, column: string) => number,
): Row[] {
  const rows = options.showZero ? [...matrix.rows] : matrix.rows.filter((row) => row.total !== 0);
  const byName = (a: Row, b: Row) => a.label.localeCompare(b.label, "en") || a.key.localeCompare(b.key);
  const order = options.order;
  const measure =
    order.by === "total"
      ? (row: Row) => row.total
      : order.by === "column"
        ? (row: Row) => value(row.key, order.column)
        : null;
  return rows.sort(measure ? (a, b) => measure(b) - measure(a) || byName(a, b) : byName);
}

function Heatmap({ matrix, perCapita, filters }: { matrix: Matrix; perCapita: boolean; filters: Filters }) {
  const [order, setOrder] = useState<RowOrder>({ by: "total" });
  const [showZero, setShowZero] = useState(false);
  const cells = new Map(matrix.cells.map((cell) => [`${cell.row}\u0000${cell.column}`, cell.value]));
  const value = (row: string, column: string) => cells.get(`${row}\u0000${column}`) ?? 0;
  const rows = shownRows(matrix, { order, showZero }, value);
  const hidden = matrix.rows.length - rows.length;
  const max = Math.max(0, ...matrix.cells.map((cell) => cell.value));
  const show = (amount: number) => (perCapita ? `${eur(amount)}/M` : eur(amount));
  const exact = (amount: number) =>
    perCapita ? `${number(amount)} EUR per million inhabitants` : eurExact(amount);
  const shownCells = rows.flatMap((row) => matrix.columns.map((column) => value(row.key, column.key)));
  const gaps = shownCells.filter((cell) => cell === 0).length;
  const unit = perCapita ? "EUR per million inhabitants" : "EUR";
  const orderValue = order.by === "column" ? `column:${order.column}` : order.by;
  return (
    <>
      <div className="heatmap-controls">
        <label>
          Sort rows by{" "}
          <select
            value={orderValue}
            data-testid="heatmap-sort"
            onChange={(event) => {
              const chosen = event.target.value;
              setOrder(
                chosen.startsWith("column:")
                  ? { by: "column", column: chosen.slice("column:".length) }
                  : { by: chosen as "total" | "name" },
              );
            }}
          >
            <option value="total">total</option>
            <option value="name">name</option>
            {matrix.columns.map((column) => (
              <option key={column.key} value={`column:${column.key}`}>
                {column.label}
              </option>
            ))}
          </select>
        </label>
        <label className="toggle">
          <input
            type="checkbox"
            checked={showZero}
            onChange={(event) => setShowZero(event.target.checked)}
            data-testid="show-zero-rows"
          />
          show countries with a total of 0{hidden > 0 ? ` (${hidden} hidden)` : ""}
        </label>
        <CsvButton
          filename={perCapita ? "funding-matrix-per-capita.csv" : "funding-matrix.csv"}
          testId="heatmap-csv"
          header={[
            "country_id",
            "country",
            ...matrix.columns.map((column) => `${column.label} (${column.key})`),
            `total (${unit})`,
            `of which in no column (${unit})`,
          ]}
          rows={() =>
            rows.map((row) => [
              row.key,
              row.label,
              ...matrix.columns.map((column) => value(row.key, column.key)),
              row.total,
              row.outsideColumns,
            ])
          }
        />
      </div>
      <div className="heatmap-scroll">
        <table className="heatmap" data-testid="heatmap">
          <caption>
            {rows.length} countries × {matrix.columns.length} topics, {gaps} {gaps === 1 ? "gap" : "gaps"} (no
            EU contribution).
          </caption>
          <thead>
            <tr>
              <th scope="col">Country</th>
              {matrix.columns.map((column) => (
                <th
                  key={column.key}
                  scope="col"
                  title={`${column.label} (${column.key})`}
                  aria-label={column.label}
                  data-column={column.key}
                  data-testid="heatmap-column"
                >
                  <span className="column-label">{column.label}</span>
                </th>
              ))}
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} data-testid="heatmap-row" data-row={row.key}>
                <th scope="row" title={`${row.label} (${row.key})`}>
                  <a href={exploreHref(row.key, analysisFilters(filters))}>{row.label}</a>
                </th>
                {matrix.columns.map((column) => {
                  const cell = value(row.key, column.key);
                  const gap = cell === 0;
                  const t = max > 0 ? cell / max : 0;
                  const description = `${row.label} × ${column.label}: ${gap ? "gap, no EU contribution" : exact(cell)}`;
                  return (
                    <td
                      key={column.key}
                      data-testid="heatmap-cell"
                      data-row={row.key}
                      data-column={column.key}
                      data-value={String(cell)}
                      data-gap={gap ? "true" : "false"}
                      className={gap ? "cell gap" : "cell"}
                      style={gap ? undefined : { background: heat(t), color: heatText(t) }}
                      title={description}
                    >
                      {/* A cell leads to the projects behind its number: the country's, in this topic, same years. */}
                      <a
                        href={exploreHref(row.key, {
                          ...analysisFilters(filters),
                          topicIds: [column.key],
                        })}
                        // The name starts with the text shown (a voice user says what they see).
                        aria-label={`${gap ? "gap" : show(cell)}, ${description}: the projects behind it`}
                        data-testid="heatmap-cell-link"
                      >
                        {gap ? "gap" : show(cell)}
                      </a>
                    </td>
                  );
                })}
                <td className="num total">{show(row.total)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              {matrix.columns.map((column) => (
                <td key={column.key} className="num total">
                  {show(column.total)}
                </td>
              ))}
              <td />
            </tr>
          </tfoot>
        </table>
      </div>
      <div className="legend" aria-hidden="true">
        <span>0</span>
        <span className="ramp" />
        <span>{show(max)}</span>
        <span className="cell gap legend-gap">gap</span>
        <span>= no EU contribution</span>
      </div>
    </>
  );
}

/** Per million inhabitants (`?perCapita=1`). */
const PER_CAPITA_PARAM = flagParam("perCapita");

/** A topic's name as its column shows it, or its id in words when it has no column. */
function topicName(matrix: Matrix, id: string): string {
  return matrix.columns.find((column) => column.key === id)?.label ?? idWords(id);
}

export function HeatmapPanel({ filters }: { filters: Filters }) {
  const [perCapita, setPerCapita] = useUrlState(PER_CAPITA_PARAM, false);
  const state = useQuery(MatrixQuery, {
    normalise: perCapita ? "PER_MILLION_INHABITANTS" : "NONE",
    filters: matrixFilters(filters),
  });
  return (
    <section className="panel" data-testid="heatmap-panel" aria-labelledby="heatmap-title">
      <header>
        <h2 id="heatmap-title">EU contributions by country and topic</h2>
        <label className="toggle">
          <input
            type="checkbox"
            checked={perCapita}
            onChange={(event) => setPerCapita(event.target.checked)}
            data-testid="per-capita"
          />
          per million inhabitants
        </label>
      </header>
      <QueryView state={state} what="the funding matrix">
        {(data) => (
          <>
            <Described answer={data.fundingMatrix} />
            {data.fundingMatrix.topicsWithoutLinkedProjects.length ? (
              <p className="hint" data-testid="coverage-caveat">
                No project is linked to{" "}
                {data.fundingMatrix.topicsWithoutLinkedProjects
                  .map((id) => topicName(data.fundingMatrix, id))
                  .join(", ")}{" "}
                at all: their empty columns say nothing about funding.
              </p>
            ) : null}
            {data.fundingMatrix.rows.length === 0 || data.fundingMatrix.columns.length === 0 ? (
              <Empty>
                No {data.fundingMatrix.columns.length === 0 ? "topics" : "country with a participation"} for
                these filters.
              </Empty>
            ) : (
              <Heatmap matrix={data.fundingMatrix} perCapita={perCapita} filters={filters} />
            )}
          </>
        )}
      </QueryView>
    </section>
  );
}
