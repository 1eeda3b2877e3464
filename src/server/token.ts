import { createRemoteJWKSet, type JWTPayload, jwtVerify } from "jose";

export type TokenVerifier = (authorization: string | undefined) => Promise<JWTPayload>;

/** Verifies "Bearer <jwt>" with the configured HS256 secret or JWKS; the message never echoes the token. */
export function createTokenVerifier(options: {
  secret?: string | undefined;
  jwksUrl?: string | undefined;
}): TokenVerifier {
  const key = options.jwksUrl
    ? createRemoteJWKSet(new URL(options.jwksUrl))
    : options.secret
      ? new TextEncoder().encode(options.secret)
      : undefined;
  return async (authorization) => {
    const token = authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    if (!token) throw new Error("a bearer token is required");
    if (!key) throw new Error("no key is configured to verify tokens");
    try {
      const { payload } =
        typeof key === "function" ? await jwtVerify(token, key) : await jwtVerify(token, key);
      return payload;
    } catch (error) {
      throw new Error(
        `the token is not valid (${(error as { code?: string }).code ?? "verification failed"})`,
      );
    }
  };
}
