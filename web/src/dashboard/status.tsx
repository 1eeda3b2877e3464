import type { ReactNode } from "react";
import { descriptionWords } from "../shared/words.js";
import type { ApiError } from "./api.js";
import type { QueryState } from "./use-query.js";

export function Loading({ what }: { what: string }) {
  return (
    <p className="status loading" data-testid="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

export function ErrorMessage({ what, error }: { what: string; error: ApiError | string }) {
  const message = typeof error === "string" ? error : error.message;
  const code = typeof error === "string" ? undefined : error.code;
  return (
    <div className="status error" data-testid="error" role="alert">
      <strong>Could not load {what}.</strong> {message}
      {code ? <code className="code">{code}</code> : null}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <p className="status empty" data-testid="empty">
      {children}
    </p>
  );
}

/** What an analysis answer counts, and how many sources stand behind it: every panel says both. */
export function Described({
  answer,
}: {
  answer: { description: string; sourceCount: number; coverage?: { statement: string } };
}) {
  return (
    <>
      <p className="description">
        {descriptionWords(answer.description)} <span className="sources">Sources: {answer.sourceCount}.</span>
      </p>
      {answer.coverage ? <CoverageNote statement={answer.coverage.statement} /> : null}
    </>
  );
}

/** What an answer rests on and what is known to be missing (the API's Coverage.statement), in words. */
export function CoverageNote({ statement }: { statement: string }) {
  return (
    <p className="coverage" data-testid="coverage">
      <strong>Coverage</strong>: {statement}
    </p>
  );
}

/** Loading and error states of a query; the content renders only with data. */
export function QueryView<T>({
  state,
  what,
  children,
}: {
  state: QueryState<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (state.status === "loading") return <Loading what={what} />;
  if (state.status === "error") return <ErrorMessage what={what} error={state.error} />;
  return <>{children(state.data)}</>;
}
