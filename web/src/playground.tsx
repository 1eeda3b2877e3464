import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import { GraphiQL } from "graphiql";
import { createRoot } from "react-dom/client";
import { exampleTabs } from "./example-tabs.js";

/** Posts to the API of the same origin: the playground works wherever the API is served, offline too. */
async function fetcher(params: unknown) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(params),
  });
  return response.json();
}

const tabs = exampleTabs();
// GraphiQL 5 opens the first default tab with its query but an empty variables editor (it reads only
// initialVariables there). On a first visit (no tabs stored yet), hand it the first tab's contents; later
// visits restore the stored tabs, which an initial query would otherwise add to as a new tab.
const firstVisit = window.localStorage.getItem("graphiql:tabs") === null;
const first = firstVisit ? tabs[0] : undefined;

createRoot(document.getElementById("playground")!).render(
  <GraphiQL
    fetcher={fetcher}
    defaultTabs={tabs}
    {...(first ? { initialQuery: first.query, initialVariables: first.variables ?? "" } : {})}
    defaultEditorToolsVisibility="variables"
  >
    <GraphiQL.Logo>
      <a href="/dashboard" title="PerMed Atlas: open the funding dashboard" className="atlas-logo-link">
        Dashboard
      </a>
    </GraphiQL.Logo>
  </GraphiQL>,
);
