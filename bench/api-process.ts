import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import { createInterface } from "node:readline";
import { projectRoot } from "../src/util/project-root.js";

/** A TCP port free on 127.0.0.1 now (the OS picks it; another process may take it before it is used). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = (server.address() as net.AddressInfo) ?? { port: 0 };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when the child exits; never rejects. */
const exitOf = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });

/**
 * Resident memory of process `pid` now and its peak so far (VmRSS, VmHWM), in MB, from Linux /proc;
 * null elsewhere or once the process is gone.
 */
export function processMemory(pid: number): { rssMb: number; peakRssMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { rssMb: Math.round(kb("VmRSS") / 1024), peakRssMb: Math.round(kb("VmHWM") / 1024) };
  } catch {
    return null;
  }
}

export interface ApiProcess {
  /** http://127.0.0.1:<PORT> */
  url: string;
  /** Milliseconds from the spawn to the first 200 from /health/ready. */
  readyMs: number;
  pid: number;
  /** The server process's resident memory now, in MB (Linux /proc; null elsewhere or once it exited). */
  rssMb: () => number | null;
  /** SIGTERM (a clean stop: the server stops what it started), then waits for the exit. */
  stop: () => Promise<void>;
}

/**
 * The API as a user runs it, in its own process: `command` (e.g. `node dist/src/main.js`, or `npm start`,
 * which execs it) in the project root with `env` over this process's environment (which must give PORT),
 * until /health/ready answers 200 (asked every 25 ms). `onLine` sees each line the server writes (its
 * structured log). Throws with the server's last 20 lines when it exits first or is not ready within
 * `timeoutMs`; the process is stopped then.
 */
export async function startApiProcess(options: {
  command: string[];
  env: NodeJS.ProcessEnv;
  onLine?: (line: string) => void;
  timeoutMs?: number;
}): Promise<ApiProcess> {
  const started = performance.now();
  const [file, ...args] = options.command;
  const child = spawn(file!, args, {
    cwd: projectRoot(),
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const tail: string[] = [];
  for (const stream of [child.stdout!, child.stderr!])
    createInterface({ input: stream }).on("line", (line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      options.onLine?.(line);
    });
  const exited = exitOf(child);
  const stop = async () => {
    child.kill("SIGTERM");
    await exited;
  };
  const name = options.command.join(" ");
  const url = `http://127.0.0.1:${options.env.PORT}`;
  const deadline = started + (options.timeoutMs ?? 300_000);
  try {
    for (;;) {
      const ready = await fetch(`${url}/health/ready`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) break;
      if (child.exitCode !== null)
        throw new Error(`${name} exited (${child.exitCode}) before it was ready:\n${tail.join("\n")}`);
      if (performance.now() > deadline)
        throw new Error(
          `${name} was not ready within ${options.timeoutMs ?? 300_000} ms:\n${tail.join("\n")}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const readyMs = performance.now() - started;
  const pid = child.pid!;
  return { url, readyMs, pid, rssMb: () => processMemory(pid)?.rssMb ?? null, stop };
}

/**
 * The API built and started as `npm start` starts it (`node dist/src/main.js`), on a Neo4j that the
 * benchmark started: no seeding, warn-level logs, the cost limit lifted for large analyses, a free
 * port on 127.0.0.1; `env` adds to or overrides that. Builds first (`npm run build`: a moment when
 * nothing changed). Throws when the build fails or the server is not ready (see startApiProcess).
 */
export async function startBuiltApi(
  neo4j: { uri: string; password: string },
  env: Record<string, string> = {},
  onLine?: (line: string) => void,
): Promise<ApiProcess> {
  const build = spawnSync("npm", ["run", "-s", "build"], { cwd: projectRoot(), stdio: "inherit" });
  if (build.status !== 0) throw new Error(`npm run build failed (${build.status})`);
  return startApiProcess({
    command: [process.execPath, "dist/src/main.js"],
    env: {
      ...process.env,
      NEO4J_URI: neo4j.uri,
      NEO4J_PASSWORD: neo4j.password,
      ATLAS_AUTO_SEED: "false",
      LOG_LEVEL: "warn",
      ATLAS_MAX_COST: "1000000",
      HOST: "127.0.0.1",
      PORT: String(await freePort()),
      ...env,
    },
    ...(onLine ? { onLine } : {}),
  });
}
