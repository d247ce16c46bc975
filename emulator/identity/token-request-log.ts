/**
 * The token-request log: one entry per token-endpoint request, built from a fixed set of
 * fields so that no secret, token, code or assertion can ever end up in it. Not persisted.
 */

import { NumberedLog } from "../numbered-log";
import type { LoggedTokenRequest } from "../types";

/** Longest `grant_type` kept; anything longer is not a grant type and is cut short. */
const MAX_GRANT_TYPE_LENGTH = 100;

/** An entry before its sequence number is assigned. */
export type TokenRequestOutcome = Omit<LoggedTokenRequest, "seq">;

/** Ordered log of token requests. */
export class TokenRequestLog extends NumberedLog<LoggedTokenRequest> {
  /** Appends an entry, numbering it. */
  add(entry: TokenRequestOutcome): void {
    this.keep({ seq: this.takeSeq(), ...entry, grantType: entry.grantType.slice(0, MAX_GRANT_TYPE_LENGTH) });
  }
}
