import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { SignJWT } from "jose";
import { TEST_JWT_SECRET } from "./database.js";

export interface GraphQLResponse<T> {
  status: number;
  data: T | null | undefined;
  errors: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] | undefined;
}

/** Posts an operation (a typed document or a query string) to a running server's /graphql. */
export async function postGraphQL<T = Record<string, unknown>, V = Record<string, unknown>>(
  baseUrl: string,
  query: string | TypedDocumentNode<T, V>,
  variables?: V,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query: typeof query === "string" ? query : print(query), variables }),
  });
  const body = (await response.json()) as { data?: T | null; errors?: GraphQLResponse<T>["errors"] };
  return { status: response.status, data: body.data, errors: body.errors };
}

/** Fails with the query and the whole answer, so that a broken test says what went wrong. */
export function expectData<T>(response: GraphQLResponse<T>): T {
  if (response.errors?.length || !response.data) {
    throw new Error(
      `GraphQL errors (HTTP ${response.status}):\n${JSON.stringify(response.errors ?? response, null, 2)}`,
    );
  }
  return response.data;
}

export async function adminToken(
  options: { roles?: string[]; secret?: string; expiresIn?: string } = {},
): Promise<string> {
  return new SignJWT({ roles: options.roles ?? ["admin"] })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject("test-admin")
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "10m")
    .sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}
