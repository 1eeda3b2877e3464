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

createRoot(document.getElementById("playground")!).render(
  <GraphiQL fetcher={fetcher} defaultTabs={exampleTabs()} defaultEditorToolsVisibility="variables" />,
);
