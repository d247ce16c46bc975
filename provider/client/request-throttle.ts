/**
 * One throttle for every call of a client (the provider process has one client): a cap on requests
 * in flight, a declared budget, and what a 429 teaches. Partner Center limits requests per partner
 * tenant, so when one call is told to wait, every call waits, and later requests are spaced at the
 * rate the service allowed before it refused, creeping back up while it stops refusing. Without
 * that, each of many concurrent callers discovers the limit on its own, and a quarter or more of
 * all answers are 429s.
 *
 * The limit is shared by everything the partner runs and may be counted per minute: a process that
 * knows its share (`requestsPerMinute`) spaces its requests to it from the first one on and draws no
 * 429 at all. Without one, a 429 whose Retry-After is longer than the second it counts in says the
 * window is longer: the rate learned is then what the service admitted over the whole cycle, until
 * the window frees. Resumes after a pause, and the first turn under a budget, come at a random point
 * of one turn, so that processes started or paused together (a CI matrix) don't send in step.
 */

/** Options of {@link RequestThrottle}. */
export interface RequestThrottleOptions {
  /** Requests in flight at once. Default {@link DEFAULT_MAX_CONCURRENT_REQUESTS}. */
  readonly maxConcurrentRequests?: number;
  /**
   * This process's budget: requests per minute, spaced evenly from the first request on (a little
   * below it, so that the next window has room). 429s can still slow it down, never speed it up.
   * Default: none, the spacing is only what 429s teach.
   */
  readonly requestsPerMinute?: number;
  /** The clock; a test can pass its own. */
  readonly now?: () => number;
  /** Waits; a test can pass its own. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Numbers from 0 (included) to 1, for the spread of turns; a test can pass a seeded one. */
  readonly random?: () => number;
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
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** Share of the observed allowed rate to keep to after a 429, so that the next window has room. */
const RATE_MARGIN = 0.97;
/**
 * Share of the declared budget to keep to. Requests reach the service a little apart from when they
 * were sent, and k processes' turns fall into a window in varying numbers: 98 % drew no 429 in the
 * simulation of up to 64 processes on either window kind; 99 % did, over a sliding window.
 */
const BUDGET_MARGIN = 0.98;
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
 * A Retry-After at least this long says the service counts over a longer window than the second
 * above (Partner Center: "500 requests per minute"), so the count of one second says nothing.
 */
const LONG_WINDOW_RETRY_AFTER_IN_MS = 2 * WINDOW_IN_MS;
/**
 * A turn that comes this much after its time (a timer fires late, the event loop was busy) still
 * counts from its time, so that late wake-ups don't add up to a slower rate than the one kept; a
 * later one starts the spacing again from now, so that a long stall is not caught up in a burst.
 */
const LATE_TURN_TOLERANCE_IN_MS = 5;

/** Below this many kept send times, old ones are not looked for: forgetting stays O(1) per request on average. */
const FORGET_AT_LEAST = 64;

/** What the service admitted since the last pause ended: how many, and when the first of them was sent. */
interface Cycle {
  /** Requests sent from this time on count. */
  readonly from: number;
  admitted: number;
  firstSentAt: number | undefined;
}

/** Hands out turns to send a request. */
export class RequestThrottle {
  readonly maxConcurrentRequests: number;
  /** The spacing the budget asks for; 0 without a budget. */
  readonly #budgetSpacingInMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #queue: Array<() => void> = [];
  #inFlight = 0;
  /** Callers with a slot waiting to wait for their start time; one waits at a time. */
  readonly #turnQueue: Array<() => void> = [];
  #turnTaken = false;
  #pausedUntil = 0;
  /** The spacing learned from 429s; 0 when none. */
  #learnedSpacingInMs = 0;
  /** When the next turn is due; undefined before the first. */
  #nextStartAt: number | undefined;
  #lastThrottledAt = 0;
  #lastProbeAt = 0;
  /** Whether the spacing was shrunk by a probe since the last 429. */
  #probedSinceThrottled = false;
  #lastRetryAfterInMs = 0;
  /** When each admitted request of the last windows was sent, in no particular order (older ones too, until forgotten). */
  #admittedSentAt: number[] = [];
  #forgetAtLength = FORGET_AT_LEAST;
  /** The 429 still to learn from once the pause is over. */
  #pendingLesson: Lesson | undefined;
  #cycle: Cycle = { from: -Infinity, admitted: 0, firstSentAt: undefined };
  /** Whether a Retry-After has shown that the service counts over a window longer than a second. */
  #longWindow = false;

  constructor(options: RequestThrottleOptions = {}) {
    const cap = options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS;
    if (!Number.isSafeInteger(cap) || cap < 1) throw new RangeError(`maxConcurrentRequests must be a whole number of at least 1; got ${cap}`);
    const budget = options.requestsPerMinute;
    if (budget !== undefined && !(Number.isFinite(budget) && budget > 0)) throw new RangeError(`requestsPerMinute must be a number above 0; got ${budget}`);
    this.maxConcurrentRequests = cap;
    this.#budgetSpacingInMs = budget === undefined ? 0 : 60_000 / (budget * BUDGET_MARGIN);
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? abortableSleep;
    this.#random = options.random ?? Math.random;
  }

  /** The spacing between request starts: the budget's, or the one learned from 429s when longer; 0 when none is needed. */
  get spacingInMs(): number {
    return Math.max(this.#learnedSpacingInMs, this.#budgetSpacingInMs);
  }

  /**
   * Waits for a turn: a free slot, the end of any pause, and the spacing. Returns the function
   * that gives the slot back. Throws {@link ThrottleDeadlineError} when the turn would come after
   * `deadlineInMs`.
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
    // A request sent after the pause belongs to the next cycle, one sent before it to the lesson's.
    const sentAfterPause = sentAt >= this.#pausedUntil;
    if (!sentAfterPause) this.#countInCycle(sentAt);
    if (this.#pendingLesson !== undefined && now >= this.#pausedUntil) this.#learn();
    if (sentAfterPause) this.#countInCycle(sentAt);
    this.#forgetOld(now);
    const probeAfter = Math.max(PROBE_AFTER_AT_LEAST_IN_MS, PROBE_AFTER_RETRY_AFTERS * this.#lastRetryAfterInMs);
    if (this.#learnedSpacingInMs > 0 && this.#pendingLesson === undefined && now - Math.max(this.#lastThrottledAt, this.#lastProbeAt) >= probeAfter) {
      this.#lastProbeAt = now;
      this.#probedSinceThrottled = true;
      // Below the budget's spacing a learned one no longer matters.
      const probed = this.#learnedSpacingInMs * 0.9;
      this.#learnedSpacingInMs = probed < Math.max(1, this.#budgetSpacingInMs) ? 0 : probed;
    }
  }

  /**
   * The service answered 429 to a request sent at `sentAt`: every call waits `retryAfterInMs` (and
   * a random part of one turn, so that processes paused together resume apart), and later ones keep
   * to the rate it allowed. With a short Retry-After, that is as many requests as it admitted of
   * those sent in the second before (or at the same time); with a long one, as many as it admitted
   * since the last pause ended, over the time from the first of them until the window frees.
   * Requests still in flight may be among them, so the count is taken again when the pause is
   * over. A 429 to a request sent before the last one was learned from is part of the same burst:
   * it extends the pause but teaches nothing new.
   */
  recordThrottled(retryAfterInMs: number, sentAt: number = this.#now()): void {
    const now = this.#now();
    const lastPauseEnd = this.#pausedUntil;
    this.#pausedUntil = Math.max(this.#pausedUntil, now + retryAfterInMs);
    this.#lastRetryAfterInMs = Math.max(0, retryAfterInMs);
    if (sentAt < this.#lastThrottledAt) return;
    this.#lastThrottledAt = now;
    const keptSpacingInMs = this.spacingInMs;
    const afterProbe = this.#probedSinceThrottled;
    this.#probedSinceThrottled = false;
    // Once a Retry-After has shown that the window is long, a short one only means it is nearly over.
    this.#longWindow ||= retryAfterInMs >= LONG_WINDOW_RETRY_AFTER_IN_MS;
    const longWindow = this.#longWindow;
    if (!longWindow && keptSpacingInMs > 0 && sentAt - WINDOW_IN_MS < lastPauseEnd) {
      // The second before the refused request reaches into the last pause, so its count says
      // nothing about the rate: slow down a little.
      this.#pendingLesson = undefined;
      this.#learnedSpacingInMs = keptSpacingInMs * AGAIN_SLOWER_BY;
      this.#cycle = { from: this.#pausedUntil, admitted: 0, firstSentAt: undefined };
    } else {
      this.#pendingLesson = { sentAt, receivedAt: now, keptSpacingInMs, afterProbe, retryAfterInMs: longWindow ? retryAfterInMs : undefined };
      this.#learn();
    }
    this.#pausedUntil = Math.max(this.#pausedUntil, now + retryAfterInMs + this.#random() * this.spacingInMs);
  }

  #countInCycle(sentAt: number): void {
    if (sentAt < this.#cycle.from) return;
    this.#cycle.admitted++;
    this.#cycle.firstSentAt = Math.min(this.#cycle.firstSentAt ?? sentAt, sentAt);
  }

  /** Spacing from the pending 429; once its pause is over, the lesson is done and a new cycle counts. */
  #learn(): void {
    const lesson = this.#pendingLesson;
    if (lesson === undefined) return;
    this.#learnedSpacingInMs =
      lesson.retryAfterInMs === undefined ? spacingAfter(lesson, this.#admittedInSecondOf(lesson)) : spacingOverCycle(lesson, this.#cycle);
    if (this.#now() >= this.#pausedUntil) {
      this.#pendingLesson = undefined;
      this.#cycle = { from: this.#pausedUntil, admitted: 0, firstSentAt: undefined };
    }
  }

  /** The admitted requests sent in the second before the lesson's 429, or while it was in flight (requests sent at once reach the service in any order). */
  #admittedInSecondOf(lesson: Lesson): number {
    let admitted = 0;
    for (const t of this.#admittedSentAt) if (t > lesson.sentAt - WINDOW_IN_MS && t <= lesson.receivedAt) admitted++;
    return admitted;
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

  /**
   * Waits for the start time, one caller at a time (the others queue behind it), so that each turn
   * wakes one sleeper rather than every caller holding a slot.
   */
  async #startTime(deadlineInMs: number, signal: AbortSignal | undefined): Promise<void> {
    if (this.#turnTaken) await new Promise<void>((resolve) => this.#turnQueue.push(resolve));
    else this.#turnTaken = true;
    try {
      await this.#waitForStartTime(deadlineInMs, signal);
    } finally {
      // Handed straight to the next waiter, so #turnTaken stays set.
      const next = this.#turnQueue.shift();
      if (next !== undefined) next();
      else this.#turnTaken = false;
    }
  }

  async #waitForStartTime(deadlineInMs: number, signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      const now = this.#now();
      // Under a budget, the first turn comes at a random point of one turn: processes started
      // together don't send in step.
      this.#nextStartAt ??= now + this.#random() * this.#budgetSpacingInMs;
      const due = Math.max(this.#pausedUntil, this.#nextStartAt);
      const start = Math.max(now, due);
      if (start > deadlineInMs) {
        throw new ThrottleDeadlineError(`the next turn to send comes in ${Math.ceil((start - now) / 1000)} s, after the call's deadline`);
      }
      // The pause is over: requests sent before the 429 have had a Retry-After to be answered.
      if (this.#pendingLesson !== undefined && now >= this.#pausedUntil) this.#learn();
      if (start <= now) {
        this.#nextStartAt = (now - due <= LATE_TURN_TOLERANCE_IN_MS ? due : now) + this.spacingInMs;
        return;
      }
      await this.#sleep(start - now, signal);
      if (signal?.aborted) return;
    }
  }

  /** Keeps the send times of the last window, and of the window a pending lesson counts; looks only when there are twice as many as last time. */
  #forgetOld(now: number): void {
    if (this.#admittedSentAt.length < this.#forgetAtLength) return;
    const keepFrom = Math.min(now, this.#pendingLesson?.sentAt ?? now) - WINDOW_IN_MS;
    this.#admittedSentAt = this.#admittedSentAt.filter((t) => t > keepFrom);
    this.#forgetAtLength = Math.max(FORGET_AT_LEAST, 2 * this.#admittedSentAt.length);
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
  /** Set when the Retry-After says the window is longer than a second: the rate is learned over the cycle. */
  readonly retryAfterInMs: number | undefined;
}

/** The spacing to keep after `lesson`, given how many requests of its second were admitted. */
function spacingAfter(lesson: Lesson, admitted: number): number {
  const kept = lesson.keptSpacingInMs;
  // Nothing admitted in that window: no rate to learn from, only the pause to keep.
  if (admitted === 0) return kept * AGAIN_SLOWER_BY;
  const counted = WINDOW_IN_MS / (admitted * RATE_MARGIN);
  if (kept === 0 || lesson.afterProbe) return counted;
  const bunched = admitted >= WINDOW_IN_MS / kept - BUNCHING_TOLERANCE;
  return bunched ? kept * AGAIN_SLOWER_BY : counted;
}

/**
 * The spacing after a 429 with a long Retry-After: the cycle's admitted requests spread over the
 * time from the first of them until the service will admit again. Under a limit per minute, that
 * is this process's part of one window however fast it sent.
 */
function spacingOverCycle(lesson: Lesson, cycle: Cycle): number {
  if (cycle.admitted === 0 || cycle.firstSentAt === undefined) return lesson.keptSpacingInMs * AGAIN_SLOWER_BY;
  const span = lesson.receivedAt + (lesson.retryAfterInMs ?? 0) - cycle.firstSentAt;
  return span / (cycle.admitted * RATE_MARGIN);
}
