import assert from "node:assert/strict";
import { EmulatorControlError, type SeedCustomer } from "../index";
import { DENIED_CUSTOMER, EDUCATION_CUSTOMER, EMPTY_CUSTOMER, GCC_CUSTOMER, UNKNOWN_CUSTOMER, callApi, descriptionOf, useEmulator } from "./emulator-harness";
import { CLIENT_SECRET, DEFAULT_SCOPE, SECRET_APP, TENANT, postForm, redeemRefreshToken, tokenPath, useIdentityEmulator } from "./identity-harness";
import { continuationTokenOf, customersPath, filterJson, follow, manyCustomers, readAllPages, type CustomerCollection } from "./customer-list-harness";

const INDIRECT_RESELLER = "5a6b7c8d-0000-4000-8000-00000000abcd";

/** Customers with full company profiles, in this order. */
const PROFILED_CUSTOMERS: SeedCustomer[] = [
  { id: EMPTY_CUSTOMER, companyName: "Fabrikam School District", domain: "fabrikamschools.onmicrosoft.com" },
  { id: EDUCATION_CUSTOMER, companyName: "Contoso University", domain: "contosouniversity.onmicrosoft.com", relationshipToPartner: "advisor" },
  { id: GCC_CUSTOMER, companyName: "contoso county", domain: "woodgrove.onmicrosoft.com", indirectResellerId: INDIRECT_RESELLER },
  { id: DENIED_CUSTOMER, companyName: "Tailspin Toys" },
];

function idsOf(pages: CustomerCollection[]): string[] {
  return pages.flatMap((page) => page.items.map((item) => item.id));
}

describe("emulator: GET /v1/customers", () => {
  describe("paging 1,203 customers", () => {
    const customers = manyCustomers(1203);
    const env = useEmulator({ seed: { customers } });
    const linkStyles = [
      { name: "with the /v1 prefix", style: {}, listUri: "/v1/customers" },
      { name: "without the /v1 prefix", style: { customerLinksWithoutV1Prefix: true }, listUri: "/customers" },
    ];
    for (const variant of linkStyles) {
      it(`gives 3 pages of size 500 holding every customer once, in seed order, links ${variant.name}`, async () => {
        await env.emulator.control.setResponseStyle(variant.style);

        const pages = await readAllPages(env.emulator, customersPath({ size: "500" }));

        assert.deepEqual(
          pages.map((page) => [page.totalCount, page.items.length]),
          [
            [500, 500],
            [500, 500],
            [203, 203],
          ],
        );
        assert.deepEqual(
          idsOf(pages),
          customers.map((customer) => customer.id),
        );
        for (const page of pages.slice(0, 2)) {
          assert.equal(page.links.next?.uri, `${variant.listUri}?size=500&seekOperation=Next`);
          assert.equal(page.links.next?.method, "GET");
          assert.match(continuationTokenOf(page), /\S{16,}/);
        }
        assert.equal(pages[0]?.links.self.uri, `${variant.listUri}?size=500`);
        assert.equal(pages[1]?.links.self.uri, `${variant.listUri}?size=500&seekOperation=Next`);
        assert.equal(pages[2]?.items[0]?.links.self.uri, `${variant.listUri}/${customers[1000]?.id}`);
      });
    }

    it("logs each page with its query and continuation token", async () => {
      await readAllPages(env.emulator, customersPath({ size: "500" }));

      const log = await env.emulator.control.requests();

      assert.deepEqual(
        log.map((entry) => [entry.method, entry.path, entry.query, entry.status]),
        [
          ["GET", "/v1/customers", { size: "500" }, 200],
          ["GET", "/v1/customers", { size: "500", seekOperation: "Next" }, 200],
          ["GET", "/v1/customers", { size: "500", seekOperation: "Next" }, 200],
        ],
      );
      assert.equal(log[0]?.headers["ms-continuationtoken"], undefined);
      assert.match(log[1]?.headers["ms-continuationtoken"] ?? "", /\S/);
      assert.notEqual(log[1]?.headers["ms-continuationtoken"], log[2]?.headers["ms-continuationtoken"]);
    });

    it("gives the same page for the same token read twice", async () => {
      const first = (await callApi(env.emulator, "GET", customersPath({ size: "500" }))).body as CustomerCollection;
      const next = first.links.next;
      assert.ok(next);

      const once = await follow(env.emulator, next);
      const twice = await follow(env.emulator, next);

      assert.equal(once.status, 200);
      assert.deepEqual(twice.body, once.body);
    });
  });

  describe("paging 2,500 customers seeded over the control API", () => {
    const env = useEmulator({ seed: { customers: [] } });

    it("lists all of them once in 5 pages of 500", async () => {
      const customers = manyCustomers(2500);
      await env.emulator.control.seed({ customers });

      const pages = await readAllPages(env.emulator, customersPath({ size: "500" }));

      assert.equal(pages.length, 5);
      assert.deepEqual(
        idsOf(pages),
        customers.map((customer) => customer.id),
      );
    });
  });

  describe("with the four test customers", () => {
    const env = useEmulator({ seed: { customers: PROFILED_CUSTOMERS } });
    const seedOrder = PROFILED_CUSTOMERS.map((customer) => customer.id);

    const sizes = [
      { size: 1, pages: [1, 1, 1, 1] },
      { size: 2, pages: [2, 2] },
      { size: 3, pages: [3, 1] },
      { size: 4, pages: [4] },
      { size: 500, pages: [4] },
    ];
    for (const { size, pages: expected } of sizes) {
      it(`splits 4 customers by size ${size} into pages of ${expected.join(", ")}, the last one without a next link`, async () => {
        const pages = await readAllPages(env.emulator, customersPath({ size: String(size) }));

        assert.deepEqual(
          pages.map((page) => page.totalCount),
          expected,
        );
        assert.deepEqual(idsOf(pages), seedOrder);
        assert.equal(pages.at(-1)?.links.next, undefined);
      });
    }

    it("renders the Collection and each Customer with its company profile, leaving out what was not seeded", async () => {
      const page = (await callApi(env.emulator, "GET", customersPath({ size: "500" }))).body as CustomerCollection;

      assert.deepEqual(page.attributes, { objectType: "Collection" });
      assert.deepEqual(page.links, { self: { uri: "/v1/customers?size=500", method: "GET", headers: [] } });
      assert.deepEqual(page.items[1], {
        id: EDUCATION_CUSTOMER,
        companyProfile: { tenantId: EDUCATION_CUSTOMER, domain: "contosouniversity.onmicrosoft.com", companyName: "Contoso University" },
        relationshipToPartner: "advisor",
        links: { self: { uri: `/v1/customers/${EDUCATION_CUSTOMER}`, method: "GET", headers: [] } },
        attributes: { objectType: "Customer" },
      });
      assert.deepEqual(page.items[3]?.companyProfile, { tenantId: DENIED_CUSTOMER, companyName: "Tailspin Toys" });
      assert.equal(page.items[3]?.relationshipToPartner, "reseller");
    });

    it("lists customers added between pages after the others, skipping and repeating none", async () => {
      const first = (await callApi(env.emulator, "GET", customersPath({ size: "2" }))).body as CustomerCollection;
      await env.emulator.control.addCustomer({ id: UNKNOWN_CUSTOMER, companyName: "Northwind" });
      // Overwriting a listed customer keeps its place, so it is not listed again.
      await env.emulator.control.addCustomer({ id: EMPTY_CUSTOMER, companyName: "Fabrikam renamed" });
      const next = first.links.next;
      assert.ok(next);

      const rest = [first];
      let response = await follow(env.emulator, next);
      for (;;) {
        const page = response.body as CustomerCollection;
        rest.push(page);
        if (page.links.next === undefined) break;
        response = await follow(env.emulator, page.links.next);
      }

      assert.deepEqual(idsOf(rest), [...seedOrder, UNKNOWN_CUSTOMER]);
    });

    it("refuses a continuation token from before a reset with 400", async () => {
      const first = (await callApi(env.emulator, "GET", customersPath({ size: "1" }))).body as CustomerCollection;
      await env.emulator.control.reset();
      const next = first.links.next;
      assert.ok(next);

      const response = await follow(env.emulator, next);

      assert.equal(response.status, 400);
      assert.match(descriptionOf(response.body), /MS-ContinuationToken .* before the emulator was reset/);
    });

    describe("filter", () => {
      const filters = [
        { name: "CompanyName prefix, any case", filter: filterJson("CompanyName", "CONT"), ids: [EDUCATION_CUSTOMER, GCC_CUSTOMER] },
        { name: "CompanyName prefix that only one name has", filter: filterJson("CompanyName", "contoso u"), ids: [EDUCATION_CUSTOMER] },
        { name: "Domain prefix, any case", filter: filterJson("Domain", "Fabrikam"), ids: [EMPTY_CUSTOMER] },
        { name: "Domain prefix of a customer without a domain", filter: filterJson("Domain", "tailspin"), ids: [] },
        { name: "IndirectReseller prefix", filter: filterJson("IndirectReseller", INDIRECT_RESELLER.slice(0, 8).toUpperCase()), ids: [GCC_CUSTOMER] },
        { name: "a prefix nobody has", filter: filterJson("CompanyName", "Northwind"), ids: [] },
        {
          name: "camelCase property names, a lower-case field and an upper-case operator",
          filter: JSON.stringify({ field: "companyname", value: "tail", operator: "STARTS_WITH" }),
          ids: [DENIED_CUSTOMER],
        },
      ];
      for (const { name, filter, ids } of filters) {
        it(`matches by ${name}`, async () => {
          const pages = await readAllPages(env.emulator, customersPath({ size: "500", filter }));

          assert.deepEqual(idsOf(pages), ids);
          assert.equal(pages[0]?.totalCount, ids.length);
        });
      }

      it("keeps the filter on every page: the token remembers it, the next link does not repeat it", async () => {
        await env.emulator.control.addCustomer({ id: UNKNOWN_CUSTOMER, companyName: "Contoso Ltd" });
        const filter = filterJson("CompanyName", "contoso");

        const pages = await readAllPages(env.emulator, customersPath({ size: "1", filter }));

        assert.deepEqual(idsOf(pages), [EDUCATION_CUSTOMER, GCC_CUSTOMER, UNKNOWN_CUSTOMER]);
        assert.equal(pages[0]?.links.self.uri, `/v1/customers?size=1&filter=${encodeURIComponent(filter)}`);
        assert.equal(pages[0]?.links.next?.uri, "/v1/customers?size=1&seekOperation=Next");
      });

      it("ignores a filter sent again with seekOperation=Next: the token's filter applies", async () => {
        const first = (await callApi(env.emulator, "GET", customersPath({ size: "1", filter: filterJson("CompanyName", "contoso") })))
          .body as CustomerCollection;

        const next = await callApi(env.emulator, "GET", customersPath({ size: "1", seekOperation: "Next", filter: filterJson("CompanyName", "tail") }), {
          headers: { "MS-ContinuationToken": continuationTokenOf(first) },
        });

        assert.deepEqual(idsOf([first, next.body as CustomerCollection]), [EDUCATION_CUSTOMER, GCC_CUSTOMER]);
      });
    });

    describe("refused requests", () => {
      const refusals: { name: string; query: Record<string, string>; headers?: Record<string, string>; names: RegExp }[] = [
        { name: "no size", query: {}, names: /'size' is required: an integer from 1 to 500/ },
        { name: "size 0", query: { size: "0" }, names: /'size' must be an integer from 1 to 500, got '0'/ },
        { name: "size 501", query: { size: "501" }, names: /'size' must be an integer from 1 to 500, got '501'/ },
        { name: "a fractional size", query: { size: "1.5" }, names: /'size' must be an integer/ },
        { name: "a size that is no number", query: { size: "all" }, names: /'size' must be an integer/ },
        { name: "a filter that is not JSON", query: { size: "10", filter: "CompanyName=cont" }, names: /'filter' must be URL-encoded JSON .*: it is not JSON/ },
        { name: "a filter that is a JSON array", query: { size: "10", filter: "[]" }, names: /'filter' .*: it is not a JSON object/ },
        {
          name: "a filter on an unknown field",
          query: { size: "10", filter: filterJson("Country", "US") },
          names: /'filter' .*: Field "Country" is not one of CompanyName, Domain, IndirectReseller/,
        },
        {
          name: "a filter with another operator",
          query: { size: "10", filter: filterJson("Domain", "c", "equals") },
          names: /'filter' .*: Operator "equals" is not starts_with/,
        },
        {
          name: "a filter with an empty value",
          query: { size: "10", filter: filterJson("Domain", "") },
          names: /'filter' .*: Value must be a non-empty string/,
        },
        {
          name: "a filter with an unknown property",
          query: { size: "10", filter: JSON.stringify({ Field: "Domain", Value: "c", Operator: "starts_with", Limit: 3 }) },
          names: /'filter' .*: unknown property 'limit'/,
        },
        { name: "a seekOperation other than Next", query: { size: "10", seekOperation: "Previous" }, names: /'seekOperation' must be Next, got 'Previous'/ },
        {
          name: "seekOperation=Next without a continuation token",
          query: { size: "10", seekOperation: "Next" },
          names: /needs the MS-ContinuationToken header/,
        },
        {
          name: "seekOperation=Next with a made-up continuation token",
          query: { size: "10", seekOperation: "Next" },
          headers: { "MS-ContinuationToken": "eyJmcm9tIjozfQ.c2lnbmF0dXJl" },
          names: /MS-ContinuationToken header is not a continuation token this service issued/,
        },
      ];
      for (const refusal of refusals) {
        it(`answers 400 naming the problem for ${refusal.name}`, async () => {
          const response = await callApi(env.emulator, "GET", customersPath(refusal.query), refusal.headers === undefined ? {} : { headers: refusal.headers });

          assert.equal(response.status, 400);
          assert.match(descriptionOf(response.body), refusal.names);
          assert.deepEqual({ ...(response.body as object), description: "" }, { code: 3000, description: "", data: [], source: "PartnerFD" });
        });
      }

      it("answers 400 to a continuation token with a changed payload or signature", async () => {
        const first = (await callApi(env.emulator, "GET", customersPath({ size: "1" }))).body as CustomerCollection;
        const token = continuationTokenOf(first);
        const [payload = "", signature = ""] = token.split(".");
        const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString("utf8")), from: 0 })).toString("base64url");
        const flipped = `${signature.slice(0, -1)}${signature.endsWith("A") ? "B" : "A"}`;

        const statuses = [];
        for (const garbled of [`${forgedPayload}.${signature}`, `${payload}.${flipped}`, token.slice(0, -3)]) {
          const response = await callApi(env.emulator, "GET", customersPath({ size: "1", seekOperation: "Next" }), {
            headers: { "MS-ContinuationToken": garbled },
          });
          statuses.push(response.status);
        }

        assert.deepEqual(statuses, [400, 400, 400]);
      });

      const unauthenticated = [
        { name: "no Authorization header", token: null },
        { name: "a wrong bearer token", token: "not-the-development-token" },
      ];
      for (const { name, token } of unauthenticated) {
        it(`answers 401 with a Bearer challenge for ${name}`, async () => {
          const response = await callApi(env.emulator, "GET", customersPath({ size: "10" }), { token });

          assert.equal(response.status, 401);
          assert.equal(response.headers.get("www-authenticate"), 'Bearer error="invalid_token"');
        });
      }
    });

    describe("faults", () => {
      const routes = [
        { route: "customers", path: customersPath({ size: "10" }) },
        { route: "qualifications", path: `/v1/customers/${GCC_CUSTOMER}/qualifications` },
        { route: "validations", path: "/v1/customers/all/validations" },
      ] as const;
      for (const target of routes) {
        it(`hits only the ${target.route} route with route "${target.route}"`, async () => {
          await env.emulator.control.injectFault({ kind: "status", status: 503, route: target.route, times: 3 });

          const statuses: Record<string, number> = {};
          for (const { route, path } of routes) statuses[route] = (await callApi(env.emulator, "GET", path)).status;

          assert.deepEqual(statuses, { ...{ customers: 200, qualifications: 200, validations: 200 }, [target.route]: 503 });
        });
      }

      it("answers a 429 burst on the customer list only, then pages normally", async () => {
        await env.emulator.control.injectFault({ kind: "status", status: 429, retryAfter: "3", route: "customers", times: 2 });

        const throttled = [];
        for (let attempt = 0; attempt < 2; attempt += 1) throttled.push(await callApi(env.emulator, "GET", customersPath({ size: "2" })));
        const qualifications = await callApi(env.emulator, "GET", `/v1/customers/${GCC_CUSTOMER}/qualifications`);
        const pages = await readAllPages(env.emulator, customersPath({ size: "2" }));

        assert.deepEqual(
          throttled.map((response) => [response.status, response.headers.get("retry-after"), response.body]),
          Array(2).fill([429, "3", { statusCode: 429, message: "Rate limit is exceeded. Try again in 3 seconds." }]),
        );
        assert.equal(qualifications.status, 200);
        assert.deepEqual(idsOf(pages), seedOrder);
        const log = await env.emulator.control.requests();
        assert.deepEqual(
          log.map((entry) => [entry.status, entry.fault]),
          [
            [429, "status"],
            [429, "status"],
            [200, undefined],
            [200, undefined],
            [200, undefined],
          ],
        );
      });

      const connectionFaults = [
        { kind: "drop", status: "dropped" },
        { kind: "lostResponse", status: 200 },
      ] as const;
      for (const fault of connectionFaults) {
        it(`${fault.kind}: the customer-list request fails without a response and is logged as ${fault.status}`, async () => {
          await env.emulator.control.injectFault({ kind: fault.kind, route: "customers" });

          await assert.rejects(callApi(env.emulator, "GET", customersPath({ size: "10" })), TypeError);

          const [entry] = await env.emulator.control.requests();
          assert.deepEqual([entry?.path, entry?.status, entry?.fault], ["/v1/customers", fault.status, fault.kind]);
        });
      }

      it("refuses a fault with an unknown route with 400", async () => {
        const attempt = env.emulator.control.injectFault({ kind: "drop", route: "customer" as "customers" });

        await assert.rejects(
          attempt,
          (error: unknown) =>
            error instanceof EmulatorControlError &&
            error.status === 400 &&
            /fault.route must be one of customers, qualifications, validations/.test(error.message),
        );
      });
    });

    describe("byte-order mark style", () => {
      async function rawBytes(path: string): Promise<{ status: number; bytes: Buffer }> {
        const response = await fetch(`${env.emulator.url}${path}`, { headers: { authorization: "Bearer partnercenter-emulator-development-token" } });
        return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
      }
      const bodies = [
        { name: "a customer page", path: customersPath({ size: "2" }), status: 200 },
        { name: "an error", path: customersPath({}), status: 400 },
        { name: "a qualification list", path: `/v1/customers/${GCC_CUSTOMER}/qualifications`, status: 200 },
      ];
      for (const body of bodies) {
        it(`starts ${body.name} with U+FEFF when bom is on, and not by default`, async () => {
          const plain = await rawBytes(body.path);
          await env.emulator.control.setResponseStyle({ bom: true });
          const marked = await rawBytes(body.path);

          assert.deepEqual([plain.status, marked.status], [body.status, body.status]);
          assert.deepEqual([...marked.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
          assert.deepEqual(marked.bytes.subarray(3), plain.bytes);
          // JSON.parse refuses a leading U+FEFF, so this also proves the default body has none.
          assert.doesNotThrow(() => JSON.parse(plain.bytes.toString("utf8")));
        });
      }
    });

    describe("company profiles through the control API", () => {
      it("adds a customer with a profile, normalising case and defaulting the relationship", async () => {
        await env.emulator.control.addCustomer({
          id: UNKNOWN_CUSTOMER.toUpperCase(),
          domain: "Northwind.OnMicrosoft.com",
          relationshipToPartner: "Syndication" as "syndication",
        });
        await env.emulator.control.addCustomer({ id: "7d8e9f00-0000-4000-8000-0000000000dd" });

        assert.deepEqual(await env.emulator.control.customer(UNKNOWN_CUSTOMER), {
          id: UNKNOWN_CUSTOMER,
          domain: "northwind.onmicrosoft.com",
          relationshipToPartner: "syndication",
          qualifications: [],
        });
        assert.equal((await env.emulator.control.customer("7d8e9f00-0000-4000-8000-0000000000dd"))?.relationshipToPartner, "reseller");
      });

      const invalid: { name: string; customer: unknown; message: RegExp }[] = [
        {
          name: "a domain that is no domain name",
          customer: { id: UNKNOWN_CUSTOMER, domain: "not a domain" },
          message: /customer.domain must be a domain name such as contoso.onmicrosoft.com, got 'not a domain'/,
        },
        { name: "a single-label domain", customer: { id: UNKNOWN_CUSTOMER, domain: "contoso" }, message: /customer.domain must be a domain name/ },
        {
          name: "an unknown relationship",
          customer: { id: UNKNOWN_CUSTOMER, relationshipToPartner: "partner" },
          message: /customer.relationshipToPartner must be one of none, reseller, advisor, syndication, microsoft_support, got 'partner'/,
        },
        {
          name: "an indirect reseller that is no GUID",
          customer: { id: UNKNOWN_CUSTOMER, indirectResellerId: "contoso" },
          message: /customer.indirectResellerId must be a tenant GUID, got 'contoso'/,
        },
      ];
      for (const bad of invalid) {
        it(`refuses ${bad.name} with 400 and adds nothing`, async () => {
          const attempt = env.emulator.control.addCustomer(bad.customer as SeedCustomer);

          await assert.rejects(attempt, (error: unknown) => error instanceof EmulatorControlError && error.status === 400 && bad.message.test(error.message));
          assert.equal(await env.emulator.control.customer(UNKNOWN_CUSTOMER), undefined);
        });
      }
    });
  });

  describe("with no customers", () => {
    const env = useEmulator({ seed: {} });

    it("answers totalCount 0, no items and no next link", async () => {
      const response = await callApi(env.emulator, "GET", customersPath({ size: "200" }));

      assert.equal(response.status, 200);
      assert.deepEqual(response.body, {
        totalCount: 0,
        items: [],
        links: { self: { uri: "/v1/customers?size=200", method: "GET", headers: [] } },
        attributes: { objectType: "Collection" },
      });
    });
  });
});

describe("emulator: GET /v1/customers with the identity endpoint's tokens", function () {
  this.timeout(20_000);
  const env = useIdentityEmulator();

  async function delegatedToken(mfa: boolean): Promise<string> {
    const identity = env.identity;
    const refreshToken = await identity.control.issueRefreshToken({ tenantId: TENANT, clientId: SECRET_APP, mfa });
    return String((await redeemRefreshToken(identity, refreshToken)).body.access_token);
  }

  async function appOnlyToken(): Promise<string> {
    const grant = { grant_type: "client_credentials", client_id: SECRET_APP, client_secret: CLIENT_SECRET, scope: DEFAULT_SCOPE };
    return String((await postForm(env.identity, tokenPath(), grant)).body.access_token);
  }

  const callers = [
    { name: "an App-only token", token: appOnlyToken, status: 200 },
    { name: "an App+User token with MFA", token: () => delegatedToken(true), status: 200 },
    { name: "an App+User token without MFA", token: () => delegatedToken(false), status: 401 },
  ];
  for (const caller of callers) {
    it(`answers ${caller.status} to ${caller.name}`, async () => {
      const response = await callApi(env.emulator, "GET", customersPath({ size: "10" }), { token: await caller.token() });

      assert.equal(response.status, caller.status);
      if (caller.status === 200) assert.equal((response.body as CustomerCollection).totalCount, 4);
      else assert.equal((response.body as { code: number }).code, 900421);
    });
  }
});
