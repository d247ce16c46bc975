import assert from "node:assert/strict";
import { EmulatorControlError, type VettingScript } from "../index";
import { parseSeed } from "../seed";
import { EmulatorState } from "../state";
import {
  EDUCATION_CUSTOMER,
  EMPTY_CUSTOMER,
  GCC_CODE,
  GCC_CUSTOMER,
  UNKNOWN_CUSTOMER,
  callApi,
  postQualification,
  qualificationsPath,
  storedQualifications,
  useEmulator,
} from "./emulator-harness";

const HOUR_MS = 3_600_000;

describe("emulator: vetting and drift", () => {
  const env = useEmulator();
  const education = { qualification: "Education", educationSegment: "HigherEducation" };

  async function readQualifications(customerId: string): Promise<Record<string, unknown>[]> {
    const response = await callApi(env.emulator, "GET", qualificationsPath(customerId));
    assert.equal(response.status, 200);
    return response.body as Record<string, unknown>[];
  }

  describe("scriptVetting", () => {
    it("approves on the next read when afterMs is 0, while the POST answer still says InReview", async () => {
      await env.emulator.control.scriptVetting(EMPTY_CUSTOMER, { status: "Approved" });

      const created = await postQualification(env.emulator, EMPTY_CUSTOMER, education);
      const [read] = await readQualifications(EMPTY_CUSTOMER);

      assert.equal((created.body as Record<string, unknown>).vettingStatus, "InReview");
      assert.equal(read?.vettingStatus, "Approved");
      assert.equal(read?.vettingCreateDate, (created.body as Record<string, unknown>).vettingCreateDate);
    });

    it("leaves the qualification InReview while afterMs has not passed", async () => {
      await env.emulator.control.scriptVetting(EMPTY_CUSTOMER, { status: "Denied", afterMs: HOUR_MS });

      await postQualification(env.emulator, EMPTY_CUSTOMER, education);
      const [read] = await readQualifications(EMPTY_CUSTOMER);

      assert.equal(read?.vettingStatus, "InReview");
    });

    it("denies with the scripted reason", async () => {
      await env.emulator.control.scriptVetting(EMPTY_CUSTOMER, { qualification: "education", status: "Denied", reason: "Not an Academic Domain" });

      await postQualification(env.emulator, EMPTY_CUSTOMER, education);
      const [read] = await readQualifications(EMPTY_CUSTOMER);

      assert.deepEqual([read?.vettingStatus, read?.vettingReason], ["Denied", "Not an Academic Domain"]);
    });

    it("decides a qualification already InReview, counting from now", async () => {
      await postQualification(env.emulator, EMPTY_CUSTOMER, education);

      await env.emulator.control.scriptVetting(EMPTY_CUSTOMER, { status: "Approved" });
      const [read] = await readQualifications(EMPTY_CUSTOMER);

      assert.equal(read?.vettingStatus, "Approved");
    });

    it("waits for the named qualification, ignoring others", async () => {
      await env.emulator.control.scriptVetting(EMPTY_CUSTOMER, { qualification: "GovernmentCommunityCloud", status: "Approved" });

      await postQualification(env.emulator, EMPTY_CUSTOMER, education);
      const [read] = await readQualifications(EMPTY_CUSTOMER);

      assert.equal(read?.vettingStatus, "InReview");
    });

    it("applies the script once: the re-verification after a scripted denial stays InReview", async () => {
      await env.emulator.control.scriptVetting(EMPTY_CUSTOMER, { status: "Denied" });
      await postQualification(env.emulator, EMPTY_CUSTOMER, education);
      assert.equal((await readQualifications(EMPTY_CUSTOMER))[0]?.vettingStatus, "Denied");

      const reverified = await postQualification(env.emulator, EMPTY_CUSTOMER, education);
      const [read] = await readQualifications(EMPTY_CUSTOMER);

      assert.equal(reverified.status, 201);
      assert.equal(read?.vettingStatus, "InReview");
    });

    it("scripts GovernmentCommunityCloud vetting too", async () => {
      await env.emulator.control.scriptVetting(EMPTY_CUSTOMER, { status: "Approved" });

      await postQualification(env.emulator, EMPTY_CUSTOMER, { qualification: "GovernmentCommunityCloud", validationCode: GCC_CODE });

      assert.equal((await readQualifications(EMPTY_CUSTOMER))[0]?.vettingStatus, "Approved");
    });

    const invalid: { name: string; customer: string; script: unknown; status: number }[] = [
      { name: "an unknown customer", customer: UNKNOWN_CUSTOMER, script: { status: "Approved" }, status: 404 },
      {
        name: "StateOwnedEntity, which is not vetted",
        customer: EMPTY_CUSTOMER,
        script: { qualification: "StateOwnedEntity", status: "Approved" },
        status: 400,
      },
      { name: "an InReview outcome", customer: EMPTY_CUSTOMER, script: { status: "InReview" }, status: 400 },
      { name: "a negative afterMs", customer: EMPTY_CUSTOMER, script: { status: "Approved", afterMs: -1 }, status: 400 },
    ];
    for (const bad of invalid) {
      it(`refuses a script for ${bad.name} with ${bad.status}`, async () => {
        const attempt = env.emulator.control.scriptVetting(bad.customer, bad.script as VettingScript);

        await assert.rejects(attempt, (error: unknown) => error instanceof EmulatorControlError && error.status === bad.status);
      });
    }
  });

  describe("setVetting", () => {
    it("denies immediately with a reason that GET then shows", async () => {
      await env.emulator.control.setVetting(EDUCATION_CUSTOMER, "Education", { status: "Denied", reason: "No longer an Education Customer" });

      const [read] = await readQualifications(EDUCATION_CUSTOMER);

      assert.deepEqual(read, {
        qualification: "Education",
        vettingStatus: "Denied",
        vettingReason: "No longer an Education Customer",
        vettingCreateDate: "2024-01-02T03:04:05.000Z",
      });
    });

    it("drops the previous reason when the new outcome has none", async () => {
      await env.emulator.control.setVetting(EDUCATION_CUSTOMER, "Education", { status: "Denied", reason: "Not an eligible Library" });
      await env.emulator.control.setVetting(EDUCATION_CUSTOMER, "Education", { status: "Approved" });

      const [read] = await readQualifications(EDUCATION_CUSTOMER);

      assert.equal(read?.vettingStatus, "Approved");
      assert.equal("vettingReason" in (read ?? {}), false);
    });

    it("cancels a scripted outcome", async () => {
      await env.emulator.control.scriptVetting(EMPTY_CUSTOMER, { status: "Denied", afterMs: 0 });
      await postQualification(env.emulator, EMPTY_CUSTOMER, education);
      await env.emulator.control.setVetting(EMPTY_CUSTOMER, "Education", { status: "InReview" });

      const [read] = await readQualifications(EMPTY_CUSTOMER);

      assert.equal(read?.vettingStatus, "InReview");
    });

    it("accepts statuses beyond the documented three", async () => {
      await env.emulator.control.setVetting(EDUCATION_CUSTOMER, "Education", { status: "Expired" });

      assert.equal((await readQualifications(EDUCATION_CUSTOMER))[0]?.vettingStatus, "Expired");
    });

    const invalid: { name: string; customer: string; qualification: string; status: number }[] = [
      { name: "a qualification the customer lacks", customer: EMPTY_CUSTOMER, qualification: "Education", status: 404 },
      { name: "an unknown customer", customer: UNKNOWN_CUSTOMER, qualification: "Education", status: 404 },
      { name: "StateOwnedEntity", customer: GCC_CUSTOMER, qualification: "StateOwnedEntity", status: 400 },
    ];
    for (const bad of invalid) {
      it(`refuses ${bad.name} with ${bad.status}`, async () => {
        const attempt = env.emulator.control.setVetting(bad.customer, bad.qualification, { status: "Approved" });

        await assert.rejects(attempt, (error: unknown) => error instanceof EmulatorControlError && error.status === bad.status);
      });
    }
  });

  describe("forgetQualification", () => {
    it("removes the qualification as if it never existed, so it can be created again", async () => {
      await env.emulator.control.forgetQualification(GCC_CUSTOMER, "stateownedentity");

      const read = await readQualifications(GCC_CUSTOMER);
      const recreated = await postQualification(env.emulator, GCC_CUSTOMER, { qualification: "StateOwnedEntity" });

      assert.deepEqual(
        read.map((q) => q.qualification),
        ["GovernmentCommunityCloud"],
      );
      assert.equal(recreated.status, 201);
    });

    it("answers 404 for a qualification the customer does not have", async () => {
      await assert.rejects(
        env.emulator.control.forgetQualification(EMPTY_CUSTOMER, "Education"),
        (error: unknown) => error instanceof EmulatorControlError && error.status === 404,
      );
      assert.deepEqual(await storedQualifications(env.emulator, EMPTY_CUSTOMER), []);
    });
  });

  describe("the state machine with a controlled clock", () => {
    const customerId = EMPTY_CUSTOMER;
    const start = Date.parse("2025-06-01T12:00:00.000Z");

    function stateAt(clock: { now: number }): EmulatorState {
      const state = new EmulatorState(() => new Date(clock.now));
      state.applySeed(parseSeed({ customers: [{ id: customerId }] }));
      return state;
    }

    function statusOf(state: EmulatorState): string | undefined {
      const listed = state.listQualifications(customerId);
      assert.ok(listed.ok);
      return listed.value[0]?.vettingStatus;
    }

    it("decides exactly afterMs after creation, not a millisecond earlier", () => {
      const clock = { now: start };
      const state = stateAt(clock);
      state.scriptVetting(customerId, { status: "Approved", afterMs: 5_000 });
      const created = state.createQualification(customerId, JSON.stringify({ qualification: "Education", educationSegment: "K12" }), undefined);
      assert.ok(created.ok);
      assert.equal(created.value.vettingCreateDate, "2025-06-01T12:00:00.000Z");

      clock.now = start + 4_999;
      assert.equal(statusOf(state), "InReview");
      clock.now = start + 5_000;
      assert.equal(statusOf(state), "Approved");
    });

    it("keeps a pending decision through a snapshot and restore", () => {
      const clock = { now: start };
      const state = stateAt(clock);
      state.scriptVetting(customerId, { status: "Denied", reason: "Not an eligible Museum", afterMs: HOUR_MS });
      state.createQualification(customerId, JSON.stringify({ qualification: "Education", educationSegment: "K12" }), undefined);

      const restored = new EmulatorState(() => new Date(clock.now));
      restored.restore(state.snapshot());
      clock.now = start + HOUR_MS;

      const listed = restored.listQualifications(customerId);
      assert.ok(listed.ok);
      assert.deepEqual([listed.value[0]?.vettingStatus, listed.value[0]?.vettingReason], ["Denied", "Not an eligible Museum"]);
    });

    it("counts a state change when a decision falls due on a read, so it is saved", () => {
      const clock = { now: start };
      const state = stateAt(clock);
      state.createQualification(customerId, JSON.stringify({ qualification: "Education", educationSegment: "K12" }), undefined);
      state.scriptVetting(customerId, { status: "Approved", afterMs: 10 });
      const before = state.revision;

      statusOf(state);
      const whileWaiting = state.revision;
      clock.now = start + 10;
      statusOf(state);

      assert.equal(whileWaiting, before);
      assert.ok(state.revision > before);
    });
  });
});
