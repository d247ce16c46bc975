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
  /** When each admitted request of the last windows was sent, in no particular order. */
  #admittedSentAt: number[] = [];
  /** The 429 still to learn from once the pause is over. */
  #pendingLesson: { sentAt: number; receivedAt: number } | undefined;

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

  /**
   * The service answered a request sent at `sentAt` with anything but 429: it counted against the
   * limit and was allowed.
   */
  recordAdmitted(sentAt: number = this.#now()): void {
    const now = this.#now();
    this.#admittedSentAt.push(sentAt);
    if (this.#pendingLesson !== undefined && now >= this.#pausedUntil) this.#learn();
    this.#forgetOld(now);
    const probeAfter = Math.max(PROBE_AFTER_AT_LEAST_IN_MS, PROBE_AFTER_RETRY_AFTERS * this.#lastRetryAfterInMs);
    if (this.#spacingInMs > 0 && this.#pendingLesson === undefined && now - Math.max(this.#lastThrottledAt, this.#lastProbeAt) >= probeAfter) {
      this.#lastProbeAt = now;
      this.#spacingInMs = this.#spacingInMs < 1 ? 0 : this.#spacingInMs * 0.9;
    }
  }

  /**
   * The service answered 429 to a request sent at `sentAt`: every call waits `retryAfterInMs`, and
   * later ones keep to the rate it allowed: as many requests as it admitted of those sent in the
   * second before (or at the same time). Requests still in flight may be among them, so the count
   * is taken again when the pause is over. A 429 to a request sent before the last one was learned
   * from is part of the same burst: it extends the pause but teaches nothing new.
   */
  recordThrottled(retryAfterInMs: number, sentAt: number = this.#now()): void {
    const now = this.#now();
    this.#pausedUntil = Math.max(this.#pausedUntil, now + retryAfterInMs);
    this.#lastRetryAfterInMs = Math.max(0, retryAfterInMs);
    if (sentAt < this.#lastThrottledAt) return;
    const again = this.#spacingInMs > 0 && now - this.#lastThrottledAt < AGAIN_WITHIN_IN_MS;
    this.#lastThrottledAt = now;
    if (again) {
      // Requests kept to a learned spacing, yet refused: count no more (a bunched arrival shifts
      // the count by one, a tenth of the rate), only slow down a little.
      this.#pendingLesson = undefined;
      this.#spacingInMs *= AGAIN_SLOWER_BY;
      return;
    }
    this.#pendingLesson = { sentAt, receivedAt: now };
    this.#learn();
  }

  /**
   * Spacing from the pending 429: the admitted requests sent in the window before it, or while it
   * was in flight (requests sent at once reach the service in any order).
   */
  #learn(): void {
    const lesson = this.#pendingLesson;
    if (lesson === undefined) return;
    const admitted = this.#admittedSentAt.filter((t) => t > lesson.sentAt - WINDOW_IN_MS && t <= lesson.receivedAt).length;
    // Nothing admitted in that window: no rate to learn from, only the pause to keep.
    if (admitted > 0) this.#spacingInMs = WINDOW_IN_MS / (admitted * RATE_MARGIN);
    if (this.#now() >= this.#pausedUntil) this.#pendingLesson = undefined;
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
      // The pause is over: requests sent before the 429 have had a Retry-After to be answered.
      if (this.#pendingLesson !== undefined && now >= this.#pausedUntil) this.#learn();
      if (start <= now) {
        this.#nextStartAt = now + this.#spacingInMs;
        return;
      }
      await this.#sleep(start - now, signal);
      if (signal?.aborted) return;
    }
  }

  /** Keeps the send times of the last window, and of the window a pending lesson counts. */
  #forgetOld(now: number): void {
    const keepFrom = Math.min(now, this.#pendingLesson?.sentAt ?? now) - WINDOW_IN_MS;
    this.#admittedSentAt = this.#admittedSentAt.filter((t) => t > keepFrom);
  }
}
