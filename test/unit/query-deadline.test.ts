import { describe, expect, it } from "vitest";
import { QueryDeadlineExceeded, withinDeadline } from "../../src/util/query-deadline.js";

// Issue 19: a request that finds the analysis projection being built waits on that shared build no
// longer than its own time limit (QUERY_TIMEOUT), and the build goes on for the next request.
describe("withinDeadline (a request's wait on shared work)", () => {
  it("answers the work when it finishes first", async () => {
    await expect(withinDeadline(Promise.resolve(42), 10_000)).resolves.toBe(42);
  });

  it("rejects with QueryDeadlineExceeded naming the limit when the work outlasts it, and the work goes on", async () => {
    let finish: (value: string) => void = () => {};
    const work = new Promise<string>((resolve) => {
      finish = resolve;
    });
    const error = await withinDeadline(work, 20).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryDeadlineExceeded);
    expect((error as QueryDeadlineExceeded).name).toBe("QueryDeadlineExceeded");
    expect((error as QueryDeadlineExceeded).timeoutMs).toBe(20);
    finish("built");
    await expect(work).resolves.toBe("built");
  });

  it("passes the work's own failure through", async () => {
    await expect(withinDeadline(Promise.reject(new Error("build failed")), 10_000)).rejects.toThrow(
      "build failed",
    );
  });

  it.each([undefined, 0, -1, Number.NaN])("sets no limit for %s", async (timeoutMs) => {
    const work = new Promise<string>((resolve) => setTimeout(() => resolve("late"), 30));
    await expect(withinDeadline(work, timeoutMs)).resolves.toBe("late");
  });
});
