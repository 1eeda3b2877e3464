import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Logger } from "../util/logger.js";
import { classDataSharing } from "./class-data-sharing.js";
import { ensureLauncherBuilt } from "./launcher-build.js";
import { debugLogFile, fileTail } from "./neo4j-log-tail.js";
import { DEFAULT_STOP_PATIENCE, progressSign, waitWhileProgressing } from "./stop-progress.js";

export interface EmbeddedNeo4jOptions {
  dataDir: string;
  boltPort: number;
  /** NEO4J_PASSWORD; when absent, one is generated on first start and kept in the data folder. */
  password: string | undefined;
  heap: string;
  pageCacheMb: number;
  /** What all transactions together may use (dbms.memory.transaction.total.max); unset, 70% of the heap. */
  transactionMemoryMb?: number | undefined;
  startTimeoutMs: number;
}

export interface EmbeddedNeo4j {
  uri: string;
  username: string;
  password: string;
  version: string;
  /** false when another process of the product started this instance and this one only attached to it. */
  owned: boolean;
  pid: number;
  /**
   * Settles once the instance is gone: for an owned one, when the Java process exits (its 'exit'
   * event); for an attached one, when a check every ATTACHED_CHECK_MS finds its process gone, or when
   * stop() ends the watch. Never rejects.
   */
  exited: Promise<Neo4jExit>;
  /** Stops the instance if this process owns it; for an attached one, only stops watching it. */
  stop(): Promise<void>;
}

/** How an instance ended, as this process saw it. */
export interface Neo4jExit {
  pid: number;
  /** The exit code or signal of an owned instance; both null for an attached one (only its absence shows). */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** true when this process's stop() asked for it: a normal stop, not a failure. */
  requested: boolean;
  /** The last lines of Neo4j's stderr (owned instance only) and of its debug.log, oldest first. */
  logTail: string[];
}

interface InstanceRecord {
  pid: number;
  boltPort: number;
  version: string;
  startedAt: string;
}

const USERNAME = "neo4j";
/** How often an attached instance's process is looked for (a signal 0: no I/O, no Bolt round trip). */
const ATTACHED_CHECK_MS = 2_000;
const LOG_TAIL_LINES = 20;

/** Waiters of `embeddedNeo4jSpawned`, told at the next spawn of a Neo4j process by this process. */
let spawnWaiters: (() => void)[] = [];

/**
 * Resolves when this process next spawns an embedded Neo4j (its Java process has been started, not
 * yet ready). Start-up uses it to do its own CPU work (the GraphQL schema) while the JVM starts, after
 * the spawn rather than before it. Never rejects; it may never resolve (an attached or external Neo4j),
 * so a caller races it with the connection.
 */
export function embeddedNeo4jSpawned(): Promise<void> {
  return new Promise((resolve) => spawnWaiters.push(resolve));
}

const passwordFile = (dataDir: string) => path.join(dataDir, "neo4j-password");
const instanceFile = (dataDir: string) => path.join(dataDir, "embedded-neo4j.json");

/** The generated password is readable by the owner only: it grants full access to the store. */
function resolvePassword(dataDir: string, configured: string | undefined): string {
  if (configured) return configured;
  const file = passwordFile(dataDir);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const generated = randomBytes(24).toString("base64url");
  writeFileSync(file, `${generated}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return generated;
}

/** Whether a process with this id runs (signal 0: nothing is sent); never throws. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether a TCP connection to host:port succeeds within `timeoutMs` milliseconds; never rejects. */
export function portAcceptsConnections(port: number, host = "127.0.0.1", timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

async function runningInstance(dataDir: string): Promise<InstanceRecord | undefined> {
  const file = instanceFile(dataDir);
  if (!existsSync(file)) return undefined;
  const record = JSON.parse(readFileSync(file, "utf8")) as InstanceRecord;
  if (isAlive(record.pid) && (await portAcceptsConnections(record.boltPort))) return record;
  rmSync(file, { force: true });
  return undefined;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts Neo4j Community as a child Java process, or attaches to the one another process of the
 * product already runs on the same data folder (the store lock allows only one). Waits at most
 * `options.startTimeoutMs` milliseconds for it to accept Bolt. Errors: the Bolt port is taken by another
 * program; Java or Maven missing (MissingToolError); Neo4j exits or does not start in time (the Error
 * carries the tail of its stderr).
 */
export async function startOrAttachEmbeddedNeo4j(
  options: EmbeddedNeo4jOptions,
  log: Logger,
): Promise<EmbeddedNeo4j> {
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const password = resolvePassword(dataDir, options.password);

  const existing = await runningInstance(dataDir);
  if (existing) return attached(existing, dataDir, password, log);

  if (await portAcceptsConnections(options.boltPort)) {
    throw new Error(
      `Port ${options.boltPort} is already in use by another program; set ATLAS_NEO4J_BOLT_PORT to a free port, or NEO4J_URI to use that server.`,
    );
  }

  const launcher = ensureLauncherBuilt(log);
  const sharing = classDataSharing(launcher.classPath, launcher.classArchiveDir);
  const started = Date.now();
  const child = spawnNeo4j(dataDir, password, options, launcher, sharing.jvmOptions);
  const waiters = spawnWaiters;
  spawnWaiters = [];
  for (const resolve of waiters) resolve();
  const stderrTail = keepStderrTail(child, log);
  const ready = await readySignal(child, options.startTimeoutMs, stderrTail);

  const record: InstanceRecord = {
    pid: child.pid!,
    boltPort: options.boltPort,
    version: ready.version,
    startedAt: new Date().toISOString(),
  };
  writeFileSync(instanceFile(dataDir), JSON.stringify(record), { mode: 0o600 });
  log.info(
    { neo4jPid: child.pid, boltPort: options.boltPort, version: ready.version, ms: Date.now() - started },
    "embedded Neo4j started",
  );
  const stopState = { requested: false };
  const pid = child.pid!;
  const exited = new Promise<Neo4jExit>((resolve) => {
    const settle = (code: number | null, signal: NodeJS.Signals | null) =>
      resolve({
        pid,
        code,
        signal,
        requested: stopState.requested,
        logTail: [...stderrTail.slice(-LOG_TAIL_LINES), ...fileTail(debugLogFile(dataDir), LOG_TAIL_LINES)],
      });
    if (child.exitCode !== null || child.signalCode !== null) settle(child.exitCode, child.signalCode);
    else child.once("exit", settle);
  });
  return {
    uri: `bolt://127.0.0.1:${options.boltPort}`,
    username: USERNAME,
    password,
    version: ready.version,
    owned: true,
    pid,
    exited,
    stop: stopper(child, dataDir, stopState, (clean) => sharing.afterExit(clean), log),
  };
}

/** The instance another process of the product runs: used as it is and watched, never stopped from here. */
function attached(existing: InstanceRecord, dataDir: string, password: string, log: Logger): EmbeddedNeo4j {
  log.info({ neo4jPid: existing.pid, boltPort: existing.boltPort }, "attached to the running embedded Neo4j");
  let endWatch = () => {};
  const exited = new Promise<Neo4jExit>((resolve) => {
    const settle = (requested: boolean) => {
      clearInterval(timer);
      resolve({
        pid: existing.pid,
        code: null,
        signal: null,
        requested,
        logTail: requested ? [] : fileTail(debugLogFile(dataDir), LOG_TAIL_LINES),
      });
    };
    const timer = setInterval(() => {
      if (!isAlive(existing.pid)) settle(false);
    }, ATTACHED_CHECK_MS);
    // The watch must not keep a process (a CLI command) alive on its own.
    timer.unref();
    endWatch = () => settle(true);
  });
  return {
    uri: `bolt://127.0.0.1:${existing.boltPort}`,
    username: USERNAME,
    password,
    version: existing.version,
    owned: false,
    pid: existing.pid,
    exited,
    stop: async () => endWatch(),
  };
}

/** Spawns the launcher (`java ... org.permedatlas.neo4j.EmbeddedNeo4j <store> <plugins> <bolt port>`). */
function spawnNeo4j(
  dataDir: string,
  password: string,
  options: EmbeddedNeo4jOptions,
  launcher: ReturnType<typeof ensureLauncherBuilt>,
  jvmOptions: readonly string[],
): ChildProcess {
  return spawn(
    "java",
    [
      `-Xmx${options.heap}`,
      "-XX:+UseG1GC",
      ...jvmOptions,
      "-cp",
      launcher.classPath,
      "org.permedatlas.neo4j.EmbeddedNeo4j",
      path.join(dataDir, "neo4j"),
      launcher.pluginDir,
      String(options.boltPort),
    ],
    {
      env: {
        ...process.env,
        ATLAS_NEO4J_PASSWORD: password,
        ATLAS_NEO4J_PAGECACHE_MB: String(options.pageCacheMb),
        ...(options.transactionMemoryMb
          ? { ATLAS_NEO4J_TX_MEMORY_MB: String(options.transactionMemoryMb) }
          : {}),
      },
      // stdin stays an open pipe: the launcher stops itself when it closes, so it never outlives us.
      stdio: ["pipe", "pipe", "pipe"],
      // Its own process group keeps a terminal's Ctrl-C away from it: we stop it ourselves, after
      // the HTTP server has drained, so that no in-flight request loses its database.
      detached: true,
    },
  );
}

/** The last 40 lines of the child's stderr (each also logged at debug), for start-up error messages. */
function keepStderrTail(child: ChildProcess, log: Logger): string[] {
  const stderrTail: string[] = [];
  createInterface({ input: child.stderr! }).on("line", (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 40) stderrTail.shift();
    log.debug({ neo4j: line }, "neo4j stderr");
  });
  return stderrTail;
}

/**
 * Resolves with Neo4j's version when the launcher prints its `{"event":"ready"}` line; rejects when
 * it exits first, fails to spawn, or is not ready within `timeoutMs` (then it is killed).
 */
function readySignal(
  child: ChildProcess,
  timeoutMs: number,
  stderrTail: string[],
): Promise<{ version: string }> {
  return new Promise<{ version: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`Embedded Neo4j did not start within ${timeoutMs} ms.\n${stderrTail.join("\n")}`));
    }, timeoutMs);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (!line.startsWith("{")) return;
      const event = JSON.parse(line) as { event: string; version?: string };
      if (event.event === "ready") {
        clearTimeout(timer);
        resolve({ version: event.version ?? "unknown" });
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(
          `Embedded Neo4j exited during start-up (code ${code}, signal ${signal}).\n${stderrTail.slice(-15).join("\n")}`,
        ),
      );
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/**
 * The `stop` of an owned instance: SIGTERM, then waits as long as Neo4j makes progress (CPU time or
 * debug.log growing; stop-progress.ts), saying so every few seconds, and SIGKILL only when it is still
 * for 30 s or after 10 minutes; removes the instance
 * record and tells class-data sharing whether the stop was clean. Called twice, it stops once.
 */
function stopper(
  child: ChildProcess,
  dataDir: string,
  state: { requested: boolean },
  afterExit: (stoppedInTime: boolean) => void,
  log: Logger,
): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      // A child that died by itself (killed, crashed) did not stop cleanly, whatever happens now.
      const diedBefore = child.exitCode !== null || child.signalCode !== null;
      state.requested = true;
      child.kill("SIGTERM");
      const ended = () => child.exitCode !== null || child.signalCode !== null;
      const outcome = await waitWhileProgressing(
        ended,
        waitForExit(child, DEFAULT_STOP_PATIENCE.maxMs),
        () => progressSign(child.pid!, debugLogFile(dataDir)),
        DEFAULT_STOP_PATIENCE,
        (elapsedMs) =>
          log.info(
            { neo4jPid: child.pid, elapsedMs },
            "embedded Neo4j is still stopping (writing its checkpoint); waiting while it makes progress",
          ),
      );
      const stoppedInTime = outcome === "exited";
      if (!stoppedInTime) {
        log.error(
          { neo4jPid: child.pid, outcome, patience: DEFAULT_STOP_PATIENCE },
          outcome === "hung"
            ? "embedded Neo4j stopped making progress while stopping; killing it"
            : "embedded Neo4j did not stop within the bound; killing it",
        );
        child.kill("SIGKILL");
        await waitForExit(child, 5000);
      }
      afterExit(stoppedInTime && !diedBefore);
      rmSync(instanceFile(dataDir), { force: true });
      log.info({ neo4jPid: child.pid }, "embedded Neo4j stopped");
    })();
    return stopping;
  };
}
