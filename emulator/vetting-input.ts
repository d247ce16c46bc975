/**
 * Vetting inputs from the control API and the data file, as zod schemas: scripted decisions,
 * immediate outcomes, and the pending decisions the state keeps.
 */

import { z } from "zod";
import { count, isoDate, text } from "./input-validation";
import { canonicalQualificationName, isVettedQualification, type QualificationName } from "./qualification-request";

/** A scripted outcome's status: scripts only ever decide, so InReview is refused. */
const finalStatus = z.enum(["Approved", "Denied"], { error: "must be Approved or Denied" });

/** A vetting decision scheduled for a customer's vetted qualification. */
export const vettingScriptSchema = z.strictObject({
  /** Education or GovernmentCommunityCloud (any case); default: whichever vetted one the customer gets. */
  qualification: text
    .transform((name, context): QualificationName => {
      const canonical = canonicalQualificationName(name);
      if (canonical === undefined || !isVettedQualification(canonical)) {
        context.addIssue({ code: "custom", message: `must be Education or GovernmentCommunityCloud (the vetted ones), got '${name}'` });
      }
      return canonical ?? z.NEVER;
    })
    .optional(),
  status: finalStatus,
  reason: text.optional(),
  /** Delay after creation (or after now, when already in review); default 0. */
  afterMs: count.default(0),
});

/** A validated vetting script waiting for a matching qualification to be created. */
export type ScheduledVetting = z.output<typeof vettingScriptSchema>;

/** An immediate vetting outcome for `EmulatorControl.setVetting`. */
export const vettingDecisionSchema = z.strictObject({
  /** Any non-empty status: Microsoft documents InReview, Approved and Denied "etc.". */
  status: text,
  reason: text.optional(),
});

/** A vetting outcome that takes effect at `decideAt` (ISO 8601), applied lazily on the next read. */
export const pendingDecisionSchema = z.strictObject({ status: finalStatus, reason: text.optional(), decideAt: isoDate });

/** A scheduled outcome as the state keeps it. */
export type PendingDecision = z.output<typeof pendingDecisionSchema>;
