/**
 * Validation of vetting inputs from the control API and the data file: scripted decisions
 * and immediate outcomes.
 */

import {
  InputRejectedError,
  expectObject,
  readOptionalNonNegativeInteger,
  readOptionalString,
  readString,
  rejectUnknownKeys,
  type JsonObject,
} from "./input-validation";
import { canonicalQualificationName, isVettedQualification } from "./qualification-request";
import type { ScheduledVetting } from "./state";
import type { VettingDecision, VettingScript } from "./types";

/** Validates a vetting script; `afterMs` defaults to 0 and the qualification must be a vetted one. */
export function parseVettingScript(value: unknown, what = "vetting script"): ScheduledVetting {
  const script = expectObject(value, what);
  rejectUnknownKeys(script, ["qualification", "status", "reason", "afterMs"] satisfies (keyof VettingScript)[], what);
  const rawName = readOptionalString(script, "qualification", what);
  const qualification = rawName === undefined ? undefined : canonicalQualificationName(rawName);
  if (rawName !== undefined && (qualification === undefined || !isVettedQualification(qualification))) {
    throw new InputRejectedError(`${what}.qualification must be Education or GovernmentCommunityCloud (the vetted ones), got '${rawName}'`);
  }
  const reason = readOptionalString(script, "reason", what);
  return {
    status: readFinalStatus(script, what),
    afterMs: readOptionalNonNegativeInteger(script, "afterMs", what) ?? 0,
    ...(qualification === undefined ? {} : { qualification }),
    ...(reason === undefined ? {} : { reason }),
  };
}

/** Validates an immediate vetting outcome; any non-empty status is allowed, since Microsoft lists InReview, Approved, Denied "etc.". */
export function parseVettingDecision(value: unknown, what = "vetting decision"): VettingDecision {
  const decision = expectObject(value, what);
  rejectUnknownKeys(decision, ["status", "reason"] satisfies (keyof VettingDecision)[], what);
  const reason = readOptionalString(decision, "reason", what);
  return { status: readString(decision, "status", what), ...(reason === undefined ? {} : { reason }) };
}

/** Reads a scripted outcome's status: scripts only ever decide, so InReview is refused. */
export function readFinalStatus(source: JsonObject, what: string): "Approved" | "Denied" {
  const status = source.status;
  if (status !== "Approved" && status !== "Denied") throw new InputRejectedError(`${what}.status must be Approved or Denied`);
  return status;
}
