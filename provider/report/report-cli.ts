#!/usr/bin/env node
/**
 * `npx partnercenter-report [--stack <name>]... [--state <file>|-]... [--live [--customers-from <file>]]
 * [--format markdown|html|json] [--out <file>] [--fail-on denied|waiting-over=<days>]`: where every
 * customer stands. By default from what the last `pulumi up`/`refresh` recorded in the stack's state
 * (no request to Partner Center); with `--live`, from Partner Center now (GET requests only).
 *
 *   npx partnercenter-report --stack prod --format markdown,html --out vetting-report --fail-on denied
 */
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { PACKAGE_VERSION } from "../client";
import { CustomerListError } from "../customer-list";
import { EXIT_USAGE, runBin } from "../command-line";
import { oneLine } from "../text";
import { ExportProgress, connect, isSetupError, processIo, readStackSettings, requireWritableOut, type Connection, type ExportIo } from "../export";
import { readCustomerIds } from "./customer-ids";
import { renderHtmlReport } from "./html-report";
import { renderJsonReport } from "./json-report";
import { readLiveEntries } from "./live-read";
import { renderMarkdownReport } from "./markdown-report";
import { parseReportArguments, type ReportCommand, type ReportFormat } from "./report-command";
import { buildVettingReport, type ReportEntry, type ReportSource, type StackSource, type VettingReport } from "./report-model";
import { count, plural } from "./report-wording";
import { StackExportError, backendOf, exportStackState, withoutCredentials } from "./stack-source";
import { StateExportError, readStateExport } from "./state-export";

const USAGE = `Usage: partnercenter-report [--stack <name>]... [--state <file>|-]... [--live [--customers-from <file>]]
                           [--format markdown|html|json[,...]] [--out <file>] [--fail-on denied|waiting-over=<days>]

Where every customer stands: counts per qualification and vetting status, the Denied entries with
Microsoft's reason, and the entries waiting for vetting, longest first. Never shows a validation
code, a token or a secret.

Sources (default: the stack selected in this folder):
  --stack           a stack's state, as the last pulumi up or refresh recorded it (pulumi stack export
                    in this folder; no request to Partner Center); repeat it for shards
  --state           a saved pulumi stack export file, or - for stdin; repeat it for shards
  --live            read Partner Center now (GET requests only), signed in as the provider is: the
                    stack's partnercenter: config with --stack, otherwise the PARTNERCENTER_* environment
  --customers-from  with --live: only the customers of this list (the stack's CSV or YAML list)

Output:
  --format          markdown (default), html (one self-contained page) or json; several: markdown,html
  --out             the file to write (default stdout); with several formats, their base path
                    (--out vetting-report writes vetting-report.md, vetting-report.html, ...)
  --fail-on         denied: exit 1 when any qualification is Denied; waiting-over=<days>: exit 1 when
                    one has waited longer; repeat it or separate by commas

Markdown is also appended to $GITHUB_STEP_SUMMARY when set, and attached to an Azure Pipelines run
(##vso[task.uploadsummary]) when TF_BUILD is set.

Exit codes: 0 the report is written; 1 it is written and a --fail-on condition holds; 2 bad options,
settings or input (nothing is written, no request is sent); 3 --live could not read every customer
(the report is written, marked incomplete).`;

/** The report is written and no `--fail-on` condition holds. */
export const EXIT_OK = 0;
/** The report is written and a `--fail-on` condition holds. */
export const EXIT_FAIL_ON = 1;
/** The report is written but incomplete (a live read missed customers), or could not be made. */
export const EXIT_REPORT_INCOMPLETE = 3;
export { EXIT_USAGE };

/** Where the command reads and writes; the process's own by default. */
export interface ReportIo extends ExportIo {
  /** All of stdin, for `--state -`. */
  readonly readStdin: () => Promise<string>;
  /** The report's "now" (days waiting are counted to it). */
  readonly now: () => Date;
}

interface Prepared {
  readonly command: ReportCommand;
  readonly customerIds?: Set<string>;
  readonly connection?: Connection;
}

/** What can go wrong before anything is read from a stack or Partner Center: options, files, settings, sign-in. */
async function prepare(argv: readonly string[], io: ReportIo): Promise<Prepared | "help"> {
  const command = parseReportArguments(argv);
  if (command === "help") return "help";
  for (const out of Object.values(command.outputs ?? {})) requireWritableOut(out, io.cwd);
  const customerIds = command.customersFrom !== undefined ? readCustomerIds(command.customersFrom, io.cwd) : undefined;
  if (!command.live) return { command };
  const stack = command.stacks[0];
  const config = stack !== undefined ? await readStackSettings(stack, io.cwd) : undefined;
  return { command, ...(customerIds !== undefined ? { customerIds } : {}), connection: await connect(config, io) };
}

/** The entries and where they came from. */
interface Gathered {
  readonly entries: ReportEntry[];
  readonly source: ReportSource;
  readonly problems: string[];
  /** A live read that found Partner Center unreachable: its one message, and no report. */
  readonly unreachable?: string;
}

async function gatherFromState(command: ReportCommand, io: ReportIo): Promise<Gathered> {
  const stacks: StackSource[] = [];
  const entries: ReportEntry[] = [];
  for (const file of command.stateFiles) {
    const contents = readStateExport(file === "-" ? await io.readStdin() : readStateFile(file, io.cwd), `--state ${file}`);
    stacks.push({
      stack: contents.stack ?? "(no resources)",
      ...optional({ project: contents.project, stateTime: contents.stateTime }),
      file,
      entries: contents.entries.length,
    });
    entries.push(...contents.entries);
  }
  const backend = command.stacks.length > 0 ? await backendOf(io.cwd, io.env) : undefined;
  for (const name of command.stacks) {
    const origin = name !== undefined ? `--stack ${name}` : "the selected stack (pulumi stack export)";
    const contents = readStateExport(await exportStackState(name, io.cwd), origin);
    stacks.push({
      stack: contents.stack ?? name ?? "(selected stack)",
      ...optional({ project: contents.project, stateTime: contents.stateTime, backend }),
      entries: contents.entries.length,
    });
    entries.push(...contents.entries);
  }
  return { entries, source: { kind: "stack", stacks }, problems: [] };
}

function readStateFile(file: string, cwd: string): string {
  try {
    return readFileSync(resolve(cwd, file), "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : code === "EACCES" ? "permission denied" : String(code ?? error);
    throw new StateExportError(`--state ${file} can't be read (${why}); it must be a file written by pulumi stack export, or - for stdin`);
  }
}

async function gatherLive(prepared: Prepared, connection: Connection, io: ReportIo): Promise<Gathered> {
  const progress = new ExportProgress({ write: io.stderr, interactive: io.stderrIsTTY && !connection.verbose });
  const live = await readLiveEntries(connection.api, {
    concurrency: connection.concurrency,
    ...(prepared.customerIds !== undefined ? { customerIds: prepared.customerIds } : {}),
    onProgress: (event) => progress.update(event),
  });
  progress.finish();
  const from = prepared.command.customersFrom;
  const scope = from !== undefined ? `the ${plural(prepared.customerIds?.size ?? 0, "customer")} of ${basename(from)}` : "every customer of the partner";
  return {
    entries: live.entries,
    source: { kind: "live", apiUrl: withoutCredentials(connection.baseUrl), customersListed: live.customersListed, customersRead: live.customersRead, scope },
    problems: live.problems,
    ...(live.unreachable !== undefined ? { unreachable: live.unreachable.message } : {}),
  };
}

/** Runs the command; returns the exit code. */
export async function runReport(argv: readonly string[], io: ReportIo): Promise<number> {
  let prepared: Prepared | "help";
  let gathered: Gathered;
  try {
    prepared = await prepare(argv, io);
    if (prepared === "help") {
      io.stderr(`${USAGE}\n`);
      return EXIT_OK;
    }
    gathered = prepared.connection !== undefined ? await gatherLive(prepared, prepared.connection, io) : await gatherFromState(prepared.command, io);
  } catch (error) {
    if (!isReportSetupError(error)) throw error;
    io.stderr(`partnercenter-report: ${oneLine(error.message)}\n`);
    return EXIT_USAGE;
  }
  if (gathered.unreachable !== undefined) {
    // A report of what little was read would stand in for a good earlier one: write none.
    io.stderr(`partnercenter-report: ${oneLine(gathered.unreachable)}\npartnercenter-report: no report written\n`);
    return EXIT_REPORT_INCOMPLETE;
  }
  const report = buildVettingReport(gathered.entries, { source: gathered.source, now: io.now(), packageVersion: PACKAGE_VERSION, problems: gathered.problems });
  const written = await writeReport(prepared.command, report, io);
  return outcome(prepared.command, report, written, io);
}

function isReportSetupError(error: unknown): error is Error {
  return isSetupError(error) || error instanceof StateExportError || error instanceof StackExportError || error instanceof CustomerListError;
}

/** Writes every format asked for, then the CI summaries; returns what went where, for the closing line. */
async function writeReport(command: ReportCommand, report: VettingReport, io: ReportIo): Promise<string[]> {
  const written: string[] = [];
  let markdown: string | undefined;
  for (const format of command.formats) {
    const text = render(format, report, command, io.env);
    if (format === "markdown") markdown = text;
    const out = command.outputs?.[format];
    if (out === undefined) {
      await io.stdout(text);
    } else {
      writeWhole(resolve(io.cwd, out), text);
      written.push(`${format} to ${out}`);
    }
  }
  if (markdown === undefined) return written;
  const summary = io.env.GITHUB_STEP_SUMMARY;
  if (summary !== undefined && summary.trim() !== "") {
    appendFileSync(summary, markdown);
    written.push("markdown appended to $GITHUB_STEP_SUMMARY");
  }
  if ((io.env.TF_BUILD ?? "").toLowerCase() === "true") {
    const file =
      command.outputs?.markdown !== undefined
        ? resolve(io.cwd, command.outputs.markdown)
        : join(mkdtempSync(join(io.env.AGENT_TEMPDIRECTORY ?? tmpdir(), "partnercenter-report-")), "vetting-report.md");
    if (command.outputs?.markdown === undefined) writeWhole(file, markdown);
    await io.stdout(`##vso[task.uploadsummary]${file}\n`);
    written.push("markdown attached to the Azure Pipelines summary");
  }
  return written;
}

function render(format: ReportFormat, report: VettingReport, command: ReportCommand, env: NodeJS.ProcessEnv): string {
  if (format === "html") return renderHtmlReport(report);
  if (format === "json") return renderJsonReport(report);
  const full = command.outputs?.html ?? command.outputs?.json;
  const run = runPageOf(env);
  const where = [full !== undefined ? `\`${basename(full)}\`` : undefined, run !== undefined ? `among this run's artifacts: <${run}>` : undefined].filter(
    (s) => s !== undefined,
  );
  return renderMarkdownReport(report, where.length > 0 ? { fullReport: where.join(", ") } : {});
}

/** The CI run's page, where its artifacts are: GitHub Actions or Azure Pipelines. */
function runPageOf(env: NodeJS.ProcessEnv): string | undefined {
  if (env.GITHUB_SERVER_URL !== undefined && env.GITHUB_REPOSITORY !== undefined && env.GITHUB_RUN_ID !== undefined) {
    return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
  }
  if (env.SYSTEM_COLLECTIONURI !== undefined && env.SYSTEM_TEAMPROJECT !== undefined && env.BUILD_BUILDID !== undefined) {
    return `${env.SYSTEM_COLLECTIONURI}${encodeURIComponent(env.SYSTEM_TEAMPROJECT)}/_build/results?buildId=${env.BUILD_BUILDID}&view=artifacts`;
  }
  return undefined;
}

/** A whole file or none: written aside, then moved into place. */
function writeWhole(path: string, text: string): void {
  const aside = `${path}.partnercenter-report-${process.pid}.tmp`;
  try {
    writeFileSync(aside, text, "utf8");
    renameSync(aside, path);
  } finally {
    rmSync(aside, { force: true });
  }
}

/** The closing lines on stderr, and the exit code: `--fail-on` conditions, then completeness. */
function outcome(command: ReportCommand, report: VettingReport, written: readonly string[], io: ReportIo): number {
  const lines = [
    `partnercenter-report: ${plural(report.totals.entries, "qualification")} of ${plural(report.totals.customers, "customer")}: ${count(report.totals.denied)} Denied, ${count(report.totals.waiting)} waiting for vetting${written.length > 0 ? `; ${written.join(", ")}` : ""}`,
    ...report.problems.map((p) => `partnercenter-report: INCOMPLETE: ${p}`),
  ];
  const failed = failures(command, report);
  lines.push(...failed.map((f) => `partnercenter-report: --fail-on ${f}`));
  io.stderr(`${lines.join("\n")}\n`);
  if (failed.length > 0) return EXIT_FAIL_ON;
  return report.problems.length > 0 ? EXIT_REPORT_INCOMPLETE : EXIT_OK;
}

function failures(command: ReportCommand, report: VettingReport): string[] {
  const out: string[] = [];
  for (const condition of command.failOn) {
    if (condition.kind === "denied" && report.denied.length > 0) {
      const first = report.denied[0];
      out.push(
        `denied: ${plural(report.denied.length, "qualification is", "qualifications are")} Denied, the newest ${first?.qualification} of customer ${first?.customerId}`,
      );
    }
    if (condition.kind === "waitingOver") {
      const over = report.waiting.filter((w) => w.daysWaiting !== undefined && w.daysWaiting > condition.days);
      if (over.length > 0)
        out.push(
          `waiting-over=${condition.days}: ${plural(over.length, "qualification has", "qualifications have")} waited more than ${plural(condition.days, "day")}, the longest ${plural(over[0]?.daysWaiting ?? 0, "day")}`,
        );
    }
  }
  return out;
}

function optional<T extends Record<string, string | undefined>>(values: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<Record<keyof T, string>>;
}

/** The process's own streams, environment and clock. */
export function processReportIo(): ReportIo {
  return {
    ...processIo(),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    now: () => new Date(),
  };
}

if (require.main === module) runBin("partnercenter-report", () => runReport(process.argv.slice(2), processReportIo()), EXIT_REPORT_INCOMPLETE);
