/**
 * The sentences every format of the vetting report shares: the headline, where the entries came
 * from, and how dates and counts are written. Plain text; each renderer escapes it for its format.
 */
import type { ListedEntry, StackSource, VettingReport } from "./report-model";

/** `1,234`. */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** `3 qualifications`, `1 qualification`. */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${count(n)} ${n === 1 ? word : pluralWord}`;
}

/** The date part of an ISO 8601 time (`2026-05-04`), or the text as given when it is not one. */
export function dayOf(time: string | undefined): string {
  if (time === undefined) return "";
  const parsed = Date.parse(time);
  return Number.isNaN(parsed) ? time : new Date(parsed).toISOString().slice(0, 10);
}

/** `2026-05-04 09:12 UTC`. */
export function minuteOf(time: string): string {
  const parsed = Date.parse(time);
  return Number.isNaN(parsed) ? time : `${new Date(parsed).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** `Vetting report: 3 qualifications of 3 customers`. */
export function headline(report: VettingReport): string {
  return `Vetting report: ${plural(report.totals.entries, "qualification")} of ${plural(report.totals.customers, "customer")}`;
}

/** `1 Denied · 1 waiting for vetting (longest 12 days) · 1 Approved · 0 not vetted`. */
export function outcomeLine(report: VettingReport): string {
  const total = (status: string): number => report.counts.reduce((sum, row) => sum + (row.byStatus[status] ?? 0), 0);
  const longest = report.waiting[0]?.daysWaiting;
  const waiting = `${count(report.totals.waiting)} waiting for vetting${longest !== undefined ? ` (longest ${plural(longest, "day")})` : ""}`;
  return [
    `${count(report.totals.denied)} Denied`,
    waiting,
    `${count(total("Approved"))} Approved`,
    `${count(total("NotVetted"))} not vetted (StateOwnedEntity)`,
  ].join(" · ");
}

/** One sentence per source: which stack, which backend, when its state was written; or the API read live. */
export function sourceLines(report: VettingReport): string[] {
  const source = report.source;
  if (source.kind === "live") {
    return [
      `Read live from Partner Center at ${source.apiUrl} (GET requests only): ${count(source.customersRead)} of ${plural(source.customersListed, "customer")} read, ${source.scope}.`,
    ];
  }
  if (source.stacks.length === 0) return ["No stack was read."];
  return source.stacks.map(stackLine);
}

function stackLine(s: StackSource): string {
  const project = s.project !== undefined && s.project !== "" ? ` of project ${s.project}` : "";
  const where = s.backend !== undefined ? ` in ${s.backend}` : s.file !== undefined ? ` from the saved export ${s.file === "-" ? "on stdin" : s.file}` : "";
  const when = s.stateTime !== undefined ? `, state written ${minuteOf(s.stateTime)}` : "";
  return `Stack ${s.stack}${project}${where}${when}: ${plural(s.entries, "qualification")} (as the last pulumi up or refresh recorded them; no request to Partner Center).`;
}

/** `Made 2026-05-04 09:12 UTC by pulumi-partnercenter 0.1.0.` */
export function madeLine(report: VettingReport): string {
  return `Made ${minuteOf(report.generatedAt)} by pulumi-partnercenter ${report.packageVersion}.`;
}

/** The customer as a person reads it: company name (domain), or nothing when the source has none. */
export function companyOf(entry: ListedEntry): string {
  if (entry.companyName === undefined) return entry.domain ?? "";
  return entry.domain !== undefined ? `${entry.companyName} (${entry.domain})` : entry.companyName;
}

/**
 * Which optional columns the lists need: a company column when any entry has one, a stack column
 * for several stacks, a resource column when a resource is named otherwise than the repository's
 * stack program names it (`<customerId>-<Qualification>`, which says nothing new).
 */
export function optionalColumns(report: VettingReport): { company: boolean; stack: boolean; resource: boolean } {
  const listed: ListedEntry[] = [...report.denied, ...report.waiting];
  return {
    company: listed.some((e) => e.companyName !== undefined || e.domain !== undefined),
    stack: report.source.kind === "stack" && report.source.stacks.length > 1,
    resource: listed.some((e) => e.resourceName !== undefined && e.resourceName !== `${e.customerId}-${e.qualification}`),
  };
}
