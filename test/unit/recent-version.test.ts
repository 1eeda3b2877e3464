import { describe, expect, it } from "vitest";
import type { AnalysisContext } from "../../src/analysis/analysis-context.js";
import { recentDataVersion } from "../../src/analysis/recent-version.js";
import { bumpDataVersion } from "../../src/db/data-version.js";

// Issue 19: the data version is read at most every maxAgeMs (a cached answer costs no round trip),
// other processes' writes show within maxAgeMs, this process's writes at once. A fake graph (the
// version a read returns, and how many reads it served) and a fake clock, so that nothing sleeps.

const context = {} as AnalysisContext;

function fakeGraph(version: number) {
  const graph = {
    version,
    reads: 0,
    read: async () => {
      graph.reads++;
      return `${graph.version}@2026-11-29T21:00:00.000Z`;
    },
  };
  return graph;
}

/** A write of THIS process: the real bump, its version number from a fake transaction. */
const bumpHere = (graph: { version: number }) =>
  bumpDataVersion({
    run: async () => {
      graph.version++;
      return { records: [{ get: () => graph.version }] };
    },
  } as never);

describe("issue 19: the data version read at most every maxAgeMs, this process's writes at once", () => {
  it("answers the version it read for maxAgeMs, then reads again: another process's write shows within maxAgeMs", async () => {
    const graph = fakeGraph(5);
    let clock = 0;
    const read = recentDataVersion(graph.read, 1000, () => clock);
    expect(await read(context)).toMatch(/^5@/);
    clock = 999;
    // Another process commits version 6: not seen before 1000 ms after the read started.
    graph.version = 6;
    expect(await read(context)).toMatch(/^5@/);
    expect(graph.reads).toBe(1);
    clock = 1000;
    expect(await read(context)).toMatch(/^6@/);
    expect(graph.reads).toBe(2);
  });

  it("reads at every request after a write of this process until a read returns its version", async () => {
    const graph = fakeGraph(5);
    const clock = 0;
    const read = recentDataVersion(graph.read, 1000, () => clock);
    expect(await read(context)).toMatch(/^5@/);
    // Bumped to 6 in a transaction that has not committed yet: reads still return 5, and each
    // request reads again (the commit may come at any moment).
    await bumpHere({ version: 5 });
    expect(await read(context)).toMatch(/^5@/);
    expect(await read(context)).toMatch(/^5@/);
    expect(graph.reads).toBe(3);
    // Committed: the next request sees it, and the version is remembered again.
    graph.version = 6;
    expect(await read(context)).toMatch(/^6@/);
    expect(await read(context)).toMatch(/^6@/);
    expect(graph.reads).toBe(4);
  });

  it("a rolled-back write of this process keeps every request reading until a later write reaches its number", async () => {
    const graph = fakeGraph(5);
    const read = recentDataVersion(graph.read, 1000, () => 0);
    await read(context);
    await bumpHere({ version: 5 }); // to 6, then rolled back: the graph stays at 5
    await read(context);
    await read(context);
    expect(graph.reads).toBe(3);
    await bumpHere(graph); // the next write gets 6 again, and commits
    expect(await read(context)).toMatch(/^6@/);
    await read(context);
    expect(graph.reads).toBe(4);
  });

  it("a wiped store (the count restarts) does not leave an older noted write waiting forever", async () => {
    const graph = fakeGraph(56);
    const read = recentDataVersion(graph.read, 1000, () => 0);
    await read(context);
    await bumpHere({ version: 56 }); // 57, never read
    graph.version = 0;
    await bumpHere(graph); // the wipe's bump: 1
    expect(await read(context)).toMatch(/^1@/);
    await read(context);
    expect(graph.reads).toBe(2);
  });

  it("every server of the process sees the write, not only the first that reads after it", async () => {
    const graph = fakeGraph(5);
    const first = recentDataVersion(graph.read, 1000, () => 0);
    const second = recentDataVersion(graph.read, 1000, () => 0);
    await first(context);
    await second(context);
    await bumpHere(graph);
    expect(await first(context)).toMatch(/^6@/);
    expect(await second(context)).toMatch(/^6@/);
  });

  it("maxAgeMs 0 reads at every request", async () => {
    const graph = fakeGraph(5);
    const read = recentDataVersion(graph.read, 0, () => 0);
    await read(context);
    await read(context);
    expect(graph.reads).toBe(2);
  });

  it("an older read that finishes last does not replace a newer one", async () => {
    let clock = 0;
    const answers: ((token: string) => void)[] = [];
    const read = recentDataVersion(
      () =>
        new Promise<string>((resolve) => {
          answers.push(resolve);
        }),
      1000,
      () => clock,
    );
    const older = read(context);
    clock = 2000;
    const newer = read(context);
    answers[1]!("6@b");
    answers[0]!("5@a");
    expect([await older, await newer]).toEqual(["5@a", "6@b"]);
    clock = 2500;
    expect(await read(context)).toBe("6@b");
    expect(answers).toHaveLength(2);
  });
});
