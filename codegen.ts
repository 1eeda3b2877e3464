import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Types of the API for the server (arguments and enums) and typed documents for the example
 * operations in schema/operations, which the tests and the playground share.
 */
const config: CodegenConfig = {
  schema: "src/generated/schema.graphql",
  generates: {
    // Types of the whole API: the arguments and enums that resolvers, importers and analyses use.
    // No resolver signatures: the analysis answers carry internal fields (coverageRequest, ...) that a
    // mapper could name only by importing src/analysis into src/generated, against the layering.
    "src/generated/graphql.ts": {
      plugins: ["typescript"],
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
