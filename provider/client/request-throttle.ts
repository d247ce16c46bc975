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
 * A 429 while requests keep to a learned rate most often means arrivals bunched (a busy machine
 * delays one request and not the next), and the count of admitted requests is then off by one,
 * which is a tenth of the rate: slow down by a little, not by what the count says, since the
 * slower rate holds until the next probe. The count wins when it is clearly lower than the rate
 * kept (the limit fell, or another client of the partner tenant shares it), or after a probe.
 */
const AGAIN_SLOWER_BY = 1.05;
/** How many fewer admitted requests than the kept rate sends in a window still count as bunching. */
const BUNCHING_TOLERANCE = 1;
const WINDOW_IN_MS = 1_000;
/**
 * A turn that comes this much after its time (a timer fires late, the event loop was busy) still
 * counts from its time, so that late wake-ups don't add up to a slower rate than the one kept; a
 * later one starts the spacing again from now, so that a long stall is not caught up in a burst.
 */
const LATE_TURN_TOLERANCE_IN_MS = 5;

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
  /** Whether the spacing was shrunk by a probe since the last 429. */
  #probedSinceThrottled = false;
  #lastRetryAfterInMs = 0;
  /** When each admitted request of the last windows was sent, in no particular order. */
  #admittedSentAt: number[] = [];
  /** The 429 still to learn from once the pause is over. */
  #pendingLesson: Lesson | undefined;

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
      this.#probedSinceThrottled = true;
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
    const lastPauseEnd = this.#pausedUntil;
    this.#pausedUntil = Math.max(this.#pausedUntil, now + retryAfterInMs);
    this.#lastRetryAfterInMs = Math.max(0, retryAfterInMs);
    if (sentAt < this.#lastThrottledAt) return;
    this.#lastThrottledAt = now;
    const keptSpacingInMs = this.#spacingInMs;
    const afterProbe = this.#probedSinceThrottled;
    this.#probedSinceThrottled = false;
    if (keptSpacingInMs > 0 && sentAt - WINDOW_IN_MS < lastPauseEnd) {
      // The second before the refused request reaches into the last pause, so its count says
      // nothing about the rate: slow down a little.
      this.#pendingLesson = undefined;
      this.#spacingInMs = keptSpacingInMs * AGAIN_SLOWER_BY;
      return;
    }
    this.#pendingLesson = { sentAt, receivedAt: now, keptSpacingInMs, afterProbe };
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
    this.#spacingInMs = spacingAfter(lesson, admitted);
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
      const due = Math.max(this.#pausedUntil, this.#nextStartAt);
      const start = Math.max(now, due);
      if (start > deadlineInMs) {
        throw new ThrottleDeadlineError(`the next turn to send comes in ${Math.ceil((start - now) / 1000)} s, after the call's deadline`);
      }
      // The pause is over: requests sent before the 429 have had a Retry-After to be answered.
      if (this.#pendingLesson !== undefined && now >= this.#pausedUntil) this.#learn();
      if (start <= now) {
        this.#nextStartAt = (now - due <= LATE_TURN_TOLERANCE_IN_MS ? due : now) + this.#spacingInMs;
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

/** A 429 to learn from. */
interface Lesson {
  readonly sentAt: number;
  readonly receivedAt: number;
  /** The spacing kept when the request was refused; 0 when none was. */
  readonly keptSpacingInMs: number;
  /** Whether a probe shrank that spacing since the 429 before. */
  readonly afterProbe: boolean;
}

/** The spacing to keep after `lesson`, given how many requests of its window were admitted. */
function spacingAfter(lesson: Lesson, admitted: number): number {
  const kept = lesson.keptSpacingInMs;
  // Nothing admitted in that window: no rate to learn from, only the pause to keep.
  if (admitted === 0) return kept * AGAIN_SLOWER_BY;
  const counted = WINDOW_IN_MS / (admitted * RATE_MARGIN);
  if (kept === 0 || lesson.afterProbe) return counted;
  const bunched = admitted >= WINDOW_IN_MS / kept - BUNCHING_TOLERANCE;
  return bunched ? kept * AGAIN_SLOWER_BY : counted;
}
