/**
 * Qualification names and the POST body: case-insensitive property and enum matching, and
 * the body-level rules (steps 3 to 5a of the create checks) that need no stored state.
 */

import { ERROR_CODES, failure, type ApiError, type Outcome } from "./api-errors";
import { isJsonObject, tryParseJson } from "./input-validation";

/** Qualifications a partner can set, in their canonical spelling. */
export const SETTABLE_QUALIFICATIONS = ["Education", "GovernmentCommunityCloud", "StateOwnedEntity"] as const;

/** A settable qualification. */
export type QualificationName = (typeof SETTABLE_QUALIFICATIONS)[number];

/** Enum members that exist but can never be set. */
const UNSETTABLE_QUALIFICATIONS = ["None", "Nonprofit"] as const;

/** Education segments in their canonical spelling. */
export const EDUCATION_SEGMENTS = ["K12", "HigherEducation"] as const;

/** An education segment. */
export type EducationSegment = (typeof EDUCATION_SEGMENTS)[number];

/** A validated create request. */
export interface QualificationRequest {
  qualification: QualificationName;
  educationSegment?: EducationSegment;
  website?: string;
  /** GovernmentCommunityCloud only: the code from the body or the `code` query parameter. */
  validationCode?: string;
}

/** The canonical spelling of a settable qualification name, matched case-insensitively. */
export function canonicalQualificationName(name: string): QualificationName | undefined {
  return matchCaseInsensitive(SETTABLE_QUALIFICATIONS, name);
}

/** True for qualifications Microsoft vets (StateOwnedEntity is not vetted). */
export function isVettedQualification(name: string): boolean {
  const canonical = canonicalQualificationName(name);
  return canonical === "Education" || canonical === "GovernmentCommunityCloud";
}

/**
 * Validates a POST body. `queryCode` is the `?code=` parameter: the 2021 contract carried the
 * GCC validation code there, the 2023 one in the body, so either is accepted.
 */
export function parseQualificationRequest(rawBody: string, queryCode: string | undefined): Outcome<QualificationRequest> {
  const json = tryParseJson(rawBody);
  if (!json.ok) return invalidProperty(`The request body is not valid JSON: ${json.reason}`);
  const parsed = json.value;
  if (!isJsonObject(parsed)) {
    return invalidProperty("The request body must be a JSON object with a 'qualification' property.");
  }
  const properties = lowerCaseKeys(parsed);
  if (!properties.ok) return properties;
  const body = properties.value;

  const qualification = parseQualificationName(body.get("qualification"));
  if (!qualification.ok) return qualification;
  const name = qualification.value;

  const details = parseEducationDetails(name, body.get("educationsegment"), body.get("website"));
  if (!details.ok) return details;

  const code = resolveValidationCode(name, body.get("validationcode"), queryCode);
  if (!code.ok) return code;

  return { ok: true, value: { qualification: name, ...details.value, ...(code.value === undefined ? {} : { validationCode: code.value }) } };
}

function parseQualificationName(value: unknown): Outcome<QualificationName> {
  if (value === undefined || value === null || value === "") {
    return invalidProperty("The 'qualification' property is required.");
  }
  if (typeof value !== "string") {
    return unparsableEnum(`Unable to parse ${JSON.stringify(value)} as a qualification; expected ${SETTABLE_QUALIFICATIONS.join(", ")}.`);
  }
  const unsettable = matchCaseInsensitive(UNSETTABLE_QUALIFICATIONS, value);
  if (unsettable !== undefined) {
    return invalidProperty(`The qualification '${unsettable}' cannot be set; settable qualifications are ${SETTABLE_QUALIFICATIONS.join(", ")}.`);
  }
  const name = canonicalQualificationName(value);
  if (name === undefined) {
    return unparsableEnum(`Unable to parse '${value}' as a qualification; expected ${SETTABLE_QUALIFICATIONS.join(", ")}.`);
  }
  return { ok: true, value: name };
}

function parseEducationDetails(
  name: QualificationName,
  segmentValue: unknown,
  websiteValue: unknown,
): Outcome<{ educationSegment?: EducationSegment; website?: string }> {
  const hasSegment = segmentValue !== undefined && segmentValue !== null;
  const hasWebsite = websiteValue !== undefined && websiteValue !== null;
  if (name !== "Education") {
    if (hasSegment) return invalidProperty(`'educationSegment' is only valid for the Education qualification, not ${name}.`);
    if (hasWebsite) return invalidProperty(`'website' is only valid for the Education qualification, not ${name}.`);
    return { ok: true, value: {} };
  }
  if (!hasSegment || segmentValue === "") {
    return invalidProperty(`The Education qualification requires 'educationSegment' (${EDUCATION_SEGMENTS.join(" or ")}).`);
  }
  const segment = typeof segmentValue === "string" ? matchCaseInsensitive(EDUCATION_SEGMENTS, segmentValue) : undefined;
  if (segment === undefined) {
    return unparsableEnum(`Unable to parse ${JSON.stringify(segmentValue)} as an educationSegment; expected ${EDUCATION_SEGMENTS.join(" or ")}.`);
  }
  if (!hasWebsite) return { ok: true, value: { educationSegment: segment } };
  if (typeof websiteValue !== "string" || websiteValue.trim() === "") {
    return invalidProperty("'website' must be a non-empty string, e.g. contoso.edu.");
  }
  return { ok: true, value: { educationSegment: segment, website: websiteValue } };
}

function resolveValidationCode(name: QualificationName, bodyValue: unknown, queryCode: string | undefined): Outcome<string | undefined> {
  // One documentation table types validationId as an int, so a numeric body value is read as its digits.
  const fromBody = typeof bodyValue === "number" ? String(bodyValue) : bodyValue;
  if (fromBody !== undefined && fromBody !== null && typeof fromBody !== "string") {
    return invalidProperty("'validationCode' must be a string.");
  }
  const bodyCode = nonEmpty(fromBody);
  const query = nonEmpty(queryCode);
  if (name !== "GovernmentCommunityCloud") {
    if (bodyCode !== undefined || query !== undefined) {
      return invalidProperty(`A validation code ('validationCode' or the 'code' query parameter) is only valid for GovernmentCommunityCloud, not ${name}.`);
    }
    return { ok: true, value: undefined };
  }
  if (bodyCode !== undefined && query !== undefined && bodyCode !== query) {
    return invalidProperty(`The 'validationCode' in the body ('${bodyCode}') and the 'code' query parameter ('${query}') disagree.`);
  }
  const code = bodyCode ?? query;
  if (code === undefined) {
    return invalidProperty(
      "The GovernmentCommunityCloud qualification requires a validation code: 'validationCode' in the body or the 'code' query parameter.",
    );
  }
  return { ok: true, value: code };
}

/** Body properties keyed by lower-case name, because the server matches names case-insensitively. */
function lowerCaseKeys(body: Record<string, unknown>): Outcome<Map<string, unknown>> {
  const properties = new Map<string, unknown>();
  for (const [key, value] of Object.entries(body)) {
    const lower = key.toLowerCase();
    if (properties.has(lower)) return invalidProperty(`The property '${key}' is given more than once (names are case-insensitive).`);
    properties.set(lower, value);
  }
  return { ok: true, value: properties };
}

function matchCaseInsensitive<T extends string>(candidates: readonly T[], value: string): T | undefined {
  const lower = value.trim().toLowerCase();
  return candidates.find((candidate) => candidate.toLowerCase() === lower);
}

function nonEmpty(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

function invalidProperty(description: string): { ok: false; error: ApiError } {
  return failure(400, ERROR_CODES.invalidProperty, description);
}

function unparsableEnum(description: string): { ok: false; error: ApiError } {
  return failure(400, ERROR_CODES.unparsableEnum, description);
}
