import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const require = createRequire(import.meta.url);

/**
 * Test files that need no database and start no process: pure functions, validators, schema and Cypher
 * text, the server in memory. They form the "unit" project (`npm run test:unit`, seconds). Files in
 * test/process/ need no database either but start Node or npm processes and wait on them (signals,
 * exit codes, stop grace): the "process" project. Every other file is "integration" and runs against
 * the one embedded Neo4j of test/global-setup.ts. A new database-free test goes in test/unit/.
 */
const PROCESS_TESTS = ["test/process/**/*.test.ts"];
const UNIT_TESTS = [
  "test/unit/**/*.test.ts",
  "test/config.test.ts",
  "test/cordis-rows.test.ts",
  "test/network-metrics.test.ts",
  "test/seed-errors.test.ts",
  "test/strict-values.test.ts",
];

/**
 * The server harness (test/unit/server-harness.test.ts) goes first: it holds the tests of the faults a
 * change most often makes (access codes, error masking, limits, paging order, cents), so that they
 * report within seconds of `npm run test:unit` instead of after the slowest unit files, which vitest's
 * own order (longest first) puts ahead of it. Otherwise vitest's order.
 */
class HarnessFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (spec: TestSpecification) => spec.moduleId.endsWith("test/unit/server-harness.test.ts");
    return [...sorted.filter(first), ...sorted.filter((spec) => !first(spec))];
  }
}

export default defineConfig({
  resolve: {
    // Node loads `graphql` as CommonJS (its package has no "exports"), as @neo4j/graphql and Apollo do;
    // Vite would give the project's own files the ES build instead, and graphql refuses to mix schema
    // objects of two copies ("Cannot use GraphQLNonNull from another module or realm").
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    // Longer than anything a test waits for: a scratch Neo4j may take its full 180 s start time-out on a
    // busy 2-core machine, and a test that starts one must still be able to report why it failed.
    sequence: { sequencer: HarnessFirstSequencer },
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Each test file belongs to exactly one project, so `vitest run` runs every file once.
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: UNIT_TESTS,
          // Vitest's default leaves a core to its main process (1 worker on 2 cores), which waits on
          // nothing here: unit files are CPU-bound in memory, so both cores run them.
          maxWorkers: Math.max(2, availableParallelism() - 1),
          // Unit files share no state through modules (none mocks one; spies are restored), so a
          // worker loads the server's modules (@neo4j/graphql, Apollo) once instead of once per file:
          // loading was most of the layer's time.
          isolate: false,
          // A worker count of its own needs a group of its own: the unit files run first, on all
          // cores, and report in seconds before the slower projects start.
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: "process", include: PROCESS_TESTS, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: {
          name: "integration",
          sequence: { groupOrder: 1 },
          include: ["test/**/*.test.ts"],
          exclude: [...UNIT_TESTS, ...PROCESS_TESTS, "**/node_modules/**"],
          globalSetup: ["test/global-setup.ts"],
          // One Neo4j serves the whole run and Community has one user database: files take turns.
          fileParallelism: false,
        },
      },
    ],
    // Reported, not a gate: it shows which branches no test reaches.
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      exclude: ["src/generated/**"],
      reporter: ["text-summary", "html"],
      reportsDirectory: "test/artifacts/coverage",
      reportOnFailure: true,
    },
  },
});
