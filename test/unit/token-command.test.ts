import { Command } from "commander";
import { decodeJwt } from "jose";
import { describe, expect, it, vi } from "vitest";
import { expiresInSeconds, mintToken, registerTokenCommand, roleList } from "../../src/cli/token-command.js";
import { loadConfig } from "../../src/config/config.js";
import { createTokenVerifier, TokenRefused } from "../../src/server/token.js";
import { createLogger } from "../../src/util/logger.js";

const SECRET = "a-secret-of-the-test-that-is-long-enough-0123456789";
const verify = createTokenVerifier({ secret: SECRET });

/**
 * The same command in this process (a process per case takes seconds): its stdout, and its error's
 * message where main.ts would print it and exit 1.
 */
async function inProcess(env: Record<string, string>, ...args: string[]) {
  const program = new Command().exitOverride();
  registerTokenCommand(program, { config: () => loadConfig(env), logger: createLogger });
  const stdout: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout.push(String(chunk));
    return true;
  });
  const quiet = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    await program.parseAsync(["token", ...args], { from: "user" });
    return { error: undefined, stdout: stdout.join("") };
  } catch (error) {
    return { error: (error as Error).message, stdout: stdout.join("") };
  } finally {
    spy.mockRestore();
    quiet.mockRestore();
  }
}

describe("atlas token: a token the server's verifier accepts, for the configured secret", () => {
  it("by default: the admin role for 8 hours", async () => {
    const { error, stdout } = await inProcess({ ATLAS_JWT_SECRET: SECRET });
    expect(error).toBeUndefined();
    const token = stdout.trim();
    expect((await verify(`Bearer ${token}`))?.roles).toEqual(["admin"]);
    const { exp, iat } = decodeJwt(token);
    expect(exp! - iat!).toBe(8 * 3600);
  });

  it("an expired token is refused by the verifier, and one signed with another secret too", async () => {
    const now = Math.floor(Date.now() / 1000);
    // Issued two hours ago for one hour: expired an hour ago.
    const expired = await mintToken({
      secret: SECRET,
      roles: ["admin"],
      subject: "t",
      expiresIn: 3600,
      now: now - 7200,
    });
    await expect(verify(`Bearer ${expired.token}`)).rejects.toThrow(TokenRefused);
    await expect(verify(`Bearer ${expired.token}`)).rejects.toThrow(/ERR_JWT_EXPIRED/);
    const other = await mintToken({
      secret: `${SECRET}-other`,
      roles: ["admin"],
      subject: "t",
      expiresIn: 3600,
    });
    await expect(verify(`Bearer ${other.token}`)).rejects.toThrow(/signature/i);
    // The same minting, fresh and with the right secret, is accepted: the two refusals are the clock's
    // and the key's, not the token's shape.
    const fresh = await mintToken({ secret: SECRET, roles: ["admin"], subject: "t", expiresIn: 3600, now });
    expect((await verify(`Bearer ${fresh.token}`))?.roles).toEqual(["admin"]);
  });

  it.each([
    [{}, /ATLAS_JWT_SECRET is not set/],
    [{ ATLAS_JWT_SECRET: "short-secret" }, /ATLAS_JWT_SECRET must have at least 32 characters/],
    [
      { ATLAS_JWKS_URL: "https://issuer.example/jwks.json" },
      /ATLAS_JWKS_URL is set: the server verifies tokens with that endpoint's keys/,
    ],
  ])("with %o it prints no token and says why", async (env, message) => {
    const { error, stdout } = await inProcess(env);
    expect(stdout).toBe("");
    expect(error).toMatch(message);
    // A secret is never echoed.
    expect(error).not.toContain("short-secret");
  });

  it("refuses a bad lifetime or role list before reading the secret", async () => {
    for (const [option, value] of [
      ["--expires-in", "forever"],
      ["--roles", "admin reader"],
    ] as const) {
      const { error, stdout } = await inProcess({}, option, value);
      expect(stdout).toBe("");
      expect(error).toMatch(new RegExp(`^${option}: .*got "${value}"`));
    }
  });

  it.each([
    ["90m", 5400],
    ["8h", 28_800],
    ["7d", 604_800],
    ["30d", 2_592_000],
    ["45s", 45],
  ])("--expires-in %s is %i seconds", (text, seconds) => {
    expect(expiresInSeconds(text)).toBe(seconds);
  });

  it.each(["0h", "31d", "8", "8 hours", "-1h", "1.5h", ""])("--expires-in %j is refused", (text) => {
    expect(() => expiresInSeconds(text)).toThrow(/^--expires-in: /);
  });

  it("--roles: comma-separated names, trimmed and without repeats; nothing else", () => {
    expect(roleList(" admin , reader,admin")).toEqual(["admin", "reader"]);
    expect(() => roleList(",")).toThrow(/^--roles: /);
    expect(() => roleList("admin reader")).toThrow(/^--roles: /);
  });
});
