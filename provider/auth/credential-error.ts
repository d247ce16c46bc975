/**
 * Sign-in failures written for a person: the cause and the fix, in one line. Built from the
 * Microsoft Entra error code (AADSTS...) and IDs only: the library's own text is never copied,
 * so no refresh token, secret or assertion can reach a message, a log line or state.
 */

/** Why a sign-in failed. */
export type CredentialFailureReason =
  | "refreshTokenExpired"
  | "refreshTokenRevoked"
  | "invalidClientSecret"
  | "applicationNotInTenant"
  | "tenantNotFound"
  | "mfaRequired"
  | "consentRequired"
  | "authorityUnreachable"
  | "credentialUnavailable"
  | "unknown";

/** Where the failure happened, for the message. */
export interface CredentialContext {
  /** `refreshToken` or `azureIdentity`. */
  readonly mode: string;
  readonly tenantId?: string;
  readonly clientId?: string;
  readonly authorityHost?: string;
}

/** A failed sign-in. */
export class CredentialError extends Error {
  override readonly name = "CredentialError";
  readonly reason: CredentialFailureReason;
  /** The Microsoft Entra error code, such as 700082 for an expired refresh token. */
  readonly aadstsCode?: number;
  readonly traceId?: string;
  readonly correlationId?: string;

  constructor(reason: CredentialFailureReason, message: string, ids: { aadstsCode?: number; traceId?: string; correlationId?: string } = {}) {
    super(message);
    this.reason = reason;
    if (ids.aadstsCode !== undefined) this.aadstsCode = ids.aadstsCode;
    if (ids.traceId !== undefined) this.traceId = ids.traceId;
    if (ids.correlationId !== undefined) this.correlationId = ids.correlationId;
  }
}

const REASONS: ReadonlyArray<{ codes: number[]; reason: CredentialFailureReason }> = [
  { codes: [700082, 70043, 50133], reason: "refreshTokenExpired" },
  { codes: [50173, 70008, 50089, 700084, 70000, 9002313], reason: "refreshTokenRevoked" },
  { codes: [7000215, 7000222, 700027, 7000274], reason: "invalidClientSecret" },
  { codes: [700016], reason: "applicationNotInTenant" },
  { codes: [90002, 90072], reason: "tenantNotFound" },
  { codes: [50076, 50079, 50074], reason: "mfaRequired" },
  { codes: [65001, 65004], reason: "consentRequired" },
];

function login(context: CredentialContext): string {
  const tenant = context.tenantId ?? "<partner tenant>";
  const client = context.clientId ?? "<client id>";
  return `npx partnercenter-login --tenant ${tenant} --client-id ${client}`;
}

/** The one-line explanation and fix for a reason. */
export function explain(reason: CredentialFailureReason, context: CredentialContext): string {
  const app = context.clientId !== undefined ? `app ${context.clientId}` : "the app";
  const tenant = context.tenantId !== undefined ? `tenant ${context.tenantId}` : "the tenant";
  switch (reason) {
    case "refreshTokenExpired":
      return `the refresh token has expired. Sign in again with MFA (${login(context)}) and store the new token as partnercenter:refreshToken`;
    case "refreshTokenRevoked":
      return `the refresh token was revoked or is not valid for ${app} in ${tenant} (a password reset, an admin revocation, or a token of another app). Sign in again with MFA (${login(context)}) and store the new token as partnercenter:refreshToken`;
    case "invalidClientSecret":
      return `the client secret or certificate of ${app} was refused (wrong, expired or for another app). Create a new one in Microsoft Entra and store it as partnercenter:clientSecret or partnercenter:clientCertificate`;
    case "applicationNotInTenant":
      return `${app} is not found in ${tenant}: check partnercenter:clientId and partnercenter:tenantId (the partner tenant, not a customer's)`;
    case "tenantNotFound":
      return `${tenant} is not known at ${context.authorityHost ?? "the authority"} (its sign-in metadata can't be read): check partnercenter:tenantId (the partner tenant) and partnercenter:cloud or partnercenter:authorityHost`;
    case "mfaRequired":
      return `the sign-in needs multi-factor authentication. Sign in again with MFA (${login(context)}) and store the new refresh token`;
    case "consentRequired":
      return `${app} lacks consent for Partner Center (user_impersonation). Grant admin consent in Microsoft Entra, then sign in again`;
    case "authorityUnreachable":
      return `could not reach ${context.authorityHost ?? "the Microsoft Entra authority"}: check partnercenter:authorityHost (or partnercenter:cloud) and the network`;
    case "credentialUnavailable":
      return "no Azure credential is available here: sign in (for example `az login`) or choose another partnercenter:azureIdentityCredential";
    case "unknown":
      return "see the Microsoft Entra error code and trace id, and check the partnercenter: sign-in settings";
  }
}

function textOf(error: unknown): string {
  if (typeof error !== "object" || error === null) return String(error);
  const e = error as { message?: unknown; errorMessage?: unknown; errorCode?: unknown; errorResponse?: { error_description?: unknown } };
  return [e.errorCode, e.errorMessage, e.message, e.errorResponse?.error_description].filter((v) => typeof v === "string").join(" ");
}

/**
 * Turns an MSAL or @azure/identity error into a {@link CredentialError}. Only the AADSTS code and the
 * trace and correlation IDs are taken from it.
 */
export function credentialErrorFrom(error: unknown, context: CredentialContext): CredentialError {
  if (error instanceof CredentialError) return error;
  const text = textOf(error);
  const code = /AADSTS(\d{4,8})/.exec(text)?.[1];
  const aadstsCode = code !== undefined ? Number(code) : undefined;
  const traceId = /Trace ID: ([0-9a-f-]{36})/i.exec(text)?.[1];
  const correlationId = /Correlation ID: ([0-9a-f-]{36})/i.exec(text)?.[1];
  const name = typeof error === "object" && error !== null ? (error as { name?: unknown }).name : undefined;
  let reason: CredentialFailureReason = REASONS.find((r) => aadstsCode !== undefined && r.codes.includes(aadstsCode))?.reason ?? "unknown";
  if (reason === "unknown") {
    if (/endpoints_resolution_error|openid_config_error/.test(text)) reason = "tenantNotFound";
    else if (name === "CredentialUnavailableError") reason = "credentialUnavailable";
    else if (/ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|network_error|endpoints_resolution_error|certificate/i.test(text))
      reason = "authorityUnreachable";
    else if (/invalid_client/.test(text)) reason = "invalidClientSecret";
  }
  const ids: string[] = [];
  if (traceId !== undefined) ids.push(`trace id ${traceId}`);
  if (correlationId !== undefined) ids.push(`correlation id ${correlationId}`);
  const where = [
    context.tenantId !== undefined ? `tenant ${context.tenantId}` : undefined,
    context.clientId !== undefined ? `app ${context.clientId}` : undefined,
  ]
    .filter((s) => s !== undefined)
    .join(", ");
  const message =
    `Partner Center sign-in (${context.mode} mode${where !== "" ? `, ${where}` : ""}) failed` +
    `${aadstsCode !== undefined ? ` with AADSTS${aadstsCode}` : ""}: ${explain(reason, context)}` +
    `${ids.length > 0 ? ` [${ids.join(", ")}]` : ""}.`;
  return new CredentialError(reason, message, {
    ...(aadstsCode !== undefined ? { aadstsCode } : {}),
    ...(traceId !== undefined ? { traceId } : {}),
    ...(correlationId !== undefined ? { correlationId } : {}),
  });
}
