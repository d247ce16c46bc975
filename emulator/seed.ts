/**
 * Validation of seeds (options, `--seed` files, control calls) into normalised records:
 * lower-case tenant ids and domains, a relationship to the partner, canonical qualification
 * names, no vetting fields on StateOwnedEntity.
 */

import {
  InputRejectedError,
  expectArray,
  expectObject,
  readNonNegativeInteger,
  readOptionalString,
  readString,
  readTenantGuid,
  rejectUnknownKeys,
  type JsonObject,
} from "./input-validation";
import { canonicalQualificationName, isVettedQualification } from "./qualification-request";
import type { EmulatorSeed, RelationshipToPartner, SeedCustomer, StoredQualification, ValidationCodeRecord } from "./types";

/** Dot-separated DNS labels (letters, digits, inner hyphens), at least two of them. */
const DOMAIN_PATTERN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

const RELATIONSHIPS: readonly RelationshipToPartner[] = ["none", "reseller", "advisor", "syndication", "microsoft_support"];

/** What a customer relates to the partner as when the seed does not say. */
export const DEFAULT_RELATIONSHIP: RelationshipToPartner = "reseller";

/** A seed with every part validated and normalised. */
export interface ValidatedSeed {
  customers: ValidatedCustomer[];
  validationCodes: ValidationCodeRecord[];
}

/** Validates a whole seed; `what` names it in error messages. */
export function parseSeed(value: unknown, what = "seed"): ValidatedSeed {
  const seed = expectObject(value, what);
  rejectUnknownKeys(seed, ["customers", "validationCodes"] satisfies (keyof EmulatorSeed)[], what);
  const customers = seed.customers === undefined ? [] : expectArray(seed.customers, `${what}.customers`);
  const codes = seed.validationCodes === undefined ? [] : expectArray(seed.validationCodes, `${what}.validationCodes`);
  return {
    customers: customers.map((customer, index) => parseSeedCustomer(customer, `${what}.customers[${index}]`)),
    validationCodes: codes.map((code, index) => parseValidationCode(code, `${what}.validationCodes[${index}]`)),
  };
}

/** A validated customer: the relationship is always filled in. */
export type ValidatedCustomer = SeedCustomer & { relationshipToPartner: RelationshipToPartner };

/** Validates one seeded customer. */
export function parseSeedCustomer(value: unknown, what = "customer"): ValidatedCustomer {
  const customer = expectObject(value, what);
  rejectUnknownKeys(
    customer,
    ["id", "companyName", "domain", "relationshipToPartner", "indirectResellerId", "qualifications"] satisfies (keyof SeedCustomer)[],
    what,
  );
  const id = readTenantGuid(customer, "id", what);
  const companyName = readOptionalString(customer, "companyName", what);
  const domain = readOptionalDomain(customer, what);
  const indirectResellerId = customer.indirectResellerId === undefined ? undefined : readTenantGuid(customer, "indirectResellerId", what);
  const list = customer.qualifications === undefined ? [] : expectArray(customer.qualifications, `${what}.qualifications`);
  const qualifications = list.map((entry, index) => parseStoredQualification(entry, `${what}.qualifications[${index}]`));
  const names = qualifications.map((q) => q.qualification);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) throw new InputRejectedError(`${what}.qualifications lists ${repeated} more than once`);
  return {
    id,
    ...(companyName === undefined ? {} : { companyName }),
    ...(domain === undefined ? {} : { domain }),
    relationshipToPartner: readRelationship(customer, what),
    ...(indirectResellerId === undefined ? {} : { indirectResellerId }),
    qualifications,
  };
}

function readOptionalDomain(source: JsonObject, what: string): string | undefined {
  const domain = readOptionalString(source, "domain", what);
  if (domain !== undefined && !DOMAIN_PATTERN.test(domain)) {
    throw new InputRejectedError(`${what}.domain must be a domain name such as contoso.onmicrosoft.com, got '${domain}'`);
  }
  return domain?.toLowerCase();
}

function readRelationship(source: JsonObject, what: string): RelationshipToPartner {
  const text = readOptionalString(source, "relationshipToPartner", what);
  if (text === undefined) return DEFAULT_RELATIONSHIP;
  const relationship = RELATIONSHIPS.find((candidate) => candidate === text.toLowerCase());
  if (relationship === undefined) throw new InputRejectedError(`${what}.relationshipToPartner must be one of ${RELATIONSHIPS.join(", ")}, got '${text}'`);
  return relationship;
}

/** Validates one stored qualification; vetting fields on StateOwnedEntity are refused because it is never vetted. */
export function parseStoredQualification(value: unknown, what = "qualification"): StoredQualification {
  const entry = expectObject(value, what);
  rejectUnknownKeys(entry, ["qualification", "vettingStatus", "vettingReason", "vettingCreateDate"] satisfies (keyof StoredQualification)[], what);
  const rawName = readString(entry, "qualification", what);
  const qualification = canonicalQualificationName(rawName);
  if (qualification === undefined) {
    throw new InputRejectedError(`${what}.qualification must be Education, GovernmentCommunityCloud or StateOwnedEntity, got '${rawName}'`);
  }
  const vettingStatus = readOptionalString(entry, "vettingStatus", what);
  const vettingReason = readOptionalString(entry, "vettingReason", what);
  const vettingCreateDate = readOptionalString(entry, "vettingCreateDate", what);
  if (vettingCreateDate !== undefined && Number.isNaN(Date.parse(vettingCreateDate))) {
    throw new InputRejectedError(`${what}.vettingCreateDate must be an ISO 8601 date, got '${vettingCreateDate}'`);
  }
  const hasVetting = vettingStatus !== undefined || vettingReason !== undefined || vettingCreateDate !== undefined;
  if (hasVetting && !isVettedQualification(qualification)) {
    throw new InputRejectedError(`${what}: ${qualification} is not vetted and carries no vetting fields`);
  }
  return {
    qualification,
    ...(vettingStatus === undefined ? {} : { vettingStatus }),
    ...(vettingReason === undefined ? {} : { vettingReason }),
    ...(vettingCreateDate === undefined ? {} : { vettingCreateDate }),
  };
}

/** Validates one validation-code record; a missing eTag stays missing here and is generated by the state. */
export function parseValidationCode(value: unknown, what = "validation code"): ValidationCodeRecord {
  const code = expectObject(value, what);
  rejectUnknownKeys(
    code,
    ["partnerId", "organizationName", "validationId", "maxCreates", "remainingCreates", "eTag"] satisfies (keyof ValidationCodeRecord)[],
    what,
  );
  // One documentation table types validationId as an int; the wire form is a string.
  const validationId = typeof code.validationId === "number" ? String(code.validationId) : readString(code, "validationId", what);
  const record: ValidationCodeRecord = {
    partnerId: readString(code, "partnerId", what),
    organizationName: readString(code, "organizationName", what),
    validationId,
    maxCreates: readNonNegativeInteger(code, "maxCreates", what),
    remainingCreates: readNonNegativeInteger(code, "remainingCreates", what),
  };
  if (record.remainingCreates > record.maxCreates) {
    throw new InputRejectedError(`${what}.remainingCreates (${record.remainingCreates}) exceeds maxCreates (${record.maxCreates})`);
  }
  const eTag = readOptionalString(code, "eTag", what);
  return eTag === undefined ? record : { ...record, eTag };
}
