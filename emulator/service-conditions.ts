/**
 * Conditions that make the emulator behave like a remote, throttled service: latency on every
 * API answer, and the partner's rate limit over a sliding window. Not persisted;
 * `reset` restores the values the emulator started with.
 */

import { z } from "zod";
import { InputRejectedError, count, integerFrom, parseInput } from "./input-validation";

/** The longest latency: beyond it a timer would be a hang rather than a latency (it also keeps setTimeout in range). */
export const MAX_LATENCY_MS = 600_000;

/** The longest rate-limit window, in seconds: an hour. */
export const MAX_WINDOW_SECONDS = 3600;

/**
 * Node timers can fire a millisecond before their delay by the monotonic clock; a client that
 * waits exactly `Retry-After` seconds must get through, so admissions expire this much early.
 */
const TIMER_SLACK_MS = 2;

/** A latency in milliseconds. */
export const latencySchema = integerFrom(0, MAX_LATENCY_MS, " (milliseconds)");

/** Requests admitted per window: an integer of at least 1. */
const requestCount = count.min(1, "must be an integer >= 1");

/** Fixed `Retry-After` seconds; default: when the window frees up, rounded up, at least 1. */
const retryAfterSeconds = count.optional();

/** A limit over a sliding one-second window. */
export const perSecondLimitSchema = z.strictObject({ requestsPerSecond: requestCount, retryAfterSeconds });

/** A limit over a sliding window of `windowSeconds` (an integer from 1 to 3600). */
export const perWindowLimitSchema = z.strictObject({ requestsPerWindow: requestCount, windowSeconds: integerFrom(1, MAX_WINDOW_SECONDS), retryAfterSeconds });

/**
 * A per-partner request limit: API requests (all routes together) beyond it within a sliding
 * window are answered 429 and change nothing. Per second, or per window of several seconds: the
 * one limit Microsoft publishes is 500 requests per minute, which is `{ requestsPerWindow: 500,
 * windowSeconds: 60 }`.
 */
export type RateLimit = z.output<typeof perSecondLimitSchema> | z.output<typeof perWindowLimitSchema>;

/** The properties either kind of limit may have, to refuse any other before choosing the kind. */
const limitProperties = z.strictObject({
  requestsPerSecond: z.unknown().optional(),
  requestsPerWindow: z.unknown().optional(),
  windowSeconds: z.unknown().optional(),
  retryAfterSeconds: z.unknown().optional(),
});

/** The latency and rate limit in force. */
export interface ServiceConditionSettings {
  latencyMs: number;
  rateLimit?: RateLimit;
}

/** The rate limiter's verdict on one request. */
export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

/** Validates a latency in milliseconds; `what` names it in the error. */
export function parseLatency(value: unknown, what: string): number {
  return parseInput(latencySchema, value, what);
}

/** Validates a rate limit, per second or per window (one of the two); `what` names it in the error. */
export function parseRateLimit(value: unknown, what: string): RateLimit {
  const given = parseInput(limitProperties, value, what);
  const perSecond = given.requestsPerSecond !== undefined;
  if (perSecond === (given.requestsPerWindow !== undefined))
    throw new InputRejectedError(`${what} needs one of requestsPerSecond, or requestsPerWindow with windowSeconds`);
  if (perSecond && given.windowSeconds !== undefined) throw new InputRejectedError(`${what}.windowSeconds goes with requestsPerWindow, not requestsPerSecond`);
  return perSecond ? parseInput(perSecondLimitSchema, value, what) : parseInput(perWindowLimitSchema, value, what);
}

/** How many requests a limit admits, and over how long a sliding window. */
function windowOf(limit: RateLimit): { requests: number; windowMs: number } {
  return "requestsPerSecond" in limit
    ? { requests: limit.requestsPerSecond, windowMs: 1000 }
    : { requests: limit.requestsPerWindow, windowMs: limit.windowSeconds * 1000 };
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
