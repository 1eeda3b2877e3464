import net from "node:net";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { assertPortFree, PortUnavailableError } from "../../src/server/port-check.js";
import { startAtlas } from "../../src/startup.js";
import { createLogger } from "../../src/util/logger.js";

/** A port held by another program for the duration of `use`. */
async function withTakenPort<T>(use: (port: number) => Promise<T>): Promise<T> {
  const squatter = net.createServer();
  await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
  try {
    return await use((squatter.address() as net.AddressInfo).port);
  } finally {
    await new Promise((resolve) => squatter.close(resolve));
  }
}

describe("the HTTP port, checked before anything slow starts", () => {
  it("refuses a port in use, naming it and the reason, and lets a free one be used again", async () => {
    await withTakenPort(async (port) => {
      const refused = await assertPortFree("127.0.0.1", port).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(PortUnavailableError);
      expect((refused as Error).message).toContain(`port ${port}`);
      expect((refused as Error).message).toContain("EADDRINUSE");
    });
    const free = net.createServer();
    await new Promise<void>((resolve) => free.listen(0, "127.0.0.1", resolve));
    const port = (free.address() as net.AddressInfo).port;
    await new Promise((resolve) => free.close(resolve));
    await assertPortFree("127.0.0.1", port);
    // The probe let go: the port can be bound right after.
    await assertPortFree("127.0.0.1", port);
  });

  it("fails start-up on a taken port before it connects to Neo4j", async () => {
    await withTakenPort(async (port) => {
      // A database that does not exist: had start-up tried it first, it would wait ATLAS_DB_WAIT_MS
      // and fail naming Neo4j instead.
      const config = loadConfig({
        PORT: String(port),
        NEO4J_URI: "bolt://127.0.0.1:1",
        NEO4J_PASSWORD: "not-a-real-password",
        ATLAS_DB_WAIT_MS: "60000",
      });
      const started = Date.now();
      const refused = await startAtlas(config, createLogger("silent")).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(PortUnavailableError);
      expect(Date.now() - started).toBeLessThan(5_000);
    });
  });
});
