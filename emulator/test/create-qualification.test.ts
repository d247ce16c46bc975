import assert from "node:assert/strict";
import {
  DENIED_CUSTOMER,
  EDUCATION_CUSTOMER,
  EMPTY_CUSTOMER,
  EXHAUSTED_GCC_CODE,
  GCC_CODE,
  GCC_CUSTOMER,
  ISO_UTC,
  TEST_SEED,
  UNKNOWN_CUSTOMER,
  descriptionOf,
  postQualification,
  storedQualifications,
  useEmulator,
} from "./emulator-harness";

const EDUCATION_K12 = { qualification: "Education", educationSegment: "K12" };

function seededQualifications(customerId: string): unknown[] {
  return TEST_SEED.customers?.find((customer) => customer.id === customerId)?.qualifications ?? [];
}

describe("emulator: POST /v1/customers/{id}/qualifications", () => {
  const env = useEmulator();

  describe("successful creates", () => {
    it("stores Education as InReview with a UTC creation date and answers 201 with the object", async () => {
      const response = await postQualification(env.emulator, EMPTY_CUSTOMER, { ...EDUCATION_K12, website: "fabrikam.edu" });

      assert.equal(response.status, 201);
      const created = response.body as Record<string, unknown>;
      assert.deepEqual(Object.keys(created).sort(), ["qualification", "vettingCreateDate", "vettingStatus"]);
      assert.equal(created.qualification, "Education");
      assert.equal(created.vettingStatus, "InReview");
      assert.match(String(created.vettingCreateDate), ISO_UTC);
      assert.deepEqual(await storedQualifications(env.emulator, EMPTY_CUSTOMER), [created]);
    });

    it("stores StateOwnedEntity without vetting fields", async () => {
      const response = await postQualification(env.emulator, EMPTY_CUSTOMER, { qualification: "StateOwnedEntity" });

      assert.equal(response.status, 201);
      assert.deepEqual(response.body, { qualification: "StateOwnedEntity" });
      assert.deepEqual(await storedQualifications(env.emulator, EMPTY_CUSTOMER), [{ qualification: "StateOwnedEntity" }]);
    });

    it("allows StateOwnedEntity next to Education", async () => {
      const response = await postQualification(env.emulator, EDUCATION_CUSTOMER, { qualification: "StateOwnedEntity" });

      assert.equal(response.status, 201);
      assert.equal((await storedQualifications(env.emulator, EDUCATION_CUSTOMER)).length, 2);
    });

    const spellings: { name: string; body: unknown; stored: string }[] = [
      { name: "PascalCase property names (the 2021 contract)", body: { Qualification: "StateOwnedEntity" }, stored: "StateOwnedEntity" },
      {
        name: "upper-case property names and lower-case values",
        body: { QUALIFICATION: "education", EDUCATIONSEGMENT: "highereducation" },
        stored: "Education",
      },
      { name: "a lower-case qualification name", body: { qualification: "stateownedentity" }, stored: "StateOwnedEntity" },
      {
        name: "mixed-case GCC with the code in the body",
        body: { qualification: "GOVERNMENTCOMMUNITYCLOUD", ValidationCode: GCC_CODE },
        stored: "GovernmentCommunityCloud",
      },
    ];
    for (const spelling of spellings) {
      it(`matches ${spelling.name} case-insensitively and stores the canonical name`, async () => {
        const response = await postQualification(env.emulator, EMPTY_CUSTOMER, spelling.body);

        assert.equal(response.status, 201, JSON.stringify(response.body));
        const stored = (await storedQualifications(env.emulator, EMPTY_CUSTOMER)) as { qualification: string }[];
        assert.deepEqual(
          stored.map((q) => q.qualification),
          [spelling.stored],
        );
      });
    }
  });

  describe("refused bodies and rule violations (400), which change nothing", () => {
    const cases: { name: string; customer?: string; body: unknown; query?: string; code: number; description: RegExp }[] = [
      { name: "a body that is not JSON", body: '{"qualification":', code: 3000, description: /not valid JSON/ },
      { name: "a JSON array body", body: '["Education"]', code: 3000, description: /JSON object/ },
      { name: "no qualification property", body: { educationSegment: "K12" }, code: 3000, description: /'qualification' property is required/ },
      { name: "an empty qualification", body: { qualification: "" }, code: 3000, description: /'qualification' property is required/ },
      { name: "an unknown qualification", body: { qualification: "Healthcare" }, code: 900126, description: /Unable to parse 'Healthcare' as a qualification/ },
      { name: "a numeric qualification", body: { qualification: 1 }, code: 900126, description: /Unable to parse 1 as a qualification/ },
      { name: "None", body: { qualification: "None" }, code: 3000, description: /'None' cannot be set/ },
      { name: "nonprofit, in any case", body: { qualification: "nonprofit" }, code: 3000, description: /'Nonprofit' cannot be set/ },
      { name: "Education without educationSegment", body: { qualification: "Education" }, code: 3000, description: /requires 'educationSegment'/ },
      {
        name: "Education with an unknown segment",
        body: { qualification: "Education", educationSegment: "College" },
        code: 900126,
        description: /"College" as an educationSegment/,
      },
      { name: "Education with an empty website", body: { ...EDUCATION_K12, website: "" }, code: 3000, description: /'website' must be a non-empty string/ },
      {
        name: "educationSegment on StateOwnedEntity",
        body: { qualification: "StateOwnedEntity", educationSegment: "K12" },
        code: 3000,
        description: /'educationSegment' is only valid for the Education qualification/,
      },
      {
        name: "website on GovernmentCommunityCloud",
        body: { qualification: "GovernmentCommunityCloud", validationCode: GCC_CODE, website: "woodgrove.gov" },
        code: 3000,
        description: /'website' is only valid for the Education qualification/,
      },
      {
        name: "GovernmentCommunityCloud without a validation code",
        body: { qualification: "GovernmentCommunityCloud" },
        code: 3000,
        description: /requires a validation code/,
      },
      {
        name: "body and query validation codes that disagree",
        body: { qualification: "GovernmentCommunityCloud", validationCode: GCC_CODE },
        query: "?code=999999",
        code: 3000,
        description: /disagree/,
      },
      {
        name: "an unknown validation code",
        body: { qualification: "GovernmentCommunityCloud", validationCode: "424242" },
        code: 3000,
        description: /'424242' is not a known GovernmentCommunityCloud validation code/,
      },
      {
        name: "a validation code with no creates left",
        body: { qualification: "GovernmentCommunityCloud" },
        query: `?code=${EXHAUSTED_GCC_CODE}`,
        code: 3000,
        description: /no remaining creates/,
      },
      {
        name: "a validation code on Education",
        body: EDUCATION_K12,
        query: `?code=${GCC_CODE}`,
        code: 3000,
        description: /only valid for GovernmentCommunityCloud/,
      },
      {
        name: "the same property twice in different case",
        body: '{"qualification":"Education","Qualification":"StateOwnedEntity"}',
        code: 3000,
        description: /given more than once/,
      },
      {
        name: "Education on a customer holding GovernmentCommunityCloud",
        customer: GCC_CUSTOMER,
        body: EDUCATION_K12,
        code: 3000,
        description: /already holds GovernmentCommunityCloud; Education and GovernmentCommunityCloud cannot be combined/,
      },
      {
        name: "GovernmentCommunityCloud on a customer holding Education",
        customer: EDUCATION_CUSTOMER,
        body: { qualification: "GovernmentCommunityCloud", validationCode: GCC_CODE },
        code: 3000,
        description: /already holds Education; Education and GovernmentCommunityCloud cannot be combined/,
      },
    ];

    for (const refused of cases) {
      it(`refuses ${refused.name}`, async () => {
        const customer = refused.customer ?? EMPTY_CUSTOMER;
        const codesBefore = await env.emulator.control.validationCodes();

        const response = await postQualification(env.emulator, customer, refused.body, refused.query === undefined ? {} : { query: refused.query });

        assert.equal(response.status, 400, JSON.stringify(response.body));
        assert.equal((response.body as { code: unknown }).code, refused.code);
        assert.match(descriptionOf(response.body), refused.description);
        assert.deepEqual(response.body, { code: refused.code, description: descriptionOf(response.body), data: [], source: "PartnerFD" });
        assert.deepEqual(await storedQualifications(env.emulator, customer), seededQualifications(customer));
        assert.deepEqual(await env.emulator.control.validationCodes(), codesBefore);
      });
    }
  });

  describe("the order of the checks", () => {
    const cases: { name: string; customer: string; body: unknown; token?: string; status: number; code: number }[] = [
      { name: "a bad token before an unknown customer", customer: UNKNOWN_CUSTOMER, body: "not json", token: "wrong-token", status: 401, code: 401 },
      { name: "a malformed customer id before a bad body", customer: "not-a-guid", body: "not json", status: 400, code: 900118 },
      { name: "an unknown customer before a bad body", customer: UNKNOWN_CUSTOMER, body: "not json", status: 404, code: 60003 },
    ];
    for (const ordering of cases) {
      it(`checks ${ordering.name}`, async () => {
        const response = await postQualification(env.emulator, ordering.customer, ordering.body, ordering.token === undefined ? {} : { token: ordering.token });

        assert.equal(response.status, ordering.status);
        assert.equal((response.body as { code: unknown }).code, ordering.code);
      });
    }

    it("names the website, not the validation code, when both are wrong", async () => {
      const response = await postQualification(env.emulator, EMPTY_CUSTOMER, {
        qualification: "GovernmentCommunityCloud",
        validationCode: "424242",
        website: "x.gov",
      });

      assert.match(descriptionOf(response.body), /'website'/);
    });

    it("names the unknown validation code, not the combination, when both are wrong", async () => {
      const response = await postQualification(env.emulator, EDUCATION_CUSTOMER, { qualification: "GovernmentCommunityCloud", validationCode: "424242" });

      assert.match(descriptionOf(response.body), /'424242'/);
    });

    it("answers the combination conflict (400), not the duplicate (409), when a customer somehow holds both", async () => {
      const drifted = "5b6c7d8e-0000-4000-8000-0000000000cc";
      await env.emulator.control.addCustomer({
        id: drifted,
        qualifications: [
          { qualification: "Education", vettingStatus: "Approved" },
          { qualification: "GovernmentCommunityCloud", vettingStatus: "Approved" },
        ],
      });

      const response = await postQualification(env.emulator, drifted, EDUCATION_K12);

      assert.equal(response.status, 400);
      assert.match(descriptionOf(response.body), /cannot be combined/);
    });
  });

  describe("authentication", () => {
    const cases: { name: string; token: string | null; description: RegExp }[] = [
      { name: "no Authorization header", token: null, description: /no Authorization header/ },
      { name: "an unknown bearer token", token: "not-the-development-token", description: /invalid or expired/ },
    ];
    for (const rejected of cases) {
      it(`answers 401 to ${rejected.name} and stores nothing`, async () => {
        const response = await postQualification(env.emulator, EMPTY_CUSTOMER, EDUCATION_K12, { token: rejected.token });

        assert.equal(response.status, 401);
        assert.equal((response.body as { code: unknown }).code, 401);
        assert.match(descriptionOf(response.body), rejected.description);
        assert.match(response.headers.get("www-authenticate") ?? "", /^Bearer/);
        assert.deepEqual(await storedQualifications(env.emulator, EMPTY_CUSTOMER), []);
      });
    }
  });

  describe("customers", () => {
    it("answers 404 with code 60003 for an unknown customer", async () => {
      const response = await postQualification(env.emulator, UNKNOWN_CUSTOMER, EDUCATION_K12);

      assert.equal(response.status, 404);
      assert.deepEqual(response.body, { code: 60003, description: descriptionOf(response.body), data: [], source: "PartnerFD" });
      assert.match(descriptionOf(response.body), new RegExp(UNKNOWN_CUSTOMER));
    });

    it("answers 400 with code 900118 for a malformed customer id", async () => {
      const response = await postQualification(env.emulator, "12345", EDUCATION_K12);

      assert.equal(response.status, 400);
      assert.equal((response.body as { code: unknown }).code, 900118);
      assert.match(descriptionOf(response.body), /'12345' is not a valid tenant id/);
    });

    it("finds a customer whatever the case of its id", async () => {
      const response = await postQualification(env.emulator, EMPTY_CUSTOMER.toUpperCase(), { qualification: "StateOwnedEntity" });

      assert.equal(response.status, 201);
    });
  });

  describe("duplicates and re-verification", () => {
    const duplicates: { name: string; customer: string; body: unknown; existing: RegExp }[] = [
      { name: "an Approved Education", customer: EDUCATION_CUSTOMER, body: EDUCATION_K12, existing: /vettingStatus Approved/ },
      { name: "a StateOwnedEntity", customer: GCC_CUSTOMER, body: { qualification: "StateOwnedEntity" }, existing: /not vetted/ },
      {
        name: "an Approved GovernmentCommunityCloud",
        customer: GCC_CUSTOMER,
        body: { qualification: "GovernmentCommunityCloud", validationCode: GCC_CODE },
        existing: /vettingStatus Approved/,
      },
    ];
    for (const duplicate of duplicates) {
      it(`answers 409 "already exists" for ${duplicate.name} and consumes no validation code`, async () => {
        const response = await postQualification(env.emulator, duplicate.customer, duplicate.body);

        assert.equal(response.status, 409);
        assert.match(descriptionOf(response.body), /already exists/);
        assert.match(descriptionOf(response.body), duplicate.existing);
        assert.deepEqual(await storedQualifications(env.emulator, duplicate.customer), seededQualifications(duplicate.customer));
        const code = (await env.emulator.control.validationCodes()).find((record) => record.validationId === GCC_CODE);
        assert.equal(code?.remainingCreates, 2);
      });
    }

    it("answers 409 to a second create while the first is InReview", async () => {
      const first = await postQualification(env.emulator, EMPTY_CUSTOMER, EDUCATION_K12);
      const second = await postQualification(env.emulator, EMPTY_CUSTOMER, EDUCATION_K12);

      assert.equal(first.status, 201);
      assert.equal(second.status, 409);
      assert.match(descriptionOf(second.body), /vettingStatus InReview/);
      assert.equal((await storedQualifications(env.emulator, EMPTY_CUSTOMER)).length, 1);
    });

    it("replaces a Denied qualification with a fresh InReview one", async () => {
      const response = await postQualification(env.emulator, DENIED_CUSTOMER, { ...EDUCATION_K12, educationSegment: "HigherEducation" });

      assert.equal(response.status, 201);
      const stored = (await storedQualifications(env.emulator, DENIED_CUSTOMER)) as Record<string, unknown>[];
      assert.equal(stored.length, 1);
      assert.equal(stored[0]?.vettingStatus, "InReview");
      assert.equal(stored[0]?.vettingReason, undefined);
      assert.notEqual(stored[0]?.vettingCreateDate, "2024-03-04T05:06:07.000Z");
    });

    it("lets a customer whose GovernmentCommunityCloud was Denied apply for Education", async () => {
      await env.emulator.control.setVetting(GCC_CUSTOMER, "GovernmentCommunityCloud", { status: "Denied", reason: "Not a government entity" });

      const response = await postQualification(env.emulator, GCC_CUSTOMER, EDUCATION_K12);

      assert.equal(response.status, 201);
    });
  });

  describe("GovernmentCommunityCloud validation codes", () => {
    const readings: { name: string; body: unknown; query?: string }[] = [
      { name: "in the body (2023 contract)", body: { qualification: "GovernmentCommunityCloud", validationCode: GCC_CODE } },
      { name: "only in the query (2021 contract)", body: { Qualification: "GovernmentCommunityCloud" }, query: `?code=${GCC_CODE}` },
      { name: "in both, agreeing", body: { qualification: "GovernmentCommunityCloud", validationCode: GCC_CODE }, query: `?code=${GCC_CODE}` },
      { name: "as a number in the body", body: { qualification: "GovernmentCommunityCloud", validationCode: Number(GCC_CODE) } },
    ];
    for (const reading of readings) {
      it(`accepts the code ${reading.name} and stores GCC InReview`, async () => {
        const response = await postQualification(env.emulator, EMPTY_CUSTOMER, reading.body, reading.query === undefined ? {} : { query: reading.query });

        assert.equal(response.status, 201, JSON.stringify(response.body));
        assert.equal((response.body as Record<string, unknown>).qualification, "GovernmentCommunityCloud");
        assert.equal((response.body as Record<string, unknown>).vettingStatus, "InReview");
      });
    }

    it("decrements remainingCreates and changes the eTag on each use, then refuses the exhausted code", async () => {
      const second = "4a5b6c7d-0000-4000-8000-0000000000aa";
      await env.emulator.control.addCustomer({ id: second });
      const gcc = { qualification: "GovernmentCommunityCloud", validationCode: GCC_CODE };

      assert.equal((await postQualification(env.emulator, EMPTY_CUSTOMER, gcc)).status, 201);
      const afterOne = (await env.emulator.control.validationCodes()).find((code) => code.validationId === GCC_CODE);
      assert.equal(afterOne?.remainingCreates, 1);
      assert.equal(afterOne?.maxCreates, 5);
      assert.notEqual(afterOne?.eTag, "etag-1");

      assert.equal((await postQualification(env.emulator, second, gcc)).status, 201);
      const afterTwo = (await env.emulator.control.validationCodes()).find((code) => code.validationId === GCC_CODE);
      assert.equal(afterTwo?.remainingCreates, 0);
      assert.notEqual(afterTwo?.eTag, afterOne?.eTag);

      const third = "4a5b6c7d-0000-4000-8000-0000000000bb";
      await env.emulator.control.addCustomer({ id: third });
      const refused = await postQualification(env.emulator, third, gcc);
      assert.equal(refused.status, 400);
      assert.match(descriptionOf(refused.body), /no remaining creates/);
      assert.deepEqual(await storedQualifications(env.emulator, third), []);
    });
  });
});
