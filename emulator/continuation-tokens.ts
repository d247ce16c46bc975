/**
 * Continuation tokens of the customer list: a cursor (listing epoch, position, filter) as a JWS
 * signed by jose (HS256) with a key that lives as long as the emulator process, so a token
 * cannot be forged or garbled unnoticed, and reading the same token twice gives the same page.
 */

import { randomBytes } from "node:crypto";

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

/** Issues and reads the signed tokens of one emulator. */
export class ContinuationTokens {
  private readonly key = randomBytes(32);

  /** An opaque token for `cursor`. */
  async issue(cursor: ListingCursor): Promise<string> {
    const { CompactSign } = await import("jose");
    return new CompactSign(Buffer.from(JSON.stringify(cursor))).setProtectedHeader({ alg: "HS256" }).sign(this.key);
  }

  /** The cursor of a token this emulator issued (the signature proves it wrote the payload); undefined for anything else. */
  async read(token: string): Promise<ListingCursor | undefined> {
    const { compactVerify } = await import("jose");
    try {
      const { payload } = await compactVerify(token.trim(), this.key, { algorithms: ["HS256"] });
      return JSON.parse(Buffer.from(payload).toString("utf8")) as ListingCursor;
    } catch {
      return undefined;
    }
  }
}
