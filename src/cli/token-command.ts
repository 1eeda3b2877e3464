import type { Command } from "commander";
import { SignJWT } from "jose";
import type { CliServices } from "./services.js";

/** A token that cannot be minted as asked; the message names the option or variable (main.ts prints it, exit 1). */
export class TokenRequestError extends Error {
  override name = "TokenRequestError";
}

/** What a token is minted for when no option says otherwise. */
export const TOKEN_DEFAULTS = { roles: ["admin"], subject: "atlas-cli", expiresIn: "8h" } as const;

/** The longest life a minted token may have: 30 days, so a leaked token does not stay valid for ever. */
const MAX_EXPIRES_IN_SECONDS = 30 * 24 * 3600;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * `--expires-in` as seconds: a whole number followed by s, m, h or d (`90m`, `8h`, `7d`), at most 30
 * days. Throws TokenRequestError naming the option otherwise.
 */
export function expiresInSeconds(text: string): number {
  const match = /^\s*(\d+)\s*([smhd])\s*$/.exec(text);
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2]!]! : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_EXPIRES_IN_SECONDS)
    throw new TokenRequestError(
      `--expires-in: must be a duration such as 90m, 8h or 7d, from 1s to 30d; got "${text}"`,
    );
  return seconds;
}

/** `--roles` as a list: comma-separated role names (letters, digits, `_ . : -`), at least one. */
export function roleList(text: string): string[] {
  const roles = text
    .split(",")
    .map((role) => role.trim())
    .filter(Boolean);
  const bad = roles.find((role) => !/^[A-Za-z0-9_.:-]+$/.test(role));
  if (roles.length === 0 || bad !== undefined)
    throw new TokenRequestError(
      `--roles: must be role names separated by commas, such as admin or reader; got "${text}"`,
    );
  return [...new Set(roles)];
}

/**
 * The configured HS256 secret, or an TokenRequestError saying why a token cannot be minted: no
 * secret, or the server verifies with a JWKS endpoint (its tokens come from that key's issuer). A short
 * secret never gets here: the configuration refuses one under 32 characters (ConfigError, config.ts).
 */
export function signingSecret(config: {
  jwtSecret: string | undefined;
  jwksUrl: string | undefined;
}): string {
  if (config.jwksUrl)
    throw new TokenRequestError(
      "ATLAS_JWKS_URL is set: the server verifies tokens with that endpoint's keys, so tokens come from its issuer, not from this command",
    );
  if (!config.jwtSecret)
    throw new TokenRequestError(
      "ATLAS_JWT_SECRET is not set: set it to the server's secret (32 or more characters) to mint a token it accepts",
    );
  return config.jwtSecret;
}

export interface MintedToken {
  token: string;
  roles: string[];
  subject: string;
  /** Seconds since the epoch (the token's `iat` and `exp` claims). */
  issuedAt: number;
  expiresAt: number;
}

/**
 * An HS256 JWT as the server's verifier (src/server/token.ts) accepts it: `roles` (a list of strings),
 * `sub`, `iat` and `exp` = `now` + `expiresIn` seconds. `now` (seconds since the epoch) is the clock,
 * for tests.
 */
export async function mintToken(options: {
  secret: string;
  roles: string[];
  subject: string;
  expiresIn: number;
  now?: number;
}): Promise<MintedToken> {
  const issuedAt = options.now ?? Math.floor(Date.now() / 1000);
  const expiresAt = issuedAt + options.expiresIn;
  const token = await new SignJWT({ roles: options.roles })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(options.subject)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(options.secret));
  return { token, roles: options.roles, subject: options.subject, issuedAt, expiresAt };
}

/**
 * Adds `token [--roles admin] [--subject atlas-cli] [--expires-in 8h]`: prints a token signed with
 * ATLAS_JWT_SECRET on stdout (alone on its line, for `$(...)`), and its roles, subject and expiry on
 * stderr. Options are checked before the secret is read; nothing is written anywhere.
 */
export function registerTokenCommand(program: Command, services: CliServices): void {
  program
    .command("token")
    .description(
      "print a JWT signed with ATLAS_JWT_SECRET that the server accepts (default: admin role, 8 hours)",
    )
    .option("--roles <roles>", "comma-separated roles", TOKEN_DEFAULTS.roles.join(","))
    .option("--subject <sub>", "the token's subject (who it is for)", TOKEN_DEFAULTS.subject)
    .option("--expires-in <duration>", "lifetime: 90m, 8h, 7d (at most 30d)", TOKEN_DEFAULTS.expiresIn)
    .action(async (options: { roles: string; subject: string; expiresIn: string }) => {
      const roles = roleList(options.roles);
      const expiresIn = expiresInSeconds(options.expiresIn);
      const subject = options.subject.trim();
      if (!subject) throw new TokenRequestError("--subject: must not be empty");
      const minted = await mintToken({ secret: signingSecret(services.config()), roles, subject, expiresIn });
      process.stdout.write(`${minted.token}\n`);
      process.stderr.write(
        `roles: ${minted.roles.join(", ")}; subject: ${minted.subject}; expires: ${new Date(minted.expiresAt * 1000).toISOString()} (in ${options.expiresIn.trim()})\n`,
      );
    });
}
