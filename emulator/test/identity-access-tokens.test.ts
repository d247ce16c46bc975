import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { DEVELOPMENT_ACCESS_TOKEN } from "../index";
import { EMPTY_CUSTOMER, GCC_CUSTOMER, callApi, descriptionOf, postQualification, qualificationsPath, withEmulator } from "./emulator-harness";
import { CLIENT_SECRET, SECRET_APP, TENANT, TEST_CA, identityOf, jwtClaims, redeemRefreshToken, useIdentityEmulator } from "./identity-harness";

describe("emulator identity: the Partner Center API checks the identity endpoint's tokens", function () {
  this.timeout(20_000);
  const env = useIdentityEmulator();

  async function delegatedToken(options: { mfa?: boolean } = {}): Promise<{ accessToken: string; expiresIn: number }> {
    const refreshToken = await env.identity.control.issueRefreshToken({ tenantId: TENANT, clientId: SECRET_APP, ...options });
    const { status, body } = await redeemRefreshToken(env.identity, refreshToken);
    assert.equal(status, 200);
    return { accessToken: String(body.access_token), expiresIn: Number(body.expires_in) };
  }

  function read(token: string): ReturnType<typeof callApi> {
    return callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER), { token });
  }

  it("refuses every token issued before expireAccessTokens() as expired, and accepts one issued after", async () => {
    const before = await delegatedToken();
    assert.equal((await read(before.accessToken)).status, 200);

    await env.identity.control.expireAccessTokens();
    const after = await delegatedToken();

    const refused = await read(before.accessToken);
    assert.equal(refused.status, 401);
    assert.match(descriptionOf(refused.body), /the access token has expired/);
    assert.equal(refused.headers.get("www-authenticate"), 'Bearer error="invalid_token"');
    assert.equal((await read(after.accessToken)).status, 200);
    assert.equal((await postQualification(env.emulator, EMPTY_CUSTOMER, { qualification: "StateOwnedEntity" }, { token: after.accessToken })).status, 201);
  });

  it("refuses a token once its own lifetime has passed (setAccessTokenLifetime)", async () => {
    await env.identity.control.setAccessTokenLifetime(1);
    const short = await delegatedToken();
    assert.equal(short.expiresIn, 1);
    assert.equal(Number(jwtClaims(short.accessToken).exp) - Number(jwtClaims(short.accessToken).iat), 1);

    await sleep(1100);

    const refused = await read(short.accessToken);
    assert.equal(refused.status, 401);
    assert.match(descriptionOf(refused.body), /expired/);
  });

  it("refuses tampered, foreign and garbage tokens with 401", async () => {
    const { accessToken } = await delegatedToken({ mfa: false });
    const [header, payload, signature] = accessToken.split(".");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
    const promoted = Buffer.from(JSON.stringify({ ...claims, amr: ["pwd", "mfa"] })).toString("base64url");
    // Another emulator (same CA, so this process trusts it) signs with its own key.
    const otherOptions = { identity: { tls: TEST_CA, tenants: [{ tenantId: TENANT, applications: [{ clientId: SECRET_APP, clientSecret: CLIENT_SECRET }] }] } };
    const foreign = await withEmulator(otherOptions, async (other) => {
      const otherIdentity = identityOf(other);
      return String(
        (await redeemRefreshToken(otherIdentity, await otherIdentity.control.issueRefreshToken({ tenantId: TENANT, clientId: SECRET_APP }))).body.access_token,
      );
    });
    assert.deepEqual(jwtClaims(foreign).aud, jwtClaims(accessToken).aud);

    for (const token of [`${header}.${promoted}.${signature}`, `${header}.${payload}.${signature?.slice(0, -4)}AAAA`, "not-a-jwt", "a.b.c", foreign]) {
      const refused = await read(token);
      assert.equal(refused.status, 401, token);
      assert.match(descriptionOf(refused.body), /invalid or expired/);
    }
  });

  it("keeps accepting the development token as App+User with MFA", async () => {
    assert.equal(
      (await postQualification(env.emulator, EMPTY_CUSTOMER, { qualification: "StateOwnedEntity" }, { token: DEVELOPMENT_ACCESS_TOKEN })).status,
      201,
    );
  });
});
