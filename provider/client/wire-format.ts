/**
 * Reading Partner Center response bodies. Microsoft's sources disagree on shapes (bare array or
 * `{"qualifications": [...]}` wrapper, `vettingCreateDate` or `vettingCreatedDate`, PascalCase or
 * lower-case names), so every reader here accepts all of them.
 */
import { canonicalQualification, oneOf } from "../qualification";

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

/** A customer of the partner, as the customer list reports it. */
export interface PartnerCustomer {
  /** The customer's tenant ID, in lower case. */
  readonly id: string;
  readonly companyName?: string;
  readonly domain?: string;
  /** `reseller`, `advisor`, ... as the service reports it. */
  readonly relationshipToPartner?: string;
}

/** Where the next page of a list is: the URI as given, and the headers to send with it. */
export interface NextPageLink {
  readonly uri: string;
  readonly headers: Record<string, string>;
}

/** One page of the customer list. */
export interface CustomerPage {
  readonly items: PartnerCustomer[];
  /** Absent on the last page. */
  readonly next?: NextPageLink;
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
  return oneOf(KNOWN_VETTING_STATUSES, status) ?? status;
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

/**
 * Reads a page of `GET /v1/customers`: `{items, links: {next: {uri, headers: [{key, value}]}}}`.
 * A page that only carries a body field `continuationToken` (as some paged endpoints do) is read
 * as a next link of `seekOperation=Next` with that token. Items without a tenant ID are dropped.
 */
export function readCustomerPage(body: unknown): CustomerPage {
  const items = listOf(body, ["items"])
    .map(readCustomer)
    .filter((c): c is PartnerCustomer => c !== undefined);
  const next = isObject(body) ? readNextLink(body) : undefined;
  return next !== undefined ? { items, next } : { items };
}

function readCustomer(entry: unknown): PartnerCustomer | undefined {
  if (!isObject(entry)) return undefined;
  const profile = field(entry, "companyProfile");
  const fromProfile = (name: string): string | undefined => (isObject(profile) ? optionalString(field(profile, name)) : undefined);
  const id = optionalString(field(entry, "id")) ?? fromProfile("tenantId");
  if (id === undefined) return undefined;
  const customer: { id: string; companyName?: string; domain?: string; relationshipToPartner?: string } = { id: id.toLowerCase() };
  const companyName = fromProfile("companyName");
  const domain = fromProfile("domain");
  const relationship = optionalString(field(entry, "relationshipToPartner"));
  if (companyName !== undefined) customer.companyName = companyName;
  if (domain !== undefined) customer.domain = domain;
  if (relationship !== undefined) customer.relationshipToPartner = relationship;
  return customer;
}

function readNextLink(body: JsonObject): NextPageLink | undefined {
  const links = field(body, "links");
  const next = isObject(links) ? field(links, "next") : undefined;
  if (isObject(next)) {
    const uri = optionalString(field(next, "uri"));
    if (uri !== undefined) return { uri, headers: readLinkHeaders(field(next, "headers")) };
  }
  const token = optionalString(field(body, "continuationToken"));
  return token !== undefined ? { uri: "/v1/customers?seekOperation=Next", headers: { "MS-ContinuationToken": token } } : undefined;
}

function readLinkHeaders(value: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of Array.isArray(value) ? value : []) {
    if (!isObject(entry)) continue;
    const key = optionalString(field(entry, "key"));
    const text = optionalString(field(entry, "value"));
    if (key !== undefined && text !== undefined) headers[key] = text;
  }
  return headers;
}
