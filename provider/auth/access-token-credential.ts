import type { AccessToken, TokenCredential } from "@azure/core-auth";

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
    this.#expiresOnTimestamp = expiryOf(this.#token) ?? Date.now() + 60 * 60 * 1000;
  }

  /** Returns the token it was given, whatever the scopes. */
  async getToken(): Promise<AccessToken> {
    return { token: this.#token, expiresOnTimestamp: this.#expiresOnTimestamp, tokenType: "Bearer" };
  }
}

/** Reads the `exp` claim of a JWT, in milliseconds; undefined for opaque tokens. */
export function expiryOf(token: string): number | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1] ?? "", "base64url").toString("utf8"));
    const exp = typeof payload === "object" && payload !== null ? (payload as { exp?: unknown }).exp : undefined;
    return typeof exp === "number" ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
