/**
 * The customers of `--customers-from`: a customer list as the stack reads it (CSV with a header
 * line, a YAML list of entries, or a stack file or `partnercenter-export` document holding the
 * list under `partnercenter-qualifications:qualifications`), validated by the stack's own readers.
 */
import { readFileSync } from "node:fs";
import { extname, resolve } from "node:path";
import { parse } from "yaml";
import { readCustomerListCsv, readCustomerListEntries } from "../customer-list";
import { DEFAULT_CONFIG_KEY } from "../export";
import { UsageError } from "../command-line";

/** Reads the customer IDs (lower case) of a customer list file; a bad file is a {@link UsageError} naming it. */
export function readCustomerIds(file: string, cwd: string): Set<string> {
  const origin = `--customers-from ${file}`;
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(
      `${origin} can't be read (${code === "ENOENT" ? "no such file" : String(code ?? error)}); it must be a customer list: CSV with a customerId column, or YAML`,
    );
  }
  const entries = /^\.csv$/i.test(extname(file)) ? readCustomerListCsv(text, origin) : readCustomerListEntries(yamlListOf(text, origin), origin);
  if (entries.length === 0) throw new UsageError(`${origin} lists no customer; it must hold at least one entry with a customerId`);
  return new Set(entries.map((e) => e.customerId.toLowerCase()));
}

/** The list in a YAML document: the document itself, or `config:` → the stack's list key. */
function yamlListOf(text: string, origin: string): unknown {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new UsageError(`${origin} is neither CSV (name it .csv) nor YAML: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`);
  }
  if (Array.isArray(document)) return document;
  const config = typeof document === "object" && document !== null ? (document as { config?: unknown }).config : undefined;
  const list = typeof config === "object" && config !== null ? (config as Record<string, unknown>)[DEFAULT_CONFIG_KEY] : undefined;
  if (list === undefined)
    throw new UsageError(`${origin} holds no customer list: it must be a YAML list of entries, or a stack file with config: ${DEFAULT_CONFIG_KEY}`);
  return list;
}
