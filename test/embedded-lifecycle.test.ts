import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { createDriver } from "../src/db/connection.js";
import {
  type EmbeddedNeo4j,
  type EmbeddedNeo4jOptions,
  startOrAttachEmbeddedNeo4j,
} from "../src/db/embedded-neo4j.js";
import { createLogger } from "../src/util/logger.js";
import { startBareServer } from "./helpers/http-server.js";
import { scratchNeo4jOptions } from "./helpers/scratch-neo4j.js";

const run = promisify(execFile);
const log = createLogger("silent");
const RECOVERY_MARKER = "Recovery required from position";

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, ms = 30_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

describe("the embedded Neo4j, started and stopped as the product does it", () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "atlas-lifecycle-"));
  const debugLog = path.join(dataDir, "neo4j", "logs", "debug.log");
  const logFrom = (offset: number) => readFileSync(debugLog, "utf8").slice(offset);
  let options: EmbeddedNeo4jOptions;
  let current: EmbeddedNeo4j | undefined;

  afterAll(async () => {
    await current?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const countMarkers = async (instance: EmbeddedNeo4j) => {
    const driver = createDriver(instance.uri, instance.username, instance.password);
    try {
      const { records } = await driver.executeQuery("MATCH (m:LifecycleMarker) RETURN count(m) AS n");
      return records[0]!.get("n").toNumber() as number;
    } finally {
      await driver.close();
    }
  };
  const writeMarker = async (instance: EmbeddedNeo4j) => {
    const driver = createDriver(instance.uri, instance.username, instance.password);
    try {
      await driver.executeQuery("CREATE (:LifecycleMarker {at: datetime()})");
    } finally {
      await driver.close();
    }
  };

  it("starts with a generated password kept for the owner only, and refuses a wrong one", async () => {
    options = await scratchNeo4jOptions(dataDir);
    current = await startOrAttachEmbeddedNeo4j(options, log);
    expect(current.owned).toBe(true);
    expect(current.version).toMatch(/^5\.26\./);
    const passwordFile = path.join(dataDir, "neo4j-password");
    expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(passwordFile, "utf8").trim()).toBe(current.password);

    const intruder = createDriver(current.uri, "neo4j", "not-the-password");
    await expect(intruder.verifyConnectivity()).rejects.toThrow(/authentication failure|unauthorized/i);
    await intruder.close();
    await writeMarker(current);
  });

  it("lets a second process of the product (the CLI) attach instead of failing on the store lock", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "src/cli/main.ts", "db", "status"], {
      env: {
        ...process.env,
        ATLAS_DATA_DIR: dataDir,
        ATLAS_NEO4J_BOLT_PORT: String(options.boltPort),
        LOG_LEVEL: "warn",
      },
    });
    const status = JSON.parse(stdout) as Record<string, unknown>;
    expect(status).toMatchObject({ mode: "embedded-attached", edition: "community", nodes: 1 });
    // The CLI went away; the instance it attached to must not have.
    expect(isRunning(current!.pid)).toBe(true);
    expect(await countMarkers(current!)).toBe(1);
  });

  it("stops cleanly: the process is gone, readiness turns 503, and the next start needs no recovery", async () => {
    const driver = createDriver(current!.uri, current!.username, current!.password);
    const server = await startBareServer(driver);
    try {
      expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
      const pid = current!.pid;
      await current!.stop();
      expect(await waitUntilGone(pid)).toBe(true);
      const notReady = await fetch(`${server.url}/health/ready`);
      expect(notReady.status).toBe(503);
      expect(((await notReady.json()) as { reason: string }).reason).toMatch(/^Neo4j is not answering/);

      const offset = readFileSync(debugLog, "utf8").length;
      current = await startOrAttachEmbeddedNeo4j(options, log);
      expect(current.owned).toBe(true);
      expect(logFrom(offset)).not.toContain(RECOVERY_MARKER);
      expect(await countMarkers(current)).toBe(1);
      // The same server and driver recover by themselves once the database is back.
      expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
    } finally {
      await server.stop();
      await driver.close();
    }
  });

  it("would have noticed an unclean stop (the check above can fail)", async () => {
    await writeMarker(current!);
    process.kill(current!.pid, "SIGKILL");
    expect(await waitUntilGone(current!.pid)).toBe(true);
    const offset = readFileSync(debugLog, "utf8").length;
    current = await startOrAttachEmbeddedNeo4j(options, log);
    expect(logFrom(offset)).toContain(RECOVERY_MARKER);
    expect(await countMarkers(current)).toBe(2);
  });
});
