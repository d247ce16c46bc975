import { strict as assert } from "node:assert";
import { PartnerCenterClient, PartnerCenterError } from "../../provider/client";
import { AccessTokenCredential } from "../../provider/auth";
import { DEVELOPMENT_ACCESS_TOKEN, type ResponseStyle } from "../../emulator";
import { CUSTOMERS, VALIDATION_CODE, clientFor, useEmulator } from "../fixtures/emulated-partner-center";

describe("PartnerCenterClient against the emulator", () => {
  const env = useEmulator();

  const styles: ReadonlyArray<Partial<ResponseStyle>> = [
    { postStatus: 201, postShape: "object", getShape: "array" },
    { postStatus: 200, postShape: "wrapper", getShape: "wrapper" },
    { dateField: "vettingCreatedDate" },
    { nameCase: "lower" },
    { postStatus: 200, postShape: "object", getShape: "wrapper", dateField: "vettingCreatedDate", nameCase: "lower" },
  ];
  for (const style of styles) {
    it(`reads every documented shape: ${JSON.stringify(style)}`, async () => {
      await env.emulator.control.setResponseStyle(style);
      const client = clientFor(env.emulator);
      const created = await client.createQualification(CUSTOMERS.school, { qualification: "Education", educationSegment: "K12" });
      assert.equal(created.qualification, "Education");
      assert.equal(created.vettingStatus, "InReview");
      assert.match(String(created.vettingCreateDate), /^\d{4}-/);
      const list = await client.getQualifications(CUSTOMERS.school);
      assert.deepEqual(list, [created]);
    });
  }

  it("reads a customer without qualifications as an empty list, whether the service says [] or None", async () => {
    const client = clientFor(env.emulator);
    assert.deepEqual(await client.getQualifications(CUSTOMERS.utility), []);
    await env.emulator.control.setResponseStyle({ noneAs: "none" });
    assert.deepEqual(await client.getQualifications(CUSTOMERS.utility), []);
  });

  it("reads the partner's validation codes", async () => {
    const codes = await clientFor(env.emulator).getValidationCodes();
    assert.equal(codes.length, 1);
    assert.equal(codes[0]?.validationId, VALIDATION_CODE);
    assert.equal(codes[0]?.remainingCreates, 10);
  });

  it("gives a new MS-RequestId to each new call", async () => {
    const client = clientFor(env.emulator);
    await client.getQualifications(CUSTOMERS.school);
    await client.getQualifications(CUSTOMERS.school);
    const ids = (await env.emulator.control.requests()).map((r) => r.requestId);
    assert.equal(new Set(ids).size, 2);
  });

  it("a 409 for an existing qualification is an error with the status, not retried", async () => {
    const client = clientFor(env.emulator);
    const error = await client.createQualification(CUSTOMERS.alreadyEducation, { qualification: "Education", educationSegment: "K12" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof PartnerCenterError);
    assert.equal(error.statusCode, 409);
    assert.equal(error.retryable, false);
    assert.equal((await env.emulator.control.requests()).length, 1);
  });

  it("a wrong token is a 401 whose message holds neither token", async () => {
    const wrong = "wrong-token-0123456789abcdef";
    const client = new PartnerCenterClient(env.emulator.url, new AccessTokenCredential(wrong), { retryOptions: { maxRetries: 0 } });
    const error = await client.getQualifications(CUSTOMERS.school).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof PartnerCenterError);
    assert.equal(error.statusCode, 401);
    const everything = `${error.message}\n${error.stack}\n${JSON.stringify(error)}`;
    assert.ok(!everything.includes(wrong));
    assert.ok(!everything.includes(DEVELOPMENT_ACCESS_TOKEN));
    const [logged] = await env.emulator.control.requests();
    assert.equal(logged?.headers.authorization, "Bearer <redacted>");
  });

  it("honours the caller's abort signal between retries", async () => {
    await env.emulator.control.injectFault({ kind: "status", method: "GET", status: 429, retryAfter: "30", times: 5 });
    const client = clientFor(env.emulator);
    const controller = new AbortController();
    const pending = client.getQualifications(CUSTOMERS.school, { abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const error = await pending.then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof PartnerCenterError);
    assert.equal(error.kind, "aborted");
    assert.equal((await env.emulator.control.requests()).length, 1);
  });

  it("refuses a malformed customer id before sending anything", async () => {
    await assert.rejects(clientFor(env.emulator).getQualifications("../../etc"), /customerId must be the customer's tenant ID/);
    assert.equal((await env.emulator.control.requests()).length, 0);
  });
});
