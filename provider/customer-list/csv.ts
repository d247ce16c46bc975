/**
 * A small RFC 4180 reader: quoted fields, doubled quotes, commas and line breaks inside quotes,
 * CRLF or LF. Each row keeps the line number it starts on, for error messages.
 */

/** One CSV record and the 1-based line it starts on. */
export interface CsvRow {
  readonly line: number;
  readonly fields: string[];
}

/** Raised when the CSV text itself is malformed. */
export class CsvSyntaxError extends Error {
  override readonly name = "CsvSyntaxError";
}

/** Splits CSV text into rows. Blank lines and lines starting with `#` are skipped. */
export function readCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let fieldWasQuoted = false;
  let line = 1;
  let rowLine = 1;
  const source = text.startsWith("\uFEFF") ? text.slice(1) : text;

  const endRow = (): void => {
    fields.push(field);
    const blank = fields.length === 1 && fields[0]!.trim() === "" && !fieldWasQuoted;
    if (!blank) rows.push({ line: rowLine, fields });
    fields = [];
    field = "";
    fieldWasQuoted = false;
  };

  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (quoted) {
      if (c === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (c === "\n") line++;
        field += c;
      }
      continue;
    }
    if (c === "#" && fields.length === 0 && field.trim() === "" && !fieldWasQuoted) {
      // A comment line: skip it whole, quotes and commas included.
      while (i + 1 < source.length && source[i + 1] !== "\n" && source[i + 1] !== "\r") i++;
      field = "";
      continue;
    }
    if (c === '"') {
      if (field.trim() !== "") throw new CsvSyntaxError(`line ${line}: a quote inside an unquoted field; quote the whole field`);
      field = "";
      quoted = true;
      fieldWasQuoted = true;
    } else if (c === ",") {
      fields.push(field);
      field = "";
      fieldWasQuoted = false;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && source[i + 1] === "\n") i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      field += c;
    }
  }
  if (quoted) throw new CsvSyntaxError(`line ${rowLine}: a quoted field is not closed`);
  if (field !== "" || fields.length > 0 || fieldWasQuoted) endRow();
  return rows;
}
