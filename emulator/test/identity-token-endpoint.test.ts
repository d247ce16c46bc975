import assert from "node:assert/strict";
import { createHash, randomUUID, sign, X509Certificate } from "node:crypto";
import {
  CERTIFICATE_APP,
  CLIENT_CERTIFICATE,
  CLIENT_SECRET,
  DEFAULT_SCOPE,
  DELEGATED_SCOPE,
  PUBLIC_APP,
  SECRET_APP,
  TENANT,
  UNKNOWN_TENANT,
  certificateClient,
  jwtClaims,
  postForm,
  redeemRefreshToken,
  tokenPath,
  useIdentityEmulator,
} from "./identity-harness";

/** The keys of every Entra error body. */
const ERROR_KEYS = ["correlation_id", "error", "error_codes", "error_description", "error_uri", "timestamp", "trace_id"];

describe("emulator identity: the token endpoint's protocol, errors and log", function () {
  this.timeout(20_000);
  const env = useIdentityEmulator();

  it("answers a refresh_token grant with the Entra response fields, client_info when asked, and a new refresh token", async () => {
    const refreshToken = await env.identity.control.issueRefreshToken({ tenantId: TENANT, clientId: SECRET_APP });

    const { status, body } = await redeemRefreshToken(env.identity, refreshToken, { client_info: "1" });

    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body).sort(), [
      "access_token",
      "client_info",
      "expires_in",
      "ext_expires_in",
      "id_token",
      "refresh_token",
      "scope",
      "token_type",
    ]);
    assert.equal(body.token_type, "Bearer");
    assert.equal(body.scope, DELEGATED_SCOPE);
    assert.equal(body.expires_in, 3600);
    assert.notEqual(body.refresh_token, refreshToken);
    assert.doesNotMatch(String(body.refresh_token), /^ey/, "refresh tokens are opaque, not JWTs");
    const user = jwtClaims(String(body.access_token));
    const idToken = jwtClaims(String(body.id_token));
    assert.deepEqual(JSON.parse(Buffer.from(String(body.client_info), "base64url").toString("utf8")), { uid: user.oid, utid: TENANT });
    assert.equal(idToken.aud, SECRET_APP);
    assert.equal(idToken.iss, `${env.identity.authorityHost}/${TENANT}/v2.0`);
    assert.equal(idToken.preferred_username, `admin@${TENANT}.example`);
    assert.equal(user.iss, `${env.identity.authorityHost}/${TENANT}/`);
    assert.equal(user.azp, SECRET_APP);
    assert.equal(typeof user.jti, "string");
    assert.equal(Number(user.exp) - Number(user.iat), 3600);
  });

  it("leaves out the ID token without openid and the refresh token without offline_access", async () => {
    const refreshToken = await env.identity.control.issueRefreshToken({ tenantId: TENANT, clientId: SECRET_APP });

    const { body } = await redeemRefreshToken(env.identity, refreshToken, { scope: DELEGATED_SCOPE });

    assert.deepEqual(Object.keys(body).sort(), ["access_token", "expires_in", "ext_expires_in", "scope", "token_type"]);
  });

  const refusals: { name: string; path?: string; form: Record<string, string>; status: number; error: string; code: number }[] = [
    {
      name: "an unknown tenant",
      path: tokenPath(UNKNOWN_TENANT),
      form: { grant_type: "client_credentials", client_id: SECRET_APP, client_secret: CLIENT_SECRET, scope: DEFAULT_SCOPE },
      status: 400,
      error: "invalid_request",
      code: 90002,
    },
    { name: "no grant_type", form: { client_id: SECRET_APP }, status: 400, error: "invalid_request", code: 900144 },
    {
      name: "an unsupported grant",
      form: { grant_type: "password", client_id: SECRET_APP, username: "u", password: "p" },
      status: 400,
      error: "unsupported_grant_type",
      code: 70003,
    },
    {
      name: "an unknown client",
      form: { grant_type: "client_credentials", client_id: randomUUID(), client_secret: CLIENT_SECRET, scope: DEFAULT_SCOPE },
      status: 400,
      error: "unauthorized_client",
      code: 700016,
    },
    {
      name: "a confidential client without credentials",
      form: { grant_type: "client_credentials", client_id: SECRET_APP, scope: DEFAULT_SCOPE },
      status: 401,
      error: "invalid_client",
      code: 7000218,
    },
    {
      name: "a public client presenting a secret",
      form: { grant_type: "refresh_token", client_id: PUBLIC_APP, client_secret: CLIENT_SECRET, refresh_token: "x".repeat(40), scope: DELEGATED_SCOPE },
      status: 401,
      error: "invalid_client",
      code: 700025,
    },
    {
      name: "a client assertion signed by no registered certificate",
      form: {
        grant_type: "client_credentials",
        client_id: CERTIFICATE_APP,
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln",
        scope: DEFAULT_SCOPE,
      },
      status: 401,
      error: "invalid_client",
      code: 700027,
    },
    {
      name: "a malformed client assertion",
      form: {
        grant_type: "client_credentials",
        client_id: CERTIFICATE_APP,
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: "not-a-jwt",
        scope: DEFAULT_SCOPE,
      },
      status: 401,
      error: "invalid_client",
      code: 50027,
    },
    {
      name: "a delegated scope for client credentials",
      form: { grant_type: "client_credentials", client_id: SECRET_APP, client_secret: CLIENT_SECRET, scope: DELEGATED_SCOPE },
      status: 400,
      error: "invalid_scope",
      code: 1002012,
    },
    {
      name: "another resource's scope",
      form: { grant_type: "client_credentials", client_id: SECRET_APP, client_secret: CLIENT_SECRET, scope: "https://graph.microsoft.com/.default" },
      status: 400,
      error: "invalid_scope",
      code: 70011,
    },
    {
      name: "a refresh_token grant without the token",
      form: { grant_type: "refresh_token", client_id: SECRET_APP, client_secret: CLIENT_SECRET, scope: DELEGATED_SCOPE },
      status: 400,
      error: "invalid_request",
      code: 900144,
    },
    {
      name: "an unknown refresh token",
      form: {
        grant_type: "refresh_token",
        client_id: SECRET_APP,
        client_secret: CLIENT_SECRET,
        scope: DELEGATED_SCOPE,
        refresh_token: "0.unknown-refresh-token",
      },
      status: 400,
      error: "invalid_grant",
      code: 9002313,
    },
    {
      name: "an unknown device code",
      form: { grant_type: "urn:ietf:params:oauth:grant-type:device_code", client_id: PUBLIC_APP, device_code: "unknown-device-code" },
      status: 400,
      error: "invalid_grant",
      code: 9002313,
    },
  ];
  for (const refusal of refusals) {
    it(`refuses ${refusal.name} with ${refusal.status} ${refusal.error} AADSTS${refusal.code}, in Entra's error shape, and logs it`, async () => {
      const correlationId = randomUUID();

      const { status, body } = await postForm(env.identity, refusal.path ?? tokenPath(), { ...refusal.form, "client-request-id": correlationId });

      assert.equal(status, refusal.status);
      assert.deepEqual(Object.keys(body).sort(), ERROR_KEYS);
      assert.equal(body.error, refusal.error);
      assert.deepEqual(body.error_codes, [refusal.code]);
      assert.match(
        String(body.error_description),
        new RegExp(
          `^AADSTS${refusal.code}: .+\\r\\nTrace ID: [0-9a-f-]{36}\\r\\nCorrelation ID: ${correlationId}\\r\\nTimestamp: \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}Z$`,
          "s",
        ),
      );
      assert.equal(body.correlation_id, correlationId);
      const [logged] = await env.identity.control.tokenRequests();
      assert.equal(logged?.outcome, refusal.error);
      assert.deepEqual(logged?.errorCodes, [refusal.code]);
    });
  }

  it("checks hand-built client assertions: RS256 with x5t is accepted; wrong audience, issuer or time are refused", async () => {
    const x5t = createHash("sha1").update(new X509Certificate(CLIENT_CERTIFICATE.certificatePem).raw).digest("base64url");
    const now = Math.floor(Date.now() / 1000);
    const audience = `${env.identity.authorityHost}${tokenPath()}`;
    const assertion = (claims: Record<string, unknown>): string => {
      const input = [
        { alg: "RS256", typ: "JWT", x5t },
        { aud: audience, iss: CERTIFICATE_APP, sub: CERTIFICATE_APP, jti: randomUUID(), nbf: now, exp: now + 600, ...claims },
      ]
        .map((part) => Buffer.from(JSON.stringify(part)).toString("base64url"))
        .join(".");
      return `${input}.${sign("sha256", Buffer.from(input), CLIENT_CERTIFICATE.privateKeyPem).toString("base64url")}`;
    };
    const request = (claims: Record<string, unknown>): ReturnType<typeof postForm> =>
      postForm(env.identity, tokenPath(), {
        grant_type: "client_credentials",
        client_id: CERTIFICATE_APP,
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: assertion(claims),
        scope: DEFAULT_SCOPE,
      });

    assert.equal((await request({})).status, 200);
    assert.deepEqual((await request({ aud: "https://login.microsoftonline.com/common/oauth2/v2.0/token" })).body.error_codes, [50012]);
    assert.deepEqual((await request({ iss: SECRET_APP })).body.error_codes, [700021]);
    assert.deepEqual((await request({ exp: now - 600 })).body.error_codes, [700024]);
  });

  it("echoes no credential in a description, even one pasted into a quoted parameter", async () => {
    const refreshToken = await env.identity.control.issueRefreshToken({ tenantId: TENANT, clientId: SECRET_APP });

    const inScope = await redeemRefreshToken(env.identity, refreshToken, { scope: refreshToken });
    const inClientId = await postForm(env.identity, tokenPath(), {
      grant_type: "client_credentials",
      client_id: CLIENT_SECRET,
      client_secret: CLIENT_SECRET,
      scope: DEFAULT_SCOPE,
    });

    assert.deepEqual([inScope.status, inScope.body.error_codes], [400, [70011]]);
    assert.deepEqual([inClientId.status, inClientId.body.error_codes], [400, [700016]]);
    assert.ok(!inScope.text.includes(refreshToken));
    assert.ok(!inClientId.text.includes(CLIENT_SECRET));
  });

  it("logs every token request with its outcome and never a secret, token, code or assertion", async () => {
    const refreshToken = await env.identity.control.issueRefreshToken({ tenantId: TENANT, clientId: SECRET_APP });
    const issued = await redeemRefreshToken(env.identity, refreshToken);
    await redeemRefreshToken(env.identity, refreshToken, { client_secret: "emulator-TEST-wrong-secret" });
    await certificateClient(env.identity).acquireTokenByClientCredential({ scopes: [DEFAULT_SCOPE] });
    const deviceCode = await postForm(env.identity, `/${TENANT}/oauth2/v2.0/devicecode`, { client_id: PUBLIC_APP, scope: `${DELEGATED_SCOPE} offline_access` });
    await postForm(env.identity, tokenPath(), { grant_type: "device_code", client_id: PUBLIC_APP, device_code: String(deviceCode.body.device_code) });

    const log = await env.identity.control.tokenRequests();

    assert.deepEqual(
      log.map((entry) => [entry.seq, entry.grantType, entry.clientAuthentication, entry.outcome, entry.errorCodes]),
      [
        [1, "refresh_token", "secret", "issued", undefined],
        [2, "refresh_token", undefined, "invalid_client", [7000215]],
        [3, "client_credentials", "certificate", "issued", undefined],
        [4, "device_code", "none", "authorization_pending", [70016]],
      ],
    );
    const text = JSON.stringify(log);
    for (const secret of [
      CLIENT_SECRET,
      "emulator-TEST-wrong-secret",
      refreshToken,
      String(issued.body.refresh_token),
      String(issued.body.access_token),
      String(deviceCode.body.device_code),
    ]) {
      assert.ok(!text.includes(secret));
    }
    assert.doesNotMatch(text, /eyJ/, "no JWT (access token, ID token or client assertion) in the log");

    await env.identity.control.clearTokenRequests();
    assert.deepEqual(await env.identity.control.tokenRequests(), []);
  });

  it("accepts the user code in any case, and refuses a device code that was redeemed or belongs to another client", async () => {
    const start = await postForm(env.identity, `/${TENANT}/oauth2/v2.0/devicecode`, { client_id: PUBLIC_APP, scope: DELEGATED_SCOPE });
    const deviceCode = String(start.body.device_code);
    const poll = (clientId = PUBLIC_APP): ReturnType<typeof postForm> =>
      postForm(env.identity, tokenPath(), { grant_type: "device_code", client_id: clientId, device_code: deviceCode });

    assert.deepEqual([start.status, start.body.interval, start.body.expires_in], [200, 1, 900]);
    assert.equal((await poll()).body.error, "authorization_pending");
    await env.identity.control.approveDeviceCode(String(start.body.user_code).toLowerCase(), { mfa: false });
    assert.deepEqual((await poll(SECRET_APP)).body.error_codes, [70000], "another client cannot redeem it");
    const redeemed = await poll();
    assert.equal(redeemed.status, 200);
    assert.deepEqual(jwtClaims(String(redeemed.body.access_token)).amr, ["pwd"]);
    assert.deepEqual((await poll()).body.error_codes, [9002313]);
  });
});
