import { useEffect, useState } from "react";
import type { TypedDocumentString } from "../generated/graphql.js";
import { ApiError, request } from "./api.js";

export type QueryState<T> =
  | { status: "loading" }
  | { status: "error"; error: ApiError }
  | { status: "done"; data: T };

/**
 * Runs a typed operation whenever its variables change (compared by value); an answer that arrives after
 * newer variables were asked for is dropped.
 */
export function useQuery<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): QueryState<TResult> {
  const key = JSON.stringify(variables);
  const [state, setState] = useState<QueryState<TResult>>({ status: "loading" });
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: "loading" });
    request(document, JSON.parse(key) as TVariables, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: "done", data });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({
          status: "error",
          error: error instanceof ApiError ? error : new ApiError(String(error), undefined),
        });
      },
    );
    return () => controller.abort();
  }, [document, key]);
  return state;
}
