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
}

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
  /** When true, GovernmentCommunityCloud may leave `validationCode` out (the provider chooses one). */
  readonly validationCodeOptional?: boolean;
}

/** The result of {@link validateQualificationInputs}: the normalised inputs and every failure. */
export interface ValidatedQualificationInputs {
  /** The inputs with canonical spellings; unknown values and extra properties are kept as given. */
  readonly inputs: Record<string, unknown>;
  readonly failures: InputFailure[];
}

const OWN_PROPERTIES = ["customerId", "qualification", "educationSegment", "website", "validationCode"];

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

  const allowed = [...OWN_PROPERTIES, ...(options.extraProperties ?? [])];
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
      const unsettable = UNSETTABLE_QUALIFICATIONS.find((u) => u.toLowerCase() === name.trim().toLowerCase());
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
    !options.validationCodeOptional
  ) {
    fail(
      "validationCode",
      "validationCode is required for GovernmentCommunityCloud: the validationId of one of your GCC validation codes (GET /v1/customers/all/validations)",
    );
  }
  if (qualification !== undefined && qualification !== "GovernmentCommunityCloud" && present("validationCode")) {
    fail("validationCode", `validationCode is only allowed with GovernmentCommunityCloud; remove it for ${qualification}`);
  }

  // Cross-field rules above only fire once the qualification is known: during preview an unknown
  // qualification leaves `qualification` undefined, and the rules wait for `pulumi up`.
  return { inputs, failures };
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
