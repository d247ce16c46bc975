import { oneLine } from "../text";
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
  | "credential"
  /**
   * Partner Center can't be reached at all (the client's connection breaker opened): either the
   * call that found out, with the full cause, or a call that failed at once without a request of
   * its own, whose `cause` is that first error.
   */
  | "unreachable";

/** The facts a {@link PartnerCenterError} is built from. */
export interface PartnerCenterErrorDetails {
  readonly kind: PartnerCenterErrorKind;
  /** What was being done, such as "create GovernmentCommunityCloud qualification". */
  readonly operation: string;
  /** The HTTP method: a `POST` creates, so its next step says what a repeat does. */
  readonly method?: "GET" | "POST";
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
  /** For `unreachable`: the API base URL that can't be reached. */
  readonly endpoint?: string;
  /** For `unreachable` without a request of its own: the error of the call that found out. */
  readonly cause?: PartnerCenterError;
  /** For `unreachable` without a request of its own: how many calls failed so, this one included. */
  readonly refusedSoFar?: number;
}

/** An error from a Partner Center call. */
export class PartnerCenterError extends Error {
  override readonly name = "PartnerCenterError";
  readonly kind: PartnerCenterErrorKind;
  readonly operation: string;
  readonly method?: "GET" | "POST";
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
  /** For `unreachable`: the API base URL that can't be reached. */
  readonly endpoint?: string;

  constructor(details: PartnerCenterErrorDetails) {
    super(formatMessage(details), details.cause !== undefined ? { cause: details.cause } : undefined);
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
    if (details.method !== undefined) this.method = details.method;
    if (details.endpoint !== undefined) this.endpoint = details.endpoint;
  }

  /**
   * True when the call sent no request of its own for this failure: Partner Center was already
   * known to be unreachable (the first error is the `cause`).
   */
  get notAttempted(): boolean {
    return this.kind === "unreachable" && this.cause instanceof PartnerCenterError;
  }
}

/** True when the error is a {@link PartnerCenterError} with one of the given HTTP statuses. */
export function isPartnerCenterError(error: unknown, ...statusCodes: number[]): error is PartnerCenterError {
  if (!(error instanceof PartnerCenterError)) return false;
  return statusCodes.length === 0 || (error.statusCode !== undefined && statusCodes.includes(error.statusCode));
}

/** The service's words in a message: one line, at most 300 characters. */
function described(text: string): string {
  return oneLine(text, 300);
}

function formatMessage(d: PartnerCenterErrorDetails): string {
  const subject = subjectOf(d);
  if (d.kind === "unreachable") return unreachableMessage(d);
  let what: string;
  switch (d.kind) {
    case "http": {
      const code = d.serviceCode !== undefined ? ` (code ${d.serviceCode})` : "";
      const text = d.description !== undefined ? `: ${described(d.description)}` : "";
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
      what = `the call's deadline passed${d.description !== undefined ? `: ${described(d.description)}` : ""}`;
      break;
    case "invalidResponse":
      what = `unreadable response${d.description !== undefined ? `: ${described(d.description)}` : ""}`;
      break;
    case "credential":
      what = `no access token${d.description !== undefined ? `: ${described(d.description)}` : ""}`;
      break;
  }
  const attempts = d.attempts > 1 ? ` after ${d.attempts} attempts` : "";
  const stop = d.retryStopReason !== undefined && d.attempts > 1 ? ` (${d.retryStopReason})` : "";
  const next = d.nextStep ?? defaultNextStep(d);
  return `Partner Center ${subject} failed: ${what}${attempts}${stop}${idsOf(d)}. ${next}`;
}

function subjectOf(d: { readonly operation: string; readonly customerId?: string | undefined }): string {
  return d.customerId !== undefined ? `${d.operation} for customer ${d.customerId}` : d.operation;
}

function idsOf(d: { readonly requestId?: string | undefined; readonly correlationId?: string | undefined }): string {
  const ids: string[] = [];
  if (d.requestId !== undefined) ids.push(`request id ${d.requestId}`);
  if (d.correlationId !== undefined) ids.push(`correlation id ${d.correlationId}`);
  return ids.length > 0 ? ` [${ids.join(", ")}]` : "";
}

/** What a connection-level failure code means, in a few words. */
function networkCodeMeaning(code: string | undefined): string {
  if (code === undefined) return "no answer";
  if (code === "ECONNREFUSED") return `${code}: connection refused, nothing listens there`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_FAIL") return `${code}: the host name does not resolve`;
  if (code === "ETIMEDOUT") return `${code}: no answer began within the attempt's time`;
  if (code === "ECONNRESET" || code === "EPIPE") return `${code}: the connection was closed before any answer`;
  if (/CERT|^UNABLE_TO_|^ERR_(TLS|SSL)_|^EPROTO$/.test(code)) return `${code}: TLS failed, the server's certificate is not trusted or TLS is not spoken there`;
  return code;
}

/** The setting and the part of the network to check for a connection-level failure code. */
function unreachableCheck(code: string | undefined): string {
  const base = "partnercenter:baseUrl (PARTNERCENTER_BASE_URL)";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_FAIL") return `Check the host name in ${base} and DNS`;
  if (code !== undefined && /CERT|^UNABLE_TO_|^ERR_(TLS|SSL)_|^EPROTO$/.test(code)) {
    return `Check ${base} (https to the API itself) and, behind a proxy that inspects TLS, trust its CA with NODE_EXTRA_CA_CERTS`;
  }
  if (code === "ETIMEDOUT") return `Check ${base}, the firewall and any proxy (HTTPS_PROXY)`;
  return `Check ${base} and the network`;
}

/**
 * `unreachable`: the first call's message names the URL, the cause and the setting to check; a
 * call that failed without a request of its own points to it and says how many failed so far.
 */
function unreachableMessage(d: PartnerCenterErrorDetails): string {
  const where = `Partner Center at ${d.endpoint ?? "partnercenter:baseUrl"} is unreachable`;
  const creates = d.method === "POST" ? ` ${NEXT_UP_ADOPTS}` : "";
  const first = d.cause;
  if (first === undefined) {
    const next = d.nextStep ?? `${unreachableCheck(d.networkCode)}, then run again.`;
    return (
      `${where}: ${subjectOf(d)} got no response (${networkCodeMeaning(d.networkCode)}) after ${d.attempts} attempt${d.attempts === 1 ? "" : "s"}, ` +
      `the last a probe${idsOf(d)}. ${next} Every other call of this process fails at once, without a request, and points here.${creates}`
    );
  }
  const how = d.attempts > 0 ? `stopped after ${d.attempts} attempt${d.attempts === 1 ? "" : "s"}` : "not attempted";
  const count =
    d.refusedSoFar !== undefined
      ? ` ${d.refusedSoFar === 1 ? "1 call of this process has" : `${d.refusedSoFar} calls of this process have`} failed at once so far.`
      : "";
  const firstIds = first.requestId !== undefined ? ` [request id ${first.requestId}]` : "";
  return (
    `Partner Center ${subjectOf(d)} ${how}: ${where} (${first.networkCode ?? "no answer"}); ` +
    `the cause is in the first error, of ${subjectOf(first)}${firstIds}.${count}${creates}`
  );
}

/** What the next `pulumi up` does about a create whose outcome is unknown. */
const NEXT_UP_ADOPTS = "The next `pulumi up` reads the customer first and adopts the qualification if it was created, so nothing is POSTed twice.";

/** What a repeat within this run did, and what the next `pulumi up` does, after a failed create. */
const CREATE_REPEATS = `Within this run, each retry of the POST reused its MS-RequestId, so Partner Center can tell a repeat. ${NEXT_UP_ADOPTS}`;

/**
 * The usual next step for a failure, chosen from its status, the service's code and, for a 401 or
 * 403, what the refused token says about itself (no MFA, app-only, expired, another tenant). Only
 * a create (`POST`) talks about what a repeat does; a read changes nothing.
 */
export function defaultNextStep(
  d: {
    readonly kind: PartnerCenterErrorKind;
    readonly statusCode?: number | undefined;
    readonly serviceCode?: string | undefined;
    /** The customer the call was about, if any: a 404 then means that customer, not the route. */
    readonly customerId?: string | undefined;
    /** `POST` for a create; a read (`GET`, or unknown) gets a next step that does not talk about creating. */
    readonly method?: "GET" | "POST" | undefined;
    readonly networkCode?: string | undefined;
  },
  token: TokenFacts = {},
  nowInMs: number = Date.now(),
): string {
  const creates = d.method === "POST";
  if (d.kind === "network")
    return creates
      ? `Check partnercenter:baseUrl and the network, then run again. ${CREATE_REPEATS}`
      : "Check partnercenter:baseUrl and the network, then run again; a read changes nothing.";
  if (d.kind === "unreachable") return `${unreachableCheck(d.networkCode)}, then run again.${creates ? ` ${NEXT_UP_ADOPTS}` : ""}`;
  if (d.kind === "deadline" || d.kind === "aborted") return creates ? `Run again. ${NEXT_UP_ADOPTS}` : "Run again.";
  if (d.kind === "invalidResponse") return "Check that partnercenter:baseUrl points at the Partner Center API.";
  if (d.kind === "credential") return "Check the partnercenter: credential settings.";
  const status = d.statusCode ?? 0;
  if (status === 401 || status === 403) return refusalNextStep(status, d.serviceCode, token, nowInMs);
  if (status === 404 && d.customerId !== undefined) return "Check that customerId is a customer of this partner tenant.";
  if (status === 404) return "Partner Center does not know this route: check partnercenter:baseUrl (or partnercenter:cloud).";
  if (status === 409) return "The qualification already exists on the customer.";
  if (status === 429) return "Partner Center is throttling this partner: run again later.";
  if (status >= 500) return creates ? `Partner Center failed: run again later. ${CREATE_REPEATS}` : "Partner Center failed: run again later.";
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
