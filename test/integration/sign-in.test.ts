import { strict as assert } from "node:assert";
import { CredentialError, signInFromSettings } from "../../provider/auth";
import { PartnerCenterError } from "../../provider/client";
import { SettingsError } from "../../provider/config";
import { QualificationLifecycle } from "../../provider/lifecycle";
import { createSelfSignedCertificate } from "partnercenter-emulator";
import { CUSTOMERS, recordingLog } from "../fixtures/emulated-partner-center";
import { PARTNER, anyGuid, apiFor, identityOf, refreshTokenSettings, useIdentityEmulator } from "../fixtures/emulated-identity";

const SOE = (customerId: string) => ({ customerId, qualification: "StateOwnedEntity" });

describe("App+User sign-in against the emulator's Microsoft Entra endpoint", () => {
  const env = useIdentityEmulator();
  const tokenRequests = async () => identityOf(env.emulator).control.tokenRequests();

  it("refreshToken mode: many concurrent calls share one token request", async () => {
    const api = apiFor(await refreshTokenSettings(env.emulator), recordingLog());
    const lifecycle = new QualificationLifecycle({ api: () => api, log: recordingLog() });
    await Promise.all(Object.values(CUSTOMERS).map((id) => lifecycle.create(SOE(id))));
    await Promise.all(Object.values(CUSTOMERS).map((id) => api.getQualifications(id)));
    const requests = await tokenRequests();
    assert.equal(requests.length, 1, "one token request for the whole run");
    assert.equal(requests[0]?.grantType, "refresh_token");
    assert.equal(requests[0]?.outcome, "issued");
    assert.equal((await env.emulator.control.requests()).filter((r) => r.method === "POST").length, Object.values(CUSTOMERS).length);
  });

  it("refreshToken mode with a client certificate instead of a secret", async () => {
    const certificate = await createSelfSignedCertificate();
    await identityOf(env.emulator).control.registerApplication({
      tenantId: PARTNER.tenantId,
      clientId: PARTNER.clientId,
      certificatePem: certificate.certificatePem,
    });
    const { clientSecret: _secret, ...settings } = await refreshTokenSettings(env.emulator);
    const api = apiFor({ ...settings, clientCertificate: `${certificate.certificatePem}\n${certificate.privateKeyPem}` }, recordingLog());
    assert.deepEqual(await api.getQualifications(CUSTOMERS.school), []);
    assert.equal((await tokenRequests())[0]?.clientAuthentication, "certificate");
  });

  it("an access token that expires mid-run is renewed once, and a refused renewal is not renewed again", async () => {
    const api = apiFor(await refreshTokenSettings(env.emulator), recordingLog());
    await api.getQualifications(CUSTOMERS.school);
    await identityOf(env.emulator).control.expireAccessTokens();
    assert.deepEqual(await api.getQualifications(CUSTOMERS.school), [], "renewed after the 401");
    assert.equal((await tokenRequests()).length, 2);
    await identityOf(env.emulator).control.expireAccessTokens();
    await assert.rejects(api.getQualifications(CUSTOMERS.school), (e: unknown) => e instanceof PartnerCenterError && e.statusCode === 401);
    assert.equal((await tokenRequests()).length, 2, "never more than one renewal");
  });

  it("an app-only token reads but can't create, and the error says why and what to do", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AZURE_TENANT_ID: PARTNER.tenantId, AZURE_CLIENT_ID: PARTNER.clientId, AZURE_CLIENT_SECRET: PARTNER.clientSecret });
    try {
      const api = apiFor(
        { baseUrl: env.emulator.url, authMode: "azureIdentity", azureIdentityCredential: "environment", authorityHost: identityOf(env.emulator).authorityHost },
        recordingLog(),
      );
      assert.deepEqual(await api.getQualifications(CUSTOMERS.school), []);
      const error = await api.createQualification(CUSTOMERS.school, { qualification: "StateOwnedEntity" }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof PartnerCenterError);
      assert.equal(error.statusCode, 403);
      assert.match(error.message, /The token is app-only .* use partnercenter:authMode refreshToken/);
      assert.equal((await tokenRequests())[0]?.grantType, "client_credentials");
    } finally {
      process.env = saved;
    }
  });

  it("a token without MFA is refused with the documented code and a fix", async () => {
    const api = apiFor(await refreshTokenSettings(env.emulator, { mfa: false }), recordingLog());
    const error = await api.createQualification(CUSTOMERS.school, { qualification: "StateOwnedEntity" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof PartnerCenterError);
    assert.equal(error.statusCode, 401);
    assert.equal(error.serviceCode, "900421");
    assert.match(error.message, /did not use multi-factor authentication.*npx partnercenter-login/);
  });

  it("no relationship with the customer (403, code 20002) names the cause and the token's tenant", async () => {
    await env.emulator.control.injectFault({
      kind: "status",
      status: 403,
      body: { code: 20002, description: "Partner does not have a relationship with the customer" },
    });
    const api = apiFor(await refreshTokenSettings(env.emulator), recordingLog());
    await assert.rejects(
      api.getQualifications(CUSTOMERS.school),
      new RegExp(`no relationship with this customer: check customerId \\(the token was issued by tenant ${PARTNER.tenantId}`),
    );
  });

  const failures: ReadonlyArray<{ name: string; arrange: () => Promise<Parameters<typeof apiFor>[0]>; reason: string; says: RegExp }> = [
    {
      name: "an expired refresh token",
      arrange: async () => {
        const settings = await refreshTokenSettings(env.emulator);
        await identityOf(env.emulator).control.expireRefreshTokens({});
        return settings;
      },
      reason: "refreshTokenExpired",
      says: /AADSTS700082: the refresh token has expired\. Sign in again with MFA \(npx partnercenter-login --tenant c0ffee00-1111-4222-8333-444455556666 --client-id a11ce000-aaaa-4bbb-8ccc-dddd00000001\)/,
    },
    {
      name: "a revoked refresh token",
      arrange: async () => {
        const settings = await refreshTokenSettings(env.emulator);
        await identityOf(env.emulator).control.revokeRefreshTokens({});
        return settings;
      },
      reason: "refreshTokenRevoked",
      says: /AADSTS50173: the refresh token was revoked/,
    },
    {
      name: "a wrong client secret",
      arrange: async () => refreshTokenSettings(env.emulator, { clientSecret: "not-the-secret" }),
      reason: "invalidClientSecret",
      says: /AADSTS7000215: the client secret or certificate .* was refused/,
    },
    {
      name: "an app that is not in the tenant",
      arrange: async () => ({ ...(await refreshTokenSettings(env.emulator)), clientId: anyGuid() }),
      reason: "applicationNotInTenant",
      says: /AADSTS700016: app [0-9a-f-]{36} is not found in tenant c0ffee00/,
    },
    {
      name: "a tenant that does not exist",
      arrange: async () => ({ ...(await refreshTokenSettings(env.emulator)), tenantId: anyGuid() }),
      reason: "tenantNotFound",
      says: /is not known at https:\/\/127\.0\.0\.1:\d+ .* check partnercenter:tenantId/,
    },
  ];
  for (const f of failures) {
    it(`${f.name} fails with a CredentialError that names the cause and the fix`, async () => {
      const api = apiFor(await f.arrange(), recordingLog());
      const error = await api.getQualifications(CUSTOMERS.school).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof CredentialError, String(error));
      assert.equal(error.reason, f.reason);
      assert.match(error.message, f.says);
      assert.ok(!error.message.includes("\n"));
      assert.equal((await env.emulator.control.requests()).length, 0, "nothing reached Partner Center");
    });
  }

  const missing: ReadonlyArray<{ settings: Parameters<typeof signInFromSettings>[0]; says: RegExp }> = [
    { settings: {}, says: /No Partner Center credential: set partnercenter:refreshToken \(or PARTNERCENTER_REFRESH_TOKEN\)/ },
    { settings: { refreshToken: "x" }, says: /refreshToken sign-in needs partnercenter:tenantId \(or PARTNERCENTER_TENANT_ID\), partnercenter:clientId/ },
    { settings: { refreshToken: "x", tenantId: "t", clientId: "c" }, says: /needs the app's credential: partnercenter:clientSecret/ },
    {
      settings: { authMode: "password" },
      says: /partnercenter:authMode \(or PARTNERCENTER_AUTH_MODE\) must be one of accessToken, refreshToken, azureIdentity/,
    },
    {
      settings: { authMode: "azureIdentity", azureIdentityCredential: "browser" },
      says: /azureIdentityCredential .* must be one of default, environment, cli/,
    },
    { settings: { accessToken: "x", cloud: "mars" }, says: /partnercenter:cloud .* must be one of public, usGovernment, china/ },
  ];
  for (const m of missing) {
    it(`refuses incomplete settings ${JSON.stringify(m.settings)} naming what to set`, () => {
      assert.throws(
        () => apiFor(m.settings, recordingLog()),
        (e: unknown) => e instanceof SettingsError && m.says.test(e.message),
      );
    });
  }
});
