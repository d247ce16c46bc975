import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { readTokenFacts } from "../client";

/**
 * A credential over a ready access token, such as one from `az account get-access-token`.
 * It can't renew anything: when the token expires, calls fail with 401.
 */
export class AccessTokenCredential implements TokenCredential {
  // A private field: not enumerable, so no JSON.stringify, inspect or serializer sees the token.
  readonly #token: string;
  readonly #expiresOnTimestamp: number;

  constructor(token: string) {
    if (typeof token !== "string" || token.trim() === "") {
      throw new TypeError("AccessTokenCredential needs a non-empty access token");
    }
    this.#token = token.trim();
    this.#expiresOnTimestamp = readTokenFacts(this.#token).expiresAt ?? Date.now() + 60 * 60 * 1000;
  }

  /** Returns the token it was given, whatever the scopes. */
  async getToken(): Promise<AccessToken> {
    return { token: this.#token, expiresOnTimestamp: this.#expiresOnTimestamp, tokenType: "Bearer" };
  }
}
