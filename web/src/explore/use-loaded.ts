import { useEffect, useState } from "react";
import { ApiError } from "../dashboard/api.js";
import type { QueryState } from "../dashboard/use-query.js";

/**
 * The state of a load that takes several requests (all pages of a list): loading, then the data or the
 * error as an ApiError. A change of `key` (the load's inputs, serialised) aborts the running load and
 * starts again; an aborted load never sets state. `load` gets the abort signal to pass to `request`.
 */
export function useLoaded<T>(key: string, load: (signal: AbortSignal) => Promise<T>): QueryState<T> {
  const [state, setState] = useState<QueryState<T>>({ status: "loading" });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for everything `load` reads.
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: "loading" });
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: "done", data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setState({
            status: "error",
            error: error instanceof ApiError ? error : new ApiError(String(error), undefined),
          });
        }
      },
    );
    return () => controller.abort();
  }, [key]);
  return state;
}
