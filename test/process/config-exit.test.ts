import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/** The server as `npm start` runs it, with a configuration it must refuse before anything else. */
describe("start-up with an invalid configuration", () => {
  it("makes the server exit with code 1 and a clear message before touching the database", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: { ...process.env, PORT: "not-a-port", ATLAS_DATA_DIR: "/nonexistent/never-created" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Invalid configuration:");
    expect(result.stderr).toContain('PORT must be a number (got "not-a-port")');
  });
});
