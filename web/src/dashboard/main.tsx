import "./dashboard.css";
import { useState } from "react";
import { createRoot } from "react-dom/client";
import { FilterBar, type Filters, NO_FILTERS } from "./filters.js";
import { GapsPanel } from "./gaps-panel.js";
import { HeatmapPanel } from "./heatmap-panel.js";
import { NetworkPanel } from "./network-panel.js";
import { TrendPanel } from "./trend-panel.js";

/** The dashboard: three views of the analysis queries, over the public GraphQL API of this origin only. */
function Dashboard() {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  return (
    <>
      <header className="page-header">
        <h1>PerMed Atlas · funding dashboard</h1>
        <nav>
          <a href="/">GraphQL playground</a>
        </nav>
      </header>
      <main>
        <FilterBar value={filters} onApply={setFilters} />
        <NetworkPanel filters={filters} />
        <HeatmapPanel filters={filters} />
        <TrendPanel filters={filters} />
        <GapsPanel
          filters={filters}
          initialConsortium={new URLSearchParams(window.location.search).get("consortium")}
        />
      </main>
      <footer className="page-footer">
        Every figure comes from the analysis queries of <code>/graphql</code>; a project's year is its start
        year. Filters apply to all panels.
      </footer>
    </>
  );
}

createRoot(document.getElementById("dashboard")!).render(<Dashboard />);
