/**
 * Validation of untrusted JSON (control-API bodies, seeds, options, data files) with zod
 * schemas, and the schema parts the emulator's inputs share. A refused input becomes one
 * {@link InputRejectedError} whose message names the offending field and what is allowed.
 */

import { z } from "zod";

/** An input the emulator refuses; `status` is what the control API answers with. */
export class InputRejectedError extends Error {
  override readonly name = "InputRejectedError";

  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
  ) {
    super(message);
  }
}

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` is a GUID in the 8-4-4-4-12 form tenant ids use. */
export function isGuid(value: string): boolean {
  return GUID_PATTERN.test(value);
}

/** A schema's message for a value of the wrong type; a missing value falls through to "is required". */
export function unlessMissing(message: string): (issue: { input?: unknown }) => string | undefined {
  return (issue) => (issue.input === undefined ? undefined : message);
}

/** A non-empty string. */
export const text = z.string({ error: unlessMissing("must be a non-empty string") }).min(1, "must be a non-empty string");

/** A tenant id (a GUID), stored lower-case. */
export const tenantGuid = z
  .string({ error: unlessMissing("must be a tenant GUID") })
  .regex(GUID_PATTERN, { error: (issue) => `must be a tenant GUID, got '${String(issue.input)}'` })
  .transform((id) => id.toLowerCase());

/** An ISO 8601 date (anything Date.parse reads), kept as written. */
export const isoDate = text.refine((date) => !Number.isNaN(Date.parse(date)), { error: (issue) => `must be an ISO 8601 date, got '${String(issue.input)}'` });

/** An integer from `min` to `max` (default: no upper bound), with one message for every way of missing it. */
export function integerFrom(min: number, max = Number.MAX_SAFE_INTEGER, unit = ""): z.ZodInt {
  const message = max === Number.MAX_SAFE_INTEGER ? `must be an integer >= ${min}` : `must be an integer from ${min} to ${max}${unit}`;
  return z
    .int({ error: unlessMissing(message) })
    .min(min, message)
    .max(max, message);
}

/** An integer that is zero or more. */
export const count = integerFrom(0);

/**
 * Parses `value` with `schema`. The first issue (an unknown property before any other, so a
 * typo fails as one) becomes an {@link InputRejectedError}: `what` and the issue's path name
 * the field, e.g. `seed.customers[0].id must be a tenant GUID, got 'contoso'`.
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, value: unknown, what: string): z.output<Schema> {
  const parsed = schema.safeParse(value, { error: genericMessage });
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const issue = issues.find((candidate) => candidate.code === "unrecognized_keys") ?? issues[0];
  const path = (issue?.path ?? []).map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("");
  const field = what === "" ? path.replace(/^\./, "") : `${what}${path}`;
  throw new InputRejectedError(`${field} ${issue?.message ?? "is not valid"}`);
}

/** Messages for issues whose schema sets none. */
function genericMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.input === undefined && issue.code !== "unrecognized_keys") return "is required";
  switch (issue.code) {
    case "invalid_type":
      return `must be ${{ object: "a JSON object", array: "an array", boolean: "a boolean", string: "a string" }[issue.expected as string] ?? `of type ${issue.expected}`}`;
    case "unrecognized_keys":
      return `has unknown propert${issue.keys.length === 1 ? "y" : "ies"}: ${issue.keys.join(", ")}`;
    case "invalid_value":
      return `must be one of ${issue.values.map(String).join(", ")}, got '${String(issue.input)}'`;
    default:
      return undefined;
  }
}

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A JSON text parsed, or the parser's reason why it is not JSON. */
export type ParsedJson = { ok: true; value: unknown } | { ok: false; reason: string };

/** Parses a JSON text without throwing, for callers that answer bad JSON their own way. */
export function tryParseJson(text: string): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

/** Parses a JSON text, or an {@link InputRejectedError} naming `what`. */
export function parseJsonText(text: string, what: string): unknown {
  const parsed = tryParseJson(text);
  if (!parsed.ok) throw new InputRejectedError(`${what} is not valid JSON: ${parsed.reason}`);
  return parsed.value;
}
