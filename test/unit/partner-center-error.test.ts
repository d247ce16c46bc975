import { strict as assert } from "node:assert";
import { PartnerCenterError } from "../../provider/client";

const IDS = { requestId: "11111111-1111-4111-8111-111111111111", correlationId: "22222222-2222-4222-8222-222222222222" };
const CUSTOMER = "7b0e2b14-3c2f-4d6e-9a51-2f1c8d0e4a77";

describe("PartnerCenterError messages", () => {
  const cases: ReadonlyArray<{ name: string; details: ConstructorParameters<typeof PartnerCenterError>[0]; says: RegExp[]; saysNot?: RegExp[] }> = [
    {
      name: "a 404 for an unknown customer",
      details: {
        ...IDS,
        kind: "http",
        operation: "read qualifications",
        customerId: CUSTOMER,
        statusCode: 404,
        serviceCode: "60003",
        description: "Tenant not found",
        retryable: false,
        attempts: 1,
      },
      says: [
        /^Partner Center read qualifications for customer 7b0e2b14-3c2f-4d6e-9a51-2f1c8d0e4a77 failed: HTTP 404 \(code 60003\): Tenant not found/,
        /request id 1111/,
        /correlation id 2222/,
        /customerId is a customer of this partner/,
      ],
    },
    {
      name: "a 401 without MFA",
      details: {
        ...IDS,
        kind: "http",
        operation: "create Education qualification",
        customerId: CUSTOMER,
        statusCode: 401,
        serviceCode: "900421",
        retryable: false,
        attempts: 1,
      },
      says: [/HTTP 401 \(code 900421\)/, /multi-factor/],
    },
    {
      name: "a 403 without a relationship",
      details: {
        ...IDS,
        kind: "http",
        operation: "create Education qualification",
        customerId: CUSTOMER,
        statusCode: 403,
        serviceCode: "20002",
        retryable: false,
        attempts: 1,
      },
      says: [/no relationship with this customer/],
    },
    {
      name: "throttling after retries",
      details: {
        ...IDS,
        kind: "http",
        operation: "read qualifications",
        statusCode: 429,
        description: "Rate limit is exceeded.\nTry again in 57 seconds.",
        retryable: true,
        attempts: 5,
        retryStopReason: "maxRetries is 4",
      },
      says: [/after 5 attempts \(maxRetries is 4\)/, /Rate limit is exceeded\. Try again/, /throttling/],
    },
    {
      name: "a dropped connection on a create",
      details: {
        ...IDS,
        kind: "network",
        operation: "create StateOwnedEntity qualification",
        method: "POST",
        customerId: CUSTOMER,
        networkCode: "ECONNRESET",
        retryable: true,
        attempts: 3,
      },
      says: [
        /no response \(ECONNRESET\) after 3 attempts/,
        /Within this run, each retry of the POST reused its MS-RequestId/,
        /next `pulumi up` reads the customer first and adopts .* nothing is POSTed twice/,
      ],
    },
    {
      name: "a dropped connection on a read",
      details: {
        ...IDS,
        kind: "network",
        operation: "read qualifications",
        method: "GET",
        customerId: CUSTOMER,
        networkCode: "ECONNRESET",
        retryable: true,
        attempts: 5,
      },
      says: [/no response \(ECONNRESET\) after 5 attempts/, /check partnercenter:baseUrl and the network, then run again; a read changes nothing\.$/i],
      saysNot: [/creat|POST/],
    },
    {
      name: "a 503 on a read",
      details: { ...IDS, kind: "http", operation: "read qualifications", method: "GET", statusCode: 503, retryable: true, attempts: 5 },
      says: [/Partner Center failed: run again later\.$/],
      saysNot: [/creat|POST|MS-RequestId/],
    },
    {
      name: "a 503 on a create",
      details: { ...IDS, kind: "http", operation: "create Education qualification", method: "POST", statusCode: 503, retryable: true, attempts: 5 },
      says: [/run again later\. Within this run, each retry of the POST reused its MS-RequestId/, /nothing is POSTed twice/],
    },
    {
      name: "the call that found Partner Center unreachable",
      details: {
        ...IDS,
        kind: "unreachable",
        operation: "read qualifications",
        method: "GET",
        customerId: CUSTOMER,
        networkCode: "ECONNREFUSED",
        endpoint: "http://127.0.0.1:9",
        retryable: false,
        attempts: 6,
      },
      says: [
        /^Partner Center at http:\/\/127\.0\.0\.1:9 is unreachable: read qualifications for customer 7b0e.* got no response \(ECONNREFUSED: connection refused, nothing listens there\) after 6 attempts, the last a probe/,
        /Check partnercenter:baseUrl \(PARTNERCENTER_BASE_URL\)/,
        /Every other call of this process fails at once, without a request, and points here\.$/,
      ],
      saysNot: [/creat|POST/],
    },
    {
      name: "a TLS failure",
      details: {
        ...IDS,
        kind: "unreachable",
        operation: "list customers",
        method: "GET",
        networkCode: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        endpoint: "https://pc.example",
        retryable: false,
        attempts: 2,
      },
      says: [/TLS failed/, /NODE_EXTRA_CA_CERTS/],
    },
  ];
  for (const c of cases) {
    it(`writes ${c.name} as one line with the ids and a next step`, () => {
      const error = new PartnerCenterError(c.details);
      assert.ok(!error.message.includes("\n"), "one line");
      for (const pattern of c.says) assert.match(error.message, pattern);
      for (const pattern of c.saysNot ?? []) assert.doesNotMatch(error.message, pattern);
      assert.equal(error.statusCode, c.details.statusCode);
      assert.equal(error.retryable, c.details.retryable);
    });
  }

  it("a call failed at once because Partner Center is unreachable points to the first error and counts", () => {
    const first = new PartnerCenterError({
      ...IDS,
      kind: "unreachable",
      operation: "read qualifications",
      method: "GET",
      customerId: CUSTOMER,
      networkCode: "ENOTFOUND",
      endpoint: "https://partnercenter.invalid",
      retryable: false,
      attempts: 2,
    });
    const other = "c0ffee00-0000-4000-8000-000000000001";
    const error = new PartnerCenterError({
      kind: "unreachable",
      operation: "create Education qualification",
      method: "POST",
      customerId: other,
      endpoint: "https://partnercenter.invalid",
      cause: first,
      refusedSoFar: 37,
      retryable: false,
      attempts: 0,
    });
    assert.equal(
      error.message,
      `Partner Center create Education qualification for customer ${other} not attempted: Partner Center at https://partnercenter.invalid is unreachable (ENOTFOUND); ` +
        `the cause is in the first error, of read qualifications for customer ${CUSTOMER} [request id ${IDS.requestId}]. 37 calls of this process have failed at once so far. ` +
        "The next `pulumi up` reads the customer first and adopts the qualification if it was created, so nothing is POSTed twice.",
    );
    assert.equal(error.notAttempted, true);
    assert.equal(error.cause, first);
    assert.equal(first.notAttempted, false);
  });

  it("shortens a long service description", () => {
    const error = new PartnerCenterError({
      ...IDS,
      kind: "http",
      operation: "x",
      statusCode: 400,
      description: "y".repeat(2000),
      retryable: false,
      attempts: 1,
    });
    assert.ok(error.message.length < 700, `message length ${error.message.length}`);
  });
});
