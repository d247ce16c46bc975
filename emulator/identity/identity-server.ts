/**
 * The identity endpoint's HTTPS server: creates the TLS certificate (from the given CA or a
 * CA generated at start), listens, and routes discovery and OAuth requests through a route
 * table. Its control routes live on the API server (identity-control-routes.ts).
 */

import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import { isIP } from "node:net";
import { closeNow, listen, urlHost } from "../http-listener";
import { answerFailure, decodeSegmentLeniently, headerValue, readBody, writeJson } from "../http-messages";
import { isGuid } from "../input-validation";
import { instanceDiscovery, isMultiTenantSegment, openIdConfiguration } from "./discovery";
import { ENTRA_ERRORS, type EntraError } from "./entra-errors";
import type { ValidatedIdentityOptions } from "./identity-input";
import { IdentityService } from "./identity-service";
import { handleDeviceAuthorizationRequest, handleTokenRequest, renderError, type OAuthAnswer, type OAuthRequest } from "./oauth-endpoints";
import { createCertificateAuthority, issueServerCertificate, type CertificateWithKey } from "./x509";

/** Token requests are a few kilobytes at most (a client assertion with a certificate chain); anything far beyond is refused. */
const MAX_BODY_BYTES = 64 * 1024;

/** A listening identity endpoint. */
export interface RunningIdentityServer {
  service: IdentityService;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** Starts the HTTPS identity endpoint and resolves once it is listening. */
export async function startIdentityServer(options: ValidatedIdentityOptions): Promise<RunningIdentityServer> {
  const authority =
    options.tls === undefined ? await generatedAuthority() : { certificatePem: options.tls.caCertificatePem, privateKeyPem: options.tls.caPrivateKeyPem };
  const host = advertisedHost(options.host);
  const serverCertificate = await serverCertificateFor(authority, [...new Set([host, "127.0.0.1", "::1", "localhost"])]);
  const server = createServer({ key: serverCertificate.privateKeyPem, cert: serverCertificate.certificatePem });
  // The authority host (issuer, endpoint URLs) includes the port, known only once listening;
  // the request handler is attached in the same tick, before any request can be read.
  const port = await listen(server, options.port, options.host);
  const service = new IdentityService({
    authorityHost: `https://${urlHost(host)}:${port}`,
    caCertificatePem: authority.certificatePem,
    accessTokenLifetimeInSeconds: options.accessTokenLifetimeInSeconds,
    tenants: options.tenants,
  });
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    void serve(service, request, response);
  });
  return { service, close: () => closeNow(server) };
}

/** A server certificate from the CA; a CA that cannot sign (not a CA, key mismatch, expired) is an options mistake. */
async function serverCertificateFor(authority: CertificateWithKey, hosts: string[]): Promise<CertificateWithKey> {
  try {
    return await issueServerCertificate(authority, { hosts });
  } catch (error) {
    throw new TypeError(`options.identity.tls: ${(error as Error).message}`);
  }
}

function generatedAuthority(): Promise<CertificateWithKey> {
  return createCertificateAuthority({ commonName: "Partner Center emulator identity CA (generated at start)", validDays: 365 });
}

/** The host clients use: a wildcard listen address is reached over loopback. */
function advertisedHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::" || host === "[::]") return "::1";
  return isIP(host) === 6 ? host.replace(/^\[|\]$/g, "") : host;
}

/** One request as the routes see it: the tenant segment, the rest of the path, the form. */
interface IdentityRequest {
  method: string;
  url: URL;
  /** The first path segment, decoded: a tenant id, `common`, `organizations` or `devicelogin`. */
  tenant: string;
  /** The segments after the tenant, joined with `/`, lower-case. */
  path: string;
  form: URLSearchParams;
  correlationId?: string;
}

/** What a route answers: JSON, or the plain text of the device-login page. */
type IdentityAnswer = OAuthAnswer | { status: number; text: string };

interface IdentityRoute {
  /** Paths below the tenant segment, lower-case; "" is the tenant segment alone. */
  paths: readonly string[];
  /** Only this tenant segment (any case); default any. */
  tenant?: string;
  /** Other methods fall through to 404, as Entra's discovery documents do; absent: the handler checks. */
  method?: "GET";
  handle(service: IdentityService, request: IdentityRequest): IdentityAnswer | Promise<IdentityAnswer>;
}

const ROUTES: readonly IdentityRoute[] = [
  { tenant: "devicelogin", paths: [""], handle: () => ({ status: 200, text: DEVICE_LOGIN_PAGE }) },
  {
    paths: ["discovery/instance"],
    method: "GET",
    handle: (service, request) => ({ status: 200, body: instanceDiscovery(service.authorityHost, request.url.searchParams.get("authorization_endpoint")) }),
  },
  {
    paths: ["v2.0/.well-known/openid-configuration", ".well-known/openid-configuration"],
    method: "GET",
    handle: forKnownTenant((service, tenant) => openIdConfiguration(service.authorityHost, tenant)),
  },
  {
    paths: ["discovery/v2.0/keys", "discovery/keys"],
    method: "GET",
    handle: forKnownTenant(({ issuer }, tenant) => issuer.jwks(issuer.v2Issuer(tenant.toLowerCase()))),
  },
  { paths: ["oauth2/v2.0/token"], handle: postOnly(handleTokenRequest) },
  { paths: ["oauth2/v2.0/devicecode"], handle: postOnly(handleDeviceAuthorizationRequest) },
];

/** A discovery document, served for a tenant that exists or a multi-tenant segment. */
function forKnownTenant(document: (service: IdentityService, tenant: string) => unknown): IdentityRoute["handle"] {
  return (service, { tenant, correlationId }) =>
    isMultiTenantSegment(tenant) || service.directory.hasTenant(tenant)
      ? { status: 200, body: document(service, tenant) }
      : errorAnswer(service, ENTRA_ERRORS.tenantNotFoundInDiscovery(tenant), correlationId);
}

/** An OAuth endpoint, which answers other methods with Entra's POST-only error. */
function postOnly(endpoint: (service: IdentityService, request: OAuthRequest) => OAuthAnswer | Promise<OAuthAnswer>): IdentityRoute["handle"] {
  return (service, { method, tenant, form, correlationId }) => {
    if (method !== "POST") return errorAnswer(service, ENTRA_ERRORS.postOnly(method), correlationId);
    return endpoint(service, { tenant, form, ...(correlationId === undefined ? {} : { correlationId }) });
  };
}

function errorAnswer(service: IdentityService, failure: EntraError, correlationId: string | undefined): OAuthAnswer {
  return { status: failure.status, body: renderError(service, failure, correlationId) };
}

/** Handles one request; any failure is a 500 in OAuth's error shape. */
async function serve(service: IdentityService, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? "/", service.authorityHost);
  let correlationId = correlationIdOf(
    headerValue(request.headers, "client-request-id"),
    headerValue(request.headers, "x-ms-client-request-id"),
    url.searchParams.get("client-request-id"),
  );
  try {
    const body = await readBody(request, MAX_BODY_BYTES);
    if (body.tooLarge) {
      send(response, oauthError(413, "invalid_request", `The request body exceeds ${MAX_BODY_BYTES} bytes.`), correlationId);
      return;
    }
    const identityRequest = identityRequestOf((request.method ?? "GET").toUpperCase(), url, body.text, correlationId);
    correlationId = identityRequest.correlationId;
    send(response, await route(service, identityRequest), correlationId);
  } catch (failure) {
    answerFailure(request, response, () =>
      send(response, oauthError(500, "server_error", `The identity emulator failed: ${(failure as Error).message}`), correlationId),
    );
  }
}

function identityRequestOf(method: string, url: URL, bodyText: string, headerCorrelationId: string | undefined): IdentityRequest {
  const form = new URLSearchParams(bodyText);
  // MSAL sends its correlation id as a form parameter of token requests.
  const correlationId = headerCorrelationId ?? correlationIdOf(form.get("client-request-id"));
  const [tenant = "", ...rest] = url.pathname
    .split("/")
    .filter((segment) => segment !== "")
    .map(decodeSegmentLeniently);
  return { method, url, tenant, path: rest.join("/").toLowerCase(), form, ...(correlationId === undefined ? {} : { correlationId }) };
}

/** The answer of the route the request asks for; 404 pointing at the control API when none does. */
function route(service: IdentityService, request: IdentityRequest): IdentityAnswer | Promise<IdentityAnswer> {
  const found = ROUTES.find(
    (candidate) =>
      candidate.paths.includes(request.path) &&
      (candidate.tenant === undefined || candidate.tenant === request.tenant.toLowerCase()) &&
      (candidate.method === undefined || candidate.method === request.method),
  );
  if (found !== undefined) return found.handle(service, request);
  return oauthError(
    404,
    "not_found",
    `The identity emulator has no endpoint ${request.method} ${request.url.pathname}. Interactive sign-in is simulated by the control API ` +
      "(issueRefreshToken, approveDeviceCode); see emulator/README.md.",
  );
}

/** The emulator's own failures (not Entra's catalogued ones) in OAuth's `error` / `error_description` shape. */
function oauthError(status: number, error: string, description: string): OAuthAnswer {
  return { status, body: { error, error_description: description } };
}

const DEVICE_LOGIN_PAGE =
  "Partner Center emulator: device-code sign-in.\n\n" +
  "There is no interactive page. Complete the sign-in with the emulator's control API:\n" +
  "  IdentityControl.approveDeviceCode(userCode, { user, mfa })\n" +
  "  or POST /_emulator/identity/device-codes/{userCode}/approve on the emulator's API server.\n";

/**
 * The client's correlation id (MSAL: `client-request-id` header, query or form parameter; the
 * Azure SDK: `x-ms-client-request-id`), echoed only when GUID-shaped so nothing arbitrary is reflected.
 */
function correlationIdOf(...candidates: (string | null | undefined)[]): string | undefined {
  return candidates.find((candidate): candidate is string => typeof candidate === "string" && isGuid(candidate));
}

/** Writes an answer with the headers every identity answer carries. */
function send(response: ServerResponse, answer: IdentityAnswer, correlationId: string | undefined): void {
  if ("text" in answer) {
    response.writeHead(answer.status, { "Content-Type": "text/plain; charset=utf-8" }).end(answer.text);
    return;
  }
  const headers: Record<string, string> = {
    // Token responses must never be cached (RFC 6749 5.1).
    "Cache-Control": "no-store",
    Pragma: "no-cache",
    "x-ms-request-id": randomUUID(),
    ...(correlationId === undefined ? {} : { "client-request-id": correlationId }),
  };
  writeJson(response, answer.status, headers, answer.body);
}
