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

/** A cell's value by row and column key: 0 where the matrix has no cell. */
type CellValue = (row: string, column: string) => number;

function cellValues(matrix: Matrix): CellValue {
  const cells = new Map(matrix.cells.map((cell) => [`${cell.row}\u0000${cell.column}`, cell.value]));
  return (row, column) => cells.get(`${row}\u0000${column}`) ?? 0;
}

/** How amounts are written: short in a cell, exact in its description; per million inhabitants or not. */
interface AmountText {
  show: (amount: number) => string;
  exact: (amount: number) => string;
}

function amountText(perCapita: boolean): AmountText {
  return {
    show: (amount) => (perCapita ? `${eur(amount)}/M` : eur(amount)),
    exact: (amount) => (perCapita ? `${number(amount)} EUR per million inhabitants` : eurExact(amount)),
  };
}

function Heatmap({ matrix, perCapita, filters }: { matrix: Matrix; perCapita: boolean; filters: Filters }) {
  const [order, setOrder] = useState<RowOrder>({ by: "total" });
  const [showZero, setShowZero] = useState(false);
  const value = cellValues(matrix);
  const rows = shownRows(matrix, { order, showZero }, value);
  const max = Math.max(0, ...matrix.cells.map((cell) => cell.value));
  const text = amountText(perCapita);
  return (
    <>
      <div className="heatmap-controls">
        <RowOrderSelect matrix={matrix} order={order} onChange={setOrder} />
        <label className="toggle">
          <input
            type="checkbox"
            checked={showZero}
            onChange={(event) => setShowZero(event.target.checked)}
            data-testid="show-zero-rows"
          />
          show countries with a total of 0{hiddenText(matrix.rows.length - rows.length)}
        </label>
        <HeatmapCsvButton matrix={matrix} rows={rows} value={value} perCapita={perCapita} />
      </div>
      <div className="heatmap-scroll">
        <HeatmapTable matrix={matrix} rows={rows} value={value} max={max} text={text} filters={filters} />
      </div>
      <div className="legend" aria-hidden="true">
        <span>0</span>
        <span className="ramp" />
        <span>{text.show(max)}</span>
        <span className="cell gap legend-gap">gap</span>
        <span>= no EU contribution</span>
      </div>
    </>
  );
}

/** How many zero-total rows are hidden, said after the toggle's label (nothing when none is). */
function hiddenText(hidden: number): string {
  return hidden > 0 ? ` (${hidden} hidden)` : "";
}

/** The row order as the select's value: "total", "name" or "column:<key>". */
function orderValue(order: RowOrder): string {
  return order.by === "column" ? `column:${order.column}` : order.by;
}

function orderOfValue(chosen: string): RowOrder {
  return chosen.startsWith("column:")
    ? { by: "column", column: chosen.slice("column:".length) }
    : { by: chosen as "total" | "name" };
}

function RowOrderSelect({
  matrix,
  order,
  onChange,
}: {
  matrix: Matrix;
  order: RowOrder;
  onChange: (order: RowOrder) => void;
}) {
  return (
    <label>
      Sort rows by{" "}
      <select
        value={orderValue(order)}
        data-testid="heatmap-sort"
        onChange={(event) => onChange(orderOfValue(event.target.value))}
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
  );
}

/** The rows as shown, as CSV: one column per topic, then the total and what lies in no column. */
function HeatmapCsvButton({
  matrix,
  rows,
  value,
  perCapita,
}: {
  matrix: Matrix;
  rows: Row[];
  value: CellValue;
  perCapita: boolean;
}) {
  const unit = perCapita ? "EUR per million inhabitants" : "EUR";
  return (
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
  );
}

function HeatmapTable({
  matrix,
  rows,
  value,
  max,
  text,
  filters,
}: {
  matrix: Matrix;
  rows: Row[];
  value: CellValue;
  max: number;
  text: AmountText;
  filters: Filters;
}) {
  const gaps = rows
    .flatMap((row) => matrix.columns.map((column) => value(row.key, column.key)))
    .filter((cell) => cell === 0).length;
  return (
    <table className="heatmap" data-testid="heatmap">
      <caption>
        {rows.length} countries × {matrix.columns.length} topics, {gaps} {gaps === 1 ? "gap" : "gaps"} (no EU
        contribution).
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
            {matrix.columns.map((column) => (
              <HeatmapCell
                key={column.key}
                row={row}
                column={column}
                cell={value(row.key, column.key)}
                max={max}
                text={text}
                filters={filters}
              />
            ))}
            <td className="num total">{text.show(row.total)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          {matrix.columns.map((column) => (
            <td key={column.key} className="num total">
              {text.show(column.total)}
            </td>
          ))}
          <td />
        </tr>
      </tfoot>
    </table>
  );
}

function HeatmapCell({
  row,
  column,
  cell,
  max,
  text,
  filters,
}: {
  row: Row;
  column: Matrix["columns"][number];
  cell: number;
  max: number;
  text: AmountText;
  filters: Filters;
}) {
  const gap = cell === 0;
  const t = max > 0 ? cell / max : 0;
  const description = `${row.label} × ${column.label}: ${gap ? "gap, no EU contribution" : text.exact(cell)}`;
  return (
    <td
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
        aria-label={`${gap ? "gap" : text.show(cell)}, ${description}: the projects behind it`}
        data-testid="heatmap-cell-link"
      >
        {gap ? "gap" : text.show(cell)}
      </a>
    </td>
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
