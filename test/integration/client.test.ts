import { strict as assert } from "node:assert";
import { PartnerCenterClient, PartnerCenterError } from "../../provider/client";
import { AccessTokenCredential } from "../../provider/auth";
import { DEVELOPMENT_ACCESS_TOKEN, type ResponseStyle } from "partnercenter-emulator";
import { CUSTOMERS, VALIDATION_CODE, clientFor, useEmulator } from "../fixtures/emulated-partner-center";

describe("PartnerCenterClient against the emulator", () => {
  const env = useEmulator();

  const styles: ReadonlyArray<Partial<ResponseStyle>> = [
    { postStatus: 201, postShape: "object", getShape: "array" },
    { postStatus: 200, postShape: "wrapper", getShape: "wrapper" },
    { dateField: "vettingCreatedDate" },
    { nameCase: "lower" },
    { postStatus: 200, postShape: "object", getShape: "wrapper", dateField: "vettingCreatedDate", nameCase: "lower" },
  ];
  for (const style of styles) {
    it(`reads every documented shape: ${JSON.stringify(style)}`, async () => {
      await env.emulator.control.setResponseStyle(style);
      const client = clientFor(env.emulator);
      const created = await client.createQualification(CUSTOMERS.school, { qualification: "Education", educationSegment: "K12" });
      assert.equal(created.qualification, "Education");
      assert.equal(created.vettingStatus, "InReview");
      assert.match(String(created.vettingCreateDate), /^\d{4}-/);
      const list = await client.getQualifications(CUSTOMERS.school);
      assert.deepEqual(list, [created]);
    });
  }

  it("reads a customer without qualifications as an empty list, whether the service says [] or None", async () => {
    const client = clientFor(env.emulator);
    assert.deepEqual(await client.getQualifications(CUSTOMERS.utility), []);
    await env.emulator.control.setResponseStyle({ noneAs: "none" });
    assert.deepEqual(await client.getQualifications(CUSTOMERS.utility), []);
  });

  it("reads the partner's validation codes", async () => {
    const codes = await clientFor(env.emulator).getValidationCodes();
    assert.equal(codes.length, 1);
    assert.equal(codes[0]?.validationId, VALIDATION_CODE);
    assert.equal(codes[0]?.remainingCreates, 10);
  });

  it("gives a new MS-RequestId to each new call", async () => {
    const client = clientFor(env.emulator);
    await client.getQualifications(CUSTOMERS.school);
    await client.getQualifications(CUSTOMERS.school);
    const ids = (await env.emulator.control.requests()).map((r) => r.requestId);
    assert.equal(new Set(ids).size, 2);
  });

  it("a 409 for an existing qualification is an error with the status, not retried", async () => {
    const client = clientFor(env.emulator);
    const error = await client.createQualification(CUSTOMERS.alreadyEducation, { qualification: "Education", educationSegment: "K12" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof PartnerCenterError);
    assert.equal(error.statusCode, 409);
    assert.equal(error.retryable, false);
    assert.equal((await env.emulator.control.requests()).length, 1);
  });

  it("a wrong token is a 401 whose message holds neither token", async () => {
    const wrong = "wrong-token-0123456789abcdef";
    const client = new PartnerCenterClient(env.emulator.url, new AccessTokenCredential(wrong), { retryOptions: { maxRetries: 0 } });
    const error = await client.getQualifications(CUSTOMERS.school).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof PartnerCenterError);
    assert.equal(error.statusCode, 401);
    const everything = `${error.message}\n${error.stack}\n${JSON.stringify(error)}`;
    assert.ok(!everything.includes(wrong));
    assert.ok(!everything.includes(DEVELOPMENT_ACCESS_TOKEN));
    const [logged] = await env.emulator.control.requests();
    assert.equal(logged?.headers.authorization, "Bearer <redacted>");
  });

  it("honours the caller's abort signal between retries", async () => {
    await env.emulator.control.injectFault({ kind: "status", method: "GET", status: 429, retryAfter: "30", times: 5 });
    const client = clientFor(env.emulator);
    const controller = new AbortController();
    const pending = client.getQualifications(CUSTOMERS.school, { abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const error = await pending.then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof PartnerCenterError);
    assert.equal(error.kind, "aborted");
    assert.equal((await env.emulator.control.requests()).length, 1);
  });

  it("refuses a malformed customer id before sending anything", async () => {
    await assert.rejects(clientFor(env.emulator).getQualifications("../../etc"), /customerId must be the customer's tenant ID/);
    assert.equal((await env.emulator.control.requests()).length, 0);
  });
});

describe("PartnerCenterClient: the customer list and the shared throttle", () => {
  const env = useEmulator();
  const customer = (n: number): string => `66666666-1111-4111-8111-${String(n).padStart(12, "0")}`;
  const seedCustomers = async (count: number): Promise<void> => {
    const names = ["Contoso", "Fabrikam", "Northwind"];
    await env.emulator.control.seed({
      customers: Array.from({ length: count }, (_, i) => ({
        id: customer(i),
        companyName: `${names[i % 3]} ${i}`,
        domain: `${(names[i % 3] ?? "").toLowerCase()}${i}.onmicrosoft.com`,
      })),
    });
  };

  const styles: ReadonlyArray<{ name: string; style: Partial<ResponseStyle> }> = [
    { name: "links with the /v1 prefix", style: {} },
    { name: "links without the /v1 prefix", style: { customerLinksWithoutV1Prefix: true } },
    { name: "bodies that start with a byte-order mark", style: { bom: true } },
  ];
  for (const { name, style } of styles) {
    it(`pages through every customer exactly once: ${name}`, async () => {
      await seedCustomers(1203);
      await env.emulator.control.setResponseStyle(style);
      await env.emulator.control.clearRequests();
      const client = clientFor(env.emulator);
      const pages: number[] = [];
      const ids: string[] = [];
      for await (const page of client.listCustomers({ pageSize: 500 }).byPage()) {
        pages.push(page.items.length);
        ids.push(...page.items.map((c) => c.id));
      }
      const seeded = (await env.emulator.control.requests()).length;
      const total = Object.keys(CUSTOMERS).length + 1203;
      assert.deepEqual(pages, [500, 500, total - 1000]);
      const all = new Set(ids);
      for (let i = 0; i < 1203; i++) assert.ok(all.has(customer(i)), `customer ${i} listed`);
      assert.equal(ids.length, all.size, "no customer twice");
      assert.equal(seeded, pages.length, "one request per page");
    });
  }

  it("filters by a company-name prefix, case-insensitively, and reads the company profile", async () => {
    await seedCustomers(30);
    const listed: Array<{ id: string; companyName?: string; domain?: string }> = [];
    for await (const c of clientFor(env.emulator).listCustomers({ filter: { field: "companyName", startsWith: "FABRIKAM" } })) listed.push(c);
    for (let i = 1; i < 30; i += 3)
      assert.ok(
        listed.some((c) => c.id === customer(i) && c.domain === `fabrikam${i}.onmicrosoft.com`),
        `Fabrikam ${i} listed`,
      );
    assert.ok(
      listed.every((c) => c.companyName?.startsWith("Fabrikam")),
      listed.map((c) => c.companyName).join(", "),
    );
  });

  it("refuses a page size outside 1-500 before any request", async () => {
    await env.emulator.control.clearRequests();
    assert.throws(() => clientFor(env.emulator).listCustomers({ pageSize: 501 }), /pageSize must be a whole number from 1 to 500/);
    assert.equal((await env.emulator.control.requests()).length, 0);
  });

  const limits = [
    { limit: { requestsPerSecond: 10 }, reads: 40, what: "10 requests per second" },
    {
      limit: { requestsPerWindow: 20, windowSeconds: 3 },
      reads: 60,
      what: "20 requests per 3-second window (the shape of Partner Center's 500 per minute: a long Retry-After)",
    },
  ];
  for (const { limit, reads, what } of limits) {
    it(`under a limit of ${what}, ${reads} concurrent reads all succeed and fewer than one answer in four is a 429`, async function () {
      this.timeout(30_000);
      await env.emulator.control.setRateLimit(limit);
      await env.emulator.control.clearRequests();
      const client = clientFor(env.emulator, { retryOptions: { maxRetries: 8 } });
      const results = await Promise.all(Array.from({ length: reads }, () => client.getQualifications(CUSTOMERS.utility)));
      assert.equal(results.length, reads);
      const answers = await env.emulator.control.requests();
      const throttled = answers.filter((r) => r.status === 429).length;
      assert.equal(answers.length - throttled, reads, "one successful answer per read");
      assert.ok(throttled > 0, "the limit was reached");
      assert.ok(throttled * 4 < answers.length, `${throttled} of ${answers.length} answers were 429s`);
    });
  }
});
