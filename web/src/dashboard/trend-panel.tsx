import { type RefObject, useEffect, useRef, useState } from "react";
import type { DashboardTrendQuery, TrendGroup } from "../generated/graphql.js";
import { CsvButton } from "../shared/csv.js";
import { exploreHref } from "../shared/links.js";
import { choiceParam, idParam, useUrlState } from "../shared/url-state.js";
import { analysisFilters, type Filters, matrixFilters } from "./filters.js";
import { count, eur, niceTicks, seriesColour } from "./format.js";
import { TrendQuery } from "./queries.js";
import { Described, Empty, QueryView } from "./status.js";
import { useQuery } from "./use-query.js";

type Series = DashboardTrendQuery["fundingTrend"]["series"][number];
type Measure = "amountEur" | "projects";

const SHOWN = 8;
/** The drawing's width in its own units when it is this wide on screen; its text stays 11 px at any width. */
const WIDTH = 760;
/** Narrower than this, the chart keeps this width and shrinks (text included). */
const NARROWEST = 300;
const HEIGHT = 300;
const MARGIN = { top: 16, right: 20, bottom: 36, left: 72 };

/**
 * The chart's width in CSS pixels (that of its container, from NARROWEST to WIDTH), followed as the
 * container resizes: the drawing is laid out for it, so that axis labels keep their size at 390 px
 * instead of shrinking with a scaled-down picture.
 */
function useChartWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(WIDTH);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () =>
      setWidth(Math.max(NARROWEST, Math.min(WIDTH, Math.floor(element.getBoundingClientRect().width))));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** A hand-drawn SVG line chart: one line per series, a point per year, axes with round ticks. */
function TrendChart({
  series,
  measure,
  href,
}: {
  series: Series[];
  measure: Measure;
  href: (key: string) => string;
}) {
  const years = series[0]?.points.map((point) => point.year) ?? [];
  const max = Math.max(0, ...series.flatMap((s) => s.points.map((point) => point[measure])));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1]!;
  const [container, chartWidth] = useChartWidth();
  const plotWidth = chartWidth - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (index: number) =>
    MARGIN.left + (years.length > 1 ? (plotWidth * index) / (years.length - 1) : plotWidth / 2);
  const y = (value: number) => MARGIN.top + plotHeight - (top > 0 ? (plotHeight * value) / top : 0);
  const label = (value: number) => (measure === "amountEur" ? eur(value) : count(value));
  // A year label is about 30 px wide: at most one per 48 px of plot, so that they never touch.
  const yearStep = Math.max(1, Math.ceil(years.length / Math.max(2, Math.floor(plotWidth / 48))));
  return (
    <div ref={container} className="trend-chart-box">
      <svg
        className="trend-chart"
        data-testid="trend-chart"
        viewBox={`0 0 ${chartWidth} ${HEIGHT}`}
        // No role="img": it holds links (the series), and an image's content is not reachable.
        aria-labelledby="trend-chart-title"
      >
        <title id="trend-chart-title">
          {measure === "amountEur" ? "EU funding" : "Projects"} by start year, {series.length} series
        </title>
        {ticks.map((tick) => (
          <g key={tick} className="tick">
            <line x1={MARGIN.left} x2={chartWidth - MARGIN.right} y1={y(tick)} y2={y(tick)} />
            <text x={MARGIN.left - 8} y={y(tick)} dy="0.32em" textAnchor="end">
              {label(tick)}
            </text>
          </g>
        ))}
        {years.map((year, index) =>
          index % yearStep === 0 || index === years.length - 1 ? (
            <text
              key={year}
              className="year"
              x={x(index)}
              y={HEIGHT - MARGIN.bottom + 20}
              textAnchor="middle"
            >
              {year}
            </text>
          ) : null,
        )}
        <line className="axis" x1={MARGIN.left} x2={chartWidth - MARGIN.right} y1={y(0)} y2={y(0)} />
        {series.map((s, index) => (
          <a key={s.key} href={href(s.key)} aria-label={`${s.label}: explore`}>
            <g data-testid="trend-series" data-series={s.key} style={{ color: seriesColour(index) }}>
              <title>{s.label}</title>
              <polyline
                fill="none"
                stroke="currentColor"
                strokeWidth={2}
                points={s.points.map((point, i) => `${x(i)},${y(point[measure])}`).join(" ")}
              />
              {s.points.map((point, i) => (
                <circle key={point.year} cx={x(i)} cy={y(point[measure])} r={3} fill="currentColor">
                  <title>
                    {s.label}, {point.year}: {eur(point.amountEur)}, {point.projects}{" "}
                    {point.projects === 1 ? "project" : "projects"}
                  </title>
                </circle>
              ))}
            </g>
          </a>
        ))}
      </svg>
    </div>
  );
}

/**
 * One level of programmes at a time (issue 20: "by programme" mixed Horizon Europe with its own calls):
 * framework programmes (the outermost programme above each call), or the calls of one framework.
 */
type Grouping = "COUNTRY" | "FRAMEWORK_PROGRAMME" | "CALLS";

/** The grouping (`?trend=CALLS`), its framework (`?framework=<id>`) and the measure (`?measure=projects`). */
const GROUPING_PARAM = choiceParam<Grouping>("trend", ["COUNTRY", "FRAMEWORK_PROGRAMME", "CALLS"]);
const FRAMEWORK_PARAM = idParam("framework");
const MEASURE_PARAM = choiceParam<Measure>("measure", ["amountEur", "projects"]);

export function TrendPanel({ filters }: { filters: Filters }) {
  const [grouping, setGrouping] = useUrlState<Grouping>(GROUPING_PARAM, "COUNTRY");
  const [chosen, setFramework] = useUrlState<string>(FRAMEWORK_PARAM, "");
  const [measure, setMeasure] = useUrlState<Measure>(MEASURE_PARAM, "amountEur");
  const frameworks = useQuery(TrendQuery, {
    groupBy: "FRAMEWORK_PROGRAMME",
    filters: matrixFilters(filters),
  });
  const frameworkList = frameworks.status === "done" ? frameworks.data.fundingTrend.series : [];
  // A framework of the URL that is not among the series gives way to the first.
  const framework = frameworkList.some((option) => option.key === chosen) ? chosen : null;
  const chosenFramework = framework ?? frameworkList[0]?.key ?? null;
  const groupBy: TrendGroup = grouping === "CALLS" ? "PROGRAMME" : grouping;
  const base = matrixFilters(filters);
  const state = useQuery(TrendQuery, {
    groupBy,
    filters: grouping === "CALLS" && chosenFramework ? { ...base, programmeIds: [chosenFramework] } : base,
  });
  const href = (key: string) => exploreHref(key, analysisFilters(filters));
  return (
    <section className="panel" data-testid="trend-panel" aria-labelledby="trend-title">
      <header>
        <h2 id="trend-title">Funding by start year</h2>
        <label>
          Group by{" "}
          <select
            value={grouping}
            onChange={(event) => setGrouping(event.target.value as Grouping)}
            data-testid="trend-group"
          >
            <option value="COUNTRY">Country</option>
            <option value="FRAMEWORK_PROGRAMME">Framework programme</option>
            <option value="CALLS">Calls of a framework programme</option>
          </select>
        </label>
        {grouping === "CALLS" ? (
          <label>
            Framework{" "}
            <select
              value={chosenFramework ?? ""}
              onChange={(event) => setFramework(event.target.value)}
              data-testid="trend-framework"
            >
              {frameworkList.map((option) => (
                <option key={option.key} value={option.key}>
                  {option.label}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          Show{" "}
          <select value={measure} onChange={(event) => setMeasure(event.target.value as Measure)}>
            <option value="amountEur">EUR</option>
            <option value="projects">projects</option>
          </select>
        </label>
      </header>
      <QueryView state={state} what="the funding trend">
        {(data) => {
          const all = data.fundingTrend.series.map((s) =>
            grouping === "CALLS" && s.key === chosenFramework
              ? { ...s, label: `${s.label} (funded directly, no call)` }
              : s,
          );
          const shown = all.slice(0, SHOWN);
          return (
            <>
              <Described answer={data.fundingTrend} />
              {shown.length === 0 || (shown[0]?.points.length ?? 0) === 0 ? (
                <Empty>No funded project starts in this range.</Empty>
              ) : (
                <>
                  <div className="panel-tools">
                    <CsvButton
                      filename={`funding-trend-${groupBy.toLowerCase()}.csv`}
                      testId="trend-csv"
                      header={["key", "label", "year", "amount_eur", "projects"]}
                      rows={() =>
                        shown.flatMap((s) =>
                          s.points.map((point) => [
                            s.key,
                            s.label,
                            point.year,
                            point.amountEur,
                            point.projects,
                          ]),
                        )
                      }
                    />
                  </div>
                  <TrendChart series={shown} measure={measure} href={href} />
                  <ul className="chart-legend">
                    {shown.map((s, index) => (
                      <li key={s.key} title={s.key}>
                        <span className="swatch" style={{ background: seriesColour(index) }} />{" "}
                        <a href={href(s.key)} data-testid="trend-series-link" data-series={s.key}>
                          {s.label}
                        </a>
                      </li>
                    ))}
                  </ul>
                  {all.length > SHOWN ? (
                    <p className="hint">
                      The {SHOWN} largest of {all.length} series (by total EUR) are drawn and in the CSV.
                    </p>
                  ) : null}
                </>
              )}
            </>
          );
        }}
      </QueryView>
    </section>
  );
}
