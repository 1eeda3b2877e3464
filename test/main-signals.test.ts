import { spawn } from "node:child_process";
import net from "node:net";
import { createInterface } from "node:readline";
import { describe, expect, inject, it } from "vitest";
import { freePort } from "./helpers/free-port.js";

/** Resolves once a TCP connection to the port is refused (the server stopped listening). */
async function refusedSoon(port: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(false);
      });
      socket.once("error", () => resolve(true));
    });
    if (refused) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/**
 * `npm start`'s process (src/main.ts) on a signal: stops taking connections, lets the request in flight
 * finish, then closes the database and exits 0. The request is held in flight by sending its body in two
 * halves around the signal, so nothing here depends on timing.
 */
describe("the server process on SIGINT and SIGTERM", () => {
  // Twice: a terminal's Ctrl-C reaches both npm and the server (npm start execs it), and npm forwards
  // its own SIGINT too. The second one used to take Node's default action: exit at once, undrained.
  it.each([
    ["SIGINT", 1],
    ["SIGTERM", 1],
    ["SIGINT", 2],
  ] as const)("%s (sent %i times) drains the request in flight, then exits 0", async (signal, times) => {
    const { uri, password } = inject("neo4j");
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: {
        ...process.env,
        NODE_ENV: "test",
        NEO4J_URI: uri,
        NEO4J_PASSWORD: password,
        PORT: String(port),
        LOG_LEVEL: "info",
        ATLAS_AUTO_SEED: "false",
        ATLAS_PLAYGROUND: "false",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const messages: string[] = [];
    const waiters: { pattern: string; resolve: () => void }[] = [];
    createInterface({ input: child.stderr! }).on("line", (line) => {
      const message = (() => {
        try {
          return (JSON.parse(line) as { msg: string }).msg;
        } catch {
          return line;
        }
      })();
      messages.push(message);
      for (const waiter of waiters.filter((w) => message.includes(w.pattern))) waiter.resolve();
    });
    const logged = (pattern: string) =>
      messages.some((m) => m.includes(pattern))
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            waiters.push({ pattern, resolve });
            void exited.then((code) =>
              reject(new Error(`exited (${code}) before logging "${pattern}": ${messages.join(" | ")}`)),
            );
          });
    try {
      await logged("PerMed Atlas API at");

      const body = JSON.stringify({ query: "{ __typename }" });
      const socket = net.connect(port, "127.0.0.1");
      await new Promise((resolve) => socket.once("connect", resolve));
      let answer = "";
      socket.on("data", (chunk) => {
        answer += chunk.toString();
      });
      const closed = new Promise((resolve) => socket.once("close", resolve));
      // "Expect: 100-continue": the server's "100 Continue" proves that it has taken the request, so the
      // connection is busy (not idle) when the signal arrives.
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
      );
      while (!answer.includes("100 Continue")) await new Promise((resolve) => setTimeout(resolve, 20));
      socket.write(body.slice(0, 5));
      child.kill(signal);
      await logged("shutting down");
      if (times === 2) {
        child.kill(signal);
        await logged("already shutting down");
      }
      // New connections are refused while the request above is still waiting for its body.
      expect(await refusedSoon(port, 30_000)).toBe(true);
      expect(child.exitCode).toBeNull();

      socket.write(body.slice(5));
      await closed;
      expect(answer, messages.join(" | ")).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
      expect(answer).toContain('{"data":{"__typename":"Query"}}');
      expect(await exited).toBe(0);
      expect(messages).not.toContain("error during shutdown");
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
