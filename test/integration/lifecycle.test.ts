import { strict as assert } from "node:assert";
import { PartnerCenterError } from "../../provider/client";
import { BAD_INPUTS } from "../fixtures/bad-inputs";
import { CUSTOMERS, UNKNOWN_CUSTOMER, VALIDATION_CODE, lifecycleFor, recordingLog, useEmulator } from "../fixtures/emulated-partner-center";

const EDUCATION = { customerId: CUSTOMERS.school, qualification: "Education", educationSegment: "K12", website: "contoso.edu" };
const GCC = { customerId: CUSTOMERS.agency, qualification: "GovernmentCommunityCloud", validationCode: VALIDATION_CODE };
const SOE = { customerId: CUSTOMERS.utility, qualification: "StateOwnedEntity" };

describe("CustomerQualification lifecycle against the emulator", () => {
  const env = useEmulator();
  const posts = async () => (await env.emulator.control.requests()).filter((r) => r.method === "POST");

  describe("create", () => {
    const cases = [
      { name: "Education", inputs: EDUCATION, vetting: "InReview" },
      { name: "GovernmentCommunityCloud", inputs: GCC, vetting: "InReview" },
      { name: "StateOwnedEntity", inputs: SOE, vetting: undefined },
    ];
    for (const c of cases) {
      it(`creates ${c.name} with exactly one POST and reports its vetting`, async () => {
        const lifecycle = lifecycleFor(env.emulator);
        const result = await lifecycle.create(c.inputs);
        assert.equal(result.id, `${c.inputs.customerId}/${c.inputs.qualification}`);
        assert.equal(result.outs.vettingStatus, c.vetting);
        assert.equal(result.outs.qualification, c.inputs.qualification);
        if (c.vetting === undefined) {
          assert.ok(!("vettingCreateDate" in result.outs), "no vetting fields for StateOwnedEntity");
        } else {
          assert.match(String(result.outs.vettingCreateDate), /^\d{4}-\d\d-\d\dT/);
        }
        assert.equal((await posts()).length, 1);
        const stored = await env.emulator.control.customer(c.inputs.customerId);
        assert.deepEqual(
          stored?.qualifications.map((q) => q.qualification),
          [c.inputs.qualification],
        );
      });
    }

    it("sends the current body and, for GCC, also ?code=", async () => {
      await lifecycleFor(env.emulator).create(GCC);
      const [post] = await posts();
      assert.deepEqual(post?.body, { qualification: "GovernmentCommunityCloud", validationCode: VALIDATION_CODE });
      assert.equal(post?.query.code, VALIDATION_CODE);
      assert.match(String(post?.headers["content-type"]), /application\/json/);
      assert.equal(post?.headers.accept, "application/json");
      assert.match(String(post?.requestId), /^[0-9a-f-]{36}$/);
      assert.match(String(post?.correlationId), /^[0-9a-f-]{36}$/);
      assert.equal(post?.headers["x-locale"], "en-US");
      assert.match(String(post?.headers["ms-partnercenter-application"]), /^pulumi-partnercenter\//);
    });

    it("leaves absent optional fields out of the body rather than sending null", async () => {
      await lifecycleFor(env.emulator).create({ customerId: CUSTOMERS.school, qualification: "Education", educationSegment: "HigherEducation" });
      const [post] = await posts();
      assert.deepEqual(post?.body, { qualification: "Education", educationSegment: "HigherEducation" });
    });

    it("adopts a qualification the customer already has, without a POST", async () => {
      const result = await lifecycleFor(env.emulator).create({ customerId: CUSTOMERS.alreadyEducation, qualification: "education", educationSegment: "K12" });
      assert.equal(result.outs.vettingStatus, "Approved");
      assert.equal(result.outs.vettingCreateDate, "2026-01-05T08:00:00Z");
      assert.equal((await posts()).length, 0);
    });

    it("adopts a Denied qualification as it is rather than re-submitting by itself", async () => {
      const result = await lifecycleFor(env.emulator).create({ customerId: CUSTOMERS.deniedEducation, qualification: "Education", educationSegment: "K12" });
      assert.equal(result.outs.vettingStatus, "Denied");
      assert.equal(result.outs.vettingReason, "Not an Education Customer");
      assert.equal((await posts()).length, 0);
    });

    it("refuses Education on a customer that holds GCC before any POST", async () => {
      await assert.rejects(
        lifecycleFor(env.emulator).create({ customerId: CUSTOMERS.alreadyGcc, qualification: "Education", educationSegment: "K12" }),
        /already has GovernmentCommunityCloud, and Partner Center refuses Education together with GovernmentCommunityCloud/,
      );
      assert.equal((await posts()).length, 0);
    });

    it("fails on an unknown customer with the status, the request id and what to do", async () => {
      const error = await lifecycleFor(env.emulator)
        .create({ customerId: UNKNOWN_CUSTOMER, qualification: "StateOwnedEntity" })
        .then(
          () => assert.fail("expected a failure"),
          (e: unknown) => e,
        );
      assert.ok(error instanceof PartnerCenterError);
      assert.equal(error.statusCode, 404);
      const [get] = await env.emulator.control.requests();
      assert.equal(error.requestId, get?.requestId);
      assert.match(error.message, new RegExp(`customer ${UNKNOWN_CUSTOMER}.*HTTP 404.*request id ${get?.requestId}.*Check that customerId`));
      assert.equal((await posts()).length, 0);
    });
  });

  describe("refuses bad input before any request", () => {
    for (const c of BAD_INPUTS) {
      it(`${c.name}: check names ${c.property}, create sends nothing`, async () => {
        const lifecycle = lifecycleFor(env.emulator);
        const checked = await lifecycle.check({}, c.inputs);
        assert.ok(
          checked.failures?.some((f) => f.property === c.property && c.says.test(f.reason)),
          JSON.stringify(checked.failures),
        );
        await assert.rejects(lifecycle.create(c.inputs), (e: Error) => e.message.includes(c.property));
        assert.equal((await env.emulator.control.requests()).length, 0, "no request reached the emulator");
      });
    }
  });

  describe("read (refresh)", () => {
    it("reports the current vetting and returns the inputs so later diffs stay clean", async () => {
      const lifecycle = lifecycleFor(env.emulator);
      const created = await lifecycle.create(EDUCATION);
      await env.emulator.control.setVetting(CUSTOMERS.school, "Education", { status: "Denied", reason: "Not an Academic Domain" });
      // A refresh is a provider process of its own: a new lifecycle, with nothing read yet.
      const read = await lifecycleFor(env.emulator).read(created.id, { ...created.outs, __provider: "text" });
      assert.equal(read.id, created.id);
      assert.equal(read.props?.vettingStatus, "Denied");
      assert.equal(read.props?.vettingReason, "Not an Academic Domain");
      assert.deepEqual(read.inputs, { customerId: CUSTOMERS.school, qualification: "Education", educationSegment: "K12", website: "contoso.edu" });
      const diff = await lifecycle.diff(created.id, read.props ?? {}, EDUCATION);
      assert.equal(diff.changes, false);
    });

    it("reports Approved after the emulator approves", async () => {
      const lifecycle = lifecycleFor(env.emulator);
      const created = await lifecycle.create(GCC);
      await env.emulator.control.setVetting(CUSTOMERS.agency, "GovernmentCommunityCloud", { status: "Approved" });
      const read = await lifecycleFor(env.emulator).read(created.id, created.outs);
      assert.equal(read.props?.vettingStatus, "Approved");
      assert.equal(read.props?.validationCode, VALIDATION_CODE, "the validation code stays in state (as a secret)");
    });

    it("reports the resource gone when the customer no longer has the qualification", async () => {
      const lifecycle = lifecycleFor(env.emulator);
      const created = await lifecycle.create(SOE);
      await env.emulator.control.forgetQualification(CUSTOMERS.utility, "StateOwnedEntity");
      const read = await lifecycleFor(env.emulator).read(created.id, created.outs);
      assert.equal(read.id, "");
      const again = await lifecycleFor(env.emulator).create(SOE);
      assert.equal(again.id, created.id);
      assert.equal((await posts()).length, 2, "drift is repaired by exactly one more POST");
    });
  });

  describe("adoptOnly", () => {
    it("adopts an Education without a segment and a GCC without a code: one read each, no POST", async () => {
      const lifecycle = lifecycleFor(env.emulator);
      const school = await lifecycle.create({ customerId: CUSTOMERS.alreadyEducation, qualification: "Education", adoptOnly: true });
      const county = await lifecycle.create({ customerId: CUSTOMERS.alreadyGcc, qualification: "GovernmentCommunityCloud", adoptOnly: true });
      assert.deepEqual([school.outs.vettingStatus, county.outs.vettingStatus], ["Approved", "InReview"]);
      assert.equal(school.outs.adoptOnly, true);
      assert.ok(!("validationCode" in county.outs), "no code is chosen for an adoption");
      const requests = await env.emulator.control.requests();
      assert.deepEqual(requests.map((r) => `${r.method} ${r.path}`).sort(), [
        `GET /v1/customers/${CUSTOMERS.alreadyEducation}/qualifications`,
        `GET /v1/customers/${CUSTOMERS.alreadyGcc}/qualifications`,
      ]);
    });

    it("refuses what the customer does not hold, naming the customer and the way to create it, with no POST and no code read", async () => {
      const lifecycle = lifecycleFor(env.emulator);
      await assert.rejects(
        lifecycle.create({ customerId: CUSTOMERS.agency, qualification: "GovernmentCommunityCloud", adoptOnly: true }),
        new RegExp(
          `^InputValidationError: Refused to adopt GovernmentCommunityCloud for customer ${CUSTOMERS.agency}: the customer does not hold GovernmentCommunityCloud and adoptOnly is set, so nothing was created; to create it, remove adoptOnly and give what creating needs: a GCC validation code`,
        ),
      );
      await assert.rejects(
        lifecycle.create({ customerId: CUSTOMERS.school, qualification: "Education", adoptOnly: true }),
        /remove adoptOnly and give what creating needs: educationSegment \(K12 or HigherEducation\)$/,
      );
      const requests = await env.emulator.control.requests();
      assert.deepEqual(
        requests.map((r) => r.method),
        ["GET", "GET"],
        "one read per customer, nothing else",
      );
    });

    it("after the qualification vanished: refresh drops it, the next create refuses it, an update refuses too", async () => {
      const lifecycle = lifecycleFor(env.emulator);
      const adopted = await lifecycle.create({
        customerId: CUSTOMERS.alreadyEducation,
        qualification: "Education",
        adoptOnly: true,
        waitForVetting: { timeoutInMs: 60_000 },
      });
      await env.emulator.control.forgetQualification(CUSTOMERS.alreadyEducation, "Education");
      const log = recordingLog();
      const fresh = lifecycleFor(env.emulator, log);
      assert.equal((await fresh.read(adopted.id, adopted.outs)).id, "");
      assert.match(log.infos.join("\n"), /leaves the stack, and the next `pulumi up` fails it rather than create it \(adoptOnly\)/);
      await assert.rejects(
        fresh.create({ customerId: CUSTOMERS.alreadyEducation, qualification: "Education", adoptOnly: true }),
        /Refused to adopt Education.*remove adoptOnly/,
      );
      await assert.rejects(lifecycleFor(env.emulator).update(adopted.id, adopted.outs, adopted.outs), /Refused to adopt Education.*remove adoptOnly/);
      assert.equal((await posts()).length, 0);
    });

    it("turning it off (with the segment now given) and on again changes state only, without a request", async () => {
      const lifecycle = lifecycleFor(env.emulator);
      const adopted = await lifecycle.create({ customerId: CUSTOMERS.alreadyEducation, qualification: "Education", adoptOnly: true });
      await env.emulator.control.clearRequests();
      const off = { customerId: CUSTOMERS.alreadyEducation, qualification: "Education", educationSegment: "K12" };
      const diffOff = await lifecycle.diff(adopted.id, adopted.outs, off);
      assert.deepEqual([diffOff.changes, diffOff.replaces], [true, []]);
      const updatedOff = await lifecycle.update(adopted.id, adopted.outs, off);
      assert.ok(!("adoptOnly" in (updatedOff.outs ?? {})));
      const diffOn = await lifecycle.diff(adopted.id, updatedOff.outs ?? {}, { ...off, adoptOnly: true });
      assert.deepEqual([diffOn.changes, diffOn.replaces], [true, []]);
      const updatedOn = await lifecycle.update(adopted.id, updatedOff.outs ?? {}, { ...off, adoptOnly: true });
      assert.equal(updatedOn.outs?.adoptOnly, true);
      assert.equal(updatedOn.outs?.vettingStatus, "Approved", "vetting outputs are kept");
      assert.deepEqual(await env.emulator.control.requests(), []);
    });
  });

  describe("replace, update and delete", () => {
    it("replacing Education by StateOwnedEntity POSTs the new one and leaves the old one on the customer", async () => {
      const log = recordingLog();
      const lifecycle = lifecycleFor(env.emulator, log);
      const first = await lifecycle.create(EDUCATION);
      const next = { customerId: CUSTOMERS.school, qualification: "StateOwnedEntity" };
      const diff = await lifecycle.diff(first.id, first.outs, next);
      assert.ok(diff.replaces?.includes("qualification"));
      await lifecycle.create(next);
      await lifecycle.delete(first.id, first.outs);
      const stored = await env.emulator.control.customer(CUSTOMERS.school);
      assert.deepEqual(stored?.qualifications.map((q) => q.qualification).sort(), ["Education", "StateOwnedEntity"]);
      assert.equal((await posts()).length, 2);
      assert.match(log.warnings.join("\n"), /Education stays on customer 5d1c1a0e.*no API to remove a qualification/);
    });

    it("updates a new validation code in state only, without a request", async () => {
      const lifecycle = lifecycleFor(env.emulator);
      const created = await lifecycle.create(GCC);
      await env.emulator.control.clearRequests();
      const updated = await lifecycle.update(created.id, created.outs, { ...GCC, validationCode: "999999" });
      assert.equal(updated.outs?.validationCode, "999999");
      assert.equal(updated.outs?.vettingStatus, "InReview", "vetting outputs are kept");
      assert.equal((await env.emulator.control.requests()).length, 0);
    });

    it("delete sends no request", async () => {
      const lifecycle = lifecycleFor(env.emulator);
      await lifecycle.delete(`${CUSTOMERS.utility}/StateOwnedEntity`, SOE);
      assert.equal((await env.emulator.control.requests()).length, 0);
    });
  });

  describe("faults in the middle of a run", () => {
    const faults = [
      { name: "a 429 with Retry-After", fault: { kind: "status" as const, method: "POST", status: 429, retryAfter: "1" } },
      { name: "a 503", fault: { kind: "status" as const, method: "POST", status: 503 } },
      { name: "a 500 twice", fault: { kind: "status" as const, method: "POST", status: 500, times: 2 } },
      { name: "a dropped connection", fault: { kind: "drop" as const, method: "POST" } },
      { name: "a response lost after the write took effect", fault: { kind: "lostResponse" as const, method: "POST" } },
      { name: "a slow answer", fault: { kind: "delay" as const, method: "POST", delayMs: 300 } },
      { name: "a 503 on the first read", fault: { kind: "status" as const, method: "GET", status: 503 } },
    ];
    for (const f of faults) {
      it(`${f.name} still ends with one qualification, every POST attempt carrying the same MS-RequestId`, async () => {
        await env.emulator.control.injectFault(f.fault);
        const created = await lifecycleFor(env.emulator).create(EDUCATION);
        assert.equal(created.outs.vettingStatus, "InReview");
        const stored = await env.emulator.control.customer(CUSTOMERS.school);
        assert.equal(stored?.qualifications.length, 1);
        const attempts = await posts();
        assert.ok(attempts.length >= 1);
        assert.equal(new Set(attempts.map((p) => p.requestId)).size, 1, "retries reuse the request id");
        const effective = attempts.filter((p) => typeof p.status === "number" && p.status < 300 && !p.replayed);
        assert.ok(effective.length <= 1, "at most one POST took effect");
      });
    }

    it("after a lost response and retries exhausted, reads again and adopts what was created", async () => {
      await env.emulator.control.injectFault({ kind: "lostResponse", method: "POST" });
      await env.emulator.control.injectFault({ kind: "status", method: "POST", status: 503, times: 20 });
      const log = recordingLog();
      const created = await lifecycleFor(env.emulator, log, { retryOptions: { maxRetries: 2, retryDelayInMs: 10 } }).create(SOE);
      assert.equal(created.id, `${CUSTOMERS.utility}/StateOwnedEntity`);
      const stored = await env.emulator.control.customer(CUSTOMERS.utility);
      assert.equal(stored?.qualifications.length, 1);
      assert.match(log.infos.join("\n"), /adopted/);
    });

    it("a 400 is not retried and loses nothing", async () => {
      await env.emulator.control.injectFault({ kind: "status", method: "POST", status: 400, body: { code: 3000, description: "Invalid property" } });
      await assert.rejects(lifecycleFor(env.emulator).create(SOE), /HTTP 400 \(code 3000\): Invalid property/);
      assert.equal((await posts()).length, 1);
    });

    it("gives up on persistent 503s with a retryable error naming the attempts", async () => {
      await env.emulator.control.injectFault({ kind: "status", method: "POST", status: 503, times: 50 });
      const error = await lifecycleFor(env.emulator, recordingLog(), { retryOptions: { maxRetries: 3, retryDelayInMs: 5 } })
        .create(SOE)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      assert.ok(error instanceof PartnerCenterError);
      assert.equal(error.retryable, true);
      assert.equal(error.attempts, 4);
      assert.match(error.message, /HTTP 503.*after 4 attempts/);
      assert.equal((await posts()).length, 4);
    });
  });
});
