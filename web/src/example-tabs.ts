import { EXAMPLE_VARIABLES, splitOperations } from "./example-operations.js";

/**
 * The repository's example operations (schema/operations/*.graphql), one tab per named operation,
 * with variables that answer on the default seed.
 */
const files = import.meta.glob("../../schema/operations/*.graphql", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

export interface ExampleTab {
  query: string;
  variables?: string;
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
