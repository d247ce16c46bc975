import assert from "node:assert/strict";
import { createPublicKey, verify, type JsonWebKey } from "node:crypto";
import { TENANT, UNKNOWN_TENANT, redeemRefreshToken, SECRET_APP, useIdentityEmulator } from "./identity-harness";

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("emulator identity: discovery documents", () => {
  const env = useIdentityEmulator();

  it("serves the tenant's v2 OpenID configuration over HTTPS with the endpoints MSAL reads", async () => {
    const { authorityHost } = env.identity;

    const { status, body } = await getJson(`${authorityHost}/${TENANT}/v2.0/.well-known/openid-configuration`);

    assert.equal(status, 200);
    assert.equal(body.issuer, `${authorityHost}/${TENANT}/v2.0`);
    assert.equal(body.token_endpoint, `${authorityHost}/${TENANT}/oauth2/v2.0/token`);
    assert.equal(body.authorization_endpoint, `${authorityHost}/${TENANT}/oauth2/v2.0/authorize`);
    assert.equal(body.device_authorization_endpoint, `${authorityHost}/${TENANT}/oauth2/v2.0/devicecode`);
    assert.equal(body.jwks_uri, `${authorityHost}/${TENANT}/discovery/v2.0/keys`);
    assert.equal(body.end_session_endpoint, `${authorityHost}/${TENANT}/oauth2/v2.0/logout`);
    assert.ok(Array.isArray(body.response_types_supported));
    assert.deepEqual(body.id_token_signing_alg_values_supported, ["RS256"]);
  });

  it("serves the same configuration on the path without v2.0, and for common with a {tenantid} issuer", async () => {
    const { authorityHost } = env.identity;

    const plain = await getJson(`${authorityHost}/${TENANT.toUpperCase()}/.well-known/openid-configuration`);
    const common = await getJson(`${authorityHost}/common/v2.0/.well-known/openid-configuration`);

    assert.equal(plain.body.issuer, `${authorityHost}/${TENANT}/v2.0`);
    assert.equal(common.body.issuer, `${authorityHost}/{tenantid}/v2.0`);
    assert.equal(common.body.token_endpoint, `${authorityHost}/common/oauth2/v2.0/token`);
  });

  it("answers an unknown tenant's configuration as Entra does: 400 invalid_tenant AADSTS90002", async () => {
    const { status, body } = await getJson(`${env.identity.authorityHost}/${UNKNOWN_TENANT}/v2.0/.well-known/openid-configuration`);

    assert.equal(status, 400);
    assert.equal(body.error, "invalid_tenant");
    assert.deepEqual(body.error_codes, [90002]);
    assert.match(String(body.error_description), new RegExp(`^AADSTS90002: Tenant '${UNKNOWN_TENANT}' not found`));
  });

  it("serves instance discovery metadata naming the emulator's host as its own cloud", async () => {
    const { authorityHost } = env.identity;
    const host = new URL(authorityHost).host;
    const authorize = encodeURIComponent(`${authorityHost}/${TENANT}/oauth2/v2.0/authorize`);

    const { status, body } = await getJson(`${authorityHost}/common/discovery/instance?api-version=1.1&authorization_endpoint=${authorize}`);

    assert.equal(status, 200);
    assert.equal(body.tenant_discovery_endpoint, `${authorityHost}/${TENANT}/v2.0/.well-known/openid-configuration`);
    assert.deepEqual(body.metadata, [{ preferred_network: host, preferred_cache: host, aliases: [host] }]);
  });

  it("publishes the key that verifies the access tokens it issues", async () => {
    const identity = env.identity;
    const refreshToken = await identity.control.issueRefreshToken({ tenantId: TENANT, clientId: SECRET_APP });
    const token = String((await redeemRefreshToken(identity, refreshToken)).body.access_token);
    const [header = "", payload = "", signature = ""] = token.split(".");
    const kid = (JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as { kid: string }).kid;

    const { body } = await getJson(`${identity.authorityHost}/${TENANT}/discovery/v2.0/keys`);
    const keys = body.keys as (JsonWebKey & { kid: string; use: string })[];
    const key = keys.find((candidate) => candidate.kid === kid);

    assert.ok(key !== undefined, "the token's kid is in the JWKS");
    assert.equal(key.use, "sig");
    assert.equal(verify("sha256", Buffer.from(`${header}.${payload}`), createPublicKey({ key, format: "jwk" }), Buffer.from(signature, "base64url")), true);
  });

  it("answers 404 for endpoints it does not emulate, and a token endpoint GET as Entra does", async () => {
    const { authorityHost } = env.identity;

    const authorize = await fetch(`${authorityHost}/${TENANT}/oauth2/v2.0/authorize?client_id=x`);
    const get = await getJson(`${authorityHost}/${TENANT}/oauth2/v2.0/token`);

    assert.equal(authorize.status, 404);
    assert.match(await authorize.text(), /simulated by the control API/);
    assert.equal(get.status, 400);
    assert.deepEqual(get.body.error_codes, [900561]);
  });
});
