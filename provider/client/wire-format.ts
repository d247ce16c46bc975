/**
 * Reading Partner Center response bodies. Microsoft's sources disagree on shapes (bare array or
 * `{"qualifications": [...]}` wrapper, `vettingCreateDate` or `vettingCreatedDate`, PascalCase or
 * lower-case names), so every reader here accepts all of them.
 */
import { canonicalQualification } from "../qualification";

/** One qualification as Partner Center reports it for a customer. */
export interface QualificationRecord {
  /** Canonical spelling when it is a known qualification, otherwise the service's text. */
  readonly qualification: string;
  /** `InReview`, `Approved`, `Denied`, or another status the service reports; absent when not vetted. */
  readonly vettingStatus?: string;
  /** Microsoft's free-text reason, usually given with `Denied`. */
  readonly vettingReason?: string;
  /** When vetting started, as the service wrote it (ISO 8601). */
  readonly vettingCreateDate?: string;
}

/** One of the partner's GCC validation codes. */
export interface ValidationCode {
  readonly partnerId?: string;
  readonly organizationName: string;
  /** The code to send as `validationCode`; always a string, even when the service sends a number. */
  readonly validationId: string;
  readonly maxCreates?: number;
  readonly remainingCreates?: number;
  readonly eTag?: string;
}

/** The parts of a Partner Center error body this package uses. */
export interface ServiceErrorBody {
  readonly code?: string;
  readonly description?: string;
}

const KNOWN_VETTING_STATUSES = ["InReview", "Approved", "Denied"];

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Looks a property up by name, ignoring letter case, as the service does. */
function field(obj: JsonObject, ...names: string[]): unknown {
  const wanted = names.map((n) => n.toLowerCase());
  for (const [key, value] of Object.entries(obj)) {
    if (wanted.includes(key.toLowerCase())) return value;
  }
  return undefined;
}

function optionalString(value: unknown): string | undefined {
  if (typeof value === "string") return value.length > 0 ? value : undefined;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

function optionalNumber(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** Unwraps `{"qualifications": [...]}` (or `{"items": [...]}`), a bare array, or a single object into a list. */
function listOf(body: unknown, wrapperNames: string[]): unknown[] {
  if (Array.isArray(body)) return body;
  if (isObject(body)) {
    const wrapped = field(body, ...wrapperNames);
    if (Array.isArray(wrapped)) return wrapped;
    return [body];
  }
  return [];
}

function canonicalVettingStatus(status: string | undefined): string | undefined {
  if (status === undefined) return undefined;
  return KNOWN_VETTING_STATUSES.find((s) => s.toLowerCase() === status.toLowerCase()) ?? status;
}

/** Reads one qualification entry; undefined when it has no qualification name. */
function readQualification(entry: unknown): QualificationRecord | undefined {
  if (!isObject(entry)) return undefined;
  const name = optionalString(field(entry, "qualification"));
  if (name === undefined) return undefined;
  const record: {
    qualification: string;
    vettingStatus?: string;
    vettingReason?: string;
    vettingCreateDate?: string;
  } = { qualification: canonicalQualification(name) ?? name };
  const status = canonicalVettingStatus(optionalString(field(entry, "vettingStatus")));
  const reason = optionalString(field(entry, "vettingReason"));
  const created = optionalString(field(entry, "vettingCreateDate", "vettingCreatedDate"));
  if (status !== undefined) record.vettingStatus = status;
  if (reason !== undefined) record.vettingReason = reason;
  if (created !== undefined) record.vettingCreateDate = created;
  return record;
}

/**
 * Reads a customer's qualifications from a GET or POST body. `None` entries mean "no qualification"
 * and are dropped, so a customer with none always reads as an empty list.
 */
export function readQualifications(body: unknown): QualificationRecord[] {
  return listOf(body, ["qualifications", "items"])
    .map(readQualification)
    .filter((q): q is QualificationRecord => q !== undefined && q.qualification.toLowerCase() !== "none");
}

/** Reads the partner's validation codes from a bare array or a wrapper. Entries without an id are dropped. */
export function readValidationCodes(body: unknown): ValidationCode[] {
  const out: ValidationCode[] = [];
  for (const entry of listOf(body, ["validations", "items"])) {
    if (!isObject(entry)) continue;
    const validationId = optionalString(field(entry, "validationId"));
    if (validationId === undefined) continue;
    const code: {
      partnerId?: string;
      organizationName: string;
      validationId: string;
      maxCreates?: number;
      remainingCreates?: number;
      eTag?: string;
    } = { organizationName: optionalString(field(entry, "organizationName")) ?? "", validationId };
    const partnerId = optionalString(field(entry, "partnerId"));
    const maxCreates = optionalNumber(field(entry, "maxCreates"));
    const remainingCreates = optionalNumber(field(entry, "remainingCreates"));
    const eTag = optionalString(field(entry, "eTag"));
    if (partnerId !== undefined) code.partnerId = partnerId;
    if (maxCreates !== undefined) code.maxCreates = maxCreates;
    if (remainingCreates !== undefined) code.remainingCreates = remainingCreates;
    if (eTag !== undefined) code.eTag = eTag;
    out.push(code);
  }
  return out;
}

/**
 * Reads the code and text of an error body in any of the service's three shapes:
 * `{code, description}`, `{code, message, description, errorName}` and the 429 `{statusCode, message}`.
 */
export function readServiceError(body: unknown): ServiceErrorBody {
  if (typeof body === "string") {
    const text = body.trim();
    if (text.startsWith("{")) {
      try {
        return readServiceError(JSON.parse(text));
      } catch {
        // Not JSON after all: fall through and use the text itself.
      }
    }
    return text.length > 0 ? { description: text.slice(0, 300) } : {};
  }
  if (!isObject(body)) return {};
  const code = optionalString(field(body, "code", "errorName"));
  const description = optionalString(field(body, "description")) ?? optionalString(field(body, "message"));
  const out: { code?: string; description?: string } = {};
  if (code !== undefined) out.code = code;
  if (description !== undefined) out.description = description;
  return out;
}
