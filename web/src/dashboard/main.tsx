import "./dashboard.css";
import { useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { SearchBox } from "../search/search-box.js";
import { replaceSearch } from "../shared/url-state.js";
import { CoFundingPanel } from "./co-funding-panel.js";
import { CommunitiesPanel } from "./communities-panel.js";
import {
  FilterBar,
  type Filters,
  FUNDER_LIST_LIMIT,
  filtersInUrl,
  initialTiers,
  searchWithFilters,
} from "./filters.js";
import { GapsPanel } from "./gaps-panel.js";
import { HeatmapPanel } from "./heatmap-panel.js";
import { MoneyPanel } from "./money-panel.js";
import { NetworkPanel } from "./network-panel.js";
import { PortfolioPanel } from "./portfolio-panel.js";
import { FundersQuery, LensesQuery } from "./queries.js";
import { SeriesPanel } from "./series-panel.js";
import { Loading } from "./status.js";
import { TrendPanel } from "./trend-panel.js";
import { useQuery } from "./use-query.js";

/** The dashboard: views of the analysis queries, over the public GraphQL API of this origin only. */
function Dashboard() {
  // The tiers the dashboard starts with depend on the store (initialTiers): panels wait for them
  // rather than drawing every project first and the PM landscape a moment later.
  const lenses = useQuery(LensesQuery, {});
  const [chosen, setFilters] = useState<Filters | null>(null);
  const filters: Filters | null =
    chosen ??
    (lenses.status === "loading"
      ? null
      : filtersInUrl(
          window.location.search,
          initialTiers(window.location.search, lenses.status === "done" ? lenses.data.topicLenses : []),
        ));
  // The filters shown are always those of the URL: a bookmark or a shared link reopens this view.
  const filtersKey = filters ? JSON.stringify(filters) : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: filtersKey stands for filters (a new object each render)
  useEffect(() => {
    if (filters) replaceSearch(searchWithFilters(window.location.search, filters));
  }, [filtersKey]);
  // One answer serves the funder filter's list and the money panel's full names.
  const funders = useQuery(FundersQuery, { limit: FUNDER_LIST_LIMIT });
  if (!filters) return <Loading what="the PM relevance tiers" />;
  return (
    <>
      <header className="page-header">
        <h1>PerMed Atlas · funding dashboard</h1>
        <SearchBox />
        <nav>
          <a href="/">GraphQL playground</a>
        </nav>
      </header>
      <main>
        <FilterBar value={filters} onApply={setFilters} funders={funders} />
        <NetworkPanel filters={filters} />
        <HeatmapPanel filters={filters} />
        <MoneyPanel filters={filters} funders={funders} />
        <TrendPanel filters={filters} />
        <GapsPanel filters={filters} />
        <CommunitiesPanel filters={filters} />
        <SeriesPanel filters={filters} />
        <CoFundingPanel filters={filters} />
        <PortfolioPanel filters={filters} funders={funders} />
      </main>
      <footer className="page-footer">
        Every figure comes from the analysis queries of <code>/graphql</code>; a project's year is its start
        year. Filters apply to all panels, but the funder filter not to the gaps panel (gaps are computed for
        a whole consortium) and the PM relevance filter not to the funder network (it links programmes, which
        have no tier); the co-funding panel takes the years only (transnational calls have no topic, tier or
        funder filter).
      </footer>
    </>
  );
}

createRoot(document.getElementById("dashboard")!).render(<Dashboard />);
