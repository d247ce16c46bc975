/**
 * The identity-endpoint tests' part of the harness: an emulator whose identity endpoint is
 * signed by the committed test CA (which the test process trusts through NODE_EXTRA_CA_CERTS),
 * seeded tenants and app registrations, and helpers for real MSAL Node clients and raw token
 * requests.
 */

import { ConfidentialClientApplication, PublicClientApplication, type Configuration } from "@azure/msal-node";
import {
  PARTNER_CENTER_AUDIENCE,
  createSelfSignedCertificate,
  type ClientCertificate,
  type IdentityOptions,
  type IdentityTenantSeed,
  type RunningEmulator,
  type RunningIdentity,
} from "../index";
import { TEST_CA, identityOf, requireTrustedTestCa } from "../../test/fixtures/emulator-suite";
import { useEmulator, type EmulatorFixture } from "./emulator-harness";

export { TEST_CA, identityOf };

/** The partner tenant. */
export const TENANT = "7d1c3b2a-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
/** A second tenant, holding an app with the same client id as {@link SECRET_APP}. */
export const OTHER_TENANT = "8e2d4c3b-5f6a-4b7c-9d8e-0f1a2b3c4d5e";
/** A tenant id no seed mentions. */
export const UNKNOWN_TENANT = "9f3e5d4c-6a7b-4c8d-8e9f-1a2b3c4d5e6f";

/** A confidential app that authenticates with {@link CLIENT_SECRET}. */
export const SECRET_APP = "3f1e2d3c-4b5a-4c6d-8e7f-8a9b0c1d2e3f";
/** Distinctive, so a test can search any text for it. */
export const CLIENT_SECRET = "emulator-TEST-secret~Q7v.x9_w";
/** {@link SECRET_APP}'s secret in {@link OTHER_TENANT}. */
export const OTHER_TENANT_SECRET = "emulator-TEST-other-tenant-secret";
/** A confidential app that authenticates with {@link CLIENT_CERTIFICATE}. */
export const CERTIFICATE_APP = "4a2f3e4d-5c6b-4d7e-9f8a-9b0c1d2e3f4a";
/** A public client (no credentials), for the device-code flow. */
export const PUBLIC_APP = "5b3a4f5e-6d7c-4e8f-8a9b-0c1d2e3f4a5b";
/** A second confidential app in {@link TENANT}. */
export const SECOND_APP = "6c4b5a6f-7e8d-4f9a-9b0c-1d2e3f4a5b6c";
/** {@link SECOND_APP}'s secret. */
export const SECOND_APP_SECRET = "emulator-TEST-second-app-secret";

/**
 * The certificate credential of {@link CERTIFICATE_APP} (RSA: MSAL Node signs assertions with PS256),
 * created (asynchronously) before the first identity suite's emulator starts.
 */
export let CLIENT_CERTIFICATE: ClientCertificate;

/** The delegated Partner Center scope. */
export const DELEGATED_SCOPE = `${PARTNER_CENTER_AUDIENCE}/user_impersonation`;
/** The app-only Partner Center scope. */
export const DEFAULT_SCOPE = `${PARTNER_CENTER_AUDIENCE}/.default`;

/** The tenants and app registrations every identity suite starts from. */
function identityTenants(certificate: ClientCertificate): IdentityTenantSeed[] {
  return [
    {
      tenantId: TENANT,
      applications: [
        { clientId: SECRET_APP, clientSecret: CLIENT_SECRET },
        { clientId: CERTIFICATE_APP, certificatePem: certificate.certificatePem },
        { clientId: PUBLIC_APP },
        { clientId: SECOND_APP, clientSecret: SECOND_APP_SECRET },
      ],
    },
    { tenantId: OTHER_TENANT, applications: [{ clientId: SECRET_APP, clientSecret: OTHER_TENANT_SECRET }] },
  ];
}

/** An emulator fixture with its identity endpoint at hand. */
export interface IdentityEmulatorFixture extends EmulatorFixture {
  readonly identity: RunningIdentity;
}

/** {@link useEmulator} with the test CA and {@link identityTenants}; fails early when the test CA is not trusted. */
export function useIdentityEmulator(): IdentityEmulatorFixture {
  requireTrustedTestCa();
  const identity: IdentityOptions = { tls: TEST_CA };
  // Certificates are made asynchronously; this hook runs before the one that starts the emulator with `identity`.
  before(async () => {
    CLIENT_CERTIFICATE ??= await createSelfSignedCertificate({ commonName: "identity test client" });
    identity.tenants = identityTenants(CLIENT_CERTIFICATE);
  });
  const fixture = useEmulator({ identity });
  return {
    get emulator(): RunningEmulator {
      return fixture.emulator;
    },
    get identity(): RunningIdentity {
      return identityOf(fixture.emulator);
    },
  };
}

/**
 * The MSAL `auth` options that work against the emulator: the authority is
 * `${authorityHost}/${tenantId}`, and the host (with port) is listed in `knownAuthorities`,
 * so MSAL skips instance discovery (which would go to login.microsoftonline.com) and reads
 * the endpoints from the emulator's OpenID configuration.
 */
export function msalAuthority(identity: RunningIdentity, tenantId = TENANT): Pick<Configuration["auth"], "authority" | "knownAuthorities"> {
  return { authority: `${identity.authorityHost}/${tenantId}`, knownAuthorities: [new URL(identity.authorityHost).host] };
}

/** A fresh MSAL confidential client authenticating with a secret. */
export function secretClient(
  identity: RunningIdentity,
  options: { clientId?: string; clientSecret?: string; tenantId?: string } = {},
): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: { clientId: options.clientId ?? SECRET_APP, clientSecret: options.clientSecret ?? CLIENT_SECRET, ...msalAuthority(identity, options.tenantId) },
  });
}

/** A fresh MSAL confidential client authenticating with {@link CLIENT_CERTIFICATE}. */
export function certificateClient(identity: RunningIdentity): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      clientId: CERTIFICATE_APP,
      clientCertificate: {
        thumbprintSha256: CLIENT_CERTIFICATE.thumbprintSha256,
        privateKey: CLIENT_CERTIFICATE.privateKeyPem,
        x5c: CLIENT_CERTIFICATE.certificatePem,
      },
      ...msalAuthority(identity),
    },
  });
}

/** A fresh MSAL public client for {@link PUBLIC_APP}. */
export function publicClient(identity: RunningIdentity): PublicClientApplication {
  return new PublicClientApplication({ auth: { clientId: PUBLIC_APP, ...msalAuthority(identity) } });
}

/** A raw answer from the identity endpoint. */
export interface IdentityResponse {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

/** POSTs a form to the tenant's token endpoint (or another OAuth endpoint). */
export async function postForm(identity: RunningIdentity, path: string, form: Record<string, string>): Promise<IdentityResponse> {
  const response = await fetch(`${identity.authorityHost}${path}`, { method: "POST", body: new URLSearchParams(form) });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Record<string, unknown>, text };
}

/** The token endpoint path of a tenant. */
export function tokenPath(tenantId = TENANT): string {
  return `/${tenantId}/oauth2/v2.0/token`;
}

/** A refresh_token grant for {@link SECRET_APP}, straight to the token endpoint. */
export function redeemRefreshToken(identity: RunningIdentity, refreshToken: string, overrides: Record<string, string> = {}): Promise<IdentityResponse> {
  return postForm(identity, tokenPath(), {
    grant_type: "refresh_token",
    client_id: SECRET_APP,
    client_secret: CLIENT_SECRET,
    refresh_token: refreshToken,
    scope: `${DELEGATED_SCOPE} openid profile offline_access`,
    ...overrides,
  });
}

/** The claims of a JWT (not verified). */
export function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.split(".")[1];
  if (payload === undefined) throw new Error("not a JWT");
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
}
