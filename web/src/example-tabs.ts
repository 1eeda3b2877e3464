/**
 * The repository's example operations (schema/operations/*.graphql), one tab per named operation,
 * with variables that answer on the default seed.
 */
const files = import.meta.glob("../../schema/operations/*.graphql", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

/** Default variables by operation name; an operation without an entry gets none (all its variables are optional). */
export const EXAMPLE_VARIABLES: Record<string, Record<string, unknown>> = {
  FunderById: { id: "funder:isciii" },
  ProjectWithParticipants: { id: "cordis:101137129" },
  SearchFunders: { phrase: "Carlos" },
  SearchProjects: { phrase: "pharmacogenomics" },
  ProjectsPage: { fromYear: 2024, first: 10 },
  Countries: { limit: 20 },
  CountryNetwork: { topicIds: null, fromYear: null, toYear: null },
  CountryTopicMatrix: { normalise: "NONE", filters: { topicScheme: "LEGAL_BASIS" } },
  FundingGaps: { consortiumId: "consortium:era-permed" },
  FundingTrend: { fromYear: null, toYear: null, filters: null },
};

export interface ExampleTab {
  query: string;
  variables?: string;
}

/** The operations of one file: separated by a blank line, each may start with its comment. */
export function splitOperations(text: string): { name: string; query: string }[] {
  return text
    .split(/\n\s*\n(?=#|query |mutation )/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((query) => ({ name: query.match(/(?:query|mutation)\s+(\w+)/)?.[1] ?? "", query }));
}

export function exampleTabs(): ExampleTab[] {
  // Files in name order, so that the tabs do not move when a file is added.
  return Object.keys(files)
    .sort()
    .flatMap((file) => splitOperations(files[file]!))
    .map(({ name, query }) => ({
      query,
      ...(EXAMPLE_VARIABLES[name] ? { variables: JSON.stringify(EXAMPLE_VARIABLES[name], null, 2) } : {}),
    }));
}
