/**
 * The identity endpoint's HTTPS server: creates the TLS certificate (from the given CA or a
 * CA generated at start), listens, and routes discovery and OAuth requests. Its control
 * routes live on the API server (identity-control-routes.ts).
 */

import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import { isIP, type AddressInfo } from "node:net";
import { decodeSegmentLeniently, readBody, writeJson as writeJsonAnswer } from "../http-messages";
import { instanceDiscovery, isMultiTenantSegment, openIdConfiguration } from "./discovery";
import { ENTRA_ERRORS, type EntraError } from "./entra-errors";
import type { ValidatedIdentityOptions } from "./identity-input";
import { IdentityService } from "./identity-service";
import { handleDeviceAuthorizationRequest, handleTokenRequest, renderError, type OAuthAnswer } from "./oauth-endpoints";
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
  const authority = options.tls === undefined ? generatedAuthority() : { certificatePem: options.tls.caCertificatePem, privateKeyPem: options.tls.caPrivateKeyPem };
  const host = advertisedHost(options.host);
  const hosts = [...new Set([host, "127.0.0.1", "::1", "localhost"])];
  const serverCertificate = serverCertificateFor(authority, hosts);

  const server = createServer({ key: serverCertificate.privateKeyPem, cert: serverCertificate.certificatePem });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // The authority host (issuer, endpoint URLs) includes the port, known only once listening;
  // the request handler is attached in the same tick, before any request can be read.
  const port = (server.address() as AddressInfo).port;
  const service = new IdentityService({
    authorityHost: `https://${host.includes(":") ? `[${host}]` : host}:${port}`,
    caCertificatePem: authority.certificatePem,
    accessTokenLifetimeInSeconds: options.accessTokenLifetimeInSeconds,
    tenants: options.tenants,
  });
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    void serve(service, request, response);
  });
  return {
    service,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A server certificate from the CA; a CA that cannot sign (not a CA, key mismatch, expired) is an options mistake. */
function serverCertificateFor(authority: CertificateWithKey, hosts: string[]): CertificateWithKey {
  try {
    return issueServerCertificate(authority, { hosts });
  } catch (error) {
    throw new TypeError(`options.identity.tls: ${(error as Error).message}`);
  }
}

function generatedAuthority(): CertificateWithKey {
  return createCertificateAuthority({ commonName: "Partner Center emulator identity CA (generated at start)", validDays: 365 });
}

/** The host clients use: a wildcard listen address is reached over loopback. */
function advertisedHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::" || host === "[::]") return "::1";
  return isIP(host) === 6 ? host.replace(/^\[|\]$/g, "") : host;
}

/** Handles one request. */
async function serve(service: IdentityService, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const method = (request.method ?? "GET").toUpperCase();
  const url = new URL(request.url ?? "/", service.authorityHost);
  let correlationId = correlationIdOf(request.headers["client-request-id"], request.headers["x-ms-client-request-id"], url.searchParams.get("client-request-id"));
  const error = (failure: EntraError): void => writeJson(response, failure.status, renderError(service.oauthTargets, failure, correlationId), correlationId);
  try {
    const body = await readBody(request, MAX_BODY_BYTES);
    if (body.tooLarge) {
      writeJson(response, 413, { error: "invalid_request", error_description: `The request body exceeds ${MAX_BODY_BYTES} bytes.` }, correlationId);
      return;
    }
    const form = new URLSearchParams(body.text);
    // MSAL sends its correlation id as a form parameter of token requests.
    correlationId ??= correlationIdOf(form.get("client-request-id"));
    const segments = url.pathname.split("/").filter((segment) => segment !== "").map(decodeSegmentLeniently);
    const [tenant = "", ...rest] = segments;
    const path = rest.join("/").toLowerCase();

    if (tenant.toLowerCase() === "devicelogin" && rest.length === 0) {
      response.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" }).end(DEVICE_LOGIN_PAGE);
      return;
    }
    if (path === "discovery/instance" && method === "GET") {
      writeJson(response, 200, instanceDiscovery(service.authorityHost, url.searchParams.get("authorization_endpoint")), correlationId);
      return;
    }
    const knownTenant = isMultiTenantSegment(tenant) || service.hasTenant(tenant);
    if ((path === "v2.0/.well-known/openid-configuration" || path === ".well-known/openid-configuration") && method === "GET") {
      if (!knownTenant) error(ENTRA_ERRORS.tenantNotFoundInDiscovery(tenant));
      else writeJson(response, 200, openIdConfiguration(service.authorityHost, tenant), correlationId);
      return;
    }
    if ((path === "discovery/v2.0/keys" || path === "discovery/keys") && method === "GET") {
      if (!knownTenant) error(ENTRA_ERRORS.tenantNotFoundInDiscovery(tenant));
      else writeJson(response, 200, service.jwks(tenant), correlationId);
      return;
    }
    if (path === "oauth2/v2.0/token" || path === "oauth2/v2.0/devicecode") {
      if (method !== "POST") {
        error(ENTRA_ERRORS.postOnly(method));
        return;
      }
      const oauthRequest = { tenant, form, ...(correlationId === undefined ? {} : { correlationId }) };
      const answer: OAuthAnswer =
        path === "oauth2/v2.0/token" ? handleTokenRequest(service.oauthTargets, oauthRequest) : handleDeviceAuthorizationRequest(service.oauthTargets, oauthRequest);
      writeJson(response, answer.status, answer.body, correlationId);
      return;
    }
    writeJson(
      response,
      404,
      {
        error: "not_found",
        error_description:
          `The identity emulator has no endpoint ${method} ${url.pathname}. Interactive sign-in is simulated by the control API ` +
          "(issueRefreshToken, approveDeviceCode); see emulator/README.md.",
      },
      correlationId,
    );
  } catch (failure) {
    if (response.headersSent || request.socket.destroyed) {
      response.destroy();
      return;
    }
    writeJson(response, 500, { error: "server_error", error_description: `The identity emulator failed: ${(failure as Error).message}` }, correlationId);
  }
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
function correlationIdOf(...candidates: (string | string[] | null | undefined)[]): string | undefined {
  for (const candidate of candidates) {
    const single = Array.isArray(candidate) ? candidate[0] : candidate;
    if (typeof single === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(single)) return single;
  }
  return undefined;
}

function writeJson(response: ServerResponse, status: number, body: unknown, correlationId?: string): void {
  const headers: Record<string, string> = {
    // Token responses must never be cached (RFC 6749 5.1).
    "Cache-Control": "no-store",
    Pragma: "no-cache",
    "x-ms-request-id": randomUUID(),
    ...(correlationId === undefined ? {} : { "client-request-id": correlationId }),
  };
  writeJsonAnswer(response, status, headers, body);
}
