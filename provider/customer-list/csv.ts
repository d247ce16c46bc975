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
  const reader = new CsvReader(text.startsWith("\uFEFF") ? text.slice(1) : text);
  return reader.rows();
}

/** One pass over CSV text, one character at a time. */
class CsvReader {
  readonly #rows: CsvRow[] = [];
  #fields: string[] = [];
  #field = "";
  #quoted = false;
  #fieldWasQuoted = false;
  #line = 1;
  #rowLine = 1;

  constructor(private readonly source: string) {}

  rows(): CsvRow[] {
    for (let i = 0; i < this.source.length; i++) {
      i = this.#quoted ? this.#insideQuotes(i) : this.#outsideQuotes(i);
    }
    if (this.#quoted) throw new CsvSyntaxError(`line ${this.#rowLine}: a quoted field is not closed`);
    if (this.#field !== "" || this.#fields.length > 0 || this.#fieldWasQuoted) this.#endRow();
    return this.#rows;
  }

  /** Reads the character at `i` inside quotes; returns the index of the last character used. */
  #insideQuotes(i: number): number {
    const c = this.source[i]!;
    if (c !== '"') {
      if (c === "\n") this.#line++;
      this.#field += c;
      return i;
    }
    if (this.source[i + 1] === '"') {
      this.#field += '"';
      return i + 1;
    }
    this.#quoted = false;
    return i;
  }

  #outsideQuotes(i: number): number {
    const c = this.source[i]!;
    if (c === "#" && this.#fields.length === 0 && this.#field.trim() === "" && !this.#fieldWasQuoted) return this.#skipComment(i);
    if (c === '"') {
      if (this.#field.trim() !== "") throw new CsvSyntaxError(`line ${this.#line}: a quote inside an unquoted field; quote the whole field`);
      this.#field = "";
      this.#quoted = true;
      this.#fieldWasQuoted = true;
    } else if (c === ",") {
      this.#fields.push(this.#field);
      this.#field = "";
      this.#fieldWasQuoted = false;
    } else if (c === "\n" || c === "\r") {
      this.#endRow();
      this.#line++;
      this.#rowLine = this.#line;
      return c === "\r" && this.source[i + 1] === "\n" ? i + 1 : i;
    } else {
      this.#field += c;
    }
    return i;
  }

  /** A comment line: skipped whole, quotes and commas included. */
  #skipComment(i: number): number {
    let end = i;
    while (end + 1 < this.source.length && this.source[end + 1] !== "\n" && this.source[end + 1] !== "\r") end++;
    this.#field = "";
    return end;
  }

  #endRow(): void {
    this.#fields.push(this.#field);
    const blank = this.#fields.length === 1 && this.#fields[0]!.trim() === "" && !this.#fieldWasQuoted;
    if (!blank) this.#rows.push({ line: this.#rowLine, fields: this.#fields });
    this.#fields = [];
    this.#field = "";
    this.#fieldWasQuoted = false;
  }
}
