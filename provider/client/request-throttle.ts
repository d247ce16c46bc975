/**
 * One throttle for every call of a client (the provider process has one client): a cap on requests
 * in flight, and what a 429 teaches. Partner Center limits requests per partner tenant, so when one
 * call is told to wait, every call waits, and later requests are spaced at the rate the service
 * allowed before it refused, creeping back up while it stops refusing. Without that, each of many
 * concurrent callers discovers the limit on its own, and a quarter or more of all answers are 429s.
 */

/** Options of {@link RequestThrottle}. */
export interface RequestThrottleOptions {
  /** Requests in flight at once. Default {@link DEFAULT_MAX_CONCURRENT_REQUESTS}. */
  readonly maxConcurrentRequests?: number;
  /** The clock; a test can pass its own. */
  readonly now?: () => number;
  /** Waits; a test can pass its own. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The default cap on requests in flight. */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 8;

/** Raised by {@link RequestThrottle.acquire} when the wait for a turn would pass the caller's deadline. */
export class ThrottleDeadlineError extends Error {
  override readonly name = "ThrottleDeadlineError";
}

/** Waits `ms`, or less when the signal aborts (the caller then sees the abort). */
function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/** Share of the observed allowed rate to keep to after a 429, so that the next window has room. */
const RATE_MARGIN = 0.97;
/**
 * After this long without a 429 (at least), the spacing shrinks by a tenth, probing for a higher
 * limit. A probe that finds the limit costs a pause of every call as long as the Retry-After, which
 * Partner Center sets up to about a minute, so the wait grows with it: a probe costs at most a
 * twentieth of the time.
 */
const PROBE_AFTER_AT_LEAST_IN_MS = 60_000;
const PROBE_AFTER_RETRY_AFTERS = 20;
/**
 * A 429 this soon after the last one means the learned rate was still too high, or that requests
 * kept to it arrived bunched (a busy machine delays one and not the next): either way, slow down
 * by a little, not by much, since the slower rate holds until the next probe.
 */
const AGAIN_WITHIN_IN_MS = 5_000;
const AGAIN_SLOWER_BY = 1.05;
const WINDOW_IN_MS = 1_000;

/** Hands out turns to send a request. */
export class RequestThrottle {
  readonly maxConcurrentRequests: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #queue: Array<() => void> = [];
  #inFlight = 0;
  #pausedUntil = 0;
  #spacingInMs = 0;
  #nextStartAt = 0;
  #lastThrottledAt = 0;
  #lastProbeAt = 0;
  #lastRetryAfterInMs = 0;
  #recentSuccesses: number[] = [];

  constructor(options: RequestThrottleOptions = {}) {
    const cap = options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS;
    if (!Number.isSafeInteger(cap) || cap < 1) throw new RangeError(`maxConcurrentRequests must be a whole number of at least 1; got ${cap}`);
    this.maxConcurrentRequests = cap;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? abortableSleep;
  }

  /** The spacing between request starts learned from 429s; 0 when none is needed. */
  get spacingInMs(): number {
    return this.#spacingInMs;
  }

  /**
   * Waits for a turn: a free slot, the end of any pause, and the learned spacing. Returns the
   * function that gives the slot back. Throws {@link ThrottleDeadlineError} when the turn would
   * come after `deadlineInMs`.
   */
  async acquire(deadlineInMs: number, signal?: AbortSignal): Promise<() => void> {
    await this.#slot();
    try {
      await this.#startTime(deadlineInMs, signal);
    } catch (error) {
      this.#release();
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#release();
    };
  }

  /** A request succeeded: the rate it ran at is allowed. */
  recordSuccess(): void {
    const now = this.#now();
    this.#recentSuccesses.push(now);
    this.#forgetBefore(now - WINDOW_IN_MS);
    const probeAfter = Math.max(PROBE_AFTER_AT_LEAST_IN_MS, PROBE_AFTER_RETRY_AFTERS * this.#lastRetryAfterInMs);
    if (this.#spacingInMs > 0 && now - Math.max(this.#lastThrottledAt, this.#lastProbeAt) >= probeAfter) {
      this.#lastProbeAt = now;
      this.#spacingInMs = this.#spacingInMs < 1 ? 0 : this.#spacingInMs * 0.9;
    }
  }

  /**
   * The service answered 429 to a request sent at `sentAt`: every call waits `retryAfterInMs`, and
   * later ones keep to the rate it allowed. A 429 to a request sent before the last one was
   * learned from is part of the same burst: it extends the pause but teaches nothing new.
   */
  recordThrottled(retryAfterInMs: number, sentAt: number = this.#now()): void {
    const now = this.#now();
    this.#forgetBefore(now - WINDOW_IN_MS);
    this.#pausedUntil = Math.max(this.#pausedUntil, now + retryAfterInMs);
    this.#lastRetryAfterInMs = Math.max(0, retryAfterInMs);
    if (sentAt < this.#lastThrottledAt) return;
    const again = now - this.#lastThrottledAt < AGAIN_WITHIN_IN_MS ? this.#spacingInMs * AGAIN_SLOWER_BY : 0;
    this.#lastThrottledAt = now;
    // Nothing succeeded in the last second: no rate to learn from, only the pause to keep.
    if (this.#recentSuccesses.length === 0) return;
    const learned = WINDOW_IN_MS / (this.#recentSuccesses.length * RATE_MARGIN);
    this.#spacingInMs = Math.max(learned, again);
  }

  async #slot(): Promise<void> {
    if (this.#inFlight < this.maxConcurrentRequests) {
      this.#inFlight++;
      return;
    }
    // #release hands its slot straight to the first waiter, so #inFlight stays counted.
    await new Promise<void>((resolve) => this.#queue.push(resolve));
  }

  #release(): void {
    const next = this.#queue.shift();
    if (next !== undefined) next();
    else this.#inFlight--;
  }

  async #startTime(deadlineInMs: number, signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      const now = this.#now();
      const start = Math.max(now, this.#pausedUntil, this.#nextStartAt);
      if (start > deadlineInMs) {
        throw new ThrottleDeadlineError(`the next turn to send comes in ${Math.ceil((start - now) / 1000)} s, after the call's deadline`);
      }
      if (start <= now) {
        this.#nextStartAt = now + this.#spacingInMs;
        return;
      }
      await this.#sleep(start - now, signal);
      if (signal?.aborted) return;
    }
  }

  #forgetBefore(time: number): void {
    while (this.#recentSuccesses.length > 0 && (this.#recentSuccesses[0] ?? 0) <= time) this.#recentSuccesses.shift();
  }
}
