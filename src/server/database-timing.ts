import { AsyncLocalStorage } from "node:async_hooks";
import type { Driver, Session } from "neo4j-driver";
import { QueryDeadlineExceeded } from "../util/query-deadline.js";

/**
 * Per request: `dbMs`, the milliseconds during which at least one of its transactions was open. An
 * analysis runs several queries at once: summing their times gave more database time than the request
 * lasted (10.5 s in a 7.3 s export), so overlapping transactions count once.
 */
export interface RequestTiming {
  dbMs: number;
  /** Transactions open now, and since when (performance.now()) at least one has been. */
  open?: number;
  openSince?: number;
}

export const requestTiming = new AsyncLocalStorage<RequestTiming>();

export { QueryDeadlineExceeded } from "../util/query-deadline.js";

type TransactionMethod = (...args: unknown[]) => Promise<unknown>;

function timed(original: TransactionMethod): TransactionMethod {
  return async (...args) => {
    const store = requestTiming.getStore();
    if (store) {
      store.open = (store.open ?? 0) + 1;
      if (store.open === 1) store.openSince = performance.now();
    }
    try {
      return await original(...args);
    } finally {
      if (store) {
        store.open = (store.open ?? 1) - 1;
        if (store.open === 0) store.dbMs += performance.now() - (store.openSince ?? performance.now());
      }
    }
  };
}

/**
 * Rejects with QueryDeadlineExceeded when the read outlives `config.timeout` (ms, the second argument
 * of executeRead). From then on the session's close() returns at once and closes in the background:
 * the library awaits close() before it passes the error on, and a hung server would hold it forever.
 * Writes are left to Neo4j alone: answering "timed out" for a write that may still commit would be a lie.
 */
function withDeadline(session: Session, original: TransactionMethod): TransactionMethod {
  return (...args) => {
    const timeout = (args[1] as { timeout?: unknown } | undefined)?.timeout;
    if (typeof timeout !== "number" || !(timeout > 0)) return original(...args);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const close = session.close.bind(session);
        session.close = async () => {
          close().catch(() => undefined);
        };
        reject(new QueryDeadlineExceeded(timeout));
      }, timeout);
    });
    const work = original(...args);
    // The work may still fail after the deadline answered; that failure has no one left to tell.
    work.catch(() => undefined);
    return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
  };
}

/**
 * A driver that measures the time spent in read and write transactions of the request in scope and
 * holds reads to their timeout on the Node side (`withDeadline`).
 * @neo4j/graphql runs every query through session.executeRead/executeWrite, so this sees them all.
 */
export function timedDriver(driver: Driver): Driver {
  return new Proxy(driver, {
    get(target, property, receiver) {
      if (property !== "session") return Reflect.get(target, property, receiver);
      return (...args: Parameters<Driver["session"]>): Session => {
        const session = target.session(...args);
        const read = session.executeRead.bind(session) as TransactionMethod;
        const write = session.executeWrite.bind(session) as TransactionMethod;
        session.executeRead = timed(withDeadline(session, read)) as Session["executeRead"];
        session.executeWrite = timed(write) as Session["executeWrite"];
        return session;
      };
    },
  });
}
