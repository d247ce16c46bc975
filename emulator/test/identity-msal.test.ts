import assert from "node:assert/strict";
import { InteractionRequiredAuthError, ServerError, type AuthenticationResult, type ConfidentialClientApplication } from "@azure/msal-node";
import { PARTNER_CENTER_AUDIENCE } from "../index";
import { EMPTY_CUSTOMER, GCC_CUSTOMER, callApi, descriptionOf, postQualification, qualificationsPath } from "./emulator-harness";
import {
  CERTIFICATE_APP,
  CLIENT_SECRET,
  DEFAULT_SCOPE,
  DELEGATED_SCOPE,
  OTHER_TENANT,
  OTHER_TENANT_SECRET,
  PUBLIC_APP,
  SECOND_APP,
  SECRET_APP,
  TENANT,
  certificateClient,
  jwtClaims,
  publicClient,
  redeemRefreshToken,
  secretClient,
  useIdentityEmulator,
} from "./identity-harness";

/** A successful MSAL result (MSAL types acquireTokenByRefreshToken as possibly null). */
function present(result: AuthenticationResult | null): AuthenticationResult {
  assert.ok(result !== null, "MSAL returned no result");
  return result;
}

/** The error a promise rejects with. */
async function failureOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  assert.fail("expected the promise to reject");
}

/** Asserts that none of `secrets` appears anywhere in the error: message, stack, own properties, JSON. */
function assertLeaksNothing(error: Error, secrets: readonly string[]): void {
  const texts = [error.message, error.stack ?? "", JSON.stringify(error), JSON.stringify(Object.getOwnPropertyDescriptors(error))];
  for (const secret of secrets) {
    for (const text of texts) assert.ok(!text.includes(secret), "the error carries a secret");
  }
}

const SCOPES = [DELEGATED_SCOPE];

describe("emulator identity: real MSAL Node against the emulator", function () {
  // RSA key generation and TLS set-up on slow machines; the device-code test also polls once a second.
  this.timeout(20_000);
  const env = useIdentityEmulator();

  async function consentedRefreshToken(options: { clientId?: string; mfa?: boolean; user?: string } = {}): Promise<string> {
    return env.identity.control.issueRefreshToken({ tenantId: TENANT, clientId: options.clientId ?? SECRET_APP, ...options });
  }

  it("exchanges a consented refresh token (client secret) for a delegated MFA token the API accepts for POST, in exactly one token request", async () => {
    const refreshToken = await consentedRefreshToken({ user: "ops@contoso.example" });

    const result = present(await secretClient(env.identity).acquireTokenByRefreshToken({ refreshToken, scopes: SCOPES }));
    const created = await postQualification(env.emulator, EMPTY_CUSTOMER, { qualification: "StateOwnedEntity" }, { token: result.accessToken });

    assert.equal(created.status, 201);
    const claims = jwtClaims(result.accessToken);
    assert.equal(claims.aud, PARTNER_CENTER_AUDIENCE);
    assert.equal(claims.tid, TENANT);
    assert.equal(claims.appid, SECRET_APP);
    assert.equal(claims.idtyp, "user");
    assert.equal(claims.scp, "user_impersonation");
    assert.deepEqual(claims.amr, ["pwd", "mfa"]);
    assert.equal(claims.upn, "ops@contoso.example");
    assert.equal(result.tokenType, "Bearer");
    assert.deepEqual(result.scopes, [DELEGATED_SCOPE]);
    assert.equal(result.account?.username, "ops@contoso.example");
    assert.equal(result.account?.tenantId, TENANT);
    assert.equal(result.account?.homeAccountId, `${String(claims.oid)}.${TENANT}`);
    assert.ok(result.expiresOn !== null && Math.abs(result.expiresOn.getTime() - Date.now() - 3600_000) < 10_000);
    const requests = await env.identity.control.tokenRequests();
    assert.equal(requests.length, 1);
    assert.deepEqual(
      { ...requests[0], time: undefined },
      {
        seq: 1,
        time: undefined,
        tenantId: TENANT,
        grantType: "refresh_token",
        clientId: SECRET_APP,
        clientAuthentication: "secret",
        scopes: [DELEGATED_SCOPE, "openid", "profile", "offline_access"],
        user: "ops@contoso.example",
        outcome: "issued",
      },
    );
  });

  it("rotates refresh tokens: MSAL caches the new one (with forceCache), and both the new and the old one work", async () => {
    const refreshToken = await consentedRefreshToken();
    const client = secretClient(env.identity);

    present(await client.acquireTokenByRefreshToken({ refreshToken, scopes: SCOPES, forceCache: true }));
    const cache = JSON.parse(client.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
    const rotated = Object.values(cache.RefreshToken).map((entry) => entry.secret);

    assert.equal(rotated.length, 1);
    assert.notEqual(rotated[0], refreshToken);
    assert.equal((await redeemRefreshToken(env.identity, rotated[0] ?? "")).status, 200);
    assert.equal((await redeemRefreshToken(env.identity, refreshToken)).status, 200);
  });

  it("accepts `.default` as the delegated scope too", async () => {
    const result = present(
      await secretClient(env.identity).acquireTokenByRefreshToken({ refreshToken: await consentedRefreshToken(), scopes: [DEFAULT_SCOPE] }),
    );

    assert.equal(jwtClaims(result.accessToken).scp, "user_impersonation");
  });

  it("authenticates the app with a certificate (PS256 client assertion with x5t#S256) for the refresh-token and client-credentials grants", async () => {
    const refreshToken = await consentedRefreshToken({ clientId: CERTIFICATE_APP });
    const client = certificateClient(env.identity);

    const delegated = present(await client.acquireTokenByRefreshToken({ refreshToken, scopes: SCOPES }));
    const appOnly = present(await client.acquireTokenByClientCredential({ scopes: [DEFAULT_SCOPE] }));

    assert.equal((await postQualification(env.emulator, EMPTY_CUSTOMER, { qualification: "StateOwnedEntity" }, { token: delegated.accessToken })).status, 201);
    assert.equal(jwtClaims(delegated.accessToken).appidacr, "2");
    assert.equal(jwtClaims(appOnly.accessToken).idtyp, "app");
    assert.deepEqual(
      (await env.identity.control.tokenRequests()).map((request) => [request.grantType, request.clientAuthentication, request.outcome]),
      [
        ["refresh_token", "certificate", "issued"],
        ["client_credentials", "certificate", "issued"],
      ],
    );
  });

  it("completes the device-code flow once the user code is approved, and the token works", async () => {
    let shownUserCode = "";
    let approval: Promise<void> = Promise.resolve();

    const result = present(
      await publicClient(env.identity).acquireTokenByDeviceCode({
        scopes: SCOPES,
        deviceCodeCallback: (response) => {
          shownUserCode = response.userCode;
          assert.match(response.message, new RegExp(`${env.identity.authorityHost}/devicelogin.*${response.userCode}`));
          approval = env.identity.control.approveDeviceCode(response.userCode, { user: "operator@contoso.example" });
        },
      }),
    );
    await approval;

    assert.match(shownUserCode, /^[A-Z2-9]{9}$/);
    assert.equal(result.account?.username, "operator@contoso.example");
    assert.deepEqual(jwtClaims(result.accessToken).amr, ["pwd", "mfa"]);
    assert.equal(jwtClaims(result.accessToken).appidacr, "0");
    assert.equal((await postQualification(env.emulator, EMPTY_CUSTOMER, { qualification: "StateOwnedEntity" }, { token: result.accessToken })).status, 201);
    const outcomes = (await env.identity.control.tokenRequests()).map((request) => request.outcome);
    assert.equal(outcomes.at(-1), "issued");
    assert.ok(outcomes.slice(0, -1).every((outcome) => outcome === "authorization_pending"));
  });

  it("gives a token without MFA when the consent had none: the API refuses it with 401 code 900421", async () => {
    const result = present(
      await secretClient(env.identity).acquireTokenByRefreshToken({ refreshToken: await consentedRefreshToken({ mfa: false }), scopes: SCOPES }),
    );

    const created = await postQualification(env.emulator, EMPTY_CUSTOMER, { qualification: "StateOwnedEntity" }, { token: result.accessToken });
    const read = await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER), { token: result.accessToken });

    assert.deepEqual(jwtClaims(result.accessToken).amr, ["pwd"]);
    assert.equal(created.status, 401);
    assert.equal((created.body as { code: number }).code, 900421);
    assert.match(descriptionOf(created.body), /Multi-factor authentication is required/);
    assert.equal(read.status, 401, "every App+User call needs MFA, reads included");
    assert.deepEqual(await env.emulator.control.customer(EMPTY_CUSTOMER).then((customer) => customer?.qualifications), []);
  });

  it("fails a revoked refresh token with InteractionRequiredAuthError invalid_grant / bad_token / AADSTS50173, leaking neither token nor secret", async () => {
    const refreshToken = await consentedRefreshToken();
    assert.equal(await env.identity.control.revokeRefreshTokens({ tenantId: TENANT }), 1);

    const error = await failureOf(secretClient(env.identity).acquireTokenByRefreshToken({ refreshToken, scopes: SCOPES }));

    assert.ok(error instanceof InteractionRequiredAuthError);
    assert.equal(error.errorCode, "invalid_grant");
    assert.equal(error.subError, "bad_token");
    assert.equal(error.errorNo, 50173);
    assert.match(error.errorMessage, /^AADSTS50173: The provided grant has expired due to it being revoked/);
    assert.match(error.message, /^invalid_grant: AADSTS50173: /);
    assertLeaksNothing(error, [refreshToken, CLIENT_SECRET]);
    assert.deepEqual(
      (await env.identity.control.tokenRequests()).map((request) => [request.outcome, request.errorCodes]),
      [["invalid_grant", [50173]]],
    );
  });

  it("fails an expired refresh token with InteractionRequiredAuthError invalid_grant / bad_token / AADSTS700082, leaking neither token nor secret", async () => {
    const refreshToken = await consentedRefreshToken({ user: "ops@contoso.example" });
    assert.equal(await env.identity.control.expireRefreshTokens({ user: "OPS@contoso.example" }), 1);

    const error = await failureOf(secretClient(env.identity).acquireTokenByRefreshToken({ refreshToken, scopes: SCOPES }));

    assert.ok(error instanceof InteractionRequiredAuthError);
    assert.equal(error.errorCode, "invalid_grant");
    assert.equal(error.subError, "bad_token");
    assert.equal(error.errorNo, 700082);
    assert.match(error.errorMessage, /^AADSTS700082: The refresh token has expired due to inactivity/);
    assertLeaksNothing(error, [refreshToken, CLIENT_SECRET]);
  });

  it("fails a wrong client secret with ServerError invalid_client AADSTS7000215, leaking neither secret", async () => {
    const refreshToken = await consentedRefreshToken();
    const wrongSecret = "emulator-TEST-wrong-secret-value";

    const error = await failureOf(secretClient(env.identity, { clientSecret: wrongSecret }).acquireTokenByRefreshToken({ refreshToken, scopes: SCOPES }));

    assert.ok(error instanceof ServerError);
    assert.ok(!(error instanceof InteractionRequiredAuthError));
    assert.equal(error.errorCode, "invalid_client");
    assert.equal(error.subError, "");
    assert.equal(error.errorNo, 7000215);
    // ServerError wraps the description: "Error(s): <codes> - Timestamp: ... - Description: AADSTS...".
    assert.match(error.errorMessage, /^Error\(s\): 7000215 - Timestamp: .* - Description: AADSTS7000215: Invalid client secret provided/);
    assertLeaksNothing(error, [refreshToken, CLIENT_SECRET, wrongSecret]);
  });

  const otherGrants: { name: string; client: () => ConfidentialClientApplication; issuedTo: string; message: RegExp }[] = [
    { name: "another client", client: () => secretClient(env.identity), issuedTo: SECOND_APP, message: /issued to a different client/ },
    {
      name: "another tenant",
      client: () => secretClient(env.identity, { tenantId: OTHER_TENANT, clientSecret: OTHER_TENANT_SECRET }),
      issuedTo: SECRET_APP,
      message: /issued to a different tenant/,
    },
  ];
  for (const other of otherGrants) {
    it(`fails a refresh token issued to ${other.name} with ServerError invalid_grant AADSTS70000`, async () => {
      const refreshToken = await consentedRefreshToken({ clientId: other.issuedTo });

      const error = await failureOf(other.client().acquireTokenByRefreshToken({ refreshToken, scopes: SCOPES }));

      assert.ok(error instanceof ServerError);
      assert.equal(error.errorCode, "invalid_grant");
      assert.equal(error.errorNo, 70000);
      assert.match(error.errorMessage, other.message);
      assertLeaksNothing(error, [refreshToken, CLIENT_SECRET, OTHER_TENANT_SECRET]);
    });
  }

  it("fails an unknown client with ServerError unauthorized_client AADSTS700016", async () => {
    const error = await failureOf(
      secretClient(env.identity, { clientId: PUBLIC_APP.replace("5b3a", "0000") }).acquireTokenByRefreshToken({
        refreshToken: await consentedRefreshToken(),
        scopes: SCOPES,
      }),
    );

    assert.ok(error instanceof ServerError);
    assert.equal(error.errorCode, "unauthorized_client");
    assert.equal(error.errorNo, 700016);
  });

  it("fails before any token request when the tenant is unknown: MSAL reports endpoints_resolution_error", async () => {
    const error = await failureOf(
      secretClient(env.identity, { tenantId: "9f3e5d4c-6a7b-4c8d-8e9f-1a2b3c4d5e6f" }).acquireTokenByRefreshToken({
        refreshToken: await consentedRefreshToken(),
        scopes: SCOPES,
      }),
    );

    assert.equal(error.name, "ClientAuthError");
    assert.equal(error.errorCode, "endpoints_resolution_error");
    assert.deepEqual(await env.identity.control.tokenRequests(), []);
  });
});
