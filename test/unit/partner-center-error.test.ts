import { strict as assert } from "node:assert";
import { PartnerCenterError } from "../../provider/client";

const IDS = { requestId: "11111111-1111-4111-8111-111111111111", correlationId: "22222222-2222-4222-8222-222222222222" };
const CUSTOMER = "7b0e2b14-3c2f-4d6e-9a51-2f1c8d0e4a77";

describe("PartnerCenterError messages", () => {
  const cases: ReadonlyArray<{ name: string; details: ConstructorParameters<typeof PartnerCenterError>[0]; says: RegExp[] }> = [
    {
      name: "a 404 for an unknown customer",
      details: { ...IDS, kind: "http", operation: "read qualifications", customerId: CUSTOMER, statusCode: 404, serviceCode: "60003", description: "Tenant not found", retryable: false, attempts: 1 },
      says: [/^Partner Center read qualifications for customer 7b0e2b14-3c2f-4d6e-9a51-2f1c8d0e4a77 failed: HTTP 404 \(code 60003\): Tenant not found/, /request id 1111/, /correlation id 2222/, /customerId is a customer of this partner/],
    },
    {
      name: "a 401 without MFA",
      details: { ...IDS, kind: "http", operation: "create Education qualification", customerId: CUSTOMER, statusCode: 401, serviceCode: "900421", retryable: false, attempts: 1 },
      says: [/HTTP 401 \(code 900421\)/, /multi-factor/],
    },
    {
      name: "a 403 without a relationship",
      details: { ...IDS, kind: "http", operation: "create Education qualification", customerId: CUSTOMER, statusCode: 403, serviceCode: "20002", retryable: false, attempts: 1 },
      says: [/no relationship with this customer/],
    },
    {
      name: "throttling after retries",
      details: { ...IDS, kind: "http", operation: "read qualifications", statusCode: 429, description: "Rate limit is exceeded.\nTry again in 57 seconds.", retryable: true, attempts: 5, retryStopReason: "maxRetries is 4" },
      says: [/after 5 attempts \(maxRetries is 4\)/, /Rate limit is exceeded\. Try again/, /throttling/],
    },
    {
      name: "a dropped connection",
      details: { ...IDS, kind: "network", operation: "create StateOwnedEntity qualification", customerId: CUSTOMER, networkCode: "ECONNRESET", retryable: true, attempts: 3 },
      says: [/no response \(ECONNRESET\) after 3 attempts/, /nothing is created twice/],
    },
  ];
  for (const c of cases) {
    it(`writes ${c.name} as one line with the ids and a next step`, () => {
      const error = new PartnerCenterError(c.details);
      assert.ok(!error.message.includes("\n"), "one line");
      for (const pattern of c.says) assert.match(error.message, pattern);
      assert.equal(error.statusCode, c.details.statusCode);
      assert.equal(error.retryable, c.details.retryable);
    });
  }

  it("shortens a long service description", () => {
    const error = new PartnerCenterError({ ...IDS, kind: "http", operation: "x", statusCode: 400, description: "y".repeat(2000), retryable: false, attempts: 1 });
    assert.ok(error.message.length < 700, `message length ${error.message.length}`);
  });
});
