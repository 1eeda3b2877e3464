import type { TypedDocumentString } from "../generated/graphql.js";

/** A failed request, with the API's error code (extensions.code) when it gave one. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

interface GraphQLBody<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; argumentName?: string } }[];
}

/** POSTs a typed operation to the API of this origin (/graphql) and returns its data, or throws an ApiError. */
export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  signal?: AbortSignal,
): Promise<TResult> {
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query: document.toString(), variables }),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(`The API did not answer: ${(error as Error).message}`, "NETWORK_ERROR");
  }
  let body: GraphQLBody<TResult>;
  try {
    body = (await response.json()) as GraphQLBody<TResult>;
  } catch {
    throw new ApiError(`The API answered HTTP ${response.status} without JSON.`, `HTTP_${response.status}`);
  }
  if (body.errors?.length) {
    const first = body.errors[0]!;
    const argument = first.extensions?.argumentName ? ` (argument ${first.extensions.argumentName})` : "";
    const more = body.errors.length > 1 ? ` (and ${body.errors.length - 1} more)` : "";
    throw new ApiError(`${first.message}${argument}${more}`, first.extensions?.code);
  }
  if (!response.ok || !body.data) {
    throw new ApiError(`The API answered HTTP ${response.status} without data.`, `HTTP_${response.status}`);
  }
  return body.data;
}
