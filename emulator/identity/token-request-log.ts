/**
 * The token-request log: one entry per token-endpoint request, built from a fixed set of
 * fields so that no secret, token, code or assertion can ever end up in it. Not persisted.
 */

import type { LoggedTokenRequest } from "../types";

/** Oldest entries are dropped beyond this, so a long-running emulator does not grow without bound. */
const MAX_LOGGED_TOKEN_REQUESTS = 10_000;

/** Longest `grant_type` kept; anything longer is not a grant type and is cut short. */
const MAX_GRANT_TYPE_LENGTH = 100;

/** An entry before its sequence number is assigned. */
export type TokenRequestOutcome = Omit<LoggedTokenRequest, "seq">;

/** Ordered log of token requests. */
export class TokenRequestLog {
  private entries: LoggedTokenRequest[] = [];
  private nextSeq = 1;

  /** Appends an entry, numbering it. */
  add(entry: TokenRequestOutcome): void {
    this.entries.push({ seq: this.nextSeq++, ...entry, grantType: entry.grantType.slice(0, MAX_GRANT_TYPE_LENGTH) });
    if (this.entries.length > MAX_LOGGED_TOKEN_REQUESTS) this.entries.shift();
  }

  /** Copies of the entries, in arrival order. */
  list(): LoggedTokenRequest[] {
    return structuredClone(this.entries);
  }

  /** Empties the log and restarts numbering at 1. */
  clear(): void {
    this.entries = [];
    this.nextSeq = 1;
  }
}
