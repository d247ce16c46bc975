/**
 * The discovery documents MSAL reads before a token request: the OpenID Connect provider
 * configuration, the instance discovery metadata (asked for only when a client neither lists
 * the host in `knownAuthorities` nor disables instance discovery) and the signing keys.
 */

import type { JsonObject } from "../input-validation";

/** Tenant path segments that name no tenant; Entra answers their configuration with a `{tenantid}` placeholder issuer. */
export const MULTI_TENANT_SEGMENTS = ["common", "organizations"] as const;

/** True for `common` and `organizations` (any case). */
export function isMultiTenantSegment(segment: string): boolean {
  return (MULTI_TENANT_SEGMENTS as readonly string[]).includes(segment.toLowerCase());
}

/**
 * The v2 OpenID provider configuration for a tenant segment (a tenant id, or `common` /
 * `organizations`). MSAL needs authorization_endpoint, token_endpoint, issuer and jwks_uri,
 * checks that the issuer's scheme, host and port are the authority's, and derives the
 * device-code endpoint from token_endpoint.
 */
export function openIdConfiguration(authorityHost: string, segment: string): JsonObject {
  const tenant = segment.toLowerCase();
  const base = `${authorityHost}/${tenant}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt"],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    grant_types_supported: ["refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code"],
    issuer: `${authorityHost}/${isMultiTenantSegment(tenant) ? "{tenantid}" : tenant}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      "sub",
      "iss",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "acr",
      "nonce",
      "preferred_username",
      "name",
      "tid",
      "ver",
      "at_hash",
      "c_hash",
      "email",
    ],
    tenant_region_scope: "NA",
    cloud_instance_name: new URL(authorityHost).host,
  };
}

/**
 * Instance discovery (`/common/discovery/instance`): the emulator's host is its own cloud,
 * with no aliases. `authorization_endpoint` names the tenant whose configuration is pointed at.
 */
export function instanceDiscovery(authorityHost: string, authorizationEndpoint: string | null): JsonObject {
  const host = new URL(authorityHost).host;
  let tenant = "common";
  try {
    if (authorizationEndpoint !== null) tenant = new URL(authorizationEndpoint).pathname.split("/").filter((part) => part !== "")[0] ?? tenant;
  } catch {
    // An unreadable authorization_endpoint points at nothing in particular; common it is.
  }
  return {
    tenant_discovery_endpoint: `${authorityHost}/${tenant}/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}
