import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { EmulatorControlError, type FaultSpec } from "../index";
import {
  EDUCATION_CUSTOMER,
  EMPTY_CUSTOMER,
  GCC_CUSTOMER,
  callApi,
  descriptionOf,
  postQualification,
  qualificationsPath,
  storedQualifications,
  useEmulator,
} from "./emulator-harness";

describe("emulator: injected faults", () => {
  const env = useEmulator();
  const education = { qualification: "Education", educationSegment: "K12" };

  describe("status faults", () => {
    it("answers 429 with Retry-After and the throttling body, and stores nothing", async () => {
      await env.emulator.control.injectFault({ kind: "status", status: 429, retryAfter: "57" });

      const response = await postQualification(env.emulator, EMPTY_CUSTOMER, education);

      assert.equal(response.status, 429);
      assert.equal(response.headers.get("retry-after"), "57");
      assert.deepEqual(response.body, { statusCode: 429, message: "Rate limit is exceeded. Try again in 57 seconds." });
      assert.deepEqual(await storedQualifications(env.emulator, EMPTY_CUSTOMER), []);
    });

    it("accepts an HTTP-date Retry-After and passes it through verbatim", async () => {
      const date = new Date(Date.now() + 120_000).toUTCString();
      await env.emulator.control.injectFault({ kind: "status", status: 429, retryAfter: date });

      const response = await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER));

      assert.equal(response.status, 429);
      assert.equal(response.headers.get("retry-after"), date);
      assert.match((response.body as { message: string }).message, /Try again in \d+ seconds/);
    });

    it("answers 503 with a PartnerFD error body and no Retry-After unless asked", async () => {
      await env.emulator.control.injectFault({ kind: "status", status: 503 });

      const response = await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER));

      assert.equal(response.status, 503);
      assert.equal(response.headers.get("retry-after"), null);
      assert.deepEqual(response.body, { code: 503, description: "Service Unavailable", data: [], source: "PartnerFD" });
      assert.match(response.headers.get("ms-requestid") ?? "", /\S/);
    });

    it("sends a custom body when given", async () => {
      await env.emulator.control.injectFault({ kind: "status", status: 500, body: { code: "InternalError", message: "boom" } });

      const response = await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER));

      assert.deepEqual(response.body, { code: "InternalError", message: "boom" });
    });

    it("does not record a faulted POST's answer, so a retry with the same MS-RequestId runs", async () => {
      await env.emulator.control.injectFault({ kind: "status", status: 503 });
      const requestId = randomUUID();

      const faulted = await postQualification(env.emulator, EMPTY_CUSTOMER, education, { requestId });
      const retried = await postQualification(env.emulator, EMPTY_CUSTOMER, education, { requestId });

      assert.equal(faulted.status, 503);
      assert.equal(retried.status, 201);
      assert.equal((await env.emulator.control.requests())[1]?.replayed, undefined);
    });
  });

  describe("matching", () => {
    it("hits `times` matching requests, then stops", async () => {
      await env.emulator.control.injectFault({ kind: "status", status: 503, times: 2 });
      const path = qualificationsPath(GCC_CUSTOMER);

      const statuses = [];
      for (let attempt = 0; attempt < 3; attempt += 1) statuses.push((await callApi(env.emulator, "GET", path)).status);

      assert.deepEqual(statuses, [503, 503, 200]);
    });

    it("hits only the given method", async () => {
      await env.emulator.control.injectFault({ kind: "status", status: 503, method: "post" });

      const get = await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER));
      const post = await postQualification(env.emulator, EMPTY_CUSTOMER, education);

      assert.deepEqual([get.status, post.status], [200, 503]);
    });

    it("hits only the given customer, in any case", async () => {
      await env.emulator.control.injectFault({ kind: "status", status: 503, customerId: EDUCATION_CUSTOMER.toUpperCase() });

      const other = await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER));
      const target = await callApi(env.emulator, "GET", qualificationsPath(EDUCATION_CUSTOMER));

      assert.deepEqual([other.status, target.status], [200, 503]);
    });

    it('targets the validations route with customerId "all"', async () => {
      await env.emulator.control.injectFault({ kind: "status", status: 503, customerId: "all" });

      const qualifications = await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER));
      const validations = await callApi(env.emulator, "GET", "/v1/customers/all/validations");

      assert.deepEqual([qualifications.status, validations.status], [200, 503]);
    });

    it("applies the first matching fault first", async () => {
      await env.emulator.control.injectFault({ kind: "status", status: 500 });
      await env.emulator.control.injectFault({ kind: "status", status: 503 });

      const first = await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER));
      const second = await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER));

      assert.deepEqual([first.status, second.status], [500, 503]);
    });

    it("applies before authentication", async () => {
      await env.emulator.control.injectFault({ kind: "status", status: 503 });

      const response = await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER), { token: null });

      assert.equal(response.status, 503);
    });

    it("never hits control calls", async () => {
      await env.emulator.control.injectFault({ kind: "drop" });

      const customer = await env.emulator.control.customer(GCC_CUSTOMER);

      assert.equal(customer?.qualifications.length, 2);
    });

    it("is removed by clearFaults and by reset", async () => {
      await env.emulator.control.injectFault({ kind: "status", status: 503 });
      await env.emulator.control.clearFaults();
      const afterClear = await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER));
      await env.emulator.control.injectFault({ kind: "status", status: 503 });
      await env.emulator.control.reset();
      const afterReset = await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER));

      assert.deepEqual([afterClear.status, afterReset.status], [200, 200]);
    });
  });

  describe("connection faults", () => {
    it("drop: the request fails without a response and nothing is stored", async () => {
      await env.emulator.control.injectFault({ kind: "drop", method: "POST" });

      await assert.rejects(postQualification(env.emulator, EMPTY_CUSTOMER, education), TypeError);

      assert.deepEqual(await storedQualifications(env.emulator, EMPTY_CUSTOMER), []);
      const [entry] = await env.emulator.control.requests();
      assert.equal(entry?.status, "dropped");
      assert.equal(entry?.fault, "drop");
    });

    it("lostResponse: the request fails but the qualification is stored, and the retry gets the 201 replayed", async () => {
      await env.emulator.control.injectFault({ kind: "lostResponse", method: "POST" });
      const requestId = randomUUID();

      await assert.rejects(postQualification(env.emulator, EMPTY_CUSTOMER, education, { requestId }), TypeError);
      const stored = await storedQualifications(env.emulator, EMPTY_CUSTOMER);
      const retry = await postQualification(env.emulator, EMPTY_CUSTOMER, education, { requestId });

      assert.equal(stored.length, 1);
      assert.equal(retry.status, 201);
      assert.deepEqual(retry.body, stored[0]);
      assert.deepEqual(
        (await env.emulator.control.requests()).map((entry) => [entry.status, entry.fault, entry.replayed]),
        [
          [201, "lostResponse", undefined],
          [201, undefined, true],
        ],
      );
    });

    it("lostResponse: a retry with a new MS-RequestId meets the duplicate rule", async () => {
      await env.emulator.control.injectFault({ kind: "lostResponse", method: "POST" });

      await assert.rejects(postQualification(env.emulator, EMPTY_CUSTOMER, education), TypeError);
      const retry = await postQualification(env.emulator, EMPTY_CUSTOMER, education);

      assert.equal(retry.status, 409);
      assert.match(descriptionOf(retry.body), /already exists/);
    });

    it("delay: the request is then handled normally and logged with the fault", async () => {
      await env.emulator.control.injectFault({ kind: "delay", delayMs: 50 });

      const response = await postQualification(env.emulator, EMPTY_CUSTOMER, education);

      assert.equal(response.status, 201);
      assert.equal((await storedQualifications(env.emulator, EMPTY_CUSTOMER)).length, 1);
      const [entry] = await env.emulator.control.requests();
      assert.deepEqual([entry?.status, entry?.fault], [201, "delay"]);
    });
  });

  describe("fault validation", () => {
    const invalid: { name: string; fault: unknown; message: RegExp }[] = [
      { name: "an unknown kind", fault: { kind: "explode" }, message: /fault.kind must be one of/ },
      { name: "a status fault without a status", fault: { kind: "status" }, message: /fault.status/ },
      { name: "a status below 200", fault: { kind: "status", status: 101 }, message: /fault.status/ },
      { name: "a delay fault without delayMs", fault: { kind: "delay" }, message: /fault.delayMs is required/ },
      { name: "times 0", fault: { kind: "drop", times: 0 }, message: /fault.times must be at least 1/ },
      { name: "an unknown property", fault: { kind: "drop", customer: "x" }, message: /unknown property: customer/ },
    ];
    for (const bad of invalid) {
      it(`refuses ${bad.name} with 400`, async () => {
        const attempt = env.emulator.control.injectFault(bad.fault as FaultSpec);

        await assert.rejects(attempt, (error: unknown) => error instanceof EmulatorControlError && error.status === 400 && bad.message.test(error.message));
      });
    }
  });
});
