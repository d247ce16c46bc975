/**
 * The partner's rate limit as the simulation meets it: N requests per window, counted over a
 * sliding window (the emulator's own limiter, `--rate-limit N/S`, run on the virtual clock) or a
 * fixed one (windows that start every S seconds). Both follow the emulator's rules: a refused
 * request takes no place in the window, and the 429's Retry-After is the whole seconds until the
 * window has room again, at least 1.
 */
import { ServiceConditions, type Admission } from "partnercenter-emulator";

/** How the limit counts: over the last S seconds, or per S-second window starting at fixed times. */
export type WindowKind = "fixed" | "sliding";

/** A limit of `requests` per `windowSeconds`. */
export interface LimitSpec {
  readonly requests: number;
  readonly windowSeconds: number;
}

/** Decides, at the clock's current time, whether a request that arrives now is admitted. */
export interface LimitModel {
  admit(): Admission;
}

/** The emulator's sliding window, on the given clock. */
export function slidingWindowLimit(limit: LimitSpec, now: () => number): LimitModel {
  const conditions = new ServiceConditions({ latencyMs: 0, rateLimit: { requestsPerWindow: limit.requests, windowSeconds: limit.windowSeconds } }, now);
  return { admit: () => conditions.admit() };
}

/** Fixed windows, the first starting `offsetMs` before time 0 (a run starts anywhere in a window). */
export function fixedWindowLimit(limit: LimitSpec, now: () => number, offsetMs = 0): LimitModel {
  const windowMs = limit.windowSeconds * 1000;
  let windowStart = Number.NEGATIVE_INFINITY;
  let admitted = 0;
  return {
    admit: () => {
      const time = now() + offsetMs;
      const start = Math.floor(time / windowMs) * windowMs;
      if (start !== windowStart) {
        windowStart = start;
        admitted = 0;
      }
      if (admitted < limit.requests) {
        admitted++;
        return { admitted: true };
      }
      return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((start + windowMs - time) / 1000)) };
    },
  };
}

/** The limit model of a window kind. */
export function limitModel(kind: WindowKind, limit: LimitSpec, now: () => number, offsetMs: number): LimitModel {
  return kind === "fixed" ? fixedWindowLimit(limit, now, offsetMs) : slidingWindowLimit(limit, now);
}
