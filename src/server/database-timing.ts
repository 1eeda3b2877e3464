import { AsyncLocalStorage } from "node:async_hooks";
import type { Driver, Session } from "neo4j-driver";

/** Per request: how long its database work took, summed over every transaction it ran. */
export const requestTiming = new AsyncLocalStorage<{ dbMs: number }>();

type TransactionMethod = (...args: unknown[]) => Promise<unknown>;

function timed(original: TransactionMethod): TransactionMethod {
  return async (...args) => {
    const started = performance.now();
    try {
      return await original(...args);
    } finally {
      const store = requestTiming.getStore();
      if (store) store.dbMs += performance.now() - started;
    }
  };
}

/**
 * A driver that measures the time spent in read and write transactions of the request in scope.
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
        session.executeRead = timed(read) as Session["executeRead"];
        session.executeWrite = timed(write) as Session["executeWrite"];
        return session;
      };
    },
  });
}
