/**
 * The scopes of Partner Center, the one resource the identity endpoint issues tokens for: its
 * audience, its one delegated permission, and which `scope` parameters a delegated or
 * client-credentials token request may use for it.
 */

/** Audience (application ID URI) of Partner Center access tokens. */
export const PARTNER_CENTER_AUDIENCE = "https://api.partnercenter.microsoft.com";

/** The delegated permission, as the `scp` claim carries it. */
export const DELEGATED_PERMISSION = "user_impersonation";

/** The scopes token responses report for delegated tokens. */
export const DELEGATED_SCOPE = `${PARTNER_CENTER_AUDIENCE}/${DELEGATED_PERMISSION}`;

/** OpenID Connect scopes a delegated request may add; MSAL adds openid, profile and offline_access itself. */
const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"] as const;

/** A delegated request's scopes, sorted out. */
export interface DelegatedScopes {
  /** `openid` was asked for: the response carries an ID token. */
  openid: boolean;
  /** `offline_access` was asked for: the response carries a refresh token. */
  offlineAccess: boolean;
}

/** The outcome of checking a `scope` parameter: accepted, or the offending scope (empty when none was given). */
export type ScopeCheck<T> = { ok: true; value: T } | { ok: false; kind: "missing" | "unknown" | "notDefault"; scope: string };

/**
 * Checks a delegated (refresh token, device code) request's scopes: exactly Partner Center's
 * `user_impersonation` or `.default`, plus OpenID Connect scopes. Resource URIs compare
 * case-insensitively, as Entra compares them.
 */
export function checkDelegatedScopes(scopeParameter: string | undefined): ScopeCheck<DelegatedScopes> {
  const scopes = splitScopes(scopeParameter);
  const oidc = scopes.filter((scope) => (OIDC_SCOPES as readonly string[]).includes(scope.toLowerCase()));
  const resource = scopes.filter((scope) => !oidc.includes(scope));
  if (resource.length === 0) return { ok: false, kind: "missing", scope: "" };
  const unknown = resource.find((scope) => !isPartnerCenterScope(scope, [DELEGATED_PERMISSION, ".default"]));
  if (unknown !== undefined) return { ok: false, kind: "unknown", scope: unknown };
  const lower = oidc.map((scope) => scope.toLowerCase());
  return { ok: true, value: { openid: lower.includes("openid"), offlineAccess: lower.includes("offline_access") } };
}

/** Checks a client-credentials request's scope: Partner Center's `.default`, nothing else. */
export function checkAppOnlyScope(scopeParameter: string | undefined): ScopeCheck<true> {
  const scopes = splitScopes(scopeParameter);
  if (scopes.length === 0) return { ok: false, kind: "missing", scope: "" };
  const wrong = scopes.find((scope) => !isPartnerCenterScope(scope, [".default"]));
  if (wrong === undefined) return { ok: true, value: true };
  return { ok: false, kind: isPartnerCenterScope(wrong, [DELEGATED_PERMISSION]) ? "notDefault" : "unknown", scope: wrong };
}

/** The `scope` parameter split on whitespace. */
export function splitScopes(scopeParameter: string | undefined): string[] {
  return (scopeParameter ?? "").split(/\s+/).filter((scope) => scope !== "");
}

/** True for `https://api.partnercenter.microsoft.com/<permission>` (Entra also accepts a doubled slash before `.default`). */
function isPartnerCenterScope(scope: string, permissions: readonly string[]): boolean {
  const lower = scope.toLowerCase();
  return permissions.some((permission) => lower === `${PARTNER_CENTER_AUDIENCE}/${permission}` || lower === `${PARTNER_CENTER_AUDIENCE}//${permission}`);
}
