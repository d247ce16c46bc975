/**
 * What an access token says about itself, read (not verified) from its JWT payload, to explain a
 * refusal: an app-only token, a sign-in without MFA, another tenant, an expired token. Opaque
 * tokens read as "nothing known". Never returns the token or any part of it.
 */

/** Facts about a token that explain why a service refused it. */
export interface TokenFacts {
  /** True for an app-only token (no signed-in user), which Partner Center refuses for writes. */
  readonly appOnly?: boolean;
  /** Whether the user signed in with multi-factor authentication. */
  readonly mfa?: boolean;
  /** The tenant that issued it. */
  readonly tenantId?: string;
  /** When it expires (ms since the epoch). */
  readonly expiresAt?: number;
}

/** Reads the facts of a JWT access token; `{}` for anything else. */
export function readTokenFacts(token: string): TokenFacts {
  const parts = token.split(".");
  if (parts.length !== 3) return {};
  let payload: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(parts[1] ?? "", "base64url").toString("utf8"));
    if (typeof parsed !== "object" || parsed === null) return {};
    payload = parsed as Record<string, unknown>;
  } catch {
    return {};
  }
  const facts: { appOnly?: boolean; mfa?: boolean; tenantId?: string; expiresAt?: number } = {};
  if (payload.idtyp === "app" || (payload.scp === undefined && payload.roles !== undefined)) facts.appOnly = true;
  else if (payload.idtyp === "user" || typeof payload.scp === "string") facts.appOnly = false;
  if (Array.isArray(payload.amr)) facts.mfa = payload.amr.includes("mfa");
  if (typeof payload.tid === "string") facts.tenantId = payload.tid;
  if (typeof payload.exp === "number") facts.expiresAt = payload.exp * 1000;
  return facts;
}
