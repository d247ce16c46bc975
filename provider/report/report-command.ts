/**
 * The command line of `partnercenter-report`, read strictly (the export's rules): every bad option
 * is a one-line {@link UsageError} naming it and what is allowed, before anything is read or sent.
 */
import { extname } from "node:path";
import { UsageError, parseArgumentsStrictly, requireValue } from "../command-line";

/** The formats the report is written in. */
export const REPORT_FORMATS = ["markdown", "html", "json"] as const;
/** One of {@link REPORT_FORMATS}. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The file extension of each format, for `--out` with several formats. */
export const FORMAT_EXTENSIONS: Readonly<Record<ReportFormat, string>> = { markdown: ".md", html: ".html", json: ".json" };

/** A condition that makes the command exit 1 (after writing the report). */
export type FailCondition = { readonly kind: "denied" } | { readonly kind: "waitingOver"; readonly days: number };

/** What the command line asks for. */
export interface ReportCommand {
  /** Stacks to export with the pulumi CLI; empty with `live` or `stateFiles`, and `[undefined]` for the selected stack. */
  readonly stacks: ReadonlyArray<string | undefined>;
  /** Saved exports (`-` for stdin). */
  readonly stateFiles: readonly string[];
  /** Read Partner Center now instead of state. */
  readonly live: boolean;
  /** With `live`: only the customers of this list. */
  readonly customersFrom?: string;
  readonly formats: readonly ReportFormat[];
  /** Where each format goes; absent: stdout (one format only). */
  readonly outputs?: Readonly<Partial<Record<ReportFormat, string>>>;
  readonly failOn: readonly FailCondition[];
}

const OPTIONS = {
  stack: { type: "string", multiple: true },
  state: { type: "string", multiple: true },
  live: { type: "boolean" },
  "customers-from": { type: "string" },
  format: { type: "string", multiple: true },
  out: { type: "string" },
  "fail-on": { type: "string", multiple: true },
  help: { type: "boolean", short: "h" },
} as const;

const OPTION_VALUES: Readonly<Record<string, string>> = {
  "--stack": "a stack name",
  "--state": "a file written by pulumi stack export, or - for stdin",
  "--customers-from": "a customer list file (CSV or YAML)",
  "--format": REPORT_FORMATS.join(", "),
  "--out": "a file path (a base path with several formats)",
  "--fail-on": "denied or waiting-over=<days>",
};

/** Reads the command line. */
export function parseReportArguments(argv: readonly string[]): ReportCommand | "help" {
  const { values } = parseArgumentsStrictly(argv, OPTIONS, OPTION_VALUES);
  if (values.help === true) return "help";
  const live = values.live === true;
  const stacks = (values.stack ?? []).map((s) => requireValue("--stack", s, "a stack name"));
  const stateFiles = (values.state ?? []).map((s) => requireValue("--state", s, "a file written by pulumi stack export, or - for stdin"));
  if (live && stateFiles.length > 0) throw new UsageError("--live reads Partner Center and --state reads a saved export: give one of them");
  if (live && stacks.length > 1) throw new UsageError("--live takes at most one --stack (whose partnercenter: settings it signs in with)");
  if (!live && values["customers-from"] !== undefined)
    throw new UsageError("--customers-from goes with --live (a stack's state already holds only its own customers)");
  if (stateFiles.filter((f) => f === "-").length > 1) throw new UsageError("--state - (stdin) can be given once");
  const formats = formatsOf(values.format ?? []);
  const out = values.out !== undefined ? requireValue("--out", values.out, "a file path") : undefined;
  if (out === undefined && formats.length > 1)
    throw new UsageError(
      `--format ${formats.join(",")} writes several files: --out must name their base path, such as --out vetting-report (writing ${formats.map((f) => `vetting-report${FORMAT_EXTENSIONS[f]}`).join(", ")})`,
    );
  const customersFrom =
    values["customers-from"] !== undefined ? requireValue("--customers-from", values["customers-from"], "a customer list file (CSV or YAML)") : undefined;
  return {
    // With neither --stack nor --state nor --live: the stack selected in this folder.
    stacks: live ? stacks : stacks.length === 0 && stateFiles.length === 0 ? [undefined] : stacks,
    stateFiles,
    live,
    ...(customersFrom !== undefined ? { customersFrom } : {}),
    formats,
    ...(out !== undefined ? { outputs: outputsOf(out, formats) } : {}),
    failOn: failConditionsOf(values["fail-on"] ?? []),
  };
}

function formatsOf(values: readonly string[]): ReportFormat[] {
  const formats = new Set<ReportFormat>();
  for (const name of values.flatMap((v) => v.split(",")).map((v) => v.trim().toLowerCase())) {
    const format = name === "md" ? "markdown" : REPORT_FORMATS.find((f) => f === name);
    if (format === undefined)
      throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(", ")} (several: repeat it or separate by commas); got ${JSON.stringify(name)}`);
    formats.add(format);
  }
  return formats.size === 0 ? ["markdown"] : [...formats];
}

/** One format: `--out` is its file. Several: `--out` is a base path, each format adding its extension. */
function outputsOf(out: string, formats: readonly ReportFormat[]): Partial<Record<ReportFormat, string>> {
  if (formats.length === 1) return { [formats[0] as ReportFormat]: out };
  const known = Object.values(FORMAT_EXTENSIONS);
  const base = known.includes(extname(out).toLowerCase()) ? out.slice(0, -extname(out).length) : out;
  return Object.fromEntries(formats.map((f) => [f, `${base}${FORMAT_EXTENSIONS[f]}`]));
}

function failConditionsOf(values: readonly string[]): FailCondition[] {
  return values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .map((value): FailCondition => {
      if (value.toLowerCase() === "denied") return { kind: "denied" };
      const days = /^waiting-over=(\d{1,5})$/i.exec(value)?.[1];
      if (days !== undefined) return { kind: "waitingOver", days: Number(days) };
      throw new UsageError(
        `--fail-on must be denied or waiting-over=<days> (a whole number of days), repeated or separated by commas; got ${JSON.stringify(value)}`,
      );
    });
}
