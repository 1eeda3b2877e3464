import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { progressSign, waitWhileProgressing } from "../../src/db/stop-progress.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "atlas-stop-progress-"));
const noLog = path.join(dir, "absent.log");
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A Node process that, on SIGTERM, runs `onTerm` (a script body) instead of exiting; resolved once its
 * handler is in place (it says so on stdout), since a loaded machine starts Node slowly.
 */
async function stubborn(
  onTerm: string,
): Promise<{ child: ChildProcess; exited: Promise<unknown>; ended: () => boolean }> {
  const child = spawn(
    process.execPath,
    [
      "-e",
      `process.on("SIGTERM", () => { ${onTerm} }); setInterval(() => {}, 1e6); process.stdout.write("ready");`,
    ],
    { stdio: ["ignore", "pipe", "ignore"] },
  );
  children.push(child);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await new Promise((resolve) => child.stdout!.once("data", resolve));
  return { child, exited, ended: () => child.exitCode !== null || child.signalCode !== null };
}

const patience = { sliceMs: 300, stillMs: 1_200, maxMs: 20_000 };

describe("a stop waited for while the process makes progress", () => {
  it("waits past the stillness bound for a process that works (CPU time grows), and says so", async () => {
    // Busy for 3 s after SIGTERM, longer than stillMs: only its CPU time shows it is not hung.
    const { child, exited, ended } = await stubborn(
      "const end = Date.now() + 3000; while (Date.now() < end) {} process.exit(0);",
    );
    child.kill("SIGTERM");
    const waits: number[] = [];
    const outcome = await waitWhileProgressing(
      ended,
      exited,
      () => progressSign(child.pid!, noLog),
      patience,
      (ms) => waits.push(ms),
    );
    expect(outcome).toBe("exited");
    expect(waits.length).toBeGreaterThan(0);
    expect(Math.max(...waits)).toBeGreaterThanOrEqual(patience.stillMs);
  });

  it("gives up on a process that does nothing after stillMs", async () => {
    const { child, exited, ended } = await stubborn("/* ignores the signal */");
    child.kill("SIGTERM");
    const started = Date.now();
    const outcome = await waitWhileProgressing(
      ended,
      exited,
      () => progressSign(child.pid!, noLog),
      patience,
      () => {},
    );
    expect(outcome).toBe("hung");
    expect(Date.now() - started).toBeLessThan(patience.stillMs + 5 * patience.sliceMs + 2_000);
  });

  it("bounds a process that works without end at maxMs", async () => {
    const { child, exited, ended } = await stubborn("for (;;) {}");
    child.kill("SIGTERM");
    const outcome = await waitWhileProgressing(
      ended,
      exited,
      () => progressSign(child.pid!, noLog),
      { ...patience, maxMs: 2_000 },
      () => {},
    );
    expect(outcome).toBe("too-long");
  });
});
