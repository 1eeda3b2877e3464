/**
 * A read that outlived its request's time limit on the Node side (answered as QUERY_TIMEOUT by
 * src/server/error-format.ts, matched by its `name`). Neo4j enforces a transaction's timeout itself,
 * but only when its transaction monitor next looks (every 2 s by default,
 * `db.transaction.monitor.check.interval`), and never when the server has stopped answering; and a
 * request can also wait on work that is not its own transaction (a shared analysis projection build).
 */
export class QueryDeadlineExceeded extends Error {
  override name = "QueryDeadlineExceeded";
  constructor(readonly timeoutMs: number) {
    super(`The read did not finish within ${timeoutMs} ms`);
  }
}

/**
 * `work`, or a rejection with QueryDeadlineExceeded after `timeoutMs` milliseconds, whichever comes
 * first; `work` itself goes on (it may be shared). No limit when `timeoutMs` is undefined or not > 0.
 */
export function withinDeadline<T>(work: Promise<T>, timeoutMs: number | undefined): Promise<T> {
  if (timeoutMs === undefined || !(timeoutMs > 0)) return work;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new QueryDeadlineExceeded(timeoutMs)), timeoutMs);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
