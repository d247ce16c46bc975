/**
 * Narrowing of untrusted JSON (control-API bodies, seeds, data files) into typed values.
 * Every reader names the offending field so a rejected input says exactly what is wrong.
 */

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

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `value` as an object, or an {@link InputRejectedError} naming `what`. */
export function expectObject(value: unknown, what: string): JsonObject {
  if (!isJsonObject(value)) throw new InputRejectedError(`${what} must be a JSON object`);
  return value;
}

/** `value` as an array, or an {@link InputRejectedError} naming `what`. */
export function expectArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new InputRejectedError(`${what} must be an array`);
  return value;
}

/** A required non-empty string property. */
export function readString(source: JsonObject, key: string, what: string): string {
  const value = readOptionalString(source, key, what);
  if (value === undefined) throw new InputRejectedError(`${what}.${key} is required`);
  return value;
}

/** A required tenant id (GUID) property, lower-case. */
export function readTenantGuid(source: JsonObject, key: string, what: string): string {
  const value = readString(source, key, what);
  if (!isGuid(value)) throw new InputRejectedError(`${what}.${key} must be a tenant GUID, got '${value}'`);
  return value.toLowerCase();
}

/** An optional non-empty string property; null counts as absent. */
export function readOptionalString(source: JsonObject, key: string, what: string): string | undefined {
  const value = source[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.length === 0) {
    throw new InputRejectedError(`${what}.${key} must be a non-empty string`);
  }
  return value;
}

/** A required integer property that is zero or more. */
export function readNonNegativeInteger(source: JsonObject, key: string, what: string): number {
  const value = readOptionalNonNegativeInteger(source, key, what);
  if (value === undefined) throw new InputRejectedError(`${what}.${key} is required`);
  return value;
}

/** An optional integer property that is zero or more; null counts as absent. */
export function readOptionalNonNegativeInteger(source: JsonObject, key: string, what: string): number | undefined {
  const value = source[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new InputRejectedError(`${what}.${key} must be an integer >= 0`);
  }
  return value;
}

/** Refuses properties outside `allowed`, so a typo in a control call fails loudly instead of being ignored. */
export function rejectUnknownKeys(source: JsonObject, allowed: readonly string[], what: string): void {
  const unknown = Object.keys(source).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new InputRejectedError(`${what} has unknown propert${unknown.length === 1 ? "y" : "ies"}: ${unknown.join(", ")}`);
  }
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
