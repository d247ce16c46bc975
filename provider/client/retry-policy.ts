/**
 * The client's single retry policy: which failures are worth another attempt, and how long to wait.
 * Pure functions, so that the policy can be tested without a clock or a network.
 */

/** Tuning of the retry policy. All durations are in milliseconds. */
export interface RetryOptions {
  /** Attempts after the first one. Default 4. */
  readonly maxRetries?: number;
  /** Base of the exponential backoff. Default 500. */
  readonly retryDelayInMs?: number;
  /** Upper bound of one backoff wait. Default 30000. */
  readonly maxRetryDelayInMs?: number;
  /**
   * The longest `Retry-After` the client will wait. A longer request from the service ends the
   * call with a retryable error instead of stalling the deployment. Default 120000.
   */
  readonly maxRetryAfterInMs?: number;
}

/** {@link RetryOptions} with every default filled in. */
export type ResolvedRetryOptions = Required<RetryOptions>;

/** The defaults of {@link RetryOptions}. */
export const DEFAULT_RETRY_OPTIONS: ResolvedRetryOptions = {
  maxRetries: 4,
  retryDelayInMs: 500,
  maxRetryDelayInMs: 30_000,
  maxRetryAfterInMs: 120_000,
};

/** True for the statuses that a later attempt can cure: 408, 429 and 5xx except 501 and 505. */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/**
 * Reads a `Retry-After` header (delay-seconds or an HTTP-date) as milliseconds from `nowInMs`.
 * Returns undefined when the header is absent or unreadable; a date in the past reads as 0.
 */
export function parseRetryAfter(header: string | undefined, nowInMs: number): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowInMs);
}

/** Exponential backoff with jitter: between half and all of `base * 2^retry`, capped. */
export function backoffDelay(retry: number, options: ResolvedRetryOptions, random: () => number): number {
  const exponential = options.retryDelayInMs * 2 ** retry;
  const capped = Math.min(options.maxRetryDelayInMs, exponential);
  return Math.round(capped / 2 + (random() * capped) / 2);
}

/** What to do after a failed attempt. */
export type RetryDecision = { readonly retry: true; readonly delayInMs: number } | { readonly retry: false; readonly reason: string };

/** The facts about one failed attempt that the policy looks at. */
export interface FailedAttempt {
  /** Zero-based count of retries already made. */
  readonly retriesSoFar: number;
  /** Whether the failure itself could be cured by another attempt. */
  readonly retryable: boolean;
  /** The response's `Retry-After` header, when there was a response. */
  readonly retryAfterHeader?: string;
  /** When the overall deadline of the call expires. */
  readonly deadlineInMs: number;
  readonly nowInMs: number;
}

/** Decides whether to try again and after how long. */
export function decideRetry(attempt: FailedAttempt, options: ResolvedRetryOptions, random: () => number = Math.random): RetryDecision {
  if (!attempt.retryable) return { retry: false, reason: "not retryable" };
  if (attempt.retriesSoFar >= options.maxRetries) {
    return { retry: false, reason: `maxRetries is ${options.maxRetries}` };
  }
  const backoff = backoffDelay(attempt.retriesSoFar, options, random);
  const retryAfter = parseRetryAfter(attempt.retryAfterHeader, attempt.nowInMs);
  if (retryAfter !== undefined && retryAfter > options.maxRetryAfterInMs) {
    return {
      retry: false,
      reason: `the service asked to wait ${Math.ceil(retryAfter / 1000)} s, longer than maxRetryAfterInMs (${options.maxRetryAfterInMs} ms)`,
    };
  }
  const delayInMs = retryAfter !== undefined ? Math.max(retryAfter, backoff / 2) : backoff;
  if (attempt.nowInMs + delayInMs >= attempt.deadlineInMs) {
    return { retry: false, reason: "the next attempt would pass the call's deadline" };
  }
  return { retry: true, delayInMs: Math.round(delayInMs) };
}
