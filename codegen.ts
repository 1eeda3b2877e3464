import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Types for the server (resolvers of the custom queries) and typed documents for the example
 * operations in schema/operations, which the tests and the playground share.
 */
const config: CodegenConfig = {
  schema: "src/generated/schema.graphql",
  documents: "schema/operations/**/*.graphql",
  generates: {
    "src/generated/graphql.ts": {
      plugins: ["typescript", "typescript-operations", "typed-document-node", "typescript-resolvers"],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false },
        scalars: { Date: "string", DateTime: "string", BigInt: "string" },
      },
    },
  },
};

export default config;
