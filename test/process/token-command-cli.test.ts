import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { createTokenVerifier } from "../../src/server/token.js";
import { projectRoot } from "../../src/util/project-root.js";

const run = promisify(execFile);
const SECRET = "a-secret-of-the-test-that-is-long-enough-0123456789";
const verify = createTokenVerifier({ secret: SECRET });

/** `npm run cli -- token <args>` as the README gives it, with the environment given (nothing inherited). */
async function cli(env: Record<string, string>, ...args: string[]) {
  return run(process.execPath, ["--import", "tsx", "src/cli/main.ts", "token", ...args], {
    cwd: projectRoot(),
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    timeout: 120_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

/** The token command as a user runs it: a process of its own, its stdout, stderr and exit code. */
describe("atlas token through src/cli/main.ts", () => {
  it("the printed token is accepted with its roles; its expiry is the one asked and the one printed", async () => {
    const before = Math.floor(Date.now() / 1000);
    const { code, stdout, stderr } = await cli(
      { ATLAS_JWT_SECRET: SECRET },
      "--roles",
      "admin,reader",
      "--expires-in",
      "2h",
    );
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const caller = await verify(`Bearer ${lines[0]}`);
    expect(caller?.roles).toEqual(["admin", "reader"]);
    expect(caller?.subject).toBe("atlas-cli");
    const { exp, iat } = decodeJwt(lines[0]!);
    expect(exp! - iat!).toBe(2 * 3600);
    expect(iat!).toBeGreaterThanOrEqual(before);
    expect(stderr).toContain(`expires: ${new Date(exp! * 1000).toISOString()}`);
    expect(stderr).toContain("roles: admin, reader");
  });

  it("through main.ts: no token, the reason on stderr, exit 1", async () => {
    const { code, stdout, stderr } = await cli({});
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/ATLAS_JWT_SECRET is not set/);
  });
});
