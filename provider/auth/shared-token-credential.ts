import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { RenewableTokenCredential } from "../client";

/** Tokens are renewed this long before they expire, so none runs out in the middle of a call. */
export const TOKEN_REFRESH_MARGIN_IN_MS = 2 * 60 * 1000;

/**
 * One token for a whole provider process: fetched once, shared by concurrent calls (one request
 * in flight), reused until shortly before it expires. When the service refuses it (HTTP 401) it is
 * dropped once, so the next call fetches a new one; a renewed token that is refused too is not
 * renewed again, because then the problem is not its age.
 */
export class SharedTokenCredential implements RenewableTokenCredential {
  readonly #inner: TokenCredential;
  readonly #now: () => number;
  #cached: AccessToken | undefined;
  #pending: Promise<AccessToken> | undefined;
  #renewedAfterRefusal = false;

  constructor(inner: TokenCredential, now: () => number = Date.now) {
    this.#inner = inner;
    this.#now = now;
  }

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const cached = this.#cached;
    if (cached !== undefined && cached.expiresOnTimestamp - TOKEN_REFRESH_MARGIN_IN_MS > this.#now()) return cached;
    this.#pending ??= this.fetch(scopes, options);
    return this.#pending;
  }

  forgetToken(token: string): void {
    if (this.#cached?.token !== token || this.#renewedAfterRefusal) return;
    this.#renewedAfterRefusal = true;
    this.#cached = undefined;
  }

  private async fetch(scopes: string | string[], options: GetTokenOptions | undefined): Promise<AccessToken> {
    try {
      const token = await this.#inner.getToken(scopes, options);
      if (token === null) throw new Error("the credential returned no token");
      this.#cached = token;
      return token;
    } finally {
      this.#pending = undefined;
    }
  }
}
