/**
 * How the playground turns schema/operations/*.graphql into tabs: the variables each operation opens
 * with (chosen to answer on the default seed; test/knowledge-graph.test.ts runs every one of them) and
 * the split of a file into operations. No bundler features here, so the tests can import it too.
 */

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
  MoneyByFunder: { filters: null },
};

/** The operations of one file: separated by a blank line, each may start with its comment. */
export function splitOperations(text: string): { name: string; query: string }[] {
  return text
    .split(/\n\s*\n(?=#|query |mutation )/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((query) => ({ name: query.match(/(?:query|mutation)\s+(\w+)/)?.[1] ?? "", query }));
}
