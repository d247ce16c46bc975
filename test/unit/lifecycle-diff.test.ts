import { strict as assert } from "node:assert";
import { PREVIEW_UNKNOWN, QualificationLifecycle } from "../../provider/lifecycle";

const CUSTOMER = "7b0e2b14-3c2f-4d6e-9a51-2f1c8d0e4a77";
const OTHER = "0c9d3a1e-5b7f-4e2a-8c6d-1f0e9b8a7c65";

// diff is pure: it never asks for the API, which throws here to prove it.
const lifecycle = new QualificationLifecycle({
  api: () => {
    throw new Error("diff must not call Partner Center");
  },
  log: { warn: async () => undefined, notice: async () => undefined, info: async () => undefined, progress: () => undefined },
});

const stored = {
  customerId: CUSTOMER,
  qualification: "Education",
  educationSegment: "K12",
  website: "contoso.edu",
  vettingStatus: "InReview",
  vettingCreateDate: "2026-11-28T10:00:00Z",
  __provider: "exports.handler = ...",
};

describe("CustomerQualification diff", () => {
  const cases: ReadonlyArray<{ name: string; news: Record<string, unknown>; changes: boolean; replaces: string[]; olds?: Record<string, unknown> }> = [
    {
      name: "the same inputs",
      news: { customerId: CUSTOMER, qualification: "Education", educationSegment: "K12", website: "contoso.edu" },
      changes: false,
      replaces: [],
    },
    {
      name: "the same inputs in other letter cases",
      news: { customerId: CUSTOMER.toUpperCase(), qualification: "education", educationSegment: "k12", website: "contoso.edu" },
      changes: false,
      replaces: [],
    },
    {
      name: "a new provider text only",
      news: { customerId: CUSTOMER, qualification: "Education", educationSegment: "K12", website: "contoso.edu", __provider: "other" },
      changes: false,
      replaces: [],
    },
    {
      name: "another customer",
      news: { customerId: OTHER, qualification: "Education", educationSegment: "K12", website: "contoso.edu" },
      changes: true,
      replaces: ["customerId"],
    },
    {
      name: "another qualification",
      news: { customerId: CUSTOMER, qualification: "StateOwnedEntity" },
      changes: true,
      replaces: ["qualification", "educationSegment", "website"],
    },
    {
      name: "another segment",
      news: { customerId: CUSTOMER, qualification: "Education", educationSegment: "HigherEducation", website: "contoso.edu" },
      changes: true,
      replaces: ["educationSegment"],
    },
    { name: "a website removed", news: { customerId: CUSTOMER, qualification: "Education", educationSegment: "K12" }, changes: true, replaces: ["website"] },
    {
      name: "an unknown customer during preview",
      news: { customerId: PREVIEW_UNKNOWN, qualification: "Education", educationSegment: "K12", website: "contoso.edu" },
      changes: true,
      replaces: ["customerId"],
    },
    {
      name: "a segment and website given for an imported Education (Partner Center never reported them)",
      olds: { customerId: CUSTOMER, qualification: "Education", vettingStatus: "Approved" },
      news: { customerId: CUSTOMER, qualification: "Education", educationSegment: "K12", website: "contoso.edu" },
      changes: false,
      replaces: [],
    },
    {
      name: "only a new validation code",
      olds: { customerId: CUSTOMER, qualification: "GovernmentCommunityCloud", validationCode: "111" },
      news: { customerId: CUSTOMER, qualification: "GovernmentCommunityCloud", validationCode: "222" },
      changes: true,
      replaces: [],
    },
  ];
  for (const c of cases) {
    it(`${c.changes ? (c.replaces.length > 0 ? "replaces on" : "updates in place on") : "reports no change for"} ${c.name}`, async () => {
      const result = await lifecycle.diff("id", c.olds ?? stored, c.news);
      assert.equal(result.changes, c.changes, "changes is always set explicitly");
      assert.deepEqual(result.replaces, c.replaces);
    });
  }
});
