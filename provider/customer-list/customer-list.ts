/**
 * A partner's list of customers and the qualifications each should hold, read from stack config
 * (a YAML list) or a CSV file, and validated as a whole before any resource is declared.
 */
import { QUALIFICATION_INPUT_PROPERTIES, conflictsOf, oneOf, validateQualificationInputs, type InputFailure, type QualificationInputs } from "../qualification";
import { CsvSyntaxError, readCsv } from "./csv";

/** One qualification of the list, normalised, with where it came from (for messages). */
export interface CustomerListEntry extends QualificationInputs {
  /** Where the entry is: `line 4` of a CSV file or `entry 3` of a YAML list. */
  readonly source: string;
}

/** One problem of a list: where it is and what is wrong. */
export interface CustomerListProblem {
  readonly where: string;
  readonly reason: string;
}

/** Raised when a list has problems; names every one, with its line or entry number. */
export class CustomerListError extends Error {
  override readonly name = "CustomerListError";
  readonly problems: readonly CustomerListProblem[];

  constructor(origin: string, problems: readonly CustomerListProblem[]) {
    const shown = problems.slice(0, 20).map((p) => `${p.where}: ${p.reason}`);
    const more = problems.length > 20 ? `; and ${problems.length - 20} more` : "";
    super(`${origin} has ${problems.length} problem${problems.length === 1 ? "" : "s"}, nothing was declared: ${shown.join("; ")}${more}`);
    this.problems = problems;
  }
}

/** Reads a list given as a YAML (or JSON) array of objects, as `pulumi.Config.getObject` returns it. */
export function readCustomerListEntries(value: unknown, origin: string): CustomerListEntry[] {
  if (!Array.isArray(value)) {
    throw new CustomerListError(origin, [{ where: origin, reason: "must be a list of entries such as {customerId, qualification}" }]);
  }
  const rows = value.map((raw, index) => ({ where: `entry ${index + 1}`, raw }));
  return validateRows(origin, rows);
}

/**
 * Reads a list from CSV text. The first row names the columns (any letter case, in any order);
 * empty cells mean "not given".
 */
export function readCustomerListCsv(text: string, origin: string): CustomerListEntry[] {
  let rows;
  try {
    rows = readCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new CustomerListError(origin, [{ where: origin, reason: error.message }]);
    throw error;
  }
  const [header, ...records] = rows;
  if (header === undefined) {
    throw new CustomerListError(origin, [
      { where: origin, reason: "is empty; the first line must name the columns, such as customerId,qualification,educationSegment" },
    ]);
  }
  const known: readonly string[] = QUALIFICATION_INPUT_PROPERTIES;
  const problems: CustomerListProblem[] = [];
  const columns = header.fields.map((name) => {
    const match = oneOf(known, name);
    if (match === undefined) {
      problems.push({ where: `line ${header.line}`, reason: `unknown column ${JSON.stringify(name.trim())}; allowed columns: ${known.join(", ")}` });
    }
    return match;
  });
  if (problems.length > 0) throw new CustomerListError(origin, problems);
  const parsed = records.map((record) => {
    const raw: Record<string, unknown> = {};
    if (record.fields.length > columns.length) {
      problems.push({ where: `line ${record.line}`, reason: `${record.fields.length} cells, but the header names ${columns.length} columns` });
    }
    columns.forEach((column, i) => {
      const cell = record.fields[i]?.trim();
      if (column !== undefined && cell !== undefined && cell !== "") raw[column] = cellValue(cell);
    });
    return { where: `line ${record.line}`, raw };
  });
  if (problems.length > 0) throw new CustomerListError(origin, problems);
  return validateRows(origin, parsed);
}

/** CSV cells are text; `true`/`false` and plain numbers become what a YAML list would give. */
function cellValue(cell: string): unknown {
  if (/^(true|false)$/i.test(cell)) return cell.toLowerCase() === "true";
  return cell;
}

function validateRows(origin: string, rows: ReadonlyArray<{ where: string; raw: unknown }>): CustomerListEntry[] {
  const problems: CustomerListProblem[] = [];
  const entries: CustomerListEntry[] = [];
  for (const { where, raw } of rows) {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      problems.push({ where, reason: "must be an object such as {customerId, qualification}" });
      continue;
    }
    const { inputs, failures } = validateQualificationInputs(raw as Record<string, unknown>);
    problems.push(...failures.map((f: InputFailure) => ({ where, reason: f.reason })));
    if (failures.length > 0) continue;
    entries.push({ ...(inputs as unknown as QualificationInputs), source: where });
  }

  const seen = new Map<string, CustomerListEntry>();
  for (const entry of entries) {
    const key = `${entry.customerId}/${entry.qualification}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        where: entry.source,
        reason: `duplicate of ${first.source}: customer ${entry.customerId} already has ${entry.qualification} in the list`,
      });
    } else {
      seen.set(key, entry);
    }
  }
  for (const entry of seen.values()) {
    for (const other of conflictsOf(entry.qualification)) {
      const clash = seen.get(`${entry.customerId}/${other}`);
      // Report each pair once, at the later entry.
      if (clash !== undefined && entries.indexOf(clash) < entries.indexOf(entry)) {
        problems.push({
          where: entry.source,
          reason: `customer ${entry.customerId} has ${entry.qualification} here and ${other} at ${clash.source}; Partner Center refuses the two together`,
        });
      }
    }
  }
  if (problems.length > 0) throw new CustomerListError(origin, problems);
  return entries;
}
