// A share of PGlite's one thread. PGlite runs every statement on the thread that also indexes and serves every route,
// and cannot interrupt one: the costliest request the limits allow, sent again and again, would hold it all. No
// import here, so the unit tests run it without an indexer (test/api/sql-limits.test.ts).
/** Too many requests wait for their turn: answered 503 with `Retry-After`. */
export class Busy extends Error {
  readonly busy = true;
}

/** Whether `error` is a `Busy` (by its mark, so modules that cannot import this one can tell). */
export const isBusy = (error: unknown): boolean => (error as { busy?: unknown } | null)?.busy === true;

/**
 * Runs tasks one at a time, and after each one waits as long as it ran before starting the next: what it guards (SQL
 * over HTTP and GraphQL on PGlite, whose statements hold the thread that also indexes and serves every other route)
 * gets at most half of the time, however many requests are sent. At most `maxWaiting` tasks wait; more are refused
 * with `Busy`.
 */
export class HalfShare {
  #tail: Promise<void> = Promise.resolve();
  #waiting = 0;

  constructor(readonly maxWaiting: number) {}

  get waiting(): number {
    return this.#waiting;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#waiting >= this.maxWaiting) {
      throw new Busy(`${this.#waiting} requests of this kind are waiting already; retry in a second`);
    }
    this.#waiting++;
    const previous = this.#tail;
    let release: () => void = () => {};
    this.#tail = new Promise((resolve) => {
      release = resolve;
    });
    try {
      await previous;
    } finally {
      this.#waiting--;
    }
    const started = performance.now();
    try {
      return await task();
    } finally {
      setTimeout(release, performance.now() - started);
    }
  }
}
