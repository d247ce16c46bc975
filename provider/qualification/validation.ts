/**
 * The rules a qualification request must satisfy before anything is sent to Partner Center.
 * Shared by the resource's `check`, the client and the bulk list reader, so that every entry
 * point refuses the same inputs with the same words.
 */
import { oneLine } from "../text";
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
  /**
   * Adopt only: take over the qualification the customer already holds, and never POST one. An
   * entry that only adopts needs neither `educationSegment` nor a validation code.
   */
  readonly adoptOnly?: boolean;
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
  return JSON.stringify(oneLine(value, 60));
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
  "adoptOnly",
] as const;

/**
 * Checks the inputs of one qualification and normalises them. Never throws and never echoes a
 * validation code. Messages name the field and what is allowed.
 */
export function validateQualificationInputs(
  raw: Readonly<Record<string, unknown>>,
  options: ValidateQualificationInputsOptions = {},
): ValidatedQualificationInputs {
  const check = new InputCheck(raw, options);
  checkKnownProperties(check, [...QUALIFICATION_INPUT_PROPERTIES, ...(options.extraProperties ?? [])]);
  checkCustomerId(check);
  // Cross-field rules below only fire once the qualification is known: during preview an unknown
  // qualification leaves it undefined, and those rules wait for `pulumi up`.
  const qualification = checkQualification(check);
  const adoptOnly = checkAdoptOnly(check);
  checkEducationSegment(check, qualification, adoptOnly);
  checkWebsite(check, qualification);
  checkValidationCode(check, qualification, options.requireValidationCode === true && !adoptOnly);
  checkValidationOrganization(check, qualification);
  checkVettingOptions(check, qualification);
  return { inputs: check.inputs, failures: check.failures };
}

/** One validation in progress: the raw inputs, the normalised ones, and what was refused. */
class InputCheck {
  readonly inputs: Record<string, unknown>;
  readonly failures: InputFailure[] = [];

  constructor(
    readonly raw: Readonly<Record<string, unknown>>,
    private readonly options: ValidateQualificationInputsOptions,
  ) {
    this.inputs = { ...raw };
  }

  fail(property: string, reason: string): void {
    this.failures.push({ property, reason });
  }

  isUnknown(value: unknown): boolean {
    return this.options.unknownValue !== undefined && value === this.options.unknownValue;
  }

  /** Given, and neither null nor absent (an unknown preview value counts as given). */
  present(name: string): boolean {
    return this.raw[name] !== undefined && this.raw[name] !== null;
  }

  /** The field as a non-empty string; undefined when absent or unknown, or when refused (recorded). */
  text(name: string, expected: string): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null || this.isUnknown(value)) return undefined;
    if (typeof value !== "string") {
      this.fail(name, `${name} must be a string (${expected}); got ${typeName(value)}`);
      return undefined;
    }
    if (value.trim() === "") {
      this.fail(name, `${name} must not be empty: give ${expected}`);
      return undefined;
    }
    return value;
  }

  /** Refuses a field given for a qualification it does not belong to. */
  onlyFor(name: string, qualification: SettableQualification | undefined, allowed: SettableQualification, what = allowed): void {
    if (qualification !== undefined && qualification !== allowed && this.present(name)) {
      this.fail(name, `${name} is only allowed with ${what}; remove it for ${qualification}`);
    }
  }
}

function checkKnownProperties(check: InputCheck, allowed: readonly string[]): void {
  for (const key of Object.keys(check.raw)) {
    if (!allowed.includes(key) && !key.startsWith("__")) {
      check.fail(key, `${key} is not an input of a customer qualification; allowed inputs: ${allowed.join(", ")}`);
    }
  }
}

function checkCustomerId(check: InputCheck): void {
  if (!check.present("customerId")) {
    check.fail("customerId", "customerId is required: the customer's tenant ID, a GUID such as 7b0e2b14-3c2f-4d6e-9a51-2f1c8d0e4a77");
    return;
  }
  const id = check.text("customerId", "the customer's tenant ID, a GUID");
  if (id === undefined) return;
  if (!GUID.test(id.trim())) {
    check.fail("customerId", `customerId must be the customer's tenant ID, a GUID such as 7b0e2b14-3c2f-4d6e-9a51-2f1c8d0e4a77; got ${quoted(id)}`);
  } else {
    check.inputs.customerId = id.trim().toLowerCase();
  }
}

function checkQualification(check: InputCheck): SettableQualification | undefined {
  const settable = SETTABLE_QUALIFICATIONS.join(", ");
  if (!check.present("qualification")) {
    check.fail("qualification", `qualification is required: one of ${settable}`);
    return undefined;
  }
  const name = check.text("qualification", `one of ${settable}`);
  if (name === undefined) return undefined;
  const unsettable = oneOf(UNSETTABLE_QUALIFICATIONS, name);
  const qualification = canonicalQualification(name);
  if (unsettable !== undefined) {
    check.fail("qualification", `qualification ${quoted(unsettable)} can't be set: Partner Center only lets a partner set ${settable}`);
  } else if (qualification === undefined) {
    check.fail("qualification", `qualification must be one of ${settable}; got ${quoted(name)}`);
  } else {
    check.inputs.qualification = qualification;
  }
  return qualification;
}

/**
 * adoptOnly: `true` or `false` (false is the same as leaving it out, and is not kept). Returns
 * whether the entry only adopts; an unknown preview value counts as adopt-only, so that the rules
 * a create needs wait for `pulumi up`.
 */
function checkAdoptOnly(check: InputCheck): boolean {
  const value = check.raw.adoptOnly;
  if (value === undefined || value === null) return false;
  if (check.isUnknown(value)) return true;
  if (typeof value !== "boolean") {
    check.fail("adoptOnly", `adoptOnly must be true or false; got ${typeName(value)}`);
    return false;
  }
  if (!value) delete check.inputs.adoptOnly;
  if (value && check.present("resubmitDenied")) {
    check.fail("resubmitDenied", "resubmitDenied re-submits with a POST, and an adoptOnly entry never POSTs: remove one of them");
  }
  return value;
}

/** educationSegment: required for Education (unless the entry only adopts), refused otherwise. */
function checkEducationSegment(check: InputCheck, qualification: SettableQualification | undefined, adoptOnly: boolean): void {
  const segments = EDUCATION_SEGMENTS.join(" or ");
  const segment = check.text("educationSegment", segments);
  if (segment !== undefined) {
    const canonical = canonicalEducationSegment(segment);
    if (canonical === undefined) check.fail("educationSegment", `educationSegment must be ${segments}; got ${quoted(segment)}`);
    else check.inputs.educationSegment = canonical;
  }
  if (qualification === "Education" && !check.present("educationSegment") && !adoptOnly) {
    check.fail("educationSegment", `educationSegment is required to create Education: ${segments}; an entry with adoptOnly: true needs none`);
  }
  check.onlyFor("educationSegment", qualification, "Education");
}

/** website: optional, Education only. */
function checkWebsite(check: InputCheck, qualification: SettableQualification | undefined): void {
  const website = check.text("website", "the institution's web site, such as contoso.edu");
  if (website !== undefined) {
    const trimmed = website.trim();
    if (trimmed.length > MAX_WEBSITE_LENGTH || !WEBSITE.test(trimmed)) {
      check.fail("website", `website must be a host name or http(s) URL such as contoso.edu; got ${quoted(website)}`);
    } else {
      check.inputs.website = trimmed;
    }
  }
  check.onlyFor("website", qualification, "Education");
}

/** validationCode: GCC only (required when `required`); a secret, so never quoted back. */
function checkValidationCode(check: InputCheck, qualification: SettableQualification | undefined, required: boolean): void {
  const code = check.raw.validationCode;
  const what = "the validationId of one of your GCC validation codes";
  if (code !== undefined && code !== null && !check.isUnknown(code)) {
    if (typeof code === "number" && Number.isSafeInteger(code) && code >= 0) {
      check.inputs.validationCode = String(code);
    } else if (typeof code !== "string") {
      check.fail("validationCode", `validationCode must be a string (${what}); got ${typeName(code)}`);
    } else if (code.trim() === "") {
      check.fail("validationCode", `validationCode must not be empty: give ${what}`);
    } else if (code.length > MAX_VALIDATION_CODE_LENGTH || /\s/.test(code.trim())) {
      check.fail("validationCode", `validationCode must be a single token without spaces (${what})`);
    } else {
      check.inputs.validationCode = code.trim();
    }
  }
  if (qualification === "GovernmentCommunityCloud" && !check.present("validationCode") && required) {
    check.fail("validationCode", `validationCode is required for GovernmentCommunityCloud: ${what} (GET /v1/customers/all/validations)`);
  }
  check.onlyFor("validationCode", qualification, "GovernmentCommunityCloud");
}

/** validationOrganization: GCC only, instead of an explicit code. */
function checkValidationOrganization(check: InputCheck, qualification: SettableQualification | undefined): void {
  const organization = check.text("validationOrganization", "the organizationName of one of your GCC validation codes");
  if (organization !== undefined) check.inputs.validationOrganization = organization.trim();
  check.onlyFor("validationOrganization", qualification, "GovernmentCommunityCloud");
  if (check.present("validationOrganization") && check.present("validationCode")) {
    check.fail("validationOrganization", "validationOrganization and validationCode both choose the GCC validation code: give one of them");
  }
}

/** waitForVetting and resubmitDenied: only for the vetted qualifications. */
function checkVettingOptions(check: InputCheck, qualification: SettableQualification | undefined): void {
  const wait = check.raw.waitForVetting;
  if (wait !== undefined && wait !== null && !check.isUnknown(wait)) {
    const normalised = waitForVettingOf(wait, (property, reason) => check.fail(property, reason));
    if (normalised === undefined) delete check.inputs.waitForVetting;
    else check.inputs.waitForVetting = normalised;
  }
  const resubmit = check.text("resubmitDenied", "a label such as a date or ticket number");
  if (resubmit !== undefined) {
    if (resubmit.length > 200) check.fail("resubmitDenied", "resubmitDenied must be at most 200 characters: a label such as a date or ticket number");
    else check.inputs.resubmitDenied = resubmit.trim();
  }
  for (const name of ["waitForVetting", "resubmitDenied"] as const) {
    if (qualification === "StateOwnedEntity" && check.present(name) && check.raw[name] !== false) {
      check.fail(name, `${name} is only allowed with Education and GovernmentCommunityCloud: StateOwnedEntity is not vetted`);
    }
  }
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
