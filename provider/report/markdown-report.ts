/**
 * The vetting report as GitHub-flavoured Markdown, for a job summary (GitHub Actions, Azure
 * Pipelines) or a terminal. GitHub drops a step's whole summary past 1 MiB, so the lists are cut to
 * fit a budget well below that (with a line saying how many more and where the full report is);
 * the counts are always whole.
 */
import type { DeniedEntry, VettingReport, WaitingEntry } from "./report-model";
import { companyOf, count, dayOf, headline, madeLine, optionalColumns, outcomeLine, plural, sourceLines } from "./report-wording";

/** GitHub's limit for one step's job summary. */
export const GITHUB_SUMMARY_LIMIT_BYTES = 1024 * 1024;

/** Options of {@link renderMarkdownReport}. */
export interface MarkdownReportOptions {
  /** Where the full report is, for the line under a cut list: Markdown (a file name in backticks, a link). */
  readonly fullReport?: string;
  /** Most bytes of Markdown; default half of GitHub's limit, leaving room for the step's other summaries. */
  readonly budgetBytes?: number;
  /** Most rows of each list; default 500 (a summary is read by a person). */
  readonly rowLimit?: number;
}

/** Renders the report; the result always fits `budgetBytes`, however many entries. */
export function renderMarkdownReport(report: VettingReport, options: MarkdownReportOptions = {}): string {
  const budget = options.budgetBytes ?? GITHUB_SUMMARY_LIMIT_BYTES / 2;
  const columns = optionalColumns(report);
  const denied = report.denied.map((e) => deniedRow(e, columns));
  const waiting = report.waiting.map((e) => waitingRow(e, columns));
  const shown = { denied: Math.min(denied.length, options.rowLimit ?? 500), waiting: Math.min(waiting.length, options.rowLimit ?? 500) };
  const render = (): string => document(report, denied, waiting, shown, options.fullReport);
  let text = render();
  // Cut the longer list by a tenth until the text fits; the counts and headings always stay.
  while (Buffer.byteLength(text) > budget && shown.denied + shown.waiting > 0) {
    const longer = shown.denied >= shown.waiting ? "denied" : "waiting";
    shown[longer] = Math.floor(shown[longer] * 0.9);
    text = render();
  }
  return text;
}

function document(
  report: VettingReport,
  denied: readonly string[],
  waiting: readonly string[],
  shown: { denied: number; waiting: number },
  fullReport: string | undefined,
): string {
  const columns = optionalColumns(report);
  const listHeader = (last: readonly string[]): string[] => [
    "customer",
    ...(columns.company ? ["company"] : []),
    "qualification",
    ...(columns.resource ? ["resource"] : []),
    ...(columns.stack ? ["stack"] : []),
    ...last,
  ];
  const parts = [
    `## ${escape(headline(report))}`,
    `**${escape(outcomeLine(report))}**`,
    [...sourceLines(report), madeLine(report)].map(escape).join("  \n"),
    ...report.problems.map((p) => `> [!WARNING]\n> Incomplete: ${escape(p)}`),
    "### Counts by qualification and vetting status",
    countsTable(report),
    `### Denied (${count(report.denied.length)}), newest first`,
    list(listHeader(["reason", "vetting date"]), denied, shown.denied, "Nothing is Denied.", fullReport),
    `### Waiting for vetting (${count(report.waiting.length)}), longest first`,
    list(listHeader(["status", "vetting since", "days waiting"]), waiting, shown.waiting, "Nothing is waiting for vetting.", fullReport),
  ];
  return `${parts.join("\n\n")}\n`;
}

function countsTable(report: VettingReport): string {
  const header = ["qualification", ...report.statuses, "total"];
  const rows = report.counts.map((row) => [row.qualification, ...report.statuses.map((s) => count(row.byStatus[s] ?? 0)), count(row.total)]);
  const totals = [
    "**total**",
    ...report.statuses.map((s) => `**${count(report.counts.reduce((n, r) => n + (r.byStatus[s] ?? 0), 0))}**`),
    `**${count(report.totals.entries)}**`,
  ];
  return table(header, [...rows.map((r) => r.map(escape)), totals]);
}

function list(header: readonly string[], rows: readonly string[], shown: number, empty: string, fullReport: string | undefined): string {
  if (rows.length === 0) return `_${empty}_`;
  const head = `${tableRow(header)}\n${tableRow(header.map(() => "---"))}`;
  const body = rows.slice(0, shown).join("\n");
  if (shown >= rows.length) return `${head}\n${body}`;
  const where = fullReport !== undefined ? `: the full list is in ${fullReport}` : ": run partnercenter-report with --format html or json for the full list";
  return `${shown > 0 ? `${head}\n${body}\n\n` : ""}_… and ${plural(rows.length - shown, "more entry", "more entries")} not shown here${where}._`;
}

type Columns = ReturnType<typeof optionalColumns>;

function identity(e: DeniedEntry | WaitingEntry, columns: Columns): string[] {
  return [
    `\`${e.customerId}\``,
    ...(columns.company ? [escape(companyOf(e))] : []),
    escape(e.qualification),
    ...(columns.resource ? [escape(e.resourceName ?? "")] : []),
    ...(columns.stack ? [escape(e.stack ?? "")] : []),
  ];
}

function deniedRow(e: DeniedEntry, columns: Columns): string {
  return tableRow([...identity(e, columns), escape(e.reason ?? "(no reason given)"), dayOf(e.vettingCreateDate)]);
}

function waitingRow(e: WaitingEntry, columns: Columns): string {
  return tableRow([...identity(e, columns), escape(e.status), dayOf(e.vettingCreateDate), e.daysWaiting !== undefined ? count(e.daysWaiting) : "?"]);
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [tableRow(header), tableRow(header.map(() => "---")), ...rows.map(tableRow)].join("\n");
}

function tableRow(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

/**
 * Text from a source (a reason, a company name) as literal Markdown: no emphasis, link, code, table
 * cell break, HTML or line break; punctuation that is harmless inside a line is left as it is.
 */
export function escape(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, " ")
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&(?=#?\w+;)/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}
