import type { TokenFacts } from "./token-facts";

/**
 * The one error type of the client. Its message is a single line for a CI log: what failed, for
 * which customer, the service's answer, the request IDs, and what to do next. It carries no token:
 * it is built from the response status, the service's error body and IDs, never from headers.
 */

/** What kind of failure a {@link PartnerCenterError} reports. */
export type PartnerCenterErrorKind =
  /** The service answered with an error status. */
  | "http"
  /** No answer: connection refused or reset, DNS, TLS, or the attempt timed out. */
  | "network"
  /** The caller's abort signal fired. */
  | "aborted"
  /** The call's overall deadline passed before an answer came. */
  | "deadline"
  /** The service answered 2xx with a body this client can't read. */
  | "invalidResponse"
  /** No token could be had from the credential. */
  | "credential";

/** The facts a {@link PartnerCenterError} is built from. */
export interface PartnerCenterErrorDetails {
  readonly kind: PartnerCenterErrorKind;
  /** What was being done, such as "create GovernmentCommunityCloud qualification". */
  readonly operation: string;
  readonly customerId?: string;
  readonly statusCode?: number;
  /** The service's error code, as text (the service sends numbers and strings). */
  readonly serviceCode?: string;
  /** The service's description (or message) of the error. */
  readonly description?: string;
  /** The `MS-RequestId` of the call; the same across its retries. */
  readonly requestId?: string;
  /** The `MS-CorrelationId` of the call. */
  readonly correlationId?: string;
  /** Whether another attempt later could succeed. */
  readonly retryable: boolean;
  /** How many attempts were made. */
  readonly attempts: number;
  /** For network failures: the system error code, such as ECONNRESET. */
  readonly networkCode?: string;
  /** Why retrying stopped, when it did. */
  readonly retryStopReason?: string;
  /** What the person reading the log should do next; a default is chosen from the status. */
  readonly nextStep?: string;
}

/** An error from a Partner Center call. */
export class PartnerCenterError extends Error {
  override readonly name = "PartnerCenterError";
  readonly kind: PartnerCenterErrorKind;
  readonly operation: string;
  readonly customerId?: string;
  /** The HTTP status, when the service answered. */
  readonly statusCode?: number;
  readonly serviceCode?: string;
  readonly description?: string;
  readonly requestId?: string;
  readonly correlationId?: string;
  readonly retryable: boolean;
  readonly attempts: number;
  readonly networkCode?: string;

  constructor(details: PartnerCenterErrorDetails) {
    super(formatMessage(details));
    this.kind = details.kind;
    this.operation = details.operation;
    this.retryable = details.retryable;
    this.attempts = details.attempts;
    if (details.customerId !== undefined) this.customerId = details.customerId;
    if (details.statusCode !== undefined) this.statusCode = details.statusCode;
    if (details.serviceCode !== undefined) this.serviceCode = details.serviceCode;
    if (details.description !== undefined) this.description = details.description;
    if (details.requestId !== undefined) this.requestId = details.requestId;
    if (details.correlationId !== undefined) this.correlationId = details.correlationId;
    if (details.networkCode !== undefined) this.networkCode = details.networkCode;
  }
}

/** True when the error is a {@link PartnerCenterError} with one of the given HTTP statuses. */
export function isPartnerCenterError(error: unknown, ...statusCodes: number[]): error is PartnerCenterError {
  if (!(error instanceof PartnerCenterError)) return false;
  return statusCodes.length === 0 || (error.statusCode !== undefined && statusCodes.includes(error.statusCode));
}

function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

function formatMessage(d: PartnerCenterErrorDetails): string {
  const subject = d.customerId !== undefined ? `${d.operation} for customer ${d.customerId}` : d.operation;
  let what: string;
  switch (d.kind) {
    case "http": {
      const code = d.serviceCode !== undefined ? ` (code ${d.serviceCode})` : "";
      const text = d.description !== undefined ? `: ${oneLine(d.description)}` : "";
      what = `HTTP ${d.statusCode ?? "?"}${code}${text}`;
      break;
    }
    case "network":
      what = `no response${d.networkCode !== undefined ? ` (${d.networkCode})` : ""}`;
      break;
    case "aborted":
      what = "the call was aborted";
      break;
    case "deadline":
      what = `the call's deadline passed${d.description !== undefined ? `: ${oneLine(d.description)}` : ""}`;
      break;
    case "invalidResponse":
      what = `unreadable response${d.description !== undefined ? `: ${oneLine(d.description)}` : ""}`;
      break;
    case "credential":
      what = `no access token${d.description !== undefined ? `: ${oneLine(d.description)}` : ""}`;
      break;
  }
  const attempts = d.attempts > 1 ? ` after ${d.attempts} attempts` : "";
  const stop = d.retryStopReason !== undefined && d.attempts > 1 ? ` (${d.retryStopReason})` : "";
  const ids: string[] = [];
  if (d.requestId !== undefined) ids.push(`request id ${d.requestId}`);
  if (d.correlationId !== undefined) ids.push(`correlation id ${d.correlationId}`);
  const idText = ids.length > 0 ? ` [${ids.join(", ")}]` : "";
  const next = d.nextStep ?? defaultNextStep(d);
  return `Partner Center ${subject} failed: ${what}${attempts}${stop}${idText}. ${next}`;
}

/**
 * The usual next step for a failure, chosen from its status, the service's code and, for a 401 or
 * 403, what the refused token says about itself (no MFA, app-only, expired, another tenant).
 */
export function defaultNextStep(
  d: {
    readonly kind: PartnerCenterErrorKind;
    readonly statusCode?: number | undefined;
    readonly serviceCode?: string | undefined;
    /** The customer the call was about, if any: a 404 then means that customer, not the route. */
    readonly customerId?: string | undefined;
  },
  token: TokenFacts = {},
  nowInMs: number = Date.now(),
): string {
  if (d.kind === "network") {
    return "Check partnercenter:baseUrl and the network, then run again; a repeated request reuses its MS-RequestId, so nothing is created twice.";
  }
  if (d.kind === "deadline" || d.kind === "aborted") return "Run again; nothing is created twice.";
  if (d.kind === "invalidResponse") return "Check that partnercenter:baseUrl points at the Partner Center API.";
  if (d.kind === "credential") return "Check the partnercenter: credential settings.";
  const status = d.statusCode ?? 0;
  if (status === 401 || status === 403) return refusalNextStep(status, d.serviceCode, token, nowInMs);
  if (status === 404 && d.customerId !== undefined) return "Check that customerId is a customer of this partner tenant.";
  if (status === 404) return "Partner Center does not know this route: check partnercenter:baseUrl (or partnercenter:cloud).";
  if (status === 409) return "The qualification already exists on the customer.";
  if (status === 429) return "Partner Center is throttling this partner: run again later.";
  if (status >= 500) return "Partner Center failed: run again later; a repeated request reuses its MS-RequestId, so nothing is created twice.";
  return "Fix the request as the service's description says.";
}

function refusalNextStep(status: 401 | 403, serviceCode: string | undefined, token: TokenFacts, nowInMs: number): string {
  const tenant = token.tenantId !== undefined ? ` (the token was issued by tenant ${token.tenantId}: is that the partner tenant?)` : "";
  if (serviceCode === "900421" || token.mfa === false) {
    return "The sign-in behind the token did not use multi-factor authentication, which Partner Center requires for App+User calls: sign in again with MFA (npx partnercenter-login) and store the new refresh token.";
  }
  if (token.appOnly === true) {
    return "The token is app-only (a service principal or managed identity, no signed-in user); Partner Center needs an App+User token to create qualifications: use partnercenter:authMode refreshToken (see the README's sign-in section).";
  }
  if (status === 401 && token.expiresAt !== undefined && token.expiresAt <= nowInMs) {
    return "The access token has expired: use partnercenter:authMode refreshToken, which renews tokens, or set a fresh partnercenter:accessToken.";
  }
  if (status === 401) return `The access token is missing, expired or for another audience${tenant}: renew it.`;
  if (serviceCode === "20002") return `The partner has no relationship with this customer: check customerId${tenant}.`;
  return `The signed-in user lacks rights: use a user in the partner's AdminAgents group (for GCC also a GDAP role on the customer)${tenant}.`;
}
