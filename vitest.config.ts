import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // One Neo4j serves the whole run and Community has one user database: files take turns.
    fileParallelism: false,
    // Longer than anything a test waits for: a scratch Neo4j may take its full 180 s start time-out on a
    // busy 2-core machine, and a test that starts one must still be able to report why it failed.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Reported, not a gate: it shows which branches no test reaches.
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      exclude: ["src/generated/**"],
      reporter: ["text-summary", "html"],
      reportsDirectory: "test/artifacts/coverage",
    },
  },
});
