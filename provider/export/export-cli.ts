#!/usr/bin/env node
/**
 * `npx partnercenter-export [--stack <name>] [--format yaml|csv] [--out FILE] ...`: what the
 * partner's customers already hold, written as the customer list the stack program reads, so that
 * `pulumi up` adopts it without a POST. Signs in as the provider does; only GET requests. The list
 * goes to stdout (or `--out`), progress and the summary to stderr, so the output can be piped:
 *
 *   npx partnercenter-export --stack prod --out qualifications.yaml
 */
import { accessSync, constants, existsSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { CredentialError, clientFromSettings } from "../auth";
import { EXIT_USAGE, UsageError, parseArgumentsStrictly, requireValue, runBin } from "../command-line";
import { oneLine } from "../text";
import { PartnerCenterClient, type CustomerFilter } from "../client";
import { SettingsError, maxConcurrentRequestsOf, readSettings, type ConfigSource } from "../config";
import { SETTABLE_QUALIFICATIONS, canonicalQualification, type SettableQualification } from "../qualification";
import { DEFAULT_EXPORT_CONCURRENCY, exportCustomerQualifications, type CustomerExport } from "./customer-export";
import { ExportProgress, summaryLines } from "./export-progress";
import { DEFAULT_CONFIG_KEY, LIST_FORMATS, renderCustomerList, type ListFormat } from "./list-writers";
import { outFile } from "./out-file";
import { StackConfigError, readStackSettings } from "./stack-settings";

const USAGE = `Usage: partnercenter-export [--stack <name>] [--format yaml|csv] [--out <file>]
                           [--qualification <kind>]... [--filter <prefix> | companyName=<prefix> | domain=<prefix>]
                           [--include-denied] [--no-adopt-only] [--config-key <namespace>:<key>]

Lists the partner's customers and what each already holds (GET requests only), and writes the
customer list the stack program reads: a YAML config: document to merge into Pulumi.<stack>.yaml
(default), or CSV for partnercenter-qualifications:qualificationsFile. Every entry is adoptOnly:
pulumi up adopts it without a POST and never creates one. Signs in as the provider does: the
stack's partnercenter: config with --stack (read with the pulumi CLI in this folder), otherwise the
PARTNERCENTER_* environment.

  --format          yaml (default; csv when --out ends in .csv), csv, or import: a file for
                    \`pulumi import -f\` of the native plugin's resources (written only when complete)
  --out             the file to write; default stdout
  --stack           read the partnercenter: settings of this stack
  --qualification   keep only Education, GovernmentCommunityCloud (GCC) or StateOwnedEntity (SOE);
                    repeat it or separate kinds by commas
  --filter          only customers whose company name (or domain=...) starts with the prefix
  --include-denied  list Denied qualifications too (commented as Denied)
  --no-adopt-only   write entries to complete instead (no adoptOnly; a TODO for each Education
                    segment, which Partner Center does not report), so that the list can also create
  --config-key      the stack-config key of the YAML list; default ${DEFAULT_CONFIG_KEY}

Exit codes: 0 the list is complete; 1 some customers could not be read (the list is written with
an INCOMPLETE first line, and they are named on stderr), or the export stopped (Partner Center
unreachable, sign-in refused: one message on stderr); 2 bad options, settings or sign-in
(reported before any request).`;

/** The list is complete. */
export const EXIT_COMPLETE = 0;
/**
 * Some customers could not be read, or the export stopped: the list is written, marked INCOMPLETE on
 * its first line (nothing is written when Partner Center proved unreachable).
 */
export const EXIT_INCOMPLETE = 1;
/** Bad options, settings or sign-in (the shared code of every bin), reported before any request. */
export { EXIT_USAGE };

/** What the command line asks for. */
export interface ExportCommand {
  readonly format: ListFormat;
  readonly out?: string;
  readonly stack?: string;
  readonly qualifications?: readonly SettableQualification[];
  readonly filter?: CustomerFilter;
  readonly includeDenied: boolean;
  /** Write the entries adopt-only (the default), or to complete (`--no-adopt-only`). */
  readonly adoptOnly: boolean;
  readonly configKey: string;
}

const OPTIONS = {
  format: { type: "string" },
  out: { type: "string" },
  stack: { type: "string" },
  qualification: { type: "string", multiple: true },
  filter: { type: "string" },
  "include-denied": { type: "boolean" },
  "no-adopt-only": { type: "boolean" },
  "config-key": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** What each option with a value takes, for messages. */
const OPTION_VALUES: Readonly<Record<string, string>> = {
  "--format": "yaml, csv or import",
  "--out": "a file path",
  "--stack": "a stack name",
  "--qualification": `${SETTABLE_QUALIFICATIONS.join(", ")} (or GCC, SOE)`,
  "--filter": "<company name prefix>, companyName=<prefix> or domain=<prefix>",
  "--config-key": "<namespace>:<key>",
};

/** Reads the command line (strictly: unknown options and stray arguments are errors). */
export function parseExportArguments(argv: readonly string[]): ExportCommand | "help" {
  const { values } = parseArgumentsStrictly(argv, OPTIONS, OPTION_VALUES);
  if (values.help === true) return "help";
  const out = values.out !== undefined ? requireValue("--out", values.out, "a file path") : undefined;
  const stack = values.stack !== undefined ? requireValue("--stack", values.stack, "a stack name") : undefined;
  const qualifications = values.qualification !== undefined ? qualificationsOf(values.qualification) : undefined;
  const configKey = values["config-key"] ?? DEFAULT_CONFIG_KEY;
  if (!/^[A-Za-z0-9][\w.-]*:[\w.-]+$/.test(configKey)) {
    throw new UsageError(`--config-key must be <namespace>:<key>, such as ${DEFAULT_CONFIG_KEY}; got ${JSON.stringify(configKey)}`);
  }
  return {
    format: formatOf(values.format, out),
    ...(out !== undefined ? { out } : {}),
    ...(stack !== undefined ? { stack } : {}),
    ...(qualifications !== undefined ? { qualifications } : {}),
    ...(values.filter !== undefined ? { filter: filterOf(values.filter) } : {}),
    includeDenied: values["include-denied"] === true,
    adoptOnly: values["no-adopt-only"] !== true,
    configKey,
  };
}

function formatOf(value: string | undefined, out: string | undefined): ListFormat {
  if (value === undefined) return out !== undefined && /\.csv$/i.test(out) ? "csv" : "yaml";
  const format = LIST_FORMATS.find((f) => f === value.trim().toLowerCase());
  if (format === undefined) throw new UsageError(`--format must be one of ${LIST_FORMATS.join(", ")}; got ${JSON.stringify(value)}`);
  return format;
}

const SHORT_NAMES: Readonly<Record<string, SettableQualification>> = { gcc: "GovernmentCommunityCloud", soe: "StateOwnedEntity" };

function qualificationsOf(values: readonly string[]): SettableQualification[] {
  const kinds = new Set<SettableQualification>();
  for (const name of values.flatMap((v) => v.split(",")).map((v) => v.trim())) {
    const kind = canonicalQualification(name) ?? SHORT_NAMES[name.toLowerCase()];
    if (kind === undefined) {
      throw new UsageError(
        `--qualification must be ${SETTABLE_QUALIFICATIONS.join(", ")} (or GCC, SOE), repeated or separated by commas; got ${JSON.stringify(name)}`,
      );
    }
    kinds.add(kind);
  }
  return [...kinds];
}

function filterOf(value: string): CustomerFilter {
  const match = /^(companyName|domain)=(.*)$/is.exec(value);
  const field = match?.[1]?.toLowerCase() === "domain" ? "domain" : "companyName";
  const prefix = (match?.[2] ?? value).trim();
  if (prefix === "")
    throw new UsageError(`--filter must be a prefix: <company name prefix>, companyName=<prefix> or domain=<prefix>; got ${JSON.stringify(value)}`);
  return { field, startsWith: prefix };
}

/** Refuses an `--out` that can't be written, before any request. */
export function requireWritableOut(out: string, cwd: string = process.cwd()): void {
  const { path, folder, isStackFile } = outFile(out, cwd, process.pid);
  const exists = existsSync(path);
  if (exists && statSync(path).isDirectory()) throw new UsageError(`--out ${out} is a folder; --out must be a file path such as qualifications.yaml`);
  if (exists && isStackFile) {
    throw new UsageError(`--out ${out} is a stack file: the export is a config: document to merge into it, not to replace it; --out must be another file`);
  }
  try {
    accessSync(folder, constants.W_OK);
    if (exists) accessSync(path, constants.W_OK);
  } catch {
    throw new UsageError(
      `--out ${out} can't be written (${exists ? "the file is read-only" : `the folder ${folder} does not exist or is read-only`}); --out must be a file path in a writable folder`,
    );
  }
}

/** Where the command reads and writes; the process's streams by default. */
export interface ExportIo {
  /** Writes the list; resolves once it is flushed. */
  readonly stdout: (text: string) => Promise<void>;
  readonly stderr: (text: string) => void;
  readonly stderrIsTTY: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** A client ready to call: signed in before the first request. */
export interface Connection {
  readonly api: PartnerCenterClient;
  readonly baseUrl: string;
  readonly concurrency: number;
  /** Request lines and retries go to stderr (PARTNERCENTER_LOG_LEVEL=info). */
  readonly verbose: boolean;
  /** Retries the client made, counted for the summary. */
  retries: number;
}

/** Builds the client as the provider does, and signs in before any request to Partner Center. */
export async function connect(config: ConfigSource | undefined, io: ExportIo): Promise<Connection> {
  const settings = readSettings(config, io.env);
  const verbose = (io.env.PARTNERCENTER_LOG_LEVEL ?? "").trim().toLowerCase() === "info";
  let retries = 0;
  const { client, signIn, baseUrl } = clientFromSettings(settings, {
    info: (m) => void (verbose && io.stderr(`${m}\n`)),
    warning: (m) => {
      retries++;
      if (verbose) io.stderr(`${m}\n`);
    },
  });
  // Sign in before the first request, so a refused credential is reported before anything is sent.
  await signIn.credential.getToken(signIn.scopes);
  const concurrency = maxConcurrentRequestsOf(settings) ?? DEFAULT_EXPORT_CONCURRENCY;
  return {
    api: client,
    baseUrl,
    concurrency,
    verbose,
    get retries() {
      return retries;
    },
  };
}

/** Everything that can go wrong before the first request: options, the stack's config, settings, sign-in. */
async function prepare(argv: readonly string[], io: ExportIo): Promise<{ command: ExportCommand; connection: Connection } | "help"> {
  const command = parseExportArguments(argv);
  if (command === "help") return "help";
  if (command.out !== undefined) requireWritableOut(command.out, io.cwd);
  const config = command.stack !== undefined ? await readStackSettings(command.stack, io.cwd) : undefined;
  return { command, connection: await connect(config, io) };
}

/** True for the errors a command reports as bad options, settings or sign-in (exit 2). */
export function isSetupError(error: unknown): error is Error {
  return error instanceof UsageError || error instanceof StackConfigError || error instanceof SettingsError || error instanceof CredentialError;
}

/** Runs the command; returns the exit code. */
export async function runExport(argv: readonly string[], io: ExportIo): Promise<number> {
  let prepared: Awaited<ReturnType<typeof prepare>>;
  try {
    prepared = await prepare(argv, io);
  } catch (error) {
    if (!isSetupError(error)) throw error;
    io.stderr(`partnercenter-export: ${oneLine(error.message)}\n`);
    return EXIT_USAGE;
  }
  if (prepared === "help") {
    io.stderr(`${USAGE}\n`);
    return EXIT_COMPLETE;
  }
  const { command, connection } = prepared;
  const progress = new ExportProgress({ write: io.stderr, interactive: io.stderrIsTTY && !connection.verbose });
  const result = await exportCustomerQualifications(connection.api, {
    ...(command.qualifications !== undefined ? { qualifications: command.qualifications } : {}),
    ...(command.filter !== undefined ? { filter: command.filter } : {}),
    includeDenied: command.includeDenied,
    concurrency: connection.concurrency,
    onProgress: (event) => progress.update(event),
  });
  progress.finish();
  // An import file has no place for an INCOMPLETE line: an incomplete one is not written at all. Nor is
  // any list once Partner Center proved unreachable: it would replace a good earlier one with a fragment.
  const written = result.unreachable === undefined && (result.complete || command.format !== "import");
  if (written) await writeList(command, renderCustomerList(command.format, documentOf(command, connection, result)), io);
  report(result, progress.elapsedInMs, connection, command, written, io);
  return result.complete ? EXIT_COMPLETE : EXIT_INCOMPLETE;
}

function documentOf(command: ExportCommand, connection: Connection, result: CustomerExport): Parameters<typeof renderCustomerList>[1] {
  const incomplete = incompleteText(result);
  const scope = [
    command.filter !== undefined ? `customers whose ${command.filter.field} starts with ${JSON.stringify(command.filter.startsWith)}` : "every customer",
    command.qualifications !== undefined ? `${command.qualifications.join(", ")} only` : undefined,
    command.includeDenied ? "Denied included" : "Denied left out",
  ].filter((s) => s !== undefined);
  const review = command.adoptOnly ? "Review it" : "Review it, fill in the TODOs";
  const use =
    command.format === "yaml"
      ? "merge it into Pulumi.<stack>.yaml (or paste the list under its config:)"
      : `set ${command.configKey.split(":")[0]}:qualificationsFile to this file`;
  const then = command.adoptOnly
    ? "pulumi up then adopts each qualification without a POST and never creates one (adoptOnly)."
    : "pulumi up then adopts each qualification without a POST.";
  const next = `${review} and ${use}; ${then}`;
  return {
    entries: result.entries,
    header: [
      `Exported by partnercenter-export from ${connection.baseUrl} on ${new Date().toISOString()}: ${scope.join("; ")}.`,
      `${result.customersRead} customers read, ${result.entries.length} qualification${result.entries.length === 1 ? "" : "s"} listed.`,
      next,
    ],
    ...(incomplete !== undefined ? { incomplete } : {}),
    configKey: command.configKey,
    adoptOnly: command.adoptOnly,
  };
}

/** The INCOMPLETE line's text, when the list is not whole. */
function incompleteText(result: CustomerExport): string | undefined {
  if (result.complete) return undefined;
  const parts: string[] = [];
  if (result.failures.length > 0) {
    const ids = result.failures.slice(0, 10).map((f) => f.customer.id);
    const more = result.failures.length > 10 ? ` and ${result.failures.length - 10} more` : "";
    parts.push(`${result.failures.length} customer${result.failures.length === 1 ? "" : "s"} could not be read: ${ids.join(", ")}${more}`);
  }
  if (result.stoppedBy !== undefined)
    parts.push(`the export stopped after ${result.customersRead} of ${result.customersListed} customers listed so far: ${result.stoppedBy}`);
  if (parts.length === 0) parts.push(`${result.customersListed - result.customersRead} customers listed were not read`);
  // A part may end with its own full stop (an error message does): one is enough.
  return `${parts.join("; ").replace(/\.+$/, "")}. Run partnercenter-export again before relying on this list.`;
}

async function writeList(command: ExportCommand, text: string, io: ExportIo): Promise<void> {
  if (command.out === undefined) {
    await io.stdout(text);
    return;
  }
  // A whole file or none: written aside, then moved into place.
  const { path, aside } = outFile(command.out, io.cwd, process.pid);
  try {
    writeFileSync(aside, text, "utf8");
    renameSync(aside, path);
  } finally {
    rmSync(aside, { force: true });
  }
}

function report(result: CustomerExport, elapsedInMs: number, connection: Connection, command: ExportCommand, written: boolean, io: ExportIo): void {
  const lines = summaryLines(result, elapsedInMs, { adoptOnly: command.adoptOnly });
  const retries = connection.retries > 0 ? `; ${connection.retries} request${connection.retries === 1 ? "" : "s"} retried` : "";
  lines[0] = `partnercenter-export: ${lines[0] ?? ""}${retries}`;
  if (!written) {
    const why = result.unreachable !== undefined ? "Partner Center was unreachable" : "an import file is written only when complete";
    lines.push(`  nothing written to ${command.out ?? "stdout"}: ${why}`);
  } else if (command.out !== undefined) {
    lines.push(`  written to ${command.out} (${command.format})`);
  }
  for (const failure of result.failures.slice(0, 50)) {
    const who = failure.customer.companyName !== undefined ? ` (${oneLine(failure.customer.companyName)})` : "";
    lines.push(`partnercenter-export: customer ${failure.customer.id}${who} could not be read: ${failure.message}`);
  }
  if (result.failures.length > 50) lines.push(`partnercenter-export: and ${result.failures.length - 50} more customers could not be read`);
  const incomplete = incompleteText(result);
  if (incomplete !== undefined) lines.push(`partnercenter-export: INCOMPLETE: ${incomplete}`);
  io.stderr(`${lines.join("\n")}\n`);
}

/** The process's own streams and environment. */
export function processIo(): ExportIo {
  return {
    stdout: (text) =>
      new Promise((done) => {
        // A reader that went away (`| head`) is not an error of the export.
        process.stdout.once("error", () => done());
        process.stdout.write(text, () => done());
      }),
    stderr: (text) => void process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
}

if (require.main === module) runBin("partnercenter-export", () => runExport(process.argv.slice(2), processIo()), EXIT_INCOMPLETE);
