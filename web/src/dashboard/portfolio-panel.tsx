import type { DashboardFundersQuery, DashboardPortfolioQuery, PortfolioLevel } from "../generated/graphql.js";
import { CsvButton } from "../shared/csv.js";
import type { CsvValue } from "../shared/csv-text.js";
import { exploreHref } from "../shared/links.js";
import { choiceParam, flagParam, idParam, useUrlState } from "../shared/url-state.js";
import { plural } from "../shared/words.js";
import { ScrollRegion } from "./analytics-shared.js";
import { analysisFilters, type Filters, matrixFilters } from "./filters.js";
import { number } from "./format.js";
import { CountriesQuery, PortfolioQuery } from "./queries.js";
import { Described, Empty, ErrorMessage, Loading } from "./status.js";
import { type QueryState, useQuery } from "./use-query.js";

type Portfolio = DashboardPortfolioQuery["portfolioSimilarity"];
type Similar = Portfolio["mostSimilar"][number];

/** Entities listed as most and as least similar. */
export const PORTFOLIO_LIMIT = 10;
/** Shared topics named per entity in the table (the CSV has all). */
const TOPICS_SHOWN = 5;

/** `?plevel=FUNDER&pid=funder:dfg&ptier=1`: whose portfolios, the chosen one, per topic and tier. */
const LEVEL_PARAM = choiceParam<PortfolioLevel>("plevel", ["COUNTRY", "FUNDER"]);
const ID_PARAM = idParam("pid");
const TIER_PARAM = flagParam("ptier");

/** The entity shown when none is chosen: one with a large portfolio in every store that has any. */
const DEFAULT_ID: Record<PortfolioLevel, string> = {
  COUNTRY: "country:DE",
  FUNDER: "funder:european-commission",
};

export const PORTFOLIO_CSV_HEADER = [
  "list",
  "rank",
  "id",
  "name",
  "similarity",
  "projects",
  "shared_topics",
  "shared_topic_ids",
  "shared_topic_names",
];

function csvRows(portfolio: Portfolio): CsvValue[][] {
  const rows = (list: string, items: Similar[]) =>
    items.map((item, i) => [
      list,
      i + 1,
      item.key,
      item.label,
      item.similarity,
      item.projects,
      item.sharedTopics.length,
      item.sharedTopics.map((topic) => topic.key).join("; "),
      item.sharedTopics.map((topic) => topic.label).join("; "),
    ]);
  return [...rows("most", portfolio.mostSimilar), ...rows("least", portfolio.leastSimilar)];
}

function SimilarTable({
  list,
  title,
  items,
  chosen,
  filters,
}: {
  list: "most" | "least";
  title: string;
  items: Similar[];
  chosen: string;
  filters: Filters;
}) {
  return (
    <ScrollRegion label={title}>
      <table className="list-table analytics-wide" data-testid={`portfolio-${list}`}>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Compared with</th>
            <th scope="col" className="num">
              Similarity
            </th>
            <th scope="col" className="num">
              Projects
            </th>
            <th scope="col">Shared topics (projects of {chosen} / of the other)</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr
              key={item.key}
              data-testid="portfolio-row"
              data-list={list}
              data-key={item.key}
              data-similarity={String(item.similarity)}
              data-projects={String(item.projects)}
              data-shared={String(item.sharedTopics.length)}
            >
              <td>
                <a href={exploreHref(item.key, analysisFilters(filters))} title={item.key}>
                  {item.label}
                </a>
              </td>
              <td className="num" title={String(item.similarity)}>
                {number(item.similarity)}
              </td>
              <td className="num">{number(item.projects)}</td>
              <td>
                {item.sharedTopics.length === 0
                  ? "none"
                  : item.sharedTopics
                      .slice(0, TOPICS_SHOWN)
                      .map((topic) => `${topic.label} (${topic.projects} / ${topic.otherProjects})`)
                      .join("; ")}
                {item.sharedTopics.length > TOPICS_SHOWN
                  ? ` and ${item.sharedTopics.length - TOPICS_SHOWN} more`
                  : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function Similarity({
  level,
  id,
  byTier,
  filters,
}: {
  level: PortfolioLevel;
  id: string;
  byTier: boolean;
  filters: Filters;
}) {
  const state = useQuery(PortfolioQuery, {
    level,
    id,
    byTier,
    filters: matrixFilters(filters),
    limit: PORTFOLIO_LIMIT,
    projectCap: 0,
  });
  if (state.status === "loading") return <Loading what="the portfolio similarity" />;
  if (state.status === "error") {
    // An entity without a project in the scheme's topics is a fact about the data, not a failure.
    if (state.error.code === "BAD_USER_INPUT" && state.error.message.includes("has no project"))
      return (
        <Empty>
          No project of the chosen {level === "COUNTRY" ? "country" : "funder"} addresses a topic of the
          scheme within these filters: there is no portfolio to compare. Choose another, or widen the filters.
        </Empty>
      );
    return <ErrorMessage what="the portfolio similarity" error={state.error} />;
  }
  const portfolio = state.data.portfolioSimilarity;
  return (
    <>
      <Described answer={portfolio} />
      <div className="panel-tools">
        <span
          data-testid="portfolio-summary"
          data-projects={String(portfolio.projects)}
          data-topics={String(portfolio.topics)}
          data-compared={String(portfolio.compared)}
        >
          {portfolio.label}: {plural(portfolio.projects, "project")} in{" "}
          {plural(
            portfolio.topics,
            byTier ? "topic and tier" : "topic",
            byTier ? "topics and tiers" : "topics",
          )}
          , compared with{" "}
          {plural(
            portfolio.compared,
            level === "COUNTRY" ? "country" : "funder",
            level === "COUNTRY" ? "countries" : "funders",
          )}
        </span>
        <CsvButton
          filename={`portfolio-similarity-${portfolio.key.replace(/[^\w-]+/g, "-")}.csv`}
          testId="portfolio-csv"
          header={PORTFOLIO_CSV_HEADER}
          rows={() => csvRows(portfolio)}
        />
      </div>
      {portfolio.compared === 0 ? (
        <Empty>No other portfolio to compare within these filters.</Empty>
      ) : (
        <>
          <SimilarTable
            list="most"
            title={`Most similar to ${portfolio.label}`}
            items={portfolio.mostSimilar}
            chosen={portfolio.label}
            filters={filters}
          />
          <SimilarTable
            list="least"
            title={`Least similar to ${portfolio.label}`}
            items={portfolio.leastSimilar}
            chosen={portfolio.label}
            filters={filters}
          />
        </>
      )}
    </>
  );
}

/**
 * portfolioSimilarity with the dashboard's filters: how alike the topic portfolios of countries or
 * funders are (cosine of their project counts per topic of the heat map's scheme), the most and least
 * similar to the one chosen, with the topics they share.
 */
export function PortfolioPanel({
  filters,
  funders,
}: {
  filters: Filters;
  funders: QueryState<DashboardFundersQuery>;
}) {
  const [level, setLevel] = useUrlState<PortfolioLevel>(LEVEL_PARAM, "COUNTRY");
  const [chosen, setChosen] = useUrlState<string>(ID_PARAM, "");
  const [byTier, setByTier] = useUrlState(TIER_PARAM, false);
  const countries = useQuery(CountriesQuery, {});
  const list =
    level === "COUNTRY"
      ? countries.status === "done"
        ? countries.data.countries.map((country) => ({ id: country.id, name: country.name }))
        : []
      : funders.status === "done"
        ? funders.data.funders.map((funder) => ({
            id: funder.id,
            name: funder.acronym ? `${funder.name} (${funder.acronym})` : funder.name,
          }))
        : [];
  const listState = level === "COUNTRY" ? countries : funders;
  const fallback = list.find((item) => item.id === DEFAULT_ID[level])?.id ?? list[0]?.id ?? null;
  const id = list.some((item) => item.id === chosen) ? chosen : fallback;
  return (
    <section className="panel" data-testid="portfolio-panel" aria-labelledby="portfolio-title">
      <header>
        <h2 id="portfolio-title">Whose portfolio resembles whose</h2>
        <label>
          Compare{" "}
          <select
            value={level}
            onChange={(event) => {
              setLevel(event.target.value as PortfolioLevel);
              setChosen("");
            }}
            data-testid="portfolio-level"
          >
            <option value="COUNTRY">countries</option>
            <option value="FUNDER">funders</option>
          </select>
        </label>
        <label>
          {level === "COUNTRY" ? "Country" : "Funder"}{" "}
          <select
            value={id ?? ""}
            onChange={(event) => setChosen(event.target.value)}
            data-testid="portfolio-id"
          >
            {list.map((item) => (
              <option key={item.id} value={item.id}>
                {item.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            checked={byTier}
            onChange={(event) => setByTier(event.target.checked)}
            data-testid="portfolio-by-tier"
          />{" "}
          Per topic and PM relevance tier
        </label>
      </header>
      <p className="hint">
        Each portfolio counts its projects per topic of the scheme chosen in the filters; similarity is the
        cosine of two portfolios, from 0 (no topic in common) to 1 (the same mix of topics, whatever the
        sizes).
      </p>
      {id ? (
        <Similarity level={level} id={id} byTier={byTier} filters={filters} />
      ) : listState.status === "loading" ? (
        <Loading what={level === "COUNTRY" ? "the countries" : "the funders"} />
      ) : listState.status === "error" ? (
        <ErrorMessage what={level === "COUNTRY" ? "the countries" : "the funders"} error={listState.error} />
      ) : (
        <Empty>No {level === "COUNTRY" ? "country" : "funder"} in the graph.</Empty>
      )}
    </section>
  );
}
