/**
 * Long loops on the server's thread in slices: the thread that runs a curation check also answers
 * /health/live and every other request, so a loop over thousands of rows gives the event loop a turn
 * whenever it has run for a slice's budget. Nothing here is parallel: the loop's result is the same as
 * without slices, only spread over several turns of the loop.
 */

/** How long a loop may keep the thread before it gives the event loop a turn, in ms. */
export const SLICE_BUDGET_MS = 8;

/** Gives the event loop a turn: pending I/O (a health probe, another request) runs before this resolves. */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A slicer for one piece of work (a check, a load). `pause()` resolves at once while the current slice
 * has run less than `budgetMs` milliseconds, and after a turn of the event loop once it has run longer;
 * await it between the items of a long loop. One slicer per piece of work: slices are measured from its
 * last turn.
 */
export class TimeSlicer {
  private sliceStarted = performance.now();

  constructor(private readonly budgetMs = SLICE_BUDGET_MS) {}

  /** Whether the current slice has used its budget. */
  spent(): boolean {
    return performance.now() - this.sliceStarted >= this.budgetMs;
  }

  /** Awaits a turn of the event loop if the slice is spent; otherwise resolves at once. */
  async pause(): Promise<void> {
    if (!this.spent()) return;
    await nextTurn();
    this.sliceStarted = performance.now();
  }

  /** `items` mapped by `map` in order, pausing between items as `pause` does. */
  async map<T, U>(items: Iterable<T>, map: (item: T, index: number) => U): Promise<U[]> {
    const out: U[] = [];
    let index = 0;
    for (const item of items) {
      out.push(map(item, index++));
      await this.pause();
    }
    return out;
  }
}

/** The characters a value carries (strings in objects, arrays and Maps, 8 for anything else): a rough cost. */
export function charactersOf(value: unknown): number {
  if (typeof value === "string") return value.length;
  let sum = 0;
  if (value instanceof Map) {
    for (const inner of value.values()) sum += charactersOf(inner) + 8;
    return sum;
  }
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) sum += charactersOf(inner) + 8;
    return sum;
  }
  return 8;
}

/**
 * `items` cut, in order, into runs of at most `maxItems` items and about `maxCharacters` characters
 * (charactersOf; a single larger item is a run of its own): pieces of work small enough for one slice,
 * such as the parameters of one query, which the Neo4j driver packs in one go.
 */
export function runsOf<T>(items: T[], maxCharacters: number, maxItems = Number.POSITIVE_INFINITY): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  let characters = 0;
  for (const item of items) {
    const size = charactersOf(item);
    if (run.length && (characters + size > maxCharacters || run.length >= maxItems)) {
      runs.push(run);
      run = [];
      characters = 0;
    }
    run.push(item);
    characters += size;
  }
  if (run.length) runs.push(run);
  return runs;
}
