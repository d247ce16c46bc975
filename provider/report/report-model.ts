/**
 * The vetting report's model: counts per qualification and vetting status, the Denied entries and
 * the entries still waiting for Microsoft's decision. Pure: built from entries (read from state
 * exports or from Partner Center) and a clock, rendered by the markdown, HTML and JSON writers.
 * It holds only plain, known fields: never a validation code, a token or anything secret.
 */
import { SETTABLE_QUALIFICATIONS, canonicalQualification } from "../qualification";

/** The version of the JSON shape; a new major shape gets a new number. */
export const REPORT_SCHEMA_VERSION = 1;

/** The status counted for an entry with no vetting status: StateOwnedEntity, which is not vetted. */
export const NOT_VETTED = "NotVetted";

/** The statuses in the order tables and the chart show them; others follow, then {@link NOT_VETTED}. */
export const VETTING_STATUS_ORDER: readonly string[] = ["Approved", "InReview", "Denied"];

/** One qualification of one customer, as a source reports it. */
export interface ReportEntry {
  /** The customer's tenant ID, in lower case. */
  readonly customerId: string;
  /** `Education`, `GovernmentCommunityCloud`, `StateOwnedEntity` (or another name the source gave). */
  readonly qualification: string;
  readonly vettingStatus?: string;
  readonly vettingReason?: string;
  /** When vetting started (ISO 8601), as Partner Center wrote it. */
  readonly vettingCreateDate?: string;
  /** From Partner Center's customer list (live reads only). */
  readonly companyName?: string;
  readonly domain?: string;
  /** The Pulumi resource's name (state exports only). */
  readonly resourceName?: string;
  /** The stack whose state holds it (state exports only). */
  readonly stack?: string;
}

/** One stack the report read. */
export interface StackSource {
  readonly stack: string;
  readonly project?: string;
  /** Where the state lives, without credentials: `file:///...`, `azblob://...`, a Pulumi Cloud URL; absent for a saved export of unknown origin. */
  readonly backend?: string;
  /** The saved export it was read from (`--state`), `-` for stdin. */
  readonly file?: string;
  /** When the state was last written (the export's manifest time). */
  readonly stateTime?: string;
  /** How many qualification resources it holds. */
  readonly entries: number;
}

/** Where the report's entries came from. */
export type ReportSource =
  | { readonly kind: "stack"; readonly stacks: readonly StackSource[] }
  | { readonly kind: "live"; readonly apiUrl: string; readonly customersRead: number; readonly customersListed: number; readonly scope: string };

/** The counts of one qualification. */
export interface QualificationCounts {
  readonly qualification: string;
  /** Entries per status, every status of {@link VettingReport.statuses} present (0 when none). */
  readonly byStatus: Readonly<Record<string, number>>;
  readonly total: number;
}

/** What every listed entry says. */
export interface ListedEntry {
  readonly customerId: string;
  readonly qualification: string;
  readonly companyName?: string;
  readonly domain?: string;
  readonly resourceName?: string;
  readonly stack?: string;
  /** When vetting started, ISO 8601 as reported; absent when the source gave none. */
  readonly vettingCreateDate?: string;
}

/** A Denied entry. */
export interface DeniedEntry extends ListedEntry {
  /** Microsoft's reason, when given. */
  readonly reason?: string;
}

/** An entry waiting for Microsoft's decision. */
export interface WaitingEntry extends ListedEntry {
  /** `InReview`, or another undecided status Partner Center reports. */
  readonly status: string;
  /** Whole days since vetting started, as of {@link VettingReport.generatedAt}; absent without a date. */
  readonly daysWaiting?: number;
}

/** The whole report. */
export interface VettingReport {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  /** When the report was made (ISO 8601); days waited are counted to this instant. */
  readonly generatedAt: string;
  /** The pulumi-partnercenter version that made it. */
  readonly packageVersion: string;
  readonly source: ReportSource;
  readonly totals: { readonly entries: number; readonly customers: number; readonly denied: number; readonly waiting: number };
  /** The statuses counted, in column order. */
  readonly statuses: readonly string[];
  /** One row per qualification, in the order Education, GCC, StateOwnedEntity, then others. */
  readonly counts: readonly QualificationCounts[];
  /** Newest vetting date first; entries without a date last. */
  readonly denied: readonly DeniedEntry[];
  /** Longest wait first; entries without a date last. */
  readonly waiting: readonly WaitingEntry[];
  /** What the report could not see (customers that could not be read); empty when it is whole. */
  readonly problems: readonly string[];
}

/** What {@link buildVettingReport} needs besides the entries. */
export interface ReportContext {
  readonly source: ReportSource;
  /** The report's "now". */
  readonly now: Date;
  readonly packageVersion: string;
  readonly problems?: readonly string[];
}

const DAY_IN_MS = 24 * 60 * 60 * 1000;

/** Builds the report. An entry held twice (the same customer and qualification in two shards' state) counts once. */
export function buildVettingReport(entries: readonly ReportEntry[], context: ReportContext): VettingReport {
  const unique = uniqueEntries(entries);
  const statuses = statusesOf(unique);
  const denied = unique.filter((e) => e.vettingStatus === "Denied").map(deniedEntry);
  const waiting = unique.filter(isWaiting).map((e) => waitingEntry(e, context.now));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: context.now.toISOString(),
    packageVersion: context.packageVersion,
    source: context.source,
    totals: { entries: unique.length, customers: new Set(unique.map((e) => e.customerId)).size, denied: denied.length, waiting: waiting.length },
    statuses,
    counts: countsOf(unique, statuses),
    denied: denied.sort((a, b) => byDate(a.vettingCreateDate, b.vettingCreateDate, "newest") || byCustomer(a, b)),
    waiting: waiting.sort((a, b) => byDate(a.vettingCreateDate, b.vettingCreateDate, "oldest") || byCustomer(a, b)),
    problems: [...(context.problems ?? [])],
  };
}

/** The status an entry is counted under. */
export function statusOf(entry: Pick<ReportEntry, "vettingStatus">): string {
  const status = entry.vettingStatus?.trim();
  return status === undefined || status === "" ? NOT_VETTED : status;
}

/** True for an entry whose vetting has started and is not decided. */
function isWaiting(entry: ReportEntry): boolean {
  const status = statusOf(entry);
  return status !== NOT_VETTED && status !== "Approved" && status !== "Denied";
}

function uniqueEntries(entries: readonly ReportEntry[]): ReportEntry[] {
  const seen = new Map<string, ReportEntry>();
  for (const entry of entries) {
    const key = `${entry.customerId.toLowerCase()}/${canonicalQualification(entry.qualification) ?? entry.qualification}`;
    if (!seen.has(key)) seen.set(key, entry);
  }
  return [...seen.values()];
}

function statusesOf(entries: readonly ReportEntry[]): string[] {
  const present = new Set(entries.map(statusOf));
  const others = [...present].filter((s) => !VETTING_STATUS_ORDER.includes(s) && s !== NOT_VETTED).sort();
  return [...VETTING_STATUS_ORDER, ...others, NOT_VETTED];
}

function countsOf(entries: readonly ReportEntry[], statuses: readonly string[]): QualificationCounts[] {
  const rows = new Map<string, Record<string, number>>();
  const kinds = [
    ...SETTABLE_QUALIFICATIONS,
    ...[...new Set(entries.map((e) => e.qualification))].filter((q) => canonicalQualification(q) === undefined).sort(),
  ];
  for (const kind of kinds) rows.set(kind, Object.fromEntries(statuses.map((s) => [s, 0])));
  for (const entry of entries) {
    const row = rows.get(canonicalQualification(entry.qualification) ?? entry.qualification) as Record<string, number>;
    const status = statusOf(entry);
    row[status] = (row[status] ?? 0) + 1;
  }
  return [...rows].map(([qualification, byStatus]) => ({ qualification, byStatus, total: Object.values(byStatus).reduce((a, b) => a + b, 0) }));
}

function listed(entry: ReportEntry): ListedEntry {
  return {
    customerId: entry.customerId,
    qualification: canonicalQualification(entry.qualification) ?? entry.qualification,
    ...(entry.companyName !== undefined ? { companyName: entry.companyName } : {}),
    ...(entry.domain !== undefined ? { domain: entry.domain } : {}),
    ...(entry.resourceName !== undefined ? { resourceName: entry.resourceName } : {}),
    ...(entry.stack !== undefined ? { stack: entry.stack } : {}),
    ...(entry.vettingCreateDate !== undefined ? { vettingCreateDate: entry.vettingCreateDate } : {}),
  };
}

function deniedEntry(entry: ReportEntry): DeniedEntry {
  return { ...listed(entry), ...(entry.vettingReason !== undefined ? { reason: entry.vettingReason } : {}) };
}

function waitingEntry(entry: ReportEntry, now: Date): WaitingEntry {
  const days = daysSince(entry.vettingCreateDate, now);
  return { ...listed(entry), status: statusOf(entry), ...(days !== undefined ? { daysWaiting: days } : {}) };
}

/** Whole days from `date` to `now` (0 for a date in the future); undefined when there is no readable date. */
export function daysSince(date: string | undefined, now: Date): number | undefined {
  const time = timeOf(date);
  if (time === undefined) return undefined;
  return Math.max(0, Math.floor((now.getTime() - time) / DAY_IN_MS));
}

function timeOf(date: string | undefined): number | undefined {
  if (date === undefined) return undefined;
  const time = Date.parse(date);
  return Number.isNaN(time) ? undefined : time;
}

/** Orders two dates newest or oldest first; entries without a readable date always go last. */
function byDate(a: string | undefined, b: string | undefined, first: "newest" | "oldest"): number {
  const [ta, tb] = [timeOf(a), timeOf(b)];
  if (ta === undefined || tb === undefined) return ta === undefined ? (tb === undefined ? 0 : 1) : -1;
  return first === "newest" ? tb - ta : ta - tb;
}

function byCustomer(a: ListedEntry, b: ListedEntry): number {
  return a.customerId.localeCompare(b.customerId) || a.qualification.localeCompare(b.qualification);
}
