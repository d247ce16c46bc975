/**
 * Waiting for Microsoft's vetting decision. Partner Center has no webhook and no operation
 * handle: the only way to learn the outcome is to read again, so this polls with backoff.
 */
import type { QualificationRecord } from "../client";
import type { WaitForVettingOptions } from "../qualification";

/** The waiting limits with every default filled in. */
export interface ResolvedVettingWait {
  readonly timeoutInMs: number;
  readonly pollIntervalInMs: number;
  readonly maxPollIntervalInMs: number;
}

/** Defaults of `waitForVetting: true`. */
export const DEFAULT_VETTING_WAIT: ResolvedVettingWait = {
  timeoutInMs: 30 * 60 * 1000,
  pollIntervalInMs: 15 * 1000,
  maxPollIntervalInMs: 5 * 60 * 1000,
};

/** Fills in the defaults of a `waitForVetting` input; undefined when it asks for no waiting. */
export function resolveVettingWait(value: unknown): ResolvedVettingWait | undefined {
  if (value === true) return DEFAULT_VETTING_WAIT;
  if (typeof value !== "object" || value === null) return undefined;
  const given = value as WaitForVettingOptions;
  return {
    timeoutInMs: given.timeoutInMs ?? DEFAULT_VETTING_WAIT.timeoutInMs,
    pollIntervalInMs: given.pollIntervalInMs ?? DEFAULT_VETTING_WAIT.pollIntervalInMs,
    maxPollIntervalInMs: DEFAULT_VETTING_WAIT.maxPollIntervalInMs,
  };
}

/** The decisions that end a wait; anything else (InReview, or a status not known here) keeps it going. */
export const VETTING_DECISIONS = ["Approved", "Denied"];

/** How a wait ended. */
export type VettingWaitResult =
  | { readonly kind: "decided"; readonly record: QualificationRecord; readonly waitedInMs: number }
  | { readonly kind: "timedOut"; readonly record: QualificationRecord; readonly waitedInMs: number };

/** What the wait needs from the outside: reading, a clock, and somewhere to show progress. */
export interface VettingWaitHooks {
  /** Reads the qualification again; undefined when the customer no longer has it. */
  read(): Promise<QualificationRecord | undefined>;
  /** Whether a failed read is worth another try later (throttling, a 5xx, the network). */
  isTransient(error: unknown): boolean;
  progress(message: string): void;
  sleep(ms: number): Promise<void>;
  now(): number;
}

function minutes(ms: number): string {
  if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1000))}s`;
  return `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, "0")}s`;
}

/** Polls until the record shows a decision or the time is up. */
export async function waitForVettingDecision(first: QualificationRecord, limits: ResolvedVettingWait, hooks: VettingWaitHooks): Promise<VettingWaitResult> {
  const started = hooks.now();
  const deadline = started + limits.timeoutInMs;
  let record = first;
  let interval = limits.pollIntervalInMs;
  for (;;) {
    const now = hooks.now();
    if (record.vettingStatus !== undefined && VETTING_DECISIONS.includes(record.vettingStatus)) {
      return { kind: "decided", record, waitedInMs: now - started };
    }
    if (now >= deadline) return { kind: "timedOut", record, waitedInMs: now - started };
    const wait = Math.min(interval, deadline - now);
    hooks.progress(
      `waiting for vetting: ${record.vettingStatus ?? "no status yet"} after ${minutes(now - started)}, next check in ${minutes(wait)} (gives up after ${minutes(limits.timeoutInMs)})`,
    );
    await hooks.sleep(wait);
    interval = Math.min(interval * 2, limits.maxPollIntervalInMs);
    try {
      const next = await hooks.read();
      if (next === undefined) {
        throw new Error("the qualification disappeared from the customer while waiting for vetting; run `pulumi refresh`");
      }
      record = next;
    } catch (error) {
      if (!hooks.isTransient(error)) throw error;
      hooks.progress(`waiting for vetting: Partner Center did not answer (${error instanceof Error ? error.name : "error"}); trying again`);
    }
  }
}
