import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Types for the server (resolvers of the custom queries) and typed documents for the example
 * operations in schema/operations, which the tests and the playground share.
 */
const config: CodegenConfig = {
  schema: "src/generated/schema.graphql",
  generates: {
    // Types of the whole API, for the resolvers of the custom queries.
    "src/generated/graphql.ts": {
      plugins: ["typescript", "typescript-resolvers"],
      config: {
        useTypeImports: true,
        // An argument with a default value always reaches a resolver (graphql-js fills it in): not optional.
        avoidOptionals: { field: true, inputValue: false, defaultValue: true },
        scalars: { Date: "string", DateTime: "string", BigInt: "string" },
      },
    },
    // Typed documents of the example operations: self-contained, for tests and clients.
    "src/generated/operations.ts": {
      documents: "schema/operations/**/*.graphql",
      plugins: ["typescript-operations", "typed-document-node"],
      config: {
        useTypeImports: true,
        scalars: { Date: "string", DateTime: "string", BigInt: "string" },
      },
    },
  },
};

export default config;
