import assert from "node:assert/strict";
import { AuthenticationRequiredError, ClientCertificateCredential, ClientSecretCredential } from "@azure/identity";
import { ServerError } from "@azure/msal-node";
import { EDUCATION_CUSTOMER, EMPTY_CUSTOMER, callApi, descriptionOf, postQualification, qualificationsPath } from "./emulator-harness";
import {
  CERTIFICATE_APP,
  CLIENT_CERTIFICATE,
  CLIENT_SECRET,
  DEFAULT_SCOPE,
  DELEGATED_SCOPE,
  SECRET_APP,
  TENANT,
  jwtClaims,
  useIdentityEmulator,
} from "./identity-harness";

describe("emulator identity: real @azure/identity credentials against the emulator", function () {
  this.timeout(20_000);
  const env = useIdentityEmulator();

  /** The options that work: the emulator as authority host, and instance discovery off (it would ask login.microsoftonline.com). */
  function credentialOptions(): { authorityHost: string; disableInstanceDiscovery: true } {
    return { authorityHost: env.identity.authorityHost, disableInstanceDiscovery: true };
  }

  it("gets an App-only token with ClientSecretCredential: reads succeed, creating a qualification is refused with 403", async () => {
    const credential = new ClientSecretCredential(TENANT, SECRET_APP, CLIENT_SECRET, credentialOptions());

    const token = await credential.getToken(DEFAULT_SCOPE);
    const read = await callApi(env.emulator, "GET", qualificationsPath(EDUCATION_CUSTOMER), { token: token.token });
    const validations = await callApi(env.emulator, "GET", "/v1/customers/all/validations", { token: token.token });
    const created = await postQualification(env.emulator, EMPTY_CUSTOMER, { qualification: "StateOwnedEntity" }, { token: token.token });

    assert.equal(jwtClaims(token.token).idtyp, "app");
    assert.equal(jwtClaims(token.token).scp, undefined);
    assert.ok(Math.abs(token.expiresOnTimestamp - Date.now() - 3600_000) < 10_000);
    assert.equal(read.status, 200);
    assert.equal(validations.status, 200);
    assert.equal(created.status, 403);
    assert.equal((created.body as { code: number }).code, 403);
    assert.match(descriptionOf(created.body), /requires App\+User \(delegated\) authentication/);
    assert.equal(created.headers.get("www-authenticate"), null);
    assert.deepEqual(await env.emulator.control.customer(EMPTY_CUSTOMER).then((customer) => customer?.qualifications), []);
  });

  it("serves a second getToken from the credential's cache: exactly one token request", async () => {
    const credential = new ClientSecretCredential(TENANT, SECRET_APP, CLIENT_SECRET, credentialOptions());

    await credential.getToken(DEFAULT_SCOPE);
    await credential.getToken(DEFAULT_SCOPE);

    const requests = await env.identity.control.tokenRequests();
    assert.deepEqual(
      requests.map((request) => [request.grantType, request.clientId, request.clientAuthentication, request.outcome]),
      [["client_credentials", SECRET_APP, "secret", "issued"]],
    );
  });

  it("gets an App-only token with ClientCertificateCredential (PEM with key and certificate, chain sent)", async () => {
    const credential = new ClientCertificateCredential(
      TENANT,
      CERTIFICATE_APP,
      { certificate: `${CLIENT_CERTIFICATE.privateKeyPem}${CLIENT_CERTIFICATE.certificatePem}` },
      { ...credentialOptions(), sendCertificateChain: true },
    );

    const token = await credential.getToken(DEFAULT_SCOPE);

    assert.equal(jwtClaims(token.token).appidacr, "2");
    assert.equal((await callApi(env.emulator, "GET", qualificationsPath(EDUCATION_CUSTOMER), { token: token.token })).status, 200);
  });

  it("wraps a wrong secret's MSAL ServerError (invalid_client, AADSTS7000215) in AuthenticationRequiredError, without the secret", async () => {
    const wrongSecret = "emulator-TEST-wrong-identity-secret";
    const credential = new ClientSecretCredential(TENANT, SECRET_APP, wrongSecret, credentialOptions());

    const error = await credential.getToken(DEFAULT_SCOPE).then(
      () => assert.fail("expected getToken to fail"),
      (failure: unknown) => failure as Error,
    );

    assert.ok(error instanceof AuthenticationRequiredError);
    assert.match(error.message, /^invalid_client: Error\(s\): 7000215 .*AADSTS7000215: Invalid client secret provided/s);
    assert.ok(error.cause instanceof ServerError);
    assert.equal(error.cause.errorNo, 7000215);
    for (const text of [error.message, JSON.stringify(error), error.cause.message]) {
      assert.ok(!text.includes(wrongSecret) && !text.includes(CLIENT_SECRET));
    }
  });

  it("refuses a delegated scope in the client-credentials flow with AADSTS1002012", async () => {
    const credential = new ClientSecretCredential(TENANT, SECRET_APP, CLIENT_SECRET, credentialOptions());

    await assert.rejects(
      credential.getToken(DELEGATED_SCOPE),
      /invalid_scope: Error\(s\): 1002012 .*Client credential flows must have a scope value with \/\.default/s,
    );
  });
});
