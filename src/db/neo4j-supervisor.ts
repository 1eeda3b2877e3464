import type { Logger } from "../util/logger.js";
import type { EmbeddedNeo4j, Neo4jExit } from "./embedded-neo4j.js";

/**
 * What the server knows of its database's process, for the health routes: `up` (readiness then asks
 * Neo4j itself), `recovering` (it died and is being restarted: not ready, still alive), `failed` (the
 * restarts gave up: not alive either, so that a process supervisor restarts the whole server),
 * `stopping` (a normal stop is under way).
 */
export type DatabaseHealth =
  | { state: "up" }
  | { state: "recovering"; reason: string; attempt: number; maxAttempts: number }
  | { state: "failed"; reason: string }
  | { state: "stopping"; reason: string };

/** Restarts after a death: pauses of firstPauseMs, doubling up to maxPauseMs, at most maxAttempts starts. */
export interface RestartPolicy {
  firstPauseMs: number;
  maxPauseMs: number;
  maxAttempts: number;
}

/** 1 s, 2 s, 4 s, ... 30 s: eight attempts span about two minutes of pauses, plus the starts themselves. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  firstPauseMs: 1_000,
  maxPauseMs: 30_000,
  maxAttempts: 8,
};

export interface Neo4jSupervisor {
  /** The instance in use now (a restart replaces it; the URI and password stay the same). */
  current(): EmbeddedNeo4j;
  health(): DatabaseHealth;
  /** No restart from now on (a normal stop has begun); the instance is left running. Idempotent. */
  release(): void;
  /** release(), waits for a start in progress, then stops the current instance. Idempotent. */
  stop(): Promise<void>;
}

/** A one-line reason: which process ended, how, and when. */
function describeExit(exit: Neo4jExit, owned: boolean, at: Date): string {
  const which = owned ? "the embedded Neo4j" : "the embedded Neo4j this server attached to";
  const how = exit.signal
    ? `exited: killed by ${exit.signal}`
    : exit.code !== null
      ? `exited with code ${exit.code}`
      : "is gone (its process no longer runs)";
  return `${which} (pid ${exit.pid}) ${how} at ${at.toISOString()}`;
}

/**
 * Watches an embedded Neo4j (its `exited` promise: the child's exit event, or the periodic check of an
 * attached one) and, when it ends without this process asking, logs why ("embedded Neo4j exited
 * unexpectedly" with code, signal and the tail of Neo4j's logs), then calls `start` after each pause of
 * `policy` until an instance runs ("embedded Neo4j recovered") or the attempts run out ("embedded Neo4j
 * could not be restarted", health `failed`). `start` is startOrAttachEmbeddedNeo4j with the original
 * options, so the Bolt URI and password do not change and the driver reconnects by itself. A start's
 * error is logged and counts as a failed attempt; nothing here throws.
 */
export function superviseEmbeddedNeo4j(
  first: EmbeddedNeo4j,
  start: () => Promise<EmbeddedNeo4j>,
  log: Logger,
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): Neo4jSupervisor {
  let instance = first;
  let health: DatabaseHealth = { state: "up" };
  let released = false;
  let recovery: Promise<void> | undefined;
  let wake: () => void = () => {};
  let stopping: Promise<void> | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function recover(reason: string): Promise<void> {
    const diedAt = Date.now();
    let wait = policy.firstPauseMs;
    let lastError = "";
    for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
      if (released) return;
      health = {
        state: "recovering",
        reason: `${reason}; restarting it (attempt ${attempt} of ${policy.maxAttempts})${lastError ? `; the last attempt failed: ${lastError}` : ""}`,
        attempt,
        maxAttempts: policy.maxAttempts,
      };
      log.warn({ attempt, maxAttempts: policy.maxAttempts, inMs: wait }, "restarting the embedded Neo4j");
      await pause(wait);
      if (released) return;
      try {
        instance = await start();
        if (released) return;
        health = { state: "up" };
        watch(instance);
        log.info(
          { neo4jPid: instance.pid, owned: instance.owned, attempt, downMs: Date.now() - diedAt },
          "embedded Neo4j recovered",
        );
        return;
      } catch (error) {
        lastError = (error as Error).message.split("\n")[0] ?? "";
        log.error({ attempt, maxAttempts: policy.maxAttempts, err: error }, "embedded Neo4j restart failed");
      }
      wait = Math.min(wait * 2, policy.maxPauseMs);
    }
    if (released) return;
    health = {
      state: "failed",
      reason: `${reason}; ${policy.maxAttempts} restart attempts failed, the last: ${lastError}`,
    };
    log.fatal(
      { attempts: policy.maxAttempts, reason: health.reason },
      "embedded Neo4j could not be restarted",
    );
  }

  function watch(watched: EmbeddedNeo4j): void {
    void watched.exited.then((exit) => {
      if (released || exit.requested || watched !== instance) return;
      const reason = describeExit(exit, watched.owned, new Date());
      log.error(
        {
          neo4jPid: exit.pid,
          owned: watched.owned,
          code: exit.code,
          signal: exit.signal,
          logTail: exit.logTail,
          reason,
        },
        "embedded Neo4j exited unexpectedly",
      );
      recovery = recover(reason);
    });
  }

  watch(first);
  const release = () => {
    if (released) return;
    released = true;
    wake();
    if (health.state !== "failed") health = { state: "stopping", reason: "the server is stopping" };
  };
  return {
    current: () => instance,
    health: () => health,
    release,
    stop: () => {
      release();
      stopping ??= (async () => {
        await recovery;
        await instance.stop();
      })();
      return stopping;
    },
  };
}
