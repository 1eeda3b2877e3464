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

/**
 * GraphiQL's tabs are `li role="tab"` elements holding two buttons (the tab's and its close button):
 * interactive controls nested in an interactive control, which screen readers cannot reach (axe's
 * nested-interactive). The tab strip is made a plain list of buttons instead: the list items and the
 * list lose their tab roles, and the open tab's button says it is the current one (aria-current).
 * Applied again whenever GraphiQL redraws the strip.
 */
function flattenTabs(root: HTMLElement): void {
  for (const list of root.querySelectorAll('[role="tablist"]')) list.removeAttribute("role");
  for (const tab of root.querySelectorAll<HTMLElement>("li.graphiql-tab")) {
    if (tab.getAttribute("role") === "tab") tab.removeAttribute("role");
    // The class, not aria-selected (removed here, and set again by GraphiQL only when it changes).
    const active = tab.classList.contains("graphiql-tab-active");
    if (tab.hasAttribute("aria-selected")) tab.removeAttribute("aria-selected");
    const button = tab.querySelector(".graphiql-tab-button");
    if (!button) continue;
    if (active && button.getAttribute("aria-current") !== "true") button.setAttribute("aria-current", "true");
    if (!active && button.hasAttribute("aria-current")) button.removeAttribute("aria-current");
  }
}

const playground = document.getElementById("playground")!;
new MutationObserver(() => flattenTabs(playground)).observe(playground, {
  childList: true,
  subtree: true,
  attributes: true,
  attributeFilter: ["role", "aria-selected", "class"],
});

createRoot(playground).render(
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
