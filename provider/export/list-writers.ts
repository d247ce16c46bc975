/**
 * The exported list in the two forms the stack program reads: a YAML `config:` document for
 * `Pulumi.<stack>.yaml`, or CSV with a header line. Company name, domain and vetting go into
 * comments, which both readers skip, so the list loads under the stack's input rules unchanged.
 * Entries are adopt-only by default (`adoptOnly: true`): they need nothing Partner Center does not
 * report. Written to be completed instead, they leave those inputs out with a TODO comment.
 */
import { NATIVE_RESOURCE_TYPE } from "../qualification";
import { oneLine } from "../text";
import type { ExportedQualification, MissingInput } from "./customer-export";

/** The stack-config key the repository's stack program reads its list from. */
export const DEFAULT_CONFIG_KEY = "partnercenter-qualifications:qualifications";

/** The CSV columns written, in order; `readCustomerListCsv` knows each. */
export const CSV_COLUMNS = ["customerId", "qualification", "educationSegment"] as const;

/** The column added when the entries only adopt. */
const ADOPT_ONLY_COLUMN = "adoptOnly";

/** The comment that marks an input a person must fill in. */
export const TODO_COMMENTS: Readonly<Record<MissingInput, string>> = {
  educationSegment: "TODO: educationSegment (K12 or HigherEducation): Partner Center does not report it",
};

/** What a rendered list holds besides its entries. */
export interface CustomerListDocument {
  readonly entries: readonly ExportedQualification[];
  /** Comment lines for the top (without `# `). */
  readonly header?: readonly string[];
  /** Set when the list is not whole: its first line then says `INCOMPLETE: ...`. */
  readonly incomplete?: string;
  /** The stack-config key of the list (YAML only); default {@link DEFAULT_CONFIG_KEY}. */
  readonly configKey?: string;
  /**
   * Write every entry with `adoptOnly: true` (the default): `pulumi up` adopts it and never
   * creates it, and it needs no input Partner Center does not report. `false` writes entries to
   * complete instead, with a TODO for each such input, so that the list can also create.
   */
  readonly adoptOnly?: boolean;
}

/**
 * The formats the export writes: the stack's list as YAML or CSV, or `import`, a file for
 * `pulumi import -f` of the native plugin's resources.
 */
export const LIST_FORMATS = ["yaml", "csv", "import"] as const;
/** One of {@link LIST_FORMATS}. */
export type ListFormat = (typeof LIST_FORMATS)[number];

/** Renders the list in the given format. */
export function renderCustomerList(format: ListFormat, document: CustomerListDocument): string {
  if (format === "import") return renderImportFile(document);
  return format === "csv" ? renderCsv(document) : renderYaml(document);
}

/**
 * A `pulumi import -f` file for the native plugin: one resource per entry, named as the stack
 * program names its resources (`<customerId>-<Qualification>`), with the resource ID. JSON has no
 * comments: the entries a person must complete (an Education segment) are completed in the program
 * after the import, as `pulumi import` warns.
 */
export function renderImportFile(document: CustomerListDocument): string {
  const resources = document.entries.map((e) => ({
    type: NATIVE_RESOURCE_TYPE,
    name: `${e.customerId}-${e.qualification}`,
    id: `${e.customerId}/${e.qualification}`,
  }));
  return `${JSON.stringify({ resources }, null, 2)}\n`;
}

/**
 * A YAML document `config: {<configKey>: [...]}` to paste or merge into `Pulumi.<stack>.yaml`:
 * one flat map per entry, the company and vetting as a comment on its first line.
 */
export function renderYaml(document: CustomerListDocument): string {
  const key = document.configKey ?? DEFAULT_CONFIG_KEY;
  const lines = [...headerLines(document), "config:"];
  if (document.entries.length === 0) {
    lines.push(`  ${key}: []`);
    return `${lines.join("\n")}\n`;
  }
  lines.push(`  ${key}:`);
  const adoptOnly = document.adoptOnly !== false;
  for (const entry of document.entries) {
    lines.push(`    - customerId: ${entry.customerId} # ${describeEntry(entry)}`, `      qualification: ${entry.qualification}`);
    if (entry.educationSegment !== undefined) lines.push(`      educationSegment: ${entry.educationSegment}`);
    if (adoptOnly) lines.push("      adoptOnly: true");
    else for (const missing of entry.missing) lines.push(`      # ${TODO_COMMENTS[missing]}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * CSV with the header line `customerId,qualification,educationSegment,adoptOnly` (without
 * `adoptOnly` when the entries are to be completed); each row follows a comment line with the
 * company and vetting, and, in a list to complete, a TODO line when a cell is left for a person.
 */
export function renderCsv(document: CustomerListDocument): string {
  const adoptOnly = document.adoptOnly !== false;
  const lines = [...headerLines(document), [...CSV_COLUMNS, ...(adoptOnly ? [ADOPT_ONLY_COLUMN] : [])].join(",")];
  for (const entry of document.entries) {
    lines.push(`# ${describeEntry(entry)}`);
    if (!adoptOnly) for (const missing of entry.missing) lines.push(`# ${TODO_COMMENTS[missing]}`);
    lines.push([entry.customerId, entry.qualification, entry.educationSegment ?? "", ...(adoptOnly ? ["true"] : [])].map(csvCell).join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** `Contoso School District (contoso.onmicrosoft.com), Approved`: who the customer is, and the vetting. */
export function describeEntry(entry: ExportedQualification): string {
  const who = entry.companyName !== undefined ? commentText(entry.companyName) : "no company name";
  const domain = entry.domain !== undefined ? ` (${commentText(entry.domain)})` : "";
  const status = entry.vettingStatus === undefined ? "not vetted" : commentText(entry.vettingStatus);
  const reason = entry.vettingReason !== undefined ? `: ${commentText(entry.vettingReason)}` : "";
  return `${who}${domain}, ${status}${reason}`;
}

function headerLines(document: CustomerListDocument): string[] {
  const lines = document.incomplete !== undefined ? [`# INCOMPLETE: ${commentText(document.incomplete)}`] : [];
  return [...lines, ...(document.header ?? []).map((line) => `# ${commentText(line)}`)];
}

/** Text for a comment: one line, at most 200 characters. */
function commentText(text: string): string {
  return oneLine(text, 200);
}

/** A CSV cell, quoted when it holds a comma, a quote, a line break or leading `#`. */
function csvCell(value: string): string {
  return /[",\r\n]|^\s*#/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
