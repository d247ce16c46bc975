import { strict as assert } from "node:assert";
import { QualificationOutcomeError } from "../../provider/lifecycle";
import { CUSTOMERS, VALIDATION_CODE, lifecycleFor, recordingLog, useEmulator } from "../fixtures/emulated-partner-center";

const QUICK_WAIT = { timeoutInMs: 5_000, pollIntervalInMs: 100 };

describe("the qualification workflow against the emulator", () => {
  const env = useEmulator();
  const posts = async (customerId?: string) =>
    (await env.emulator.control.requests()).filter((r) => r.method === "POST" && (customerId === undefined || r.path.includes(customerId)));

  describe("GCC validation codes", () => {
    it("uses the only code with creates left when none is given, and spends one create", async () => {
      const created = await lifecycleFor(env.emulator).create({ customerId: CUSTOMERS.agency, qualification: "GovernmentCommunityCloud" });
      assert.equal(created.outs.validationCode, VALIDATION_CODE);
      const [post] = await posts();
      assert.deepEqual(post?.body, { qualification: "GovernmentCommunityCloud", validationCode: VALIDATION_CODE });
      assert.equal((await env.emulator.control.validationCodes())[0]?.remainingCreates, 9);
    });

    it("refuses ambiguity before any POST, naming the candidates by organization", async () => {
      await env.emulator.control.seed({
        validationCodes: [{ partnerId: "p", organizationName: "Litware City", validationId: "LW-200002", maxCreates: 2, remainingCreates: 2 }],
      });
      await assert.rejects(
        lifecycleFor(env.emulator).create({ customerId: CUSTOMERS.agency, qualification: "GovernmentCommunityCloud" }),
        (e: Error) =>
          /2 GCC validation codes have creates left/.test(e.message) &&
          /Fabrikam County/.test(e.message) &&
          /Litware City/.test(e.message) &&
          !e.message.includes("LW-200002"),
      );
      assert.equal((await posts()).length, 0);
    });

    it("picks the code of the organization asked for", async () => {
      await env.emulator.control.seed({
        validationCodes: [{ partnerId: "p", organizationName: "Litware City", validationId: "LW-200002", maxCreates: 2, remainingCreates: 2 }],
      });
      const created = await lifecycleFor(env.emulator).create({
        customerId: CUSTOMERS.agency,
        qualification: "GovernmentCommunityCloud",
        validationOrganization: "litware city",
      });
      assert.equal(created.outs.validationCode, "LW-200002");
      assert.equal((await posts())[0]?.query.code, "LW-200002");
    });

    it("refuses a given code with no creates left before any POST", async () => {
      await env.emulator.control.seed({
        validationCodes: [{ partnerId: "p", organizationName: "Fabrikam County", validationId: VALIDATION_CODE, maxCreates: 10, remainingCreates: 0 }],
      });
      await assert.rejects(
        lifecycleFor(env.emulator).create({ customerId: CUSTOMERS.agency, qualification: "GovernmentCommunityCloud", validationCode: VALIDATION_CODE }),
        /has no creates left/,
      );
      assert.equal((await posts()).length, 0);
    });

    it("two GCC creates racing for the last create: one POSTs, the other is refused before POSTing", async () => {
      await env.emulator.control.seed({
        validationCodes: [{ partnerId: "p", organizationName: "Fabrikam County", validationId: VALIDATION_CODE, maxCreates: 10, remainingCreates: 1 }],
      });
      const lifecycle = lifecycleFor(env.emulator);
      const results = await Promise.allSettled([
        lifecycle.create({ customerId: CUSTOMERS.agency, qualification: "GovernmentCommunityCloud" }),
        lifecycle.create({ customerId: CUSTOMERS.utility, qualification: "GovernmentCommunityCloud" }),
      ]);
      assert.deepEqual(results.map((r) => r.status).sort(), ["fulfilled", "rejected"]);
      assert.match(String((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason), /no GCC validation code has creates left/);
      assert.equal((await posts()).length, 1);
    });
  });

  describe("one provider process, many resources", () => {
    const requestsOf = async (pathEnd: string, method = "GET") =>
      (await env.emulator.control.requests()).filter((r) => r.method === method && r.path.endsWith(pathEnd));

    it("two qualifications of one customer, created at once, read the customer once", async () => {
      await env.emulator.control.clearRequests();
      const lifecycle = lifecycleFor(env.emulator);
      await Promise.all([
        lifecycle.create({ customerId: CUSTOMERS.school, qualification: "Education", educationSegment: "K12" }),
        lifecycle.create({ customerId: CUSTOMERS.school, qualification: "StateOwnedEntity" }),
      ]);
      assert.equal((await requestsOf(`${CUSTOMERS.school}/qualifications`)).length, 1);
      assert.equal((await posts(CUSTOMERS.school)).length, 2);
    });

    it("a customer's second qualification, created later in the run, needs no read: the shared answer holds the first POST's result", async () => {
      const lifecycle = lifecycleFor(env.emulator);
      await env.emulator.control.clearRequests();
      const soe = await lifecycle.create({ customerId: CUSTOMERS.utility, qualification: "StateOwnedEntity" });
      await lifecycle.create({ customerId: CUSTOMERS.utility, qualification: "GovernmentCommunityCloud" });
      const read = await lifecycle.read(soe.id, soe.outs);
      assert.equal(read.id, soe.id);
      assert.equal((await requestsOf(`${CUSTOMERS.utility}/qualifications`)).length, 1, "one read of the customer in the whole run");
      assert.equal((await posts(CUSTOMERS.utility)).length, 2);
    });

    it("the shared answer knows what this process created: Education after our own GCC POST is refused before a POST", async () => {
      const lifecycle = lifecycleFor(env.emulator);
      await lifecycle.create({ customerId: CUSTOMERS.utility, qualification: "GovernmentCommunityCloud" });
      await assert.rejects(
        lifecycle.create({ customerId: CUSTOMERS.utility, qualification: "Education", educationSegment: "K12" }),
        /already has GovernmentCommunityCloud/,
      );
      assert.equal((await posts(CUSTOMERS.utility)).length, 1);
    });

    it("GCC creates run in parallel on one read of the validation codes", async () => {
      await env.emulator.control.clearRequests();
      const lifecycle = lifecycleFor(env.emulator);
      const customers = [CUSTOMERS.agency, CUSTOMERS.utility, CUSTOMERS.school];
      await Promise.all(customers.map((customerId) => lifecycle.create({ customerId, qualification: "GovernmentCommunityCloud" })));
      assert.equal((await requestsOf("/v1/customers/all/validations")).length, 1);
      assert.equal((await posts()).length, 3);
      assert.equal((await env.emulator.control.validationCodes())[0]?.remainingCreates, 7);
    });

    it("never spends more creates than a code has left: 3 of 5 parallel creates POST, 2 are refused before POSTing", async () => {
      await env.emulator.control.seed({
        validationCodes: [{ partnerId: "p", organizationName: "Fabrikam County", validationId: VALIDATION_CODE, maxCreates: 10, remainingCreates: 3 }],
      });
      const ids = Array.from({ length: 5 }, (_, i) => `c0000000-0000-4000-8000-00000000000${i}`);
      for (const id of ids) await env.emulator.control.addCustomer({ id });
      const lifecycle = lifecycleFor(env.emulator);
      const results = await Promise.allSettled(ids.map((customerId) => lifecycle.create({ customerId, qualification: "GovernmentCommunityCloud" })));
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 3);
      const refusals = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => String(r.reason));
      assert.equal(refusals.length, 2);
      for (const refusal of refusals) assert.match(refusal, /no GCC validation code has creates left/);
      assert.equal((await posts()).length, 3);
    });

    it("a given code does not depend on the codes' read: when it fails, a warning about that call, and the POST goes ahead", async () => {
      await env.emulator.control.injectFault({ kind: "status", status: 404, route: "validations" });
      const log = recordingLog();
      const created = await lifecycleFor(env.emulator, log).create({
        customerId: CUSTOMERS.agency,
        qualification: "GovernmentCommunityCloud",
        validationCode: VALIDATION_CODE,
      });
      assert.equal(created.outs.validationCode, VALIDATION_CODE);
      assert.equal((await posts()).length, 1);
      const warning = log.warnings.join("\n");
      assert.match(warning, /could not read the partner's GCC validation codes, so the given code \.\.\.0215 is used unchecked/);
      assert.match(warning, /check partnercenter:baseUrl/);
      assert.doesNotMatch(warning, /customerId is a customer/);
      assert.ok(!warning.includes(VALIDATION_CODE), "the code is not in the warning");
    });

    it("when the service refuses a code, the codes are read once more and the refusal names what they now say", async () => {
      const lifecycle = lifecycleFor(env.emulator);
      await lifecycle.create({ customerId: CUSTOMERS.agency, qualification: "GovernmentCommunityCloud" });
      // Another pipeline spends the code's last creates meanwhile.
      await env.emulator.control.seed({
        validationCodes: [{ partnerId: "p", organizationName: "Fabrikam County", validationId: VALIDATION_CODE, maxCreates: 10, remainingCreates: 0 }],
      });
      await env.emulator.control.clearRequests();
      await assert.rejects(
        lifecycle.create({ customerId: CUSTOMERS.utility, qualification: "GovernmentCommunityCloud" }),
        /no GCC validation code has creates left/,
      );
      assert.equal((await requestsOf("/v1/customers/all/validations")).length, 1, "one more read, for the refused code");
      assert.equal((await posts()).length, 1, "the refused POST, and no other");
    });
  });

  describe("where a validation code lives in state", () => {
    const GCC_CHOSEN = { customerId: CUSTOMERS.agency, qualification: "GovernmentCommunityCloud" };
    const GCC_GIVEN = { ...GCC_CHOSEN, validationCode: VALIDATION_CODE };
    const cases = [
      { name: "a code the provider chose is an output only: read reports no validationCode input", inputs: GCC_CHOSEN, chosen: true },
      { name: "a code the program gave stays an input after read", inputs: GCC_GIVEN, chosen: false },
      { name: "a code chosen for an organization is an output only", inputs: { ...GCC_CHOSEN, validationOrganization: "Fabrikam County" }, chosen: true },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const lifecycle = lifecycleFor(env.emulator);
        const created = await lifecycle.create(c.inputs);
        assert.equal(created.outs.validationCode, VALIDATION_CODE);
        assert.equal(created.outs.validationCodeChosen, c.chosen);
        const read = await lifecycle.read(created.id, created.outs);
        assert.equal(read.props?.validationCode, VALIDATION_CODE, "the code used stays an output");
        assert.equal(read.props?.validationCodeChosen, c.chosen);
        assert.equal(read.inputs?.validationCode, c.chosen ? undefined : VALIDATION_CODE);
        const again = await lifecycle.read(created.id, read.props ?? {});
        assert.deepEqual(again.inputs, read.inputs, "a second refresh reports the same inputs");
        assert.equal((await lifecycle.diff(created.id, read.props ?? {}, c.inputs)).changes, false, "no change after refresh");
      });
    }

    it("state of 0.1.0 (a code without its origin) reads without the code as an input, and the next up records the origin by an update", async () => {
      const lifecycle = lifecycleFor(env.emulator);
      const created = await lifecycle.create(GCC_CHOSEN);
      const { validationCodeChosen: _dropped, ...legacy } = created.outs;
      const read = await lifecycle.read(created.id, legacy);
      assert.equal(read.inputs?.validationCode, undefined);
      assert.equal(read.props?.validationCode, VALIDATION_CODE);
      const diff = await lifecycle.diff(created.id, legacy, GCC_CHOSEN);
      assert.deepEqual({ changes: diff.changes, replaces: diff.replaces }, { changes: true, replaces: [] });
      await env.emulator.control.clearRequests();
      const updated = await lifecycle.update(created.id, legacy, GCC_CHOSEN);
      assert.equal(updated.outs?.validationCodeChosen, true);
      assert.equal(updated.outs?.validationCode, VALIDATION_CODE);
      assert.equal((await env.emulator.control.requests()).length, 0, "recording the origin sends nothing");
      assert.equal((await lifecycle.diff(created.id, updated.outs ?? {}, GCC_CHOSEN)).changes, false);
    });
  });

  describe("waitForVetting", () => {
    it("waits for Approved, showing progress, and reports the outcome", async () => {
      await env.emulator.control.scriptVetting(CUSTOMERS.school, { status: "Approved", afterMs: 400 });
      const log = recordingLog();
      const created = await lifecycleFor(env.emulator, log).create({
        customerId: CUSTOMERS.school,
        qualification: "Education",
        educationSegment: "K12",
        waitForVetting: QUICK_WAIT,
      });
      assert.equal(created.outs.vettingStatus, "Approved");
      assert.ok(log.progress.lines.length >= 1);
      assert.match(log.progress.lines[0]!, /^waiting for vetting: InReview/);
      assert.match(log.notices.join("\n"), /Education for customer 5d1c1a0e-2b3c-4d5e-8f90-a1b2c3d4e5f6: Approved after \d+ s of waiting/);
      assert.equal((await posts()).length, 1);
    });

    it("Denied fails the step with the reason, and the error keeps the resource (ID and properties)", async () => {
      await env.emulator.control.scriptVetting(CUSTOMERS.school, { status: "Denied", reason: "Not an Academic Domain", afterMs: 200 });
      const error = await lifecycleFor(env.emulator)
        .create({ customerId: CUSTOMERS.school, qualification: "Education", educationSegment: "K12", waitForVetting: QUICK_WAIT, __provider: "serialized" })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      assert.ok(error instanceof QualificationOutcomeError);
      assert.match(error.message, /Microsoft denied Education for customer 5d1c1a0e.*"Not an Academic Domain".*set resubmitDenied/);
      assert.equal(error.id, `${CUSTOMERS.school}/Education`);
      assert.equal(error.properties.vettingStatus, "Denied");
      assert.equal(error.properties.__provider, "serialized", "the engine needs the provider to act on the kept resource later");
    });

    it("running out of time fails the step, keeping the resource InReview", async () => {
      const error = await lifecycleFor(env.emulator)
        .create({
          customerId: CUSTOMERS.school,
          qualification: "Education",
          educationSegment: "K12",
          waitForVetting: { timeoutInMs: 1000, pollIntervalInMs: 200 },
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      assert.ok(error instanceof QualificationOutcomeError);
      assert.match(error.message, /still InReview after \d+ s of waiting.*the next `pulumi up` waits again/);
      assert.equal(error.properties.vettingStatus, "InReview");
      assert.equal((await posts()).length, 1);
    });

    it("an update with waitForVetting waits again without a POST", async () => {
      const lifecycle = lifecycleFor(env.emulator);
      const created = await lifecycle.create({ customerId: CUSTOMERS.school, qualification: "Education", educationSegment: "K12" });
      await env.emulator.control.scriptVetting(CUSTOMERS.school, { status: "Approved", afterMs: 200 });
      const updated = await lifecycle.update(created.id, created.outs, { ...created.outs, waitForVetting: QUICK_WAIT });
      assert.equal(updated.outs?.vettingStatus, "Approved");
      assert.equal((await posts()).length, 1);
    });
  });

  describe("re-submission after Denied", () => {
    it("is never done by itself: a Denied qualification is adopted with a warning", async () => {
      const log = recordingLog();
      const created = await lifecycleFor(env.emulator, log).create({
        customerId: CUSTOMERS.deniedEducation,
        qualification: "Education",
        educationSegment: "K12",
      });
      assert.equal(created.outs.vettingStatus, "Denied");
      assert.match(log.warnings.join("\n"), /adopted as Denied \(Not an Education Customer\); set resubmitDenied/);
      assert.equal((await posts()).length, 0);
    });

    it("is done once on create when resubmitDenied is given", async () => {
      const created = await lifecycleFor(env.emulator).create({
        customerId: CUSTOMERS.deniedEducation,
        qualification: "Education",
        educationSegment: "K12",
        resubmitDenied: "ticket-42",
      });
      assert.equal(created.outs.vettingStatus, "InReview");
      assert.equal(created.outs.resubmitDenied, "ticket-42");
      assert.equal((await posts()).length, 1);
    });

    it("is done once on update for a new label, and not again for the same label", async () => {
      const lifecycle = lifecycleFor(env.emulator);
      const adopted = await lifecycle.create({ customerId: CUSTOMERS.deniedEducation, qualification: "Education", educationSegment: "K12" });
      const news = { ...adopted.outs, resubmitDenied: "2026-11-28" };
      const diff = await lifecycle.diff(adopted.id, adopted.outs, news);
      assert.deepEqual([diff.changes, diff.replaces], [true, []]);
      const first = await lifecycle.update(adopted.id, adopted.outs, news);
      assert.equal(first.outs?.vettingStatus, "InReview");
      await lifecycle.update(adopted.id, first.outs ?? {}, news);
      assert.equal((await posts()).length, 1);
    });
  });

  it("a Denied GCC does not block Education on the same customer", async () => {
    await env.emulator.control.addCustomer({
      id: CUSTOMERS.utility,
      qualifications: [{ qualification: "GovernmentCommunityCloud", vettingStatus: "Denied", vettingReason: "No" }],
    });
    const created = await lifecycleFor(env.emulator).create({ customerId: CUSTOMERS.utility, qualification: "Education", educationSegment: "K12" });
    assert.equal(created.outs.vettingStatus, "InReview");
  });
});
