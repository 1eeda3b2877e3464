import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { createDriver } from "../src/db/connection.js";
import { isAlive, portAcceptsConnections, startOrAttachEmbeddedNeo4j } from "../src/db/embedded-neo4j.js";
import { superviseEmbeddedNeo4j } from "../src/db/neo4j-supervisor.js";
import { buildAtlasSchema } from "../src/graphql/build-schema.js";
import { loadTypeDefs } from "../src/model/type-defs.js";
import { startHttpServer } from "../src/server/http-server.js";
import { createLogger } from "../src/util/logger.js";
import { TEST_DATABASE } from "./helpers/database.js";
import { freePort } from "./helpers/free-port.js";
import { logCapture } from "./helpers/log-capture.js";
import { scratchNeo4jOptions } from "./helpers/scratch-neo4j.js";

type LogLine = { msg: string; [key: string]: unknown };

/** Polls `check` every 250 ms until it returns a value other than undefined, or fails after `ms`. */
async function eventually<T>(what: string, ms: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The server process (src/main.ts) with its own embedded Neo4j in a scratch folder: the Java process is
 * killed under it, and the same server process must notice, say why, restart Neo4j and serve again.
 */
describe("the embedded Neo4j, supervised by the server", () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "atlas-supervision-"));
  const logs: LogLine[] = [];
  let server: ChildProcess | undefined;
  let exited: Promise<number | null> = Promise.resolve(null);
  let url = "";
  let boltPort = 0;
  const neo4jPids = () =>
    logs.filter((l) => l.msg === "embedded Neo4j started").map((l) => l.neo4jPid as number);

  afterAll(() => {
    if (server?.exitCode === null) server.kill("SIGKILL");
    for (const pid of neo4jPids()) if (isAlive(pid)) process.kill(pid, "SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  const logged = (msg: string, from = 0, ms = 10_000) =>
    eventually(`the log line "${msg}" (${logs.map((l) => l.msg).join(" | ")})`, ms, async () =>
      // The start line carries the URLs after its words: matched by its beginning.
      logs.slice(from).find((l) => typeof l.msg === "string" && l.msg.startsWith(msg)),
    );
  const ready = async () => {
    const response = await fetch(`${url}/health/ready`);
    return { status: response.status, body: (await response.json()) as { status: string; reason?: string } };
  };
  const dataVersion = async () => {
    const response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ dataVersion { version } }" }),
    });
    return {
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      body: (await response.json()) as {
        data?: { dataVersion: { version: number } };
        errors?: { message: string; extensions?: { code?: string; database?: { state: string } } }[];
      },
    };
  };

  it("starts the server with its own Neo4j", async () => {
    const port = await freePort();
    boltPort = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: {
        ...process.env,
        NODE_ENV: "test",
        NEO4J_URI: "",
        NEO4J_PASSWORD: "",
        ATLAS_DATA_DIR: dataDir,
        ATLAS_NEO4J_BOLT_PORT: String(boltPort),
        ATLAS_NEO4J_HEAP: "512m",
        ATLAS_NEO4J_PAGECACHE_MB: "64",
        PORT: String(port),
        LOG_LEVEL: "info",
        ATLAS_AUTO_SEED: "false",
        ATLAS_PLAYGROUND: "false",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const child = server;
    exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    createInterface({ input: child.stderr! }).on("line", (line) => {
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        logs.push({ msg: line });
      }
    });
    await logged("embedded Neo4j started", 0, 300_000);
    // Then schema set-up on a fresh store: over five minutes on a busy 2-core machine.
    await logged("PerMed Atlas API at", 0, 600_000);
    expect((await ready()).status).toBe(200);
    expect((await dataVersion()).body.data).toBeDefined();
  }, 960_000);

  it("notices a killed Neo4j within seconds, says why, restarts it and serves again", async () => {
    const [firstPid] = neo4jPids();
    const serverPid = server!.pid;
    const mark = logs.length;
    process.kill(firstPid!, "SIGKILL");

    const noticed = await logged("embedded Neo4j exited unexpectedly", mark, 10_000);
    expect(noticed).toMatchObject({ neo4jPid: firstPid, code: null, signal: "SIGKILL" });
    expect(Array.isArray(noticed.logTail)).toBe(true);

    // Meanwhile: not ready, with the reason; alive, since it is recovering; data routes say unavailable.
    const notReady = await ready();
    expect(notReady.status).toBe(503);
    expect(notReady.body.reason).toMatch(/exited.*SIGKILL/);
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    const query = await dataVersion();
    expect(query.status).toBe(503);
    expect(query.retryAfter).toMatch(/^\d+$/);
    expect(query.body.errors?.[0]?.extensions?.code).toBe("SERVICE_UNAVAILABLE");
    // The data route gives the supervisor's reason too, in words and as fields.
    expect(query.body.errors?.[0]?.message).toMatch(/exited.*SIGKILL.*being restarted/);
    expect(query.body.errors?.[0]?.extensions?.database).toMatchObject({ state: "recovering" });

    await logged("embedded Neo4j started", mark, 300_000);
    await eventually("ready again", 60_000, async () => ((await ready()).status === 200 ? true : undefined));
    const again = await dataVersion();
    expect(again.status).toBe(200);
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data?.dataVersion.version).toBeTypeOf("number");
    // The same server process: nothing restarted it.
    expect(server!.exitCode).toBeNull();
    expect(server!.pid).toBe(serverPid);
    expect(neo4jPids()).toHaveLength(2);
    expect(logs.slice(mark).some((l) => l.msg === "embedded Neo4j recovered")).toBe(true);
  }, 420_000);

  it("restarts nothing on a normal stop (SIGTERM): the server and its Neo4j both end", async () => {
    const mark = logs.length;
    const current = neo4jPids().at(-1)!;
    server!.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(isAlive(current)).toBe(false);
    expect(await portAcceptsConnections(boltPort)).toBe(false);
    const after = logs.slice(mark).map((l) => l.msg);
    expect(after).toContain("embedded Neo4j stopped");
    expect(after).not.toContain("embedded Neo4j exited unexpectedly");
    expect(after).not.toContain("embedded Neo4j started");
  }, 120_000);
});

/**
 * The supervisor in-process over a real scratch Neo4j, with short pauses: once every restart fails (another
 * program took the Bolt port), liveness fails too, so that whatever supervises the server restarts it.
 */
describe("an embedded Neo4j that cannot be restarted", () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "atlas-supervision-giveup-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("fails /health/live with the reason once the bounded restarts give up", async () => {
    const options = await scratchNeo4jOptions(dataDir);
    const capture = logCapture();
    const log = createLogger("info", capture.stream);
    const first = await startOrAttachEmbeddedNeo4j(options, log);
    const policy = { firstPauseMs: 1_000, maxPauseMs: 2_000, maxAttempts: 3 };
    const supervisor = superviseEmbeddedNeo4j(
      first,
      () => startOrAttachEmbeddedNeo4j(options, log),
      log,
      policy,
    );
    const driver = createDriver(first.uri, first.username, first.password);
    const { schema } = await buildAtlasSchema({ typeDefs: loadTypeDefs() });
    const server = await startHttpServer({
      schema,
      driver,
      database: TEST_DATABASE,
      host: "127.0.0.1",
      port: 0,
      log: createLogger("silent"),
      databaseHealth: supervisor.health,
    });
    const squatter = net.createServer();
    try {
      expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
      // Bolt accepts before the database is online; on a loaded machine readiness follows seconds later.
      await eventually("ready", 60_000, async () =>
        (await fetch(`${server.url}/health/ready`)).status === 200 ? true : undefined,
      );

      process.kill(first.pid, "SIGKILL");
      await first.exited;
      // Another program takes the Bolt port before the first restart (1 s later): every attempt fails.
      await new Promise<void>((resolve) => squatter.listen(options.boltPort, "127.0.0.1", resolve));
      expect(supervisor.health().state).toBe("recovering");
      expect((await fetch(`${server.url}/health/live`)).status).toBe(200);

      await eventually("the supervisor gives up", 60_000, async () =>
        supervisor.health().state === "failed" ? true : undefined,
      );
      const live = await fetch(`${server.url}/health/live`);
      expect(live.status).toBe(503);
      const { reason } = (await live.json()) as { reason: string };
      expect(reason).toMatch(/killed by SIGKILL.*3 restart attempts failed.*already in use/);
      expect((await fetch(`${server.url}/health/ready`)).status).toBe(503);
      const messages = capture.lines.map((line) => (JSON.parse(line) as LogLine).msg);
      expect(messages.filter((m) => m === "embedded Neo4j restart failed")).toHaveLength(3);
      expect(messages).toContain("embedded Neo4j could not be restarted");
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
      await server.stop();
      await driver.close();
      await supervisor.stop();
    }
  }, 420_000);
});
