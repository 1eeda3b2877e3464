/**
 * The repository's example operations (schema/operations/*.graphql), one tab per named operation,
 * with variables that answer on the default seed.
 */
const files = import.meta.glob("../../schema/operations/*.graphql", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

const VARIABLES: Record<string, Record<string, unknown>> = {
  FunderById: { id: "funder:isciii" },
  ProjectWithParticipants: { id: "cordis:101137129" },
  SearchFunders: { phrase: "Carlos" },
  SearchProjects: { phrase: "pharmacogenomics" },
  ProjectsPage: { fromYear: 2024, first: 10 },
  Countries: { limit: 20 },
};

export function exampleTabs(): { query: string; variables?: string }[] {
  const tabs: { query: string; variables?: string }[] = [];
  for (const text of Object.values(files)) {
    // Operations in a file are separated by a blank line; each may start with its comment.
    const operations = text.split(/\n\s*\n(?=#|query |mutation )/).map((part) => part.trim());
    for (const query of operations.filter(Boolean)) {
      const name = query.match(/(?:query|mutation)\s+(\w+)/)?.[1] ?? "";
      tabs.push({
        query,
        ...(VARIABLES[name] ? { variables: JSON.stringify(VARIABLES[name], null, 2) } : {}),
      });
    }
  }
  return tabs;
}
