import assert from "node:assert/strict";
import { EmulatorControl, EmulatorControlError, startEmulator, type IdentityOptions, type RunningIdentity } from "../index";
import { useEmulator } from "./emulator-harness";
import {
  CLIENT_SECRET,
  DEFAULT_SCOPE,
  PUBLIC_APP,
  SECRET_APP,
  TENANT,
  UNKNOWN_TENANT,
  postForm,
  redeemRefreshToken,
  tokenPath,
  useIdentityEmulator,
} from "./identity-harness";

function rejectsWith(status: number, message: RegExp): (error: unknown) => boolean {
  return (error: unknown) => error instanceof EmulatorControlError && error.status === status && message.test(error.message);
}

describe("emulator identity: control API", () => {
  const env = useIdentityEmulator();

  function clientCredentials(tenantId: string, clientId: string, clientSecret: string): ReturnType<typeof postForm> {
    return postForm(env.identity, tokenPath(tenantId), {
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: clientSecret,
      scope: DEFAULT_SCOPE,
    });
  }

  it("tells another process the authority host and CA, through a separately constructed control client", async () => {
    const control = new EmulatorControl(`${env.emulator.url}/`).identity;

    assert.deepEqual(await control.describe(), { authorityHost: env.identity.authorityHost, caCertificatePem: env.identity.caCertificatePem });
  });

  it("registers applications, creating their tenant, and overwrites a registration with the same client id", async () => {
    await env.identity.control.registerApplication({ tenantId: UNKNOWN_TENANT, clientId: "new-app", clientSecret: "first-secret" });
    await env.identity.control.registerApplication({ tenantId: UNKNOWN_TENANT.toUpperCase(), clientId: "new-app", clientSecret: "second-secret" });

    assert.equal((await clientCredentials(UNKNOWN_TENANT, "new-app", "second-secret")).status, 200);
    assert.deepEqual((await clientCredentials(UNKNOWN_TENANT, "new-app", "first-secret")).body.error_codes, [7000215]);
  });

  it("puts the identity endpoint back to its seed on reset", async () => {
    await env.identity.control.registerApplication({ tenantId: UNKNOWN_TENANT, clientId: "new-app", clientSecret: "a-secret" });
    const refreshToken = await env.identity.control.issueRefreshToken({ tenantId: TENANT, clientId: SECRET_APP });
    await env.identity.control.setAccessTokenLifetime(60);
    await clientCredentials(TENANT, SECRET_APP, CLIENT_SECRET);

    await env.emulator.control.reset();

    assert.deepEqual(await env.identity.control.tokenRequests(), []);
    assert.deepEqual((await clientCredentials(UNKNOWN_TENANT, "new-app", "a-secret")).body.error_codes, [90002]);
    assert.deepEqual((await redeemRefreshToken(env.identity, refreshToken)).body.error_codes, [9002313]);
    assert.equal((await clientCredentials(TENANT, SECRET_APP, CLIENT_SECRET)).body.expires_in, 3600);
  });

  it("answers 404 for a consent to an unknown application or tenant, and for an unknown user code", async () => {
    await assert.rejects(env.identity.control.issueRefreshToken({ tenantId: TENANT, clientId: "nobody" }), rejectsWith(404, /no application nobody in tenant/));
    await assert.rejects(env.identity.control.issueRefreshToken({ tenantId: UNKNOWN_TENANT, clientId: SECRET_APP }), rejectsWith(404, /no tenant/));
    await assert.rejects(env.identity.control.approveDeviceCode("ABCDEFGHJ"), rejectsWith(404, /no pending device code with user code ABCDEFGHJ/));
  });

  const invalidCalls: { name: string; call: (control: RunningIdentity["control"]) => Promise<unknown>; message: RegExp }[] = [
    {
      name: "a tenant id that is not a GUID",
      call: (control) => control.registerApplication({ tenantId: "contoso", clientId: "a" }),
      message: /tenantId must be a tenant GUID/,
    },
    {
      name: "a certificate that is not PEM",
      call: (control) => control.registerApplication({ tenantId: TENANT, clientId: "a", certificatePem: "nope" }),
      message: /certificatePem is not a PEM X.509 certificate/,
    },
    {
      name: "an unknown property",
      call: (control) => control.registerApplication({ tenantId: TENANT, clientId: "a", secret: "x" } as never),
      message: /unknown property: secret/,
    },
    {
      name: "a user that is not a principal name",
      call: (control) => control.issueRefreshToken({ tenantId: TENANT, clientId: PUBLIC_APP, user: "admin" }),
      message: /user must be a user principal name/,
    },
    {
      name: "an mfa flag that is not a boolean",
      call: (control) => control.approveDeviceCode("ABC", { mfa: "yes" } as never),
      message: /mfa must be a boolean/,
    },
    { name: "a zero access-token lifetime", call: (control) => control.setAccessTokenLifetime(0), message: /seconds must be at least 1/ },
    { name: "a filter with a bad tenant", call: (control) => control.revokeRefreshTokens({ tenantId: "x" }), message: /tenantId must be a tenant GUID/ },
  ];
  for (const invalid of invalidCalls) {
    it(`refuses ${invalid.name} with 400`, async () => {
      await assert.rejects(invalid.call(env.identity.control), rejectsWith(400, invalid.message));
    });
  }

  it("revokes and expires only the matching refresh tokens, and counts them", async () => {
    const first = await env.identity.control.issueRefreshToken({ tenantId: TENANT, clientId: SECRET_APP, user: "a@contoso.example" });
    const second = await env.identity.control.issueRefreshToken({ tenantId: TENANT, clientId: SECRET_APP, user: "b@contoso.example" });

    assert.equal(await env.identity.control.revokeRefreshTokens({ user: "A@CONTOSO.EXAMPLE" }), 1);
    assert.equal(await env.identity.control.revokeRefreshTokens({ user: "a@contoso.example" }), 0, "already revoked");
    assert.equal(await env.identity.control.expireRefreshTokens({ tenantId: UNKNOWN_TENANT }), 0);

    assert.deepEqual((await redeemRefreshToken(env.identity, first)).body.error_codes, [50173]);
    assert.equal((await redeemRefreshToken(env.identity, second)).status, 200);
    // The redemption above rotated, adding a third token (b's); the revoked one is marked expired too.
    assert.equal(await env.identity.control.expireRefreshTokens(), 3);
    assert.deepEqual((await redeemRefreshToken(env.identity, second)).body.error_codes, [700082]);
  });
});

describe("emulator identity: without an identity endpoint", () => {
  const env = useEmulator();

  it("has no identity handle, and its identity control routes answer 404", async () => {
    assert.equal(env.emulator.identity, undefined);
    await assert.rejects(env.emulator.control.identity.describe(), rejectsWith(404, /runs without an identity endpoint/));
  });

  const invalidOptions: { name: string; identity: unknown; message: RegExp }[] = [
    { name: "a port out of range", identity: { port: 70000 }, message: /options.identity.port must be an integer from 0 to 65535/ },
    { name: "an unknown option", identity: { tenant: [] }, message: /options.identity has unknown property: tenant/ },
    { name: "a tenant without an id", identity: { tenants: [{ applications: [] }] }, message: /options.identity.tenants\[0\].tenantId is required/ },
    { name: "TLS without the key", identity: { tls: { caCertificatePem: "x" } }, message: /options.identity.tls.caPrivateKeyPem is required/ },
  ];
  for (const invalid of invalidOptions) {
    it(`refuses to start with ${invalid.name}`, async () => {
      await assert.rejects(startEmulator({ identity: invalid.identity as IdentityOptions }), invalid.message);
    });
  }
});
