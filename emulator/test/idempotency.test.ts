import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import {
  DENIED_CUSTOMER,
  EMPTY_CUSTOMER,
  GCC_CODE,
  UNKNOWN_CUSTOMER,
  callApi,
  postQualification,
  qualificationsPath,
  storedQualifications,
  useEmulator,
} from "./emulator-harness";

describe("emulator: idempotent POST by MS-RequestId", () => {
  const env = useEmulator();
  const education = { qualification: "Education", educationSegment: "K12" };

  it("replays the first answer for a repeated MS-RequestId and stores one qualification", async () => {
    const requestId = randomUUID();

    const first = await postQualification(env.emulator, EMPTY_CUSTOMER, education, { requestId });
    const second = await postQualification(env.emulator, EMPTY_CUSTOMER, education, { requestId });

    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.deepEqual(second.body, first.body);
    assert.equal(second.headers.get("ms-requestid"), requestId);
    assert.equal((await storedQualifications(env.emulator, EMPTY_CUSTOMER)).length, 1);
    const log = await env.emulator.control.requests();
    assert.deepEqual(
      log.map((entry) => [entry.status, entry.replayed]),
      [
        [201, undefined],
        [201, true],
      ],
    );
  });

  it("matches the MS-RequestId whatever its case", async () => {
    const requestId = randomUUID();

    await postQualification(env.emulator, EMPTY_CUSTOMER, education, { requestId });
    const second = await postQualification(env.emulator, EMPTY_CUSTOMER, education, { requestId: requestId.toUpperCase() });

    assert.equal(second.status, 201);
    assert.equal((await env.emulator.control.requests())[1]?.replayed, true);
  });

  it("runs a POST with a new MS-RequestId again, which then meets the duplicate rule", async () => {
    await postQualification(env.emulator, EMPTY_CUSTOMER, education);
    const second = await postQualification(env.emulator, EMPTY_CUSTOMER, education);

    assert.equal(second.status, 409);
  });

  it("runs a POST without MS-RequestId every time", async () => {
    const send = (): Promise<{ status: number }> => callApi(env.emulator, "POST", qualificationsPath(EMPTY_CUSTOMER), { body: education });

    assert.equal((await send()).status, 201);
    assert.equal((await send()).status, 409);
  });

  it("replays an error answer too, even after the cause is gone", async () => {
    const requestId = randomUUID();
    const first = await postQualification(env.emulator, UNKNOWN_CUSTOMER, education, { requestId });
    await env.emulator.control.addCustomer({ id: UNKNOWN_CUSTOMER });

    const second = await postQualification(env.emulator, UNKNOWN_CUSTOMER, education, { requestId });

    assert.equal(first.status, 404);
    assert.equal(second.status, 404);
    assert.deepEqual(second.body, first.body);
    assert.deepEqual(await storedQualifications(env.emulator, UNKNOWN_CUSTOMER), []);
  });

  it("keys answers by MS-RequestId alone, whatever the path and body of the repeat", async () => {
    const requestId = randomUUID();
    const first = await postQualification(env.emulator, EMPTY_CUSTOMER, { qualification: "StateOwnedEntity" }, { requestId });

    const second = await postQualification(env.emulator, DENIED_CUSTOMER, education, { requestId });

    assert.deepEqual(second.body, first.body);
    assert.equal((await storedQualifications(env.emulator, DENIED_CUSTOMER)).length, 1);
    assert.equal(((await storedQualifications(env.emulator, DENIED_CUSTOMER))[0] as { vettingStatus: string }).vettingStatus, "Denied");
  });

  it("does not consume a second validation-code create on replay", async () => {
    const requestId = randomUUID();
    const gcc = { qualification: "GovernmentCommunityCloud", validationCode: GCC_CODE };

    await postQualification(env.emulator, EMPTY_CUSTOMER, gcc, { requestId });
    await postQualification(env.emulator, EMPTY_CUSTOMER, gcc, { requestId });

    const code = (await env.emulator.control.validationCodes()).find((record) => record.validationId === GCC_CODE);
    assert.equal(code?.remainingCreates, 1);
  });

  it("replays the body as first rendered, even after the response style changes", async () => {
    const requestId = randomUUID();
    const first = await postQualification(env.emulator, EMPTY_CUSTOMER, education, { requestId });
    await env.emulator.control.setResponseStyle({ postStatus: 200, postShape: "wrapper" });

    const second = await postQualification(env.emulator, EMPTY_CUSTOMER, education, { requestId });

    assert.equal(second.status, 201);
    assert.deepEqual(second.body, first.body);
  });

  it("does not record 401 answers, so a retry with a valid token runs", async () => {
    const requestId = randomUUID();

    const rejected = await postQualification(env.emulator, EMPTY_CUSTOMER, education, { requestId, token: "expired" });
    const retried = await postQualification(env.emulator, EMPTY_CUSTOMER, education, { requestId });

    assert.equal(rejected.status, 401);
    assert.equal(retried.status, 201);
    assert.equal((await storedQualifications(env.emulator, EMPTY_CUSTOMER)).length, 1);
  });

  it("forgets answers on reset", async () => {
    const requestId = randomUUID();
    await postQualification(env.emulator, UNKNOWN_CUSTOMER, education, { requestId });
    await env.emulator.control.reset();

    const again = await postQualification(env.emulator, EMPTY_CUSTOMER, education, { requestId });

    assert.equal(again.status, 201);
  });
});
