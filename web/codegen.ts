import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Typed documents for the front end (run from the repository root: graphql-codegen --config web/codegen.ts).
 * The schema is the printed public API (src/generated/schema.graphql, written by `npm run codegen`); the
 * documents are the graphql(`...`) calls in web/src. Documents are plain strings (documentMode "string"),
 * so the dashboard posts them with fetch and ships no GraphQL parser.
 */
const config: CodegenConfig = {
  schema: "src/generated/schema.graphql",
  documents: ["web/src/**/*.{ts,tsx}", "!web/src/generated/**"],
  ignoreNoDocuments: false,
  generates: {
    "web/src/generated/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: "string",
        useTypeImports: true,
        enumsAsTypes: true,
        onlyOperationTypes: true,
        avoidOptionals: { field: true, inputValue: false },
        scalars: { Date: "string", DateTime: "string", BigInt: "string" },
      },
    },
  },
};

export default config;
