/**
 * The rules a qualification request must satisfy before anything is sent to Partner Center.
 * Shared by the resource's `check`, the client and the bulk list reader, so that every entry
 * point refuses the same inputs with the same words.
 */
import {
  EDUCATION_SEGMENTS,
  SETTABLE_QUALIFICATIONS,
  UNSETTABLE_QUALIFICATIONS,
  canonicalEducationSegment,
  canonicalQualification,
  oneOf,
  type EducationSegment,
  type SettableQualification,
} from "./names";

/** One refused input: the property it concerns and why, in words fit for a CI log. */
export interface InputFailure {
  readonly property: string;
  readonly reason: string;
}

/** Raised when inputs are refused before any request is sent. */
export class InputValidationError extends Error {
  override readonly name = "InputValidationError";
  /** Every refused property, not only the first. */
  readonly failures: readonly InputFailure[];

  constructor(subject: string, failures: readonly InputFailure[]) {
    super(`${subject}: ${failures.map((f) => f.reason).join("; ")}`);
    this.failures = failures;
  }
}

/** The inputs of one qualification, normalised: canonical spellings, lower-case GUID. */
export interface QualificationInputs {
  readonly customerId: string;
  readonly qualification: SettableQualification;
  readonly educationSegment?: EducationSegment;
  readonly website?: string;
  readonly validationCode?: string;
  /** GCC: choose the partner's validation code whose organizationName this is. */
  readonly validationOrganization?: string;
  /** Wait for Microsoft's vetting decision (Education, GCC): `true`, or limits. */
  readonly waitForVetting?: boolean | WaitForVettingOptions;
  /** A label; each new label re-submits a Denied qualification once for re-verification. */
  readonly resubmitDenied?: string;
}

/** Limits of waiting for a vetting decision. */
export interface WaitForVettingOptions {
  /** How long to wait in all. Default 1800000 (30 minutes). */
  readonly timeoutInMs?: number;
  /** The first wait between reads; later waits double, up to 5 minutes. Default 15000. */
  readonly pollIntervalInMs?: number;
}

/** The most a run may wait for vetting: Node timers stop at 2^31 - 1 ms (24.8 days). */
export const MAX_VETTING_WAIT_IN_MS = 7 * 24 * 60 * 60 * 1000;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WEBSITE = /^(https?:\/\/)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d{1,5})?(\/\S*)?$/i;
const MAX_WEBSITE_LENGTH = 2048;
const MAX_VALIDATION_CODE_LENGTH = 256;

/** True when the value is a tenant ID in GUID form. */
export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** Describes a value's type for an error message without echoing the value. */
function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Quotes a user's value for a message, shortened so that a pasted blob stays one readable line. */
function quoted(value: string): string {
  const oneLine = value.replace(/\s+/g, " ");
  return JSON.stringify(oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine);
}

/** Options for {@link validateQualificationInputs}. */
export interface ValidateQualificationInputsOptions {
  /**
   * A value that stands for "not known yet" (Pulumi's preview sentinel). Fields holding it are
   * not judged, and nor are the rules that depend on them.
   */
  readonly unknownValue?: string;
  /** Input names accepted besides the qualification's own (for example the resource's options). */
  readonly extraProperties?: readonly string[];
  /**
   * When true, GovernmentCommunityCloud must carry `validationCode` (a request to the API).
   * Otherwise it may leave the code out, for the provider to choose one.
   */
  readonly requireValidationCode?: boolean;
}

/** The result of {@link validateQualificationInputs}: the normalised inputs and every failure. */
export interface ValidatedQualificationInputs {
  /** The inputs with canonical spellings; unknown values and extra properties are kept as given. */
  readonly inputs: Record<string, unknown>;
  readonly failures: InputFailure[];
}

/** Every input a qualification declaration accepts, in the order they are documented. */
export const QUALIFICATION_INPUT_PROPERTIES = [
  "customerId",
  "qualification",
  "educationSegment",
  "website",
  "validationCode",
  "validationOrganization",
  "waitForVetting",
  "resubmitDenied",
] as const;

/**
 * Checks the inputs of one qualification and normalises them. Never throws and never echoes a
 * validation code. Messages name the field and what is allowed.
 */
export function validateQualificationInputs(
  raw: Readonly<Record<string, unknown>>,
  options: ValidateQualificationInputsOptions = {},
): ValidatedQualificationInputs {
  const failures: InputFailure[] = [];
  const inputs: Record<string, unknown> = { ...raw };
  const isUnknown = (v: unknown): boolean => options.unknownValue !== undefined && v === options.unknownValue;
  const fail = (property: string, reason: string): void => {
    failures.push({ property, reason });
  };
  const present = (name: string): boolean => raw[name] !== undefined && raw[name] !== null;

  /** Returns the field as a non-empty string, undefined when absent or unknown, or records why not. */
  const text = (name: string, expected: string): string | undefined => {
    const value = raw[name];
    if (value === undefined || value === null || isUnknown(value)) return undefined;
    if (typeof value !== "string") {
      fail(name, `${name} must be a string (${expected}); got ${typeName(value)}`);
      return undefined;
    }
    if (value.trim() === "") {
      fail(name, `${name} must not be empty: give ${expected}`);
      return undefined;
    }
    return value;
  };

  const allowed: string[] = [...QUALIFICATION_INPUT_PROPERTIES, ...(options.extraProperties ?? [])];
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key) && !key.startsWith("__")) {
      fail(key, `${key} is not an input of a customer qualification; allowed inputs: ${allowed.join(", ")}`);
    }
  }

  // customerId
  if (!present("customerId")) {
    fail("customerId", "customerId is required: the customer's tenant ID, a GUID such as 7b0e2b14-3c2f-4d6e-9a51-2f1c8d0e4a77");
  } else {
    const id = text("customerId", "the customer's tenant ID, a GUID");
    if (id !== undefined) {
      if (!GUID.test(id.trim())) {
        fail(
          "customerId",
          `customerId must be the customer's tenant ID, a GUID such as 7b0e2b14-3c2f-4d6e-9a51-2f1c8d0e4a77; got ${quoted(id)}`,
        );
      } else {
        inputs.customerId = id.trim().toLowerCase();
      }
    }
  }

  // qualification
  const settable = SETTABLE_QUALIFICATIONS.join(", ");
  let qualification: SettableQualification | undefined;
  if (!present("qualification")) {
    fail("qualification", `qualification is required: one of ${settable}`);
  } else {
    const name = text("qualification", `one of ${settable}`);
    if (name !== undefined) {
      qualification = canonicalQualification(name);
      const unsettable = oneOf(UNSETTABLE_QUALIFICATIONS, name);
      if (unsettable !== undefined) {
        fail(
          "qualification",
          `qualification ${quoted(unsettable)} can't be set: Partner Center only lets a partner set ${settable}`,
        );
      } else if (qualification === undefined) {
        fail("qualification", `qualification must be one of ${settable}; got ${quoted(name)}`);
      } else {
        inputs.qualification = qualification;
      }
    }
  }

  // educationSegment: required for Education, refused otherwise.
  const segments = EDUCATION_SEGMENTS.join(" or ");
  const segment = text("educationSegment", segments);
  if (segment !== undefined) {
    const canonical = canonicalEducationSegment(segment);
    if (canonical === undefined) {
      fail("educationSegment", `educationSegment must be ${segments}; got ${quoted(segment)}`);
    } else {
      inputs.educationSegment = canonical;
    }
  }
  if (qualification === "Education" && !present("educationSegment")) {
    fail("educationSegment", `educationSegment is required for Education: ${segments}`);
  }
  if (qualification !== undefined && qualification !== "Education" && present("educationSegment")) {
    fail("educationSegment", `educationSegment is only allowed with Education; remove it for ${qualification}`);
  }

  // website: optional, Education only.
  const website = text("website", "the institution's web site, such as contoso.edu");
  if (website !== undefined) {
    const trimmed = website.trim();
    if (trimmed.length > MAX_WEBSITE_LENGTH || !WEBSITE.test(trimmed)) {
      fail("website", `website must be a host name or http(s) URL such as contoso.edu; got ${quoted(website)}`);
    } else {
      inputs.website = trimmed;
    }
  }
  if (qualification !== undefined && qualification !== "Education" && present("website")) {
    fail("website", `website is only allowed with Education; remove it for ${qualification}`);
  }

  // validationCode: required for GCC, refused otherwise; a secret, so never quoted back.
  const code = raw.validationCode;
  if (code !== undefined && code !== null && !isUnknown(code)) {
    if (typeof code === "number" && Number.isSafeInteger(code) && code >= 0) {
      inputs.validationCode = String(code);
    } else if (typeof code !== "string") {
      fail("validationCode", `validationCode must be a string (the validationId of one of your GCC validation codes); got ${typeName(code)}`);
    } else if (code.trim() === "") {
      fail("validationCode", "validationCode must not be empty: give the validationId of one of your GCC validation codes");
    } else if (code.length > MAX_VALIDATION_CODE_LENGTH || /\s/.test(code.trim())) {
      fail("validationCode", "validationCode must be a single token without spaces (the validationId of one of your GCC validation codes)");
    } else {
      inputs.validationCode = code.trim();
    }
  }
  if (
    qualification === "GovernmentCommunityCloud" &&
    !present("validationCode") &&
    options.requireValidationCode === true
  ) {
    fail(
      "validationCode",
      "validationCode is required for GovernmentCommunityCloud: the validationId of one of your GCC validation codes (GET /v1/customers/all/validations)",
    );
  }
  if (qualification !== undefined && qualification !== "GovernmentCommunityCloud" && present("validationCode")) {
    fail("validationCode", `validationCode is only allowed with GovernmentCommunityCloud; remove it for ${qualification}`);
  }

  // validationOrganization: GCC only, instead of an explicit code.
  const organization = text("validationOrganization", "the organizationName of one of your GCC validation codes");
  if (organization !== undefined) inputs.validationOrganization = organization.trim();
  if (qualification !== undefined && qualification !== "GovernmentCommunityCloud" && present("validationOrganization")) {
    fail("validationOrganization", `validationOrganization is only allowed with GovernmentCommunityCloud; remove it for ${qualification}`);
  }
  if (present("validationOrganization") && present("validationCode")) {
    fail("validationOrganization", "validationOrganization and validationCode both choose the GCC validation code: give one of them");
  }

  // waitForVetting and resubmitDenied: only for the vetted qualifications.
  const wait = raw.waitForVetting;
  if (wait !== undefined && wait !== null && !isUnknown(wait)) {
    const normalised = waitForVettingOf(wait, fail);
    if (normalised === undefined) delete inputs.waitForVetting;
    else inputs.waitForVetting = normalised;
  }
  const resubmit = text("resubmitDenied", "a label such as a date or ticket number");
  if (resubmit !== undefined) {
    if (resubmit.length > 200) fail("resubmitDenied", "resubmitDenied must be at most 200 characters: a label such as a date or ticket number");
    else inputs.resubmitDenied = resubmit.trim();
  }
  for (const name of ["waitForVetting", "resubmitDenied"] as const) {
    if (qualification === "StateOwnedEntity" && present(name) && raw[name] !== false) {
      fail(name, `${name} is only allowed with Education and GovernmentCommunityCloud: StateOwnedEntity is not vetted`);
    }
  }

  // Cross-field rules above only fire once the qualification is known: during preview an unknown
  // qualification leaves `qualification` undefined, and the rules wait for `pulumi up`.
  return { inputs, failures };
}

/**
 * Reads `waitForVetting`: `true`, `false` (returns undefined: no waiting) or
 * `{timeoutInMs?, pollIntervalInMs?}` with whole milliseconds in range.
 */
function waitForVettingOf(value: unknown, fail: (property: string, reason: string) => void): true | WaitForVettingOptions | undefined {
  const allowed = "true, false, or {timeoutInMs, pollIntervalInMs} in milliseconds";
  if (value === true) return true;
  if (value === false) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail("waitForVetting", `waitForVetting must be ${allowed}; got ${typeName(value)}`);
    return undefined;
  }
  const out: { timeoutInMs?: number; pollIntervalInMs?: number } = {};
  for (const [key, v] of Object.entries(value)) {
    if (key !== "timeoutInMs" && key !== "pollIntervalInMs") {
      fail("waitForVetting", `waitForVetting.${key} is not a setting; allowed: timeoutInMs, pollIntervalInMs`);
      continue;
    }
    const min = key === "timeoutInMs" ? 1000 : 100;
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > MAX_VETTING_WAIT_IN_MS) {
      fail("waitForVetting", `waitForVetting.${key} must be whole milliseconds from ${min} to ${MAX_VETTING_WAIT_IN_MS} (7 days)`);
      continue;
    }
    out[key] = v;
  }
  if (out.timeoutInMs !== undefined && out.pollIntervalInMs !== undefined && out.pollIntervalInMs > out.timeoutInMs) {
    fail("waitForVetting", "waitForVetting.pollIntervalInMs must not be longer than waitForVetting.timeoutInMs");
  }
  return out;
}

/**
 * Validates inputs that must be complete (no unknowns) and returns them typed, or throws an
 * {@link InputValidationError} naming every refused field.
 */
export function requireValidQualificationInputs(
  subject: string,
  raw: Readonly<Record<string, unknown>>,
  options: Omit<ValidateQualificationInputsOptions, "unknownValue"> = {},
): QualificationInputs {
  const { inputs, failures } = validateQualificationInputs(raw, options);
  if (failures.length > 0) throw new InputValidationError(subject, failures);
  return inputs as unknown as QualificationInputs;
}
