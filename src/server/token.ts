import { createRemoteJWKSet, type JWTPayload, jwtVerify } from "jose";

/** A caller whose token was verified: the roles are always a list of strings (none: `[]`). */
export interface VerifiedCaller {
  subject: string | undefined;
  roles: readonly string[];
  /** The verified claims with `roles` normalised, handed to @neo4j/graphql as a trusted JWT. */
  jwt: JWTPayload & { roles: string[] };
}

/** Why a token was refused; the message never echoes the token. */
export class TokenRefused extends Error {
  override name = "TokenRefused";
}

/**
 * Verifies the token of an `Authorization: Bearer <jwt>` header and checks its claims.
 * Resolves to `undefined` when no Authorization header was sent; rejects with TokenRefused when one
 * was sent and is not a valid token.
 */
export type TokenVerifier = (authorization: string | undefined) => Promise<VerifiedCaller | undefined>;

/**
 * Verifies with the configured HS256 secret, or the keys of a JWKS endpoint (RS256, ES256, ... as the
 * keys say); with neither, every token is refused (the API is then read-only). Signature, `exp` and
 * `nbf` are checked by jose, which also refuses `alg: none`. A `roles` claim must be a list of strings
 * when present: `"roles": "admin"` is refused here rather than misread further on.
 */
export function createTokenVerifier(options: {
  secret?: string | undefined;
  jwksUrl?: string | undefined;
}): TokenVerifier {
  const jwks = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : undefined;
  const secret = options.secret ? new TextEncoder().encode(options.secret) : undefined;
  return async (authorization) => {
    if (authorization === undefined || authorization === "") return undefined;
    const token = authorization.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    if (!token) throw new TokenRefused('the Authorization header must read "Bearer <token>"');
    let payload: JWTPayload;
    try {
      if (jwks) payload = (await jwtVerify(token, jwks)).payload;
      else if (secret) payload = (await jwtVerify(token, secret, { algorithms: ["HS256"] })).payload;
      else throw new TokenRefused("no key is configured to verify tokens (the API is read-only)");
    } catch (error) {
      if (error instanceof TokenRefused) throw error;
      throw new TokenRefused(
        `the token is not valid (${(error as { code?: string }).code ?? "verification failed"})`,
      );
    }
    const roles = payload.roles ?? [];
    if (!Array.isArray(roles) || !roles.every((role) => typeof role === "string")) {
      throw new TokenRefused("the token's roles claim must be a list of strings");
    }
    return {
      subject: typeof payload.sub === "string" ? payload.sub : undefined,
      roles,
      jwt: { ...payload, roles },
    };
  };
}
