/**
 * CSV rows for the customer list, read by `csv-parse` (RFC 4180: quoted fields, doubled quotes,
 * commas and line breaks inside quotes, CRLF or LF, a byte-order mark). Each row keeps the line it
 * starts on, for error messages; blank lines and lines starting with `#` are skipped.
 */
import { CsvError, parse } from "csv-parse/sync";

/** One CSV record and the 1-based line it starts on. */
export interface CsvRow {
  readonly line: number;
  readonly fields: string[];
}

/** Raised when the CSV text itself is malformed; the message names the line, never a cell's value. */
export class CsvSyntaxError extends Error {
  override readonly name = "CsvSyntaxError";
}

/** What each of csv-parse's syntax errors means here, in words without the cell (it may be a secret). */
const SYNTAX_ERRORS: Readonly<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: "a quoted field is not closed",
  INVALID_OPENING_QUOTE: "a quote inside an unquoted field; quote the whole field",
  CSV_INVALID_CLOSING_QUOTE: "text after a closing quote; quote the whole field",
};

/** Splits CSV text into rows. Blank lines and lines starting with `#` (after spaces) are skipped. */
export function readCsv(text: string): CsvRow[] {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    const options = { bom: true, comment: "#", comment_no_infix: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true };
    // With `info`, each record comes with where it was read; csv-parse's types leave that out.
    records = parse(text, options) as unknown as typeof records;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = typeof error.lines === "number" ? error.lines : "?";
    throw new CsvSyntaxError(`line ${line}: ${SYNTAX_ERRORS[error.code] ?? "malformed CSV"}`);
  }
  // csv-parse counts lines to a record's end; a record starts as many lines earlier as its quoted fields hold line breaks.
  return records.map(({ record, info }) => ({
    line: info.lines - record.reduce((breaks, field) => breaks + (field.match(/\n/g)?.length ?? 0), 0),
    fields: record,
  }));
}
