/**
 * Continuation tokens of the customer list: a cursor (listing epoch, position, filter) signed
 * with a key that lives as long as the emulator process, so a token cannot be forged or
 * garbled unnoticed, and reading the same token twice gives the same page.
 */

import { createHmac, randomBytes } from "node:crypto";
import { isJsonObject } from "./input-validation";
import { sameSecret } from "./secrets";

/** The customer-list fields a filter can match. */
export type CustomerFilterField = "CompanyName" | "Domain" | "IndirectReseller";

/** A validated `filter` query parameter; the only operator is a case-insensitive `starts_with`. */
export interface CustomerFilter {
  field: CustomerFilterField;
  value: string;
}

/** Where a customer listing continues. */
export interface ListingCursor {
  /** The state's listing epoch when the first page was read; a reset makes older cursors stale. */
  epoch: number;
  /** Position in the customer order where the next page starts. */
  from: number;
  /** The first page's filter, which every later page keeps. */
  filter?: CustomerFilter;
}

const SIGNATURE_BYTES = 16;

/** Issues and reads the signed tokens of one emulator. */
export class ContinuationTokens {
  private readonly key = randomBytes(32);

  /** An opaque token for `cursor`. */
  issue(cursor: ListingCursor): string {
    const payload = Buffer.from(JSON.stringify(cursor)).toString("base64url");
    return `${payload}.${this.sign(payload).toString("base64url")}`;
  }

  /** The cursor of a token this emulator issued; undefined for anything else. */
  read(token: string): ListingCursor | undefined {
    const [payload, signature, ...rest] = token.trim().split(".");
    if (payload === undefined || signature === undefined || rest.length > 0) return undefined;
    // Compared as text: base64url decoding ignores the spare bits of the last character, so a changed token could decode the same.
    if (!sameSecret(this.sign(payload).toString("base64url"), signature)) return undefined;
    // The signature proves this emulator wrote the payload; the checks only guard the types.
    const cursor: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    if (!isJsonObject(cursor) || typeof cursor.epoch !== "number" || typeof cursor.from !== "number") return undefined;
    return cursor as unknown as ListingCursor;
  }

  private sign(payload: string): Buffer {
    return createHmac("sha256", this.key).update(payload).digest().subarray(0, SIGNATURE_BYTES);
  }
}
