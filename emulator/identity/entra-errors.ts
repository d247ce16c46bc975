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

/** The errors the identity endpoint answers with. */
export const ENTRA_ERRORS = {
  tenantNotFound: (tenant: string): EntraError => ({
    status: 400,
    error: "invalid_request",
    code: 90002,
    message: `Tenant '${quoted(tenant)}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  }),
  /** The discovery documents call the same condition `invalid_tenant`. */
  tenantNotFoundInDiscovery: (tenant: string): EntraError => ({ ...ENTRA_ERRORS.tenantNotFound(tenant), error: "invalid_tenant" }),
  missingParameter: (name: string): EntraError => ({
    status: 400,
    error: "invalid_request",
    code: 900144,
    message: `The request body must contain the following parameter: '${name}'.`,
  }),
  postOnly: (method: string): EntraError => ({
    status: 400,
    error: "invalid_request",
    code: 900561,
    message: `The endpoint only accepts POST, OPTIONS requests. Received a ${quoted(method)} request.`,
  }),
  unsupportedGrantType: (grantType: string): EntraError => ({
    status: 400,
    error: "unsupported_grant_type",
    code: 70003,
    message: `The app requested an unsupported grant type '${quoted(grantType)}'.`,
  }),
  applicationNotFound: (clientId: string, tenant: string): EntraError => ({
    status: 400,
    error: "unauthorized_client",
    code: 700016,
    message:
      `Application with identifier '${quoted(clientId)}' was not found in the directory '${quoted(tenant)}'. This can happen if the application ` +
      "has not been installed by the administrator of the tenant or consented to by any user in the tenant.",
  }),
  invalidClientSecret: (clientId: string): EntraError => ({
    status: 401,
    error: "invalid_client",
    code: 7000215,
    message: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${quoted(clientId)}'.`,
  }),
  missingClientCredential: (): EntraError => ({
    status: 401,
    error: "invalid_client",
    code: 7000218,
    message: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  }),
  publicClientWithCredential: (): EntraError => ({
    status: 401,
    error: "invalid_client",
    code: 700025,
    message: "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
  }),
  malformedAssertion: (): EntraError => ({ status: 401, error: "invalid_client", code: 50027, message: "JWT token is invalid or malformed." }),
  assertionSignature: (reason: string): EntraError => ({
    status: 401,
    error: "invalid_client",
    code: 700027,
    message: `Client assertion failed signature validation. [Reason - ${reason}]`,
  }),
  assertionTimeRange: (): EntraError => ({ status: 401, error: "invalid_client", code: 700024, message: "Client assertion is not within its valid time range." }),
  assertionClientMismatch: (): EntraError => ({
    status: 401,
    error: "invalid_client",
    code: 700021,
    message: "Client assertion application identifier doesn't match 'client_id' parameter.",
  }),
  assertionRejected: (reason: string): EntraError => ({ status: 401, error: "invalid_client", code: 50012, message: `Authentication failed: ${reason}` }),
  unknownGrant: (what: "refresh token" | "device code"): EntraError => ({
    status: 400,
    error: "invalid_grant",
    code: 9002313,
    message: `Invalid request. Request is malformed or invalid: the ${what} is not one this directory issued.`,
  }),
  grantForOtherClient: (what: "refresh token" | "device code", other: "client" | "tenant"): EntraError => ({
    status: 400,
    error: "invalid_grant",
    code: 70000,
    message: `Provided grant is invalid or malformed: the ${what} was issued to a different ${other}.`,
  }),
  refreshTokenExpired: (issuedAt: Date): EntraError => ({
    status: 400,
    error: "invalid_grant",
    code: 700082,
    suberror: "bad_token",
    message: `The refresh token has expired due to inactivity. The token was issued on ${issuedAt.toISOString()} and was inactive for 90.00:00:00.`,
  }),
  refreshTokenRevoked: (issuedAt: Date, validFrom: Date): EntraError => ({
    status: 400,
    error: "invalid_grant",
    code: 50173,
    suberror: "bad_token",
    message:
      "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. " +
      `The grant was issued on '${issuedAt.toISOString()}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${validFrom.toISOString()}'.`,
  }),
  invalidScope: (scope: string): EntraError =>
    scope === ""
      ? { status: 400, error: "invalid_scope", code: 70011, message: `The provided request must include a 'scope' input parameter naming a resource: '${DELEGATED_SCOPE}'.` }
      : { status: 400, error: "invalid_scope", code: 70011, message: `The provided value for the input parameter 'scope' is not valid. The scope '${quoted(scope)}' does not exist.` },
  clientCredentialsScope: (scope: string): EntraError => ({
    status: 400,
    error: "invalid_scope",
    code: 1002012,
    message: `The provided value for scope ${quoted(scope)} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
  }),
  authorizationPending: (): EntraError => ({
    status: 400,
    error: "authorization_pending",
    code: 70016,
    message: "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
  }),
  deviceCodeExpired: (): EntraError => ({
    status: 400,
    error: "expired_token",
    code: 70020,
    message: "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
  }),
} as const;
