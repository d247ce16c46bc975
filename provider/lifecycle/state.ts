/**
 * The shape of a CustomerQualification in Pulumi state, and its ID. State written by earlier
 * versions of this package is read by the current code (state refers to the installed package),
 * so readers here accept missing or differently-cased fields.
 */
import {
  QUALIFICATION_INPUT_PROPERTIES,
  canonicalEducationSegment,
  canonicalQualification,
  type QualificationInputs,
  type SettableQualification,
} from "../qualification";
import type { QualificationRecord } from "../client";

/** The input properties of the resource, in the order they are documented. */
export const INPUT_PROPERTIES = QUALIFICATION_INPUT_PROPERTIES;

/** Inputs that identify the qualification on the service: changing one means a new qualification. */
export const REPLACING_PROPERTIES = ["customerId", "qualification", "educationSegment", "website"] as const;

/**
 * Inputs that Partner Center does not report back: state that lacks one (an imported or adopted
 * qualification) never knew it, so a value the program gives later is not a change.
 */
export const UNREPORTED_PROPERTIES: readonly string[] = ["educationSegment", "website"];

/** Inputs that change in place: they steer what the provider does, not what the service holds. */
export const UPDATABLE_PROPERTIES = ["validationCode", "validationOrganization", "waitForVetting", "resubmitDenied", "adoptOnly"] as const;

/** The resource's URN, carried as an input because the dynamic-provider host does not pass it on. */
export const URN_PROPERTY = "__urn";

/**
 * An output of GCC resources that hold a code: true when the provider chose `validationCode`,
 * false when the program gave it. `read` reports a chosen code as an output only, never as an
 * input: an input the program never set would be written to state without its secret mark.
 */
export const VALIDATION_CODE_CHOSEN = "validationCodeChosen";

/** The vetting outputs, copied from the service's answer; absent when the service gives none. */
export const VETTING_PROPERTIES = ["vettingStatus", "vettingReason", "vettingCreateDate"] as const;

/** A CustomerQualification's outputs: its inputs plus the vetting fields. */
export interface CustomerQualificationState extends QualificationInputs {
  readonly validationCodeChosen?: boolean;
  readonly vettingStatus?: string;
  readonly vettingReason?: string;
  readonly vettingCreateDate?: string;
}

/** The resource ID: `<customerId>/<Qualification>`, stable and readable. */
export function qualificationId(customerId: string, qualification: SettableQualification): string {
  return `${customerId.toLowerCase()}/${qualification}`;
}

/** Splits a resource ID back into its parts; undefined when it is not one of ours. */
export function parseQualificationId(id: string): { customerId: string; qualification: SettableQualification } | undefined {
  const slash = id.indexOf("/");
  if (slash <= 0) return undefined;
  const qualification = canonicalQualification(id.slice(slash + 1));
  if (qualification === undefined) return undefined;
  return { customerId: id.slice(0, slash).toLowerCase(), qualification };
}

/**
 * Picks the input properties out of stored state (inputs or outputs), normalising spellings, so
 * that state from any earlier version compares equal to the same inputs given today.
 */
export function inputsFromState(props: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of [...INPUT_PROPERTIES, URN_PROPERTY]) {
    const value = props[name];
    if (value !== undefined && value !== null) out[name] = value;
  }
  if (typeof out.customerId === "string") out.customerId = out.customerId.trim().toLowerCase();
  if (typeof out.qualification === "string") out.qualification = canonicalQualification(out.qualification) ?? out.qualification;
  if (typeof out.educationSegment === "string") {
    out.educationSegment = canonicalEducationSegment(out.educationSegment) ?? out.educationSegment;
  }
  if (typeof out.validationCode === "number") out.validationCode = String(out.validationCode);
  return out;
}

/**
 * The inputs that `read` reports from stored outputs: what the program declared. A code the
 * provider chose is left out, and so is a code in state written before 0.2.0, which does not say
 * where its code came from (the next `pulumi up` records that, see {@link needsCodeOriginRecorded}).
 */
export function declaredInputsFromState(props: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const inputs = inputsFromState(props);
  if (props[VALIDATION_CODE_CHOSEN] !== false) delete inputs.validationCode;
  return inputs;
}

/** True for stored outputs that hold a validation code without saying whether it was chosen (0.1.0). */
export function needsCodeOriginRecorded(props: Readonly<Record<string, unknown>>): boolean {
  return props.validationCode !== undefined && props.validationCode !== null && typeof props[VALIDATION_CODE_CHOSEN] !== "boolean";
}

/** The outputs for the given inputs and the service's record of the qualification. */
export function outputsOf(inputs: object, record: QualificationRecord | undefined): Record<string, unknown> {
  const given = inputs as Readonly<Record<string, unknown>>;
  const outs: Record<string, unknown> = inputsFromState(given);
  if (outs.validationCode !== undefined && typeof given[VALIDATION_CODE_CHOSEN] === "boolean") {
    outs[VALIDATION_CODE_CHOSEN] = given[VALIDATION_CODE_CHOSEN];
  }
  for (const name of VETTING_PROPERTIES) {
    const value = record?.[name];
    if (value !== undefined) outs[name] = value;
  }
  return outs;
}

/** The vetting fields of stored outputs, to carry over when nothing was asked of the service. */
export function vettingOf(props: Readonly<Record<string, unknown>>): QualificationRecord {
  const qualification = typeof props.qualification === "string" ? props.qualification : "";
  const record: Record<string, string> = { qualification };
  for (const name of VETTING_PROPERTIES) {
    const value = props[name];
    if (typeof value === "string") record[name] = value;
  }
  return record as unknown as QualificationRecord;
}

/** The resource's URN from its state, when it was written by a version that carries it. */
export function urnOf(props: Readonly<Record<string, unknown>>): string | undefined {
  const urn = props[URN_PROPERTY];
  return typeof urn === "string" && urn.startsWith("urn:pulumi:") ? urn : undefined;
}
