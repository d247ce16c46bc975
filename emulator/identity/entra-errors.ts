/**
 * Entra ID's OAuth error answers: the catalog of errors the identity endpoint gives and the
 * body shape (`error`, `error_description` starting with `AADSTSnnnnn:`, `error_codes`, trace
 * and correlation ids). Descriptions name applications, tenants and scopes, never a secret,
 * token, code or assertion.
 *
 * Codes follow Entra's documented AADSTS codes. Emulator choices where Entra's exact code is
 * undocumented or varies: 70000 for a refresh token or device code presented by another client
 * or tenant, 9002313 for an unknown refresh token or device code, 50012 for a client assertion
 * with the wrong audience or type, and suberror `bad_token` on both 700082 and 50173.
 */

import { randomUUID } from "node:crypto";
import { DELEGATED_SCOPE } from "./partner-center-scopes";

/** An error before it is rendered. */
export interface EntraError {
  status: 400 | 401;
  /** The OAuth `error` value. */
  error: string;
  /** The AADSTS number. */
  code: number;
  /** Text after `AADSTSnnnnn: `. */
  message: string;
  /** Entra's `suberror`, which MSAL reads to decide on an InteractionRequiredAuthError. */
  suberror?: string;
}

/** The JSON body Entra sends with an error. */
export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
  suberror?: string;
}

/** Renders an error the way Entra does: description with trace id, correlation id and timestamp appended. */
export function entraErrorBody(failure: EntraError, context: { authorityHost: string; correlationId?: string; now: Date }): EntraErrorBody {
  const traceId = randomUUID();
  const correlationId = context.correlationId ?? randomUUID();
  const timestamp = `${context.now.toISOString().slice(0, 19).replace("T", " ")}Z`;
  return {
    error: failure.error,
    error_description: `AADSTS${failure.code}: ${failure.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [failure.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `${context.authorityHost}/error?code=${failure.code}`,
    ...(failure.suberror === undefined ? {} : { suberror: failure.suberror }),
  };
}

/** Request values quoted in a description; a long one is not a client id, scope or grant type (more likely a pasted token), so it is not echoed at all. */
function quoted(value: string): string {
  return value.length <= 64 ? value : `<${value.length} characters>`;
}

/** An error of `status` with OAuth's `error` and Entra's AADSTS `code`. */
function entraError(status: 400 | 401, error: string, code: number, message: string, suberror?: string): EntraError {
  return { status, error, code, message, ...(suberror === undefined ? {} : { suberror }) };
}

const invalidRequest = (code: number, message: string): EntraError => entraError(400, "invalid_request", code, message);
const invalidClient = (code: number, message: string): EntraError => entraError(401, "invalid_client", code, message);
const invalidGrant = (code: number, message: string, suberror?: string): EntraError => entraError(400, "invalid_grant", code, message, suberror);
const invalidScope = (code: number, message: string): EntraError => entraError(400, "invalid_scope", code, message);

/** The errors the identity endpoint answers with. */
export const ENTRA_ERRORS = {
  tenantNotFound: (tenant: string) =>
    invalidRequest(90002, `Tenant '${quoted(tenant)}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`),
  /** The discovery documents call the same condition `invalid_tenant`. */
  tenantNotFoundInDiscovery: (tenant: string): EntraError => ({ ...ENTRA_ERRORS.tenantNotFound(tenant), error: "invalid_tenant" }),
  missingParameter: (name: string) => invalidRequest(900144, `The request body must contain the following parameter: '${name}'.`),
  postOnly: (method: string) => invalidRequest(900561, `The endpoint only accepts POST, OPTIONS requests. Received a ${quoted(method)} request.`),
  unsupportedGrantType: (grantType: string) =>
    entraError(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${quoted(grantType)}'.`),
  applicationNotFound: (clientId: string, tenant: string) =>
    entraError(
      400,
      "unauthorized_client",
      700016,
      `Application with identifier '${quoted(clientId)}' was not found in the directory '${quoted(tenant)}'. This can happen if the application ` +
        "has not been installed by the administrator of the tenant or consented to by any user in the tenant.",
    ),
  invalidClientSecret: (clientId: string) =>
    invalidClient(
      7000215,
      "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, " +
        `for a secret added to app '${quoted(clientId)}'.`,
    ),
  missingClientCredential: () => invalidClient(7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  publicClientWithCredential: () => invalidClient(700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented."),
  malformedAssertion: () => invalidClient(50027, "JWT token is invalid or malformed."),
  assertionSignature: (reason: string) => invalidClient(700027, `Client assertion failed signature validation. [Reason - ${reason}]`),
  assertionTimeRange: () => invalidClient(700024, "Client assertion is not within its valid time range."),
  assertionClientMismatch: () => invalidClient(700021, "Client assertion application identifier doesn't match 'client_id' parameter."),
  assertionRejected: (reason: string) => invalidClient(50012, `Authentication failed: ${reason}`),
  unknownGrant: (what: "refresh token" | "device code") =>
    invalidGrant(9002313, `Invalid request. Request is malformed or invalid: the ${what} is not one this directory issued.`),
  grantForOtherClient: (what: "refresh token" | "device code", other: "client" | "tenant") =>
    invalidGrant(70000, `Provided grant is invalid or malformed: the ${what} was issued to a different ${other}.`),
  refreshTokenExpired: (issuedAt: Date) =>
    invalidGrant(
      700082,
      `The refresh token has expired due to inactivity. The token was issued on ${issuedAt.toISOString()} and was inactive for 90.00:00:00.`,
      "bad_token",
    ),
  refreshTokenRevoked: (issuedAt: Date, validFrom: Date) =>
    invalidGrant(
      50173,
      "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. " +
        `The grant was issued on '${issuedAt.toISOString()}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${validFrom.toISOString()}'.`,
      "bad_token",
    ),
  invalidScope: (scope: string) =>
    scope === ""
      ? invalidScope(70011, `The provided request must include a 'scope' input parameter naming a resource: '${DELEGATED_SCOPE}'.`)
      : invalidScope(70011, `The provided value for the input parameter 'scope' is not valid. The scope '${quoted(scope)}' does not exist.`),
  clientCredentialsScope: (scope: string) =>
    invalidScope(
      1002012,
      `The provided value for scope ${quoted(scope)} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  authorizationPending: () => entraError(400, "authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending. Continue polling."),
  deviceCodeExpired: () =>
    entraError(400, "expired_token", 70020, "The provided value for the input parameter 'device_code' is not valid. This device code has expired."),
} as const;
