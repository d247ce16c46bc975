/**
 * Requests by kind, from the emulator's request log: reads and creates of qualifications, reads
 * of the validation codes, anything else; and how many were answered 429 or failed otherwise.
 */
import type { LoggedRequest } from "partnercenter-emulator";

/** How many API requests of each kind one command made. */
export interface RequestCounts {
  /** `GET /v1/customers/{id}/qualifications`. */
  readonly getQualifications: number;
  /** `POST /v1/customers/{id}/qualifications`. */
  readonly postQualifications: number;
  /** `GET /v1/customers/all/validations`. */
  readonly getValidations: number;
  /** Any other API request. */
  readonly other: number;
  /** All of them. */
  readonly total: number;
  /** Answered 429 (rate limit). */
  readonly throttled: number;
  /** Answered another status of 400 or more, or dropped. */
  readonly failed: number;
  /** Seconds from the first request's arrival to the last one's; 0 for fewer than two. */
  readonly spanSeconds?: number;
  /** Seconds from the command's start to the first request's arrival, when the start is known. */
  readonly firstRequestAfterSeconds?: number;
  /** Seconds from the last request's arrival to the command's end, when the end is known. */
  readonly lastRequestBeforeEndSeconds?: number;
}

/** No requests at all. */
export const NO_REQUESTS: RequestCounts = { getQualifications: 0, postQualifications: 0, getValidations: 0, other: 0, total: 0, throttled: 0, failed: 0 };

/** The kind of one logged request. */
function kindOf(request: LoggedRequest): "getQualifications" | "postQualifications" | "getValidations" | "other" {
  const path = request.path.toLowerCase();
  if (request.method === "GET" && path === "/v1/customers/all/validations") return "getValidations";
  if (!/^\/v1\/customers\/[^/]+\/qualifications$/.test(path)) return "other";
  if (request.method === "GET") return "getQualifications";
  return request.method === "POST" ? "postQualifications" : "other";
}

/** When a command ran, in epoch milliseconds, to place its requests within it. */
export interface CommandWindow {
  readonly startedAtMs: number;
  readonly endedAtMs: number;
}

/** Counts a request log by kind and outcome, and places it within the command's window when given. */
export function countRequests(log: readonly LoggedRequest[], window?: CommandWindow): RequestCounts {
  const counts = { ...NO_REQUESTS, total: log.length };
  for (const request of log) {
    counts[kindOf(request)] += 1;
    if (request.status === 429) counts.throttled += 1;
    else if (request.status === "dropped" || request.status >= 400) counts.failed += 1;
  }
  const times = log.map((r) => Date.parse(r.time)).filter((t) => !Number.isNaN(t));
  if (times.length === 0) return { ...counts, spanSeconds: 0 };
  const first = Math.min(...times);
  const last = Math.max(...times);
  const placed =
    window === undefined
      ? {}
      : { firstRequestAfterSeconds: (first - window.startedAtMs) / 1000, lastRequestBeforeEndSeconds: (window.endedAtMs - last) / 1000 };
  return { ...counts, spanSeconds: (last - first) / 1000, ...placed };
}

/** Requests that were answered with something other than 429. */
export function admittedRequests(counts: RequestCounts): number {
  return counts.total - counts.throttled;
}

/** The shortest a command could take under a limit of `perSecond`: its admitted requests at that rate. */
export function idealSecondsUnderLimit(counts: RequestCounts, perSecond: number): number {
  return admittedRequests(counts) / perSecond;
}
