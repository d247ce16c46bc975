import { strict as assert } from "node:assert";
import { chooseValidationCode, maskedValidationId } from "../../provider/lifecycle";
import { InputValidationError } from "../../provider/qualification";
import type { ValidationCode } from "../../provider/client";

const code = (organizationName: string, validationId: string, remainingCreates?: number): ValidationCode => ({
  organizationName,
  validationId,
  ...(remainingCreates !== undefined ? { remainingCreates } : {}),
});
const WOODGROVE = code("Woodgrove County", "WG-100001", 3);
const LITWARE = code("Litware City", "LW-200002", 1);
const SPENT = code("Fabrikam State", "FB-300003", 0);

function refusal(codes: ValidationCode[], wish: Parameters<typeof chooseValidationCode>[1]): { property: string; reason: string } {
  try {
    chooseValidationCode(codes, wish, "test");
  } catch (error) {
    assert.ok(error instanceof InputValidationError);
    return error.failures[0]!;
  }
  return assert.fail("expected a refusal");
}

describe("choosing a GCC validation code", () => {
  const chosen: ReadonlyArray<{ name: string; codes: ValidationCode[]; wish: Parameters<typeof chooseValidationCode>[1]; expected: ValidationCode }> = [
    { name: "the code given", codes: [WOODGROVE, LITWARE], wish: { validationCode: "LW-200002" }, expected: LITWARE },
    {
      name: "the organization's only code, any letter case",
      codes: [WOODGROVE, LITWARE],
      wish: { validationOrganization: "woodgrove county" },
      expected: WOODGROVE,
    },
    { name: "the only code with creates left", codes: [WOODGROVE, SPENT], wish: {}, expected: WOODGROVE },
    { name: "a code whose count the service left out", codes: [code("Anon", "AN-1")], wish: {}, expected: code("Anon", "AN-1") },
  ];
  for (const c of chosen) {
    it(`picks ${c.name}`, () => {
      assert.deepEqual(chooseValidationCode(c.codes, c.wish, "test"), c.expected);
    });
  }

  const refused: ReadonlyArray<{ name: string; codes: ValidationCode[]; wish: Parameters<typeof chooseValidationCode>[1]; property: string; says: RegExp }> = [
    {
      name: "ambiguity, naming each candidate by organization",
      codes: [WOODGROVE, LITWARE, SPENT],
      wish: {},
      property: "validationCode",
      says: /2 GCC validation codes have creates left; choose one with validationOrganization or validationCode: Woodgrove County \(validationId \.\.\.0001, 3 creates left\); Litware City \(validationId \.\.\.0002, 1 creates left\)$/,
    },
    { name: "no code with creates left", codes: [SPENT], wish: {}, property: "validationCode", says: /no GCC validation code has creates left/ },
    { name: "a partner without codes", codes: [], wish: {}, property: "validationCode", says: /the partner has none/ },
    {
      name: "a given code with no creates left",
      codes: [WOODGROVE, SPENT],
      wish: { validationCode: "FB-300003" },
      property: "validationCode",
      says: /\.\.\.0003 of Fabrikam State has no creates left/,
    },
    {
      name: "a given code the partner does not have",
      codes: [WOODGROVE],
      wish: { validationCode: "XX-999999" },
      property: "validationCode",
      says: /not one of the partner's GCC validation codes/,
    },
    {
      name: "an unknown organization",
      codes: [WOODGROVE],
      wish: { validationOrganization: "Nowhere" },
      property: "validationOrganization",
      says: /no GCC validation code belongs to "Nowhere"; candidates: Woodgrove County/,
    },
    {
      name: "an organization whose codes are spent",
      codes: [SPENT],
      wish: { validationOrganization: "Fabrikam State" },
      property: "validationOrganization",
      says: /have no creates left/,
    },
    {
      name: "an organization with two usable codes",
      codes: [WOODGROVE, code("Woodgrove County", "WG-100009", 2)],
      wish: { validationOrganization: "Woodgrove County" },
      property: "validationOrganization",
      says: /2 GCC validation codes of "Woodgrove County" have creates left/,
    },
  ];
  for (const c of refused) {
    it(`refuses ${c.name}`, () => {
      const failure = refusal(c.codes, c.wish);
      assert.equal(failure.property, c.property);
      assert.match(failure.reason, c.says);
    });
  }

  it("never shows a whole validation code in a refusal", () => {
    const reason = refusal([WOODGROVE, LITWARE, SPENT], {}).reason + refusal([WOODGROVE], { validationCode: "XX-999999" }).reason;
    for (const c of [WOODGROVE, LITWARE, SPENT]) assert.ok(!reason.includes(c.validationId), `${c.validationId} is not shown`);
    assert.ok(!reason.includes("XX-999999"));
    assert.equal(maskedValidationId("ab"), "****");
  });
});
