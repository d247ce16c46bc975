import assert from "node:assert/strict";
import { DEVELOPMENT_ACCESS_TOKEN } from "../index";
import { EMPTY_CUSTOMER, GCC_CODE, GCC_CUSTOMER, ISO_UTC, callApi, qualificationsPath, useEmulator, withEmulator } from "./emulator-harness";

describe("emulator: request log", () => {
  const env = useEmulator();

  it("records what a POST carried and how it was answered", async () => {
    await callApi(env.emulator, "POST", qualificationsPath(EMPTY_CUSTOMER, `?code=${GCC_CODE}`), {
      body: { qualification: "GovernmentCommunityCloud" },
      headers: {
        "MS-RequestId": "11111111-2222-4333-8444-555555555555",
        "MS-CorrelationId": "66666666-7777-4888-8999-aaaaaaaaaaaa",
        "MS-PartnerCenter-Application": "pulumi-partnercenter",
      },
    });

    const [entry, ...rest] = await env.emulator.control.requests();

    assert.equal(rest.length, 0);
    assert.ok(entry);
    assert.equal(entry.seq, 1);
    assert.match(entry.time, ISO_UTC);
    assert.equal(entry.method, "POST");
    assert.equal(entry.path, qualificationsPath(EMPTY_CUSTOMER));
    assert.deepEqual(entry.query, { code: GCC_CODE });
    assert.equal(entry.requestId, "11111111-2222-4333-8444-555555555555");
    assert.equal(entry.correlationId, "66666666-7777-4888-8999-aaaaaaaaaaaa");
    assert.equal(entry.headers["ms-partnercenter-application"], "pulumi-partnercenter");
    assert.equal(entry.headers["content-type"], "application/json");
    assert.deepEqual(entry.body, { qualification: "GovernmentCommunityCloud" });
    assert.equal(entry.status, 201);
    assert.equal(entry.fault, undefined);
    assert.equal(entry.replayed, undefined);
  });

  it("leaves requestId and correlationId out when the client sent none", async () => {
    await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER));

    const [entry] = await env.emulator.control.requests();

    assert.equal(entry?.requestId, undefined);
    assert.equal(entry?.correlationId, undefined);
    assert.equal(entry?.body, undefined);
  });

  it("keeps a body that is not JSON as text", async () => {
    await callApi(env.emulator, "POST", qualificationsPath(EMPTY_CUSTOMER), { body: "qualification=Education" });

    const [entry] = await env.emulator.control.requests();

    assert.equal(entry?.body, "qualification=Education");
    assert.equal(entry?.status, 400);
  });

  it("records API requests in arrival order, including refused ones, and no control calls", async () => {
    await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER));
    await env.emulator.control.customer(GCC_CUSTOMER);
    await callApi(env.emulator, "GET", "/v1/customers/all/validations", { token: null });
    await callApi(env.emulator, "GET", "/v1/nowhere");

    const log = await env.emulator.control.requests();

    assert.deepEqual(
      log.map((entry) => [entry.seq, entry.path, entry.status]),
      [
        [1, qualificationsPath(GCC_CUSTOMER), 200],
        [2, "/v1/customers/all/validations", 401],
        [3, "/v1/nowhere", 404],
      ],
    );
  });

  it("restarts at seq 1 after clearRequests", async () => {
    await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER));
    await env.emulator.control.clearRequests();
    await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER));

    const log = await env.emulator.control.requests();

    assert.deepEqual(
      log.map((entry) => entry.seq),
      [1],
    );
  });

  describe("redaction", () => {
    it("replaces the authorization value with 'Bearer <redacted>'", async () => {
      await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER));

      const [entry] = await env.emulator.control.requests();

      assert.equal(entry?.headers.authorization, "Bearer <redacted>");
    });

    it("never holds the token, even when a client echoes it into the query or the body", async () => {
      await callApi(env.emulator, "POST", qualificationsPath(EMPTY_CUSTOMER, `?leak=${DEVELOPMENT_ACCESS_TOKEN}`), {
        body: { qualification: "StateOwnedEntity", note: `token ${DEVELOPMENT_ACCESS_TOKEN}` },
      });
      await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER), { token: "a-wrong-but-secret-token" });

      const serialised = JSON.stringify(await env.emulator.control.requests());

      assert.equal(serialised.includes(DEVELOPMENT_ACCESS_TOKEN), false);
      assert.equal(serialised.includes("a-wrong-but-secret-token"), false);
      assert.match(serialised, /token <redacted>/);
    });
  });

  describe("custom access tokens", () => {
    it("accepts only the configured tokens", async () => {
      const statuses = await withEmulator(
        { accessTokens: ["pipeline-token-1", "pipeline-token-2"], seed: { customers: [{ id: EMPTY_CUSTOMER }] } },
        async (custom) => {
          const seen = [];
          for (const token of ["pipeline-token-1", "pipeline-token-2", DEVELOPMENT_ACCESS_TOKEN]) {
            seen.push((await callApi(custom, "GET", qualificationsPath(EMPTY_CUSTOMER), { token })).status);
          }
          return seen;
        },
      );
      assert.deepEqual(statuses, [200, 200, 401]);
    });
  });
});
