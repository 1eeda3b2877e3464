import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Node loads `graphql` as CommonJS (its package has no "exports"), as @neo4j/graphql and Apollo do;
    // Vite would give the project's own files the ES build instead, and graphql refuses to mix schema
    // objects of two copies ("Cannot use GraphQLNonNull from another module or realm").
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // One Neo4j serves the whole run and Community has one user database: files take turns.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
