/**
 * Injected faults: validation of fault specs and the queue that matches them against API
 * requests (first match wins, each hit uses up one of its `times`). Faults are not persisted.
 */

import {
  InputRejectedError,
  expectObject,
  readOptionalNonNegativeInteger,
  readOptionalString,
  rejectUnknownKeys,
} from "./input-validation";
import type { ApiRouteName, FaultKind, FaultSpec } from "./types";

const FAULT_KINDS: readonly FaultKind[] = ["status", "drop", "lostResponse", "delay"];

const ROUTE_NAMES: readonly ApiRouteName[] = ["customers", "qualifications", "validations"];

/** What a fault can match an API request by. */
export interface FaultTarget {
  method: string;
  /** The `{id}` of `/v1/customers/{id}/...`; undefined on other paths. */
  customerSegment: string | undefined;
  /** Undefined on paths that are no API route. */
  route: ApiRouteName | undefined;
}

/** A fault with its remaining hit count. */
export interface ActiveFault extends FaultSpec {
  times: number;
}

/** Validates a fault spec from the control API. */
export function parseFaultSpec(value: unknown): ActiveFault {
  const what = "fault";
  const spec = expectObject(value, what);
  rejectUnknownKeys(
    spec,
    ["kind", "method", "customerId", "route", "status", "retryAfter", "body", "delayMs", "times"] satisfies (keyof FaultSpec)[],
    what,
  );
  const kind = spec.kind;
  if (typeof kind !== "string" || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new InputRejectedError(`fault.kind must be one of ${FAULT_KINDS.join(", ")}`);
  }
  const status = readOptionalNonNegativeInteger(spec, "status", what);
  if (kind === "status" && (status === undefined || status < 200 || status > 599)) {
    throw new InputRejectedError("fault.status must be an HTTP status from 200 to 599 for a 'status' fault");
  }
  const delayMs = readOptionalNonNegativeInteger(spec, "delayMs", what);
  if (kind === "delay" && delayMs === undefined) throw new InputRejectedError("fault.delayMs is required for a 'delay' fault");
  const times = readOptionalNonNegativeInteger(spec, "times", what) ?? 1;
  if (times < 1) throw new InputRejectedError("fault.times must be at least 1");
  const method = readOptionalString(spec, "method", what);
  const customerId = readOptionalString(spec, "customerId", what);
  const retryAfter = readOptionalString(spec, "retryAfter", what);
  const route = readOptionalString(spec, "route", what);
  if (route !== undefined && !(ROUTE_NAMES as readonly string[]).includes(route)) {
    throw new InputRejectedError(`fault.route must be one of ${ROUTE_NAMES.join(", ")}, got '${route}'`);
  }
  return {
    kind: kind as FaultKind,
    times,
    ...(method === undefined ? {} : { method: method.toUpperCase() }),
    ...(customerId === undefined ? {} : { customerId }),
    ...(route === undefined ? {} : { route: route as ApiRouteName }),
    ...(status === undefined ? {} : { status }),
    ...(retryAfter === undefined ? {} : { retryAfter }),
    ...(spec.body === undefined ? {} : { body: spec.body }),
    ...(delayMs === undefined ? {} : { delayMs }),
  };
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
