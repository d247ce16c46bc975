import { strict as assert } from "node:assert";
import { readQualifications, readServiceError, readValidationCodes } from "../../provider/client/wire-format";

describe("reading Partner Center bodies", () => {
  const shapes: ReadonlyArray<{ name: string; body: unknown; expected: unknown[] }> = [
    {
      name: "the 2023 POST answer, one object",
      body: { qualification: "Education", vettingStatus: "InReview", vettingCreateDate: "2020-12-04T20:54:24Z" },
      expected: [{ qualification: "Education", vettingStatus: "InReview", vettingCreateDate: "2020-12-04T20:54:24Z" }],
    },
    { name: "the Swagger wrapper", body: { qualifications: [{ qualification: "StateOwnedEntity" }] }, expected: [{ qualification: "StateOwnedEntity" }] },
    {
      name: "a bare array with vettingCreatedDate",
      body: [
        { qualification: "Education", vettingStatus: "Denied", vettingReason: "Not an Education Customer", vettingCreatedDate: "2020-12-03T10:37:38.885Z" },
      ],
      expected: [
        { qualification: "Education", vettingStatus: "Denied", vettingReason: "Not an Education Customer", vettingCreateDate: "2020-12-03T10:37:38.885Z" },
      ],
    },
    {
      name: "PascalCase property names and lower-case values",
      body: [{ Qualification: "governmentcommunitycloud", VettingStatus: "approved" }],
      expected: [{ qualification: "GovernmentCommunityCloud", vettingStatus: "Approved" }],
    },
    { name: "an empty list", body: [], expected: [] },
    { name: "a None entry", body: [{ qualification: "None" }], expected: [] },
    { name: "an empty body", body: undefined, expected: [] },
    {
      name: "an unknown qualification, kept as sent",
      body: [{ qualification: "FutureThing", vettingStatus: "Pending" }],
      expected: [{ qualification: "FutureThing", vettingStatus: "Pending" }],
    },
  ];
  for (const s of shapes) {
    it(`reads ${s.name}`, () => {
      assert.deepEqual(readQualifications(s.body), s.expected);
    });
  }

  it("reads validation codes with a numeric validationId as strings", () => {
    const codes = readValidationCodes([
      { partnerId: "p", organizationName: "Contoso Gov", validationId: 123456, maxCreates: 5, remainingCreates: 4, eTag: "e" },
      { organizationName: "No id" },
    ]);
    assert.deepEqual(codes, [{ partnerId: "p", organizationName: "Contoso Gov", validationId: "123456", maxCreates: 5, remainingCreates: 4, eTag: "e" }]);
  });

  const errors: ReadonlyArray<{ name: string; body: unknown; expected: unknown }> = [
    {
      name: "the PartnerFD shape with a numeric code",
      body: { code: 600074, description: "Bad thing", data: [], source: "PartnerFD" },
      expected: { code: "600074", description: "Bad thing" },
    },
    {
      name: "the customer-service shape",
      body: { code: "600074", message: "msg", description: "desc", errorName: "AccountStatusNotFound", isRetryable: false },
      expected: { code: "600074", description: "desc" },
    },
    {
      name: "the 429 shape",
      body: { statusCode: 429, message: "Rate limit is exceeded. Try again in 57 seconds." },
      expected: { description: "Rate limit is exceeded. Try again in 57 seconds." },
    },
    { name: "a JSON string", body: '{"code":3000,"description":"Invalid property"}', expected: { code: "3000", description: "Invalid property" } },
    { name: "plain text", body: "Service Unavailable", expected: { description: "Service Unavailable" } },
    { name: "nothing", body: "", expected: {} },
  ];
  for (const e of errors) {
    it(`reads the error body of ${e.name}`, () => {
      assert.deepEqual(readServiceError(e.body), e.expected);
    });
  }
});
