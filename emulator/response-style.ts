/**
 * The response shapes Microsoft's sources disagree on, so clients can be tested against each
 * reading: validation of style changes and rendering of stored qualifications.
 */

import { z } from "zod";
import { parseInput } from "./input-validation";
import type { ValidatedQualification } from "./seed";

/** Which of the documented response shapes the API answers with. */
export const responseStyleSchema = z.strictObject({
  /** POST success status; the docs say 201, the 2020 Swagger 200. */
  postStatus: z.literal([200, 201]),
  /** POST success body: the created object, or `{"qualifications":[obj]}`. */
  postShape: z.enum(["object", "wrapper"]),
  /** GET body: a bare array, or `{"qualifications":[...]}`. */
  getShape: z.enum(["array", "wrapper"]),
  /** Spelling of the date property. */
  dateField: z.enum(["vettingCreateDate", "vettingCreatedDate"]),
  /** `Education` or `education`. */
  nameCase: z.enum(["pascal", "lower"]),
  /** A customer without qualifications: `[]` or `[{"qualification":"None"}]`. */
  noneAs: z.enum(["empty", "none"]),
  /** Customer-list links without the `/v1` prefix (`/customers?...`), as the service sometimes sends them; default false. */
  customerLinksWithoutV1Prefix: z.literal([false, true]),
  /** Start every API JSON body with a UTF-8 byte-order mark, which clients must tolerate; default false. */
  bom: z.literal([false, true]),
});

/** The response shapes in force. */
export type ResponseStyle = z.output<typeof responseStyleSchema>;

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

/** A partial style; an unknown property is refused with the known ones. */
const responseStylePatchSchema = z.strictObject(responseStyleSchema.partial().shape, {
  error: (issue) =>
    issue.code === "unrecognized_keys" ? `has no property '${issue.keys.join("', '")}'; known: ${responseStyleSchema.keyof().options.join(", ")}` : undefined,
});

/** Validates a partial style from the control API. */
export function parseResponseStylePatch(value: unknown): Partial<ResponseStyle> {
  // zod leaves absent properties out, so no property is ever present and undefined.
  return parseInput(responseStylePatchSchema, value, "response style") as Partial<ResponseStyle>;
}

/** One qualification as it appears on the wire; absent fields are omitted, never null. */
export function renderQualification(stored: ValidatedQualification, style: ResponseStyle): Record<string, string> {
  const rendered: Record<string, string> = { qualification: renderName(stored.qualification, style) };
  if (stored.vettingStatus !== undefined) rendered.vettingStatus = stored.vettingStatus;
  if (stored.vettingReason !== undefined) rendered.vettingReason = stored.vettingReason;
  if (stored.vettingCreateDate !== undefined) rendered[style.dateField] = stored.vettingCreateDate;
  return rendered;
}

/** The GET body for a customer's qualifications. */
export function renderQualificationList(stored: readonly ValidatedQualification[], style: ResponseStyle): unknown {
  const items =
    stored.length === 0 && style.noneAs === "none"
      ? [{ qualification: renderName("None", style) }]
      : stored.map((qualification) => renderQualification(qualification, style));
  return style.getShape === "wrapper" ? { qualifications: items } : items;
}

/** The POST success answer for a created qualification. */
export function renderCreatedQualification(created: ValidatedQualification, style: ResponseStyle): { status: number; body: unknown } {
  const item = renderQualification(created, style);
  return { status: style.postStatus, body: style.postShape === "wrapper" ? { qualifications: [item] } : item };
}

function renderName(name: string, style: ResponseStyle): string {
  return style.nameCase === "lower" ? name.toLowerCase() : name;
}
