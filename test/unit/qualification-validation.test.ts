import { strict as assert } from "node:assert";
import { PREVIEW_UNKNOWN } from "../../provider/lifecycle";
import { validateQualificationInputs } from "../../provider/qualification";
import { BAD_INPUTS, CUSTOMER } from "../fixtures/bad-inputs";

describe("qualification input rules", () => {
  for (const c of BAD_INPUTS) {
    it(`refuses ${c.name}, naming ${c.property}`, () => {
      const { failures } = validateQualificationInputs(c.inputs);
      const failure = failures.find((f) => f.property === c.property);
      assert.ok(failure, `expected a failure for ${c.property}, got ${JSON.stringify(failures)}`);
      assert.match(failure.reason, c.says);
      assert.ok(failure.reason.includes(c.property), "the message names the field");
    });
  }

  it("lets GCC leave the validation code to the provider, unless a request to the API is being checked", () => {
    const inputs = { customerId: CUSTOMER, qualification: "GovernmentCommunityCloud" };
    assert.deepEqual(validateQualificationInputs(inputs).failures, []);
    const { failures } = validateQualificationInputs(inputs, { requireValidationCode: true });
    assert.equal(failures[0]?.property, "validationCode");
    assert.match(failures[0]?.reason ?? "", /validationCode is required for GovernmentCommunityCloud/);
  });

  it("accepts waitForVetting as true, false or limits, dropping false", () => {
    const base = { customerId: CUSTOMER, qualification: "Education", educationSegment: "K12" };
    assert.equal(validateQualificationInputs({ ...base, waitForVetting: true }).inputs.waitForVetting, true);
    assert.ok(!("waitForVetting" in validateQualificationInputs({ ...base, waitForVetting: false }).inputs));
    assert.deepEqual(validateQualificationInputs({ ...base, waitForVetting: { timeoutInMs: 60000 } }).inputs.waitForVetting, { timeoutInMs: 60000 });
    assert.deepEqual(validateQualificationInputs({ customerId: CUSTOMER, qualification: "StateOwnedEntity", waitForVetting: false }).failures, []);
  });

  it("adoptOnly: needs no segment or code for any kind, keeps true, drops false, and the client still requires them", () => {
    const kinds = [
      { qualification: "Education", creating: "educationSegment" },
      { qualification: "GovernmentCommunityCloud", creating: "validationCode" },
      { qualification: "StateOwnedEntity", creating: undefined },
    ] as const;
    for (const { qualification, creating } of kinds) {
      const adopting = validateQualificationInputs({ customerId: CUSTOMER, qualification, adoptOnly: true }, { requireValidationCode: true });
      assert.deepEqual(adopting.failures, [], qualification);
      assert.deepEqual(adopting.inputs, { customerId: CUSTOMER, qualification, adoptOnly: true });
      const notAdopting = validateQualificationInputs({ customerId: CUSTOMER, qualification, adoptOnly: false }, { requireValidationCode: true });
      assert.deepEqual(
        notAdopting.failures.map((f) => f.property),
        creating === undefined ? [] : [creating],
        qualification,
      );
      assert.ok(!("adoptOnly" in notAdopting.inputs), "false is not kept");
    }
    const unknown = validateQualificationInputs(
      { customerId: CUSTOMER, qualification: "Education", adoptOnly: PREVIEW_UNKNOWN },
      { unknownValue: PREVIEW_UNKNOWN },
    );
    assert.deepEqual(unknown.failures, [], "an unknown adoptOnly holds back the segment rule until up");
  });

  it("never quotes a validation code back, even a malformed one", () => {
    const secret = "s3cret code with spaces";
    const { failures } = validateQualificationInputs({ customerId: CUSTOMER, qualification: "GovernmentCommunityCloud", validationCode: secret });
    assert.equal(failures.length, 1);
    assert.ok(!failures[0]!.reason.includes("s3cret"));
  });

  const GOOD: ReadonlyArray<{ name: string; inputs: Record<string, unknown>; normalised: Record<string, unknown> }> = [
    {
      name: "lower-case names and an upper-case GUID",
      inputs: { customerId: CUSTOMER.toUpperCase(), qualification: "education", educationSegment: "k12", website: " contoso.edu " },
      normalised: { customerId: CUSTOMER, qualification: "Education", educationSegment: "K12", website: "contoso.edu" },
    },
    {
      name: "GCC with a numeric validation code",
      inputs: { customerId: CUSTOMER, qualification: "GOVERNMENTCOMMUNITYCLOUD", validationCode: 12345 },
      normalised: { customerId: CUSTOMER, qualification: "GovernmentCommunityCloud", validationCode: "12345" },
    },
    {
      name: "StateOwnedEntity alone",
      inputs: { customerId: CUSTOMER, qualification: "stateownedentity" },
      normalised: { customerId: CUSTOMER, qualification: "StateOwnedEntity" },
    },
    {
      name: "Education with an https website",
      inputs: { customerId: CUSTOMER, qualification: "Education", educationSegment: "HigherEducation", website: "https://www.contoso.edu/admissions" },
      normalised: { customerId: CUSTOMER, qualification: "Education", educationSegment: "HigherEducation", website: "https://www.contoso.edu/admissions" },
    },
  ];
  for (const c of GOOD) {
    it(`accepts and normalises ${c.name}`, () => {
      const { inputs, failures } = validateQualificationInputs(c.inputs);
      assert.deepEqual(failures, []);
      assert.deepEqual(inputs, c.normalised);
    });
  }

  it("lets unknown preview values through and holds back the rules that depend on them", () => {
    const { failures } = validateQualificationInputs(
      { customerId: PREVIEW_UNKNOWN, qualification: PREVIEW_UNKNOWN, educationSegment: "K12" },
      { unknownValue: PREVIEW_UNKNOWN },
    );
    assert.deepEqual(failures, []);
  });

  it("still judges the known fields when others are unknown", () => {
    const { failures } = validateQualificationInputs({ customerId: "nope", qualification: PREVIEW_UNKNOWN }, { unknownValue: PREVIEW_UNKNOWN });
    assert.deepEqual(
      failures.map((f) => f.property),
      ["customerId"],
    );
  });

  it("reports every bad field at once, not only the first", () => {
    const { failures } = validateQualificationInputs({ customerId: "x", qualification: "None", website: "" });
    assert.deepEqual(failures.map((f) => f.property).sort(), ["customerId", "qualification", "website"]);
  });
});
