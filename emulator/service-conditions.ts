/**
 * Conditions that make the emulator behave like a remote, throttled service: latency on every
 * API answer, and the partner's rate limit over a sliding window. Not persisted;
 * `reset` restores the values the emulator started with.
 */

import { InputRejectedError, expectObject, readNonNegativeInteger, readOptionalNonNegativeInteger, rejectUnknownKeys, type JsonObject } from "./input-validation";
import type { RateLimit } from "./types";

/** The longest latency: beyond it a timer would be a hang rather than a latency (it also keeps setTimeout in range). */
export const MAX_LATENCY_MS = 600_000;

/** The longest rate-limit window, in seconds: an hour. */
export const MAX_WINDOW_SECONDS = 3600;

/**
 * Node timers can fire a millisecond before their delay by the monotonic clock; a client that
 * waits exactly `Retry-After` seconds must get through, so admissions expire this much early.
 */
const TIMER_SLACK_MS = 2;

/** The latency and rate limit in force. */
export interface ServiceConditionSettings {
  latencyMs: number;
  rateLimit?: RateLimit;
}

/** The rate limiter's verdict on one request. */
export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

/** Validates a latency in milliseconds; `what` names it in the error. */
export function parseLatency(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value > MAX_LATENCY_MS) {
    throw new InputRejectedError(`${what} must be an integer from 0 to ${MAX_LATENCY_MS} (milliseconds)`);
  }
  return value;
}

/** Validates a rate limit; `what` names it in the error. */
export function parseRateLimit(value: unknown, what: string): RateLimit {
  const limit = expectObject(value, what);
  rejectUnknownKeys(limit, ["requestsPerSecond", "requestsPerWindow", "windowSeconds", "retryAfterSeconds"], what);
  const retryAfter = readOptionalNonNegativeInteger(limit, "retryAfterSeconds", what);
  const retryAfterSeconds = retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter };
  // Null counts as absent, as for every optional property of the emulator's inputs.
  const given = (key: string): boolean => limit[key] !== undefined && limit[key] !== null;
  const perSecond = given("requestsPerSecond");
  if (perSecond === given("requestsPerWindow")) throw new InputRejectedError(`${what} needs one of requestsPerSecond, or requestsPerWindow with windowSeconds`);
  if (perSecond) {
    if (given("windowSeconds")) throw new InputRejectedError(`${what}.windowSeconds goes with requestsPerWindow, not requestsPerSecond`);
    return { requestsPerSecond: readPositiveInteger(limit, "requestsPerSecond", what), ...retryAfterSeconds };
  }
  const windowSeconds = readNonNegativeInteger(limit, "windowSeconds", what);
  if (windowSeconds < 1 || windowSeconds > MAX_WINDOW_SECONDS) throw new InputRejectedError(`${what}.windowSeconds must be an integer from 1 to ${MAX_WINDOW_SECONDS}`);
  return { requestsPerWindow: readPositiveInteger(limit, "requestsPerWindow", what), windowSeconds, ...retryAfterSeconds };
}

function readPositiveInteger(source: JsonObject, key: string, what: string): number {
  const value = readNonNegativeInteger(source, key, what);
  if (value < 1) throw new InputRejectedError(`${what}.${key} must be an integer >= 1`);
  return value;
}

/** How many requests a limit admits, and over how long a sliding window. */
function windowOf(limit: RateLimit): { requests: number; windowMs: number } {
  return "requestsPerSecond" in limit ? { requests: limit.requestsPerSecond, windowMs: 1000 } : { requests: limit.requestsPerWindow, windowMs: limit.windowSeconds * 1000 };
}

/** The latency and rate limit of one emulator, with the rate limiter's window. */
export class ServiceConditions {
  private settings: ServiceConditionSettings;
  /** Arrival times (clock milliseconds, ascending) of the requests admitted in the current window. */
  private admitted: number[] = [];

  /**
   * @param startup the validated conditions the emulator started with, restored by {@link ServiceConditions.reset}.
   * @param clock monotonic milliseconds; injected so the window is testable.
   */
  constructor(
    private readonly startup: ServiceConditionSettings,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.settings = { ...startup };
  }

  /** Milliseconds every API answer waits. */
  get latencyMs(): number {
    return this.settings.latencyMs;
  }

  /** The rate limit in force, if any. */
  get rateLimit(): RateLimit | undefined {
    return this.settings.rateLimit === undefined ? undefined : { ...this.settings.rateLimit };
  }

  /** Sets a validated latency. */
  setLatency(latencyMs: number): void {
    this.settings = { ...this.settings, latencyMs };
  }

  /** Sets (or, with undefined, lifts) a validated rate limit; the window starts empty. */
  setRateLimit(rateLimit: RateLimit | undefined): void {
    const { rateLimit: _previous, ...rest } = this.settings;
    this.settings = rateLimit === undefined ? rest : { ...rest, rateLimit: { ...rateLimit } };
    this.admitted = [];
  }

  /** Back to the startup conditions with an empty window. */
  reset(): void {
    this.settings = { ...this.startup };
    this.admitted = [];
  }

  /**
   * Admits a request when fewer than the limit's requests were admitted in its last window.
   * Refused requests do not take a place in the window, so a client that keeps retrying too
   * early does not lock itself out for longer.
   */
  admit(): Admission {
    const limit = this.settings.rateLimit;
    if (limit === undefined) return { admitted: true };
    const { requests, windowMs } = windowOf(limit);
    const now = this.clock();
    const firstInWindow = this.admitted.findIndex((time) => now - time < windowMs - TIMER_SLACK_MS);
    if (firstInWindow !== 0) this.admitted = firstInWindow === -1 ? [] : this.admitted.slice(firstInWindow);
    if (this.admitted.length < requests) {
      this.admitted.push(now);
      return { admitted: true };
    }
    const oldest = this.admitted[0] ?? now;
    const untilFree = Math.max(1, Math.ceil((oldest + windowMs - TIMER_SLACK_MS - now) / 1000));
    return { admitted: false, retryAfterSeconds: limit.retryAfterSeconds ?? untilFree };
  }
}
