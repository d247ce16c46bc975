/**
 * The response shapes Microsoft's sources disagree on, so clients can be tested against each
 * reading: validation of style changes and rendering of stored qualifications.
 */

import { InputRejectedError, expectObject } from "./input-validation";
import type { ResponseStyle, StoredQualification } from "./types";

/** What the current documentation describes. */
export const DEFAULT_RESPONSE_STYLE: Readonly<ResponseStyle> = Object.freeze({
  postStatus: 201,
  postShape: "object",
  getShape: "array",
  dateField: "vettingCreateDate",
  nameCase: "pascal",
  noneAs: "empty",
  customerLinksWithoutV1Prefix: false,
  bom: false,
});

const ALLOWED_VALUES: { readonly [K in keyof ResponseStyle]: readonly ResponseStyle[K][] } = {
  postStatus: [200, 201],
  postShape: ["object", "wrapper"],
  getShape: ["array", "wrapper"],
  dateField: ["vettingCreateDate", "vettingCreatedDate"],
  nameCase: ["pascal", "lower"],
  noneAs: ["empty", "none"],
  customerLinksWithoutV1Prefix: [false, true],
  bom: [false, true],
};

/** Validates a partial style from the control API; unknown keys and values are refused. */
export function parseResponseStylePatch(value: unknown): Partial<ResponseStyle> {
  const patch = expectObject(value, "response style");
  const result: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(patch)) {
    if (!Object.hasOwn(ALLOWED_VALUES, key)) {
      throw new InputRejectedError(`response style has no property '${key}'; known: ${Object.keys(ALLOWED_VALUES).join(", ")}`);
    }
    const allowed = ALLOWED_VALUES[key as keyof ResponseStyle] as readonly unknown[];
    if (!allowed.includes(entry)) {
      throw new InputRejectedError(`response style ${key} must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}`);
    }
    result[key] = entry;
  }
  return result as Partial<ResponseStyle>;
}

/** One qualification as it appears on the wire; absent fields are omitted, never null. */
export function renderQualification(stored: StoredQualification, style: ResponseStyle): Record<string, string> {
  const rendered: Record<string, string> = { qualification: renderName(stored.qualification, style) };
  if (stored.vettingStatus !== undefined) rendered.vettingStatus = stored.vettingStatus;
  if (stored.vettingReason !== undefined) rendered.vettingReason = stored.vettingReason;
  if (stored.vettingCreateDate !== undefined) rendered[style.dateField] = stored.vettingCreateDate;
  return rendered;
}

/** The GET body for a customer's qualifications. */
export function renderQualificationList(stored: readonly StoredQualification[], style: ResponseStyle): unknown {
  const items =
    stored.length === 0 && style.noneAs === "none"
      ? [{ qualification: renderName("None", style) }]
      : stored.map((qualification) => renderQualification(qualification, style));
  return style.getShape === "wrapper" ? { qualifications: items } : items;
}

/** The POST success answer for a created qualification. */
export function renderCreatedQualification(created: StoredQualification, style: ResponseStyle): { status: number; body: unknown } {
  const item = renderQualification(created, style);
  return { status: style.postStatus, body: style.postShape === "wrapper" ? { qualifications: [item] } : item };
}

function renderName(name: string, style: ResponseStyle): string {
  return style.nameCase === "lower" ? name.toLowerCase() : name;
}
