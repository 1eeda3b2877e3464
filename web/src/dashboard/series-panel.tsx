import type { DashboardSeriesQuery, DashboardYearSpanQuery } from "../generated/graphql.js";
import { CsvButton } from "../shared/csv.js";
import type { CsvValue } from "../shared/csv-text.js";
import { choiceParam, integerParam, useUrlState } from "../shared/url-state.js";
import { descriptionWords, plural } from "../shared/words.js";
import {
  type AnalyticsLevel,
  LEVELS,
  LevelSelect,
  NameList,
  namesBy,
  ScrollRegion,
} from "./analytics-shared.js";
import { type Filters, networkFilters } from "./filters.js";
import { number } from "./format.js";
import { SeriesQuery, YearSpanQuery } from "./queries.js";
import { CoverageNote, Empty, QueryView } from "./status.js";
import { type QueryState, useQuery } from "./use-query.js";

type Window = DashboardSeriesQuery["networkSeries"]["windows"][number];

/** The API's most windows per series. */
export const MAX_WINDOWS = 40;

/** `?slevel=ORGANISATION&swindow=3`: the network and the years per window. */
const LEVEL_PARAM = choiceParam<AnalyticsLevel>("slevel", LEVELS);
const WINDOW_PARAM = integerParam("swindow", 1, 20);

export const SERIES_CSV_HEADER = [
  "from_year",
  "to_year",
  "nodes",
  "links",
  "joined",
  "left",
  "links_joined",
  "links_left",
  "joined_ids",
  "left_ids",
];

function csvRows(windows: Window[]): CsvValue[][] {
  return windows.map((window) => [
    window.fromYear,
    window.toYear,
    window.nodeKeys.length,
    window.totalEdges,
    window.joined.length,
    window.left.length,
    window.edgesJoined,
    window.edgesLeft,
    window.joined.join("; "),
    window.left.join("; "),
  ]);
}

/**
 * The years of the series: the dashboard's year filter, or else the start years of the filtered
 * projects; at most MAX_WINDOWS windows (the latest), else null when there is no year at all.
 */
export function seriesRange(
  from: number | null,
  to: number | null,
  windowYears: number,
): { fromYear: number; toYear: number; shortened: boolean } | null {
  if (from === null || to === null || from > to) return null;
  const windows = Math.ceil((to - from + 1) / windowYears);
  if (windows <= MAX_WINDOWS) return { fromYear: from, toYear: to, shortened: false };
  return { fromYear: to - MAX_WINDOWS * windowYears + 1, toYear: to, shortened: true };
}

function Series({
  level,
  windowYears,
  fromYear,
  toYear,
  shortened,
  filters,
}: {
  level: AnalyticsLevel;
  windowYears: number;
  fromYear: number;
  toYear: number;
  shortened: boolean;
  filters: Filters;
}) {
  const { topicIds, funderIds, pmRelevance } = networkFilters(filters, level);
  const state = useQuery(SeriesQuery, {
    level,
    fromYear,
    toYear,
    windowYears,
    topicIds,
    funderIds,
    pmRelevance,
  });
  return (
    <QueryView state={state} what="the networks per year window">
      {(data) => {
        const series = data.networkSeries;
        const name = namesBy(data.networkMetrics);
        return (
          <>
            <p className="description">{descriptionWords(series.description)}</p>
            <CoverageNote statement={series.coverage.statement} />
            <div className="panel-tools">
              <span
                data-testid="series-range"
                data-from-year={String(fromYear)}
                data-to-year={String(toYear)}
                data-window-years={String(windowYears)}
              >
                {plural(series.windows.length, "window")} of {plural(windowYears, "year")}, {fromYear}–
                {toYear}
                {shortened
                  ? ` (the latest ${MAX_WINDOWS} windows: choose years or longer windows for earlier ones)`
                  : ""}
              </span>
              <CsvButton
                filename={`network-windows-${level.toLowerCase()}.csv`}
                testId="series-csv"
                header={SERIES_CSV_HEADER}
                rows={() => csvRows(series.windows)}
              />
            </div>
            <ScrollRegion label="Networks per year window">
              <table className="list-table analytics-wide" data-testid="series-table">
                <caption>
                  Joined and left compare each window's whole network with the window before; the first window
                  has nothing to compare with.
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Years</th>
                    <th scope="col" className="num">
                      {level === "COUNTRY" ? "Countries" : level === "FUNDER" ? "Funders" : "Organisations"}
                    </th>
                    <th scope="col" className="num">
                      Links
                    </th>
                    <th scope="col">Joined</th>
                    <th scope="col">Left</th>
                    <th scope="col" className="num">
                      Links new / gone
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {series.windows.map((window, i) => (
                    <tr
                      key={window.fromYear}
                      data-testid="series-window"
                      data-from={String(window.fromYear)}
                      data-to={String(window.toYear)}
                      data-nodes={String(window.nodeKeys.length)}
                      data-links={String(window.totalEdges)}
                      data-joined={window.joined.join(" ")}
                      data-left={window.left.join(" ")}
                      data-links-joined={String(window.edgesJoined)}
                      data-links-left={String(window.edgesLeft)}
                    >
                      <td>
                        {window.fromYear === window.toYear
                          ? window.fromYear
                          : `${window.fromYear}–${window.toYear}`}
                      </td>
                      <td className="num">{number(window.nodeKeys.length)}</td>
                      <td className="num">{number(window.totalEdges)}</td>
                      <td>
                        {i === 0 ? (
                          <span className="hint">first window</span>
                        ) : window.joined.length ? (
                          <NameList names={window.joined.map(name)} shown={8} />
                        ) : (
                          "none"
                        )}
                      </td>
                      <td>
                        {i === 0 ? (
                          ""
                        ) : window.left.length ? (
                          <NameList names={window.left.map(name)} shown={8} />
                        ) : (
                          "none"
                        )}
                      </td>
                      <td className="num">
                        {i === 0 ? "" : `${number(window.edgesJoined)} / ${number(window.edgesLeft)}`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          </>
        );
      }}
    </QueryView>
  );
}

/**
 * networkSeries with the dashboard's filters: the collaboration network per year window, its size, and
 * who joined and who left since the window before. Without a year filter the series spans the start
 * years of the filtered projects.
 */
export function SeriesPanel({ filters }: { filters: Filters }) {
  const [level, setLevel] = useUrlState<AnalyticsLevel>(LEVEL_PARAM, "COUNTRY");
  const [windowYears, setWindowYears] = useUrlState(WINDOW_PARAM, 1);
  const { topicIds, funderIds, pmRelevance } = networkFilters(filters, level);
  const needSpan = filters.fromYear === null || filters.toYear === null;
  const span = useQuery(YearSpanQuery, {
    filters: { topicIds, funderIds, pmRelevance, fromYear: filters.fromYear, toYear: filters.toYear },
  });
  // With both years chosen, the span is not waited for.
  const spanState: QueryState<DashboardYearSpanQuery | null> = needSpan
    ? span
    : { status: "done", data: null };
  return (
    <section className="panel" data-testid="series-panel" aria-labelledby="series-title">
      <header>
        <h2 id="series-title">Change over time</h2>
        <LevelSelect value={level} onChange={setLevel} testId="series-level" />
        <label>
          Years per window{" "}
          <select
            value={windowYears}
            onChange={(event) => setWindowYears(Number(event.target.value))}
            data-testid="series-window-years"
          >
            {[1, 2, 3, 4, 5, 10].map((years) => (
              <option key={years} value={years}>
                {years}
              </option>
            ))}
          </select>
        </label>
      </header>
      <QueryView state={spanState} what="the years of the projects">
        {(data) => {
          const range = seriesRange(
            filters.fromYear ?? data?.coverage.fromYear ?? null,
            filters.toYear ?? data?.coverage.toYear ?? null,
            windowYears,
          );
          return range ? (
            <Series level={level} windowYears={windowYears} filters={filters} {...range} />
          ) : (
            <Empty>No project with a start year for these filters: no window to show.</Empty>
          );
        }}
      </QueryView>
    </section>
  );
}
