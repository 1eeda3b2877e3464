import { useState } from "react";
import type { DashboardMatrixQuery } from "../generated/graphql.js";
import { type Filters, matrixFilters } from "./filters.js";
import { eur, eurExact, heat, number } from "./format.js";
import { MatrixQuery } from "./queries.js";
import { Described, Empty, QueryView } from "./status.js";
import { useQuery } from "./use-query.js";

type Matrix = DashboardMatrixQuery["fundingMatrix"];

function Heatmap({ matrix, perCapita }: { matrix: Matrix; perCapita: boolean }) {
  const cells = new Map(matrix.cells.map((cell) => [`${cell.row}\u0000${cell.column}`, cell.value]));
  const max = Math.max(0, ...matrix.cells.map((cell) => cell.value));
  const show = (value: number) => (perCapita ? `${eur(value)}/M` : eur(value));
  const exact = (value: number) =>
    perCapita ? `${number(value)} EUR per million inhabitants` : eurExact(value);
  const gaps = matrix.cells.filter((cell) => cell.value === 0).length;
  return (
    <>
      <div className="heatmap-scroll">
        <table className="heatmap" data-testid="heatmap">
          <caption>
            {matrix.rows.length} countries × {matrix.columns.length} topics, {gaps}{" "}
            {gaps === 1 ? "gap" : "gaps"} (no EU contribution).
          </caption>
          <thead>
            <tr>
              <th scope="col">Country</th>
              {matrix.columns.map((column) => (
                <th
                  key={column.key}
                  scope="col"
                  title={`${column.label} (${column.key})`}
                  data-column={column.key}
                >
                  <span className="column-label">{column.label}</span>
                </th>
              ))}
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {matrix.rows.map((row) => (
              <tr key={row.key}>
                <th scope="row" title={`${row.label} (${row.key})`}>
                  {row.label}
                </th>
                {matrix.columns.map((column) => {
                  const value = cells.get(`${row.key}\u0000${column.key}`) ?? 0;
                  const gap = value === 0;
                  const t = max > 0 ? value / max : 0;
                  return (
                    <td
                      key={column.key}
                      data-testid="heatmap-cell"
                      data-row={row.key}
                      data-column={column.key}
                      data-value={String(value)}
                      data-gap={gap ? "true" : "false"}
                      className={gap ? "cell gap" : "cell"}
                      style={gap ? undefined : { background: heat(t), color: t > 0.35 ? "#fff" : "#102a43" }}
                      title={`${row.label} × ${column.label}: ${gap ? "gap, no EU contribution" : exact(value)}`}
                    >
                      {gap ? "gap" : show(value)}
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

export function HeatmapPanel({ filters }: { filters: Filters }) {
  const [perCapita, setPerCapita] = useState(false);
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
                No project is linked to {data.fundingMatrix.topicsWithoutLinkedProjects.join(", ")} at all:
                their empty columns say nothing about funding.
              </p>
            ) : null}
            {data.fundingMatrix.rows.length === 0 || data.fundingMatrix.columns.length === 0 ? (
              <Empty>
                No {data.fundingMatrix.columns.length === 0 ? "topics" : "country with a participation"} for
                these filters.
              </Empty>
            ) : (
              <Heatmap matrix={data.fundingMatrix} perCapita={perCapita} />
            )}
          </>
        )}
      </QueryView>
    </section>
  );
}
