/**
 * Injected faults: validation of fault specs and the queue that matches them against API
 * requests (first match wins, each hit uses up one of its `times`). Faults are not persisted.
 */

import { z } from "zod";
import { count, parseInput, text } from "./input-validation";

/** The API's routes: `GET /v1/customers`, `/v1/customers/{id}/qualifications` and `GET /v1/customers/all/validations`. */
export const API_ROUTE_NAMES = ["customers", "qualifications", "validations"] as const;

/** A fault to inject into upcoming API requests. */
export const faultSpecSchema = z
  .strictObject({
    /** What the fault does to a matching API request. */
    kind: z.enum(["status", "drop", "lostResponse", "delay"]),
    /** Only requests with this HTTP method (any case). */
    method: text.transform((method) => method.toUpperCase()).optional(),
    /** Only requests whose `/v1/customers/{id}/...` segment equals this (any case); `"all"` targets the validations route. */
    customerId: text.optional(),
    /** Only requests to this route (unknown paths match no route). */
    route: z.enum(API_ROUTE_NAMES).optional(),
    /** For `status`: the status to answer with. */
    status: count.optional(),
    /** For `status`: `Retry-After` header value (seconds or HTTP-date). */
    retryAfter: text.optional(),
    /** For `status`: response body; default depends on the status. */
    body: z.unknown().optional(),
    /** For `delay`: milliseconds to wait before handling normally. */
    delayMs: count.optional(),
    /** How many matching API requests it hits; default 1. */
    times: count.min(1, "must be at least 1").default(1),
  })
  .superRefine((fault, context) => {
    if (fault.kind === "status" && (fault.status === undefined || fault.status < 200 || fault.status > 599)) {
      context.addIssue({ code: "custom", path: ["status"], message: "must be an HTTP status from 200 to 599 for a 'status' fault" });
    }
    if (fault.kind === "delay" && fault.delayMs === undefined)
      context.addIssue({ code: "custom", path: ["delayMs"], message: "is required for a 'delay' fault" });
  });

/** A fault with its remaining hit count. */
export type ActiveFault = z.output<typeof faultSpecSchema>;

/** The API route names. */
export type ApiRouteName = (typeof API_ROUTE_NAMES)[number];

/** What a fault can match an API request by. */
export interface FaultTarget {
  method: string;
  /** The `{id}` of `/v1/customers/{id}/...`; undefined on other paths. */
  customerSegment: string | undefined;
  /** Undefined on paths that are no API route. */
  route: ApiRouteName | undefined;
}

/** Validates a fault spec from the control API. */
export function parseFaultSpec(value: unknown): ActiveFault {
  return parseInput(faultSpecSchema, value, "fault");
}

/** Faults waiting for matching API requests. */
export class FaultQueue {
  private faults: ActiveFault[] = [];

  /** Appends a validated fault; earlier faults take precedence. */
  add(fault: ActiveFault): void {
    this.faults.push({ ...fault });
  }

  /** Removes every fault. */
  clear(): void {
    this.faults = [];
  }

  /** Faults still active. */
  list(): ActiveFault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  /** The first fault matching the request, with one of its hits used up. */
  take(target: FaultTarget): ActiveFault | undefined {
    const index = this.faults.findIndex(
      (fault) =>
        (fault.method === undefined || fault.method === target.method.toUpperCase()) &&
        (fault.customerId === undefined || fault.customerId.toLowerCase() === target.customerSegment?.toLowerCase()) &&
        (fault.route === undefined || fault.route === target.route),
    );
    const fault = this.faults[index];
    if (fault === undefined) return undefined;
    fault.times -= 1;
    if (fault.times === 0) this.faults.splice(index, 1);
    return { ...fault };
  }
}
