import assert from "node:assert/strict";
import type { ResponseStyle } from "../index";
import {
  EDUCATION_CUSTOMER,
  EMPTY_CUSTOMER,
  GCC_CODE,
  GCC_CUSTOMER,
  TEST_SEED,
  UNKNOWN_CUSTOMER,
  callApi,
  descriptionOf,
  postQualification,
  qualificationsPath,
  useEmulator,
} from "./emulator-harness";

describe("emulator: GET routes", () => {
  const env = useEmulator();

  describe("GET /v1/customers/{id}/qualifications", () => {
    it("answers a bare array, StateOwnedEntity without vetting fields", async () => {
      const response = await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER));

      assert.equal(response.status, 200);
      assert.deepEqual(response.body, [
        { qualification: "GovernmentCommunityCloud", vettingStatus: "Approved", vettingCreateDate: "2024-02-03T04:05:06.000Z" },
        { qualification: "StateOwnedEntity" },
      ]);
    });

    it("answers [] for a customer without qualifications", async () => {
      const response = await callApi(env.emulator, "GET", qualificationsPath(EMPTY_CUSTOMER));

      assert.equal(response.status, 200);
      assert.deepEqual(response.body, []);
    });

    it("omits absent fields instead of sending null", async () => {
      await env.emulator.control.addCustomer({ id: EMPTY_CUSTOMER, qualifications: [{ qualification: "Education", vettingStatus: "Approved" }] });

      const response = await callApi(env.emulator, "GET", qualificationsPath(EMPTY_CUSTOMER));

      assert.deepEqual(response.body, [{ qualification: "Education", vettingStatus: "Approved" }]);
    });

    const refusals: { name: string; customer: string; token?: string | null; status: number; code: number }[] = [
      { name: "an unknown customer", customer: UNKNOWN_CUSTOMER, status: 404, code: 60003 },
      { name: "a malformed customer id", customer: "contoso", status: 400, code: 900118 },
      { name: "a missing token", customer: GCC_CUSTOMER, token: null, status: 401, code: 401 },
      { name: "a wrong token", customer: GCC_CUSTOMER, token: "stolen", status: 401, code: 401 },
    ];
    for (const refusal of refusals) {
      it(`answers ${refusal.status} (code ${refusal.code}) to ${refusal.name}`, async () => {
        const response = await callApi(env.emulator, "GET", qualificationsPath(refusal.customer), refusal.token === undefined ? {} : { token: refusal.token });

        assert.equal(response.status, refusal.status);
        assert.deepEqual(response.body, { code: refusal.code, description: descriptionOf(response.body), data: [], source: "PartnerFD" });
      });
    }
  });

  describe("GET /v1/customers/all/validations", () => {
    it("answers a bare array of validation-code records with string validationIds", async () => {
      const response = await callApi(env.emulator, "GET", "/v1/customers/all/validations");

      assert.equal(response.status, 200);
      assert.deepEqual(response.body, TEST_SEED.validationCodes);
    });

    it("turns a numeric validationId from a seed into a string", async () => {
      await env.emulator.control.seed({
        validationCodes: [{ partnerId: "p", organizationName: "o", validationId: 7 as unknown as string, maxCreates: 1, remainingCreates: 1 }],
      });

      const response = await callApi(env.emulator, "GET", "/v1/customers/all/validations");

      const seeded = (response.body as { validationId: unknown; eTag?: unknown }[]).find((code) => code.validationId === "7");
      assert.ok(seeded, JSON.stringify(response.body));
      assert.equal(typeof seeded.eTag, "string");
    });

    it("answers 401 without a token", async () => {
      const response = await callApi(env.emulator, "GET", "/v1/customers/all/validations", { token: null });

      assert.equal(response.status, 401);
    });
  });

  describe("routing", () => {
    const cases: { name: string; method: string; path: string; status: number; allow?: string }[] = [
      { name: "an unknown route", method: "GET", path: "/v1/customers/all/unknown", status: 404 },
      { name: "a path outside /v1", method: "GET", path: "/", status: 404 },
      {
        name: "DELETE on qualifications (they are irreversible)",
        method: "DELETE",
        path: qualificationsPath(EDUCATION_CUSTOMER),
        status: 405,
        allow: "GET, POST",
      },
      { name: "PUT on qualifications", method: "PUT", path: qualificationsPath(EDUCATION_CUSTOMER), status: 405, allow: "GET, POST" },
      { name: "POST on validations", method: "POST", path: "/v1/customers/all/validations", status: 405, allow: "GET" },
      { name: "POST on the customer list", method: "POST", path: "/v1/customers", status: 405, allow: "GET" },
    ];
    for (const route of cases) {
      it(`answers ${route.status} to ${route.name}`, async () => {
        const response = await callApi(env.emulator, route.method, route.path);

        assert.equal(response.status, route.status);
        assert.equal((response.body as { code: unknown }).code, route.status);
        assert.equal(response.headers.get("allow"), route.allow ?? null);
      });
    }

    it("matches literal path segments case-insensitively", async () => {
      const response = await callApi(env.emulator, "GET", `/V1/Customers/${GCC_CUSTOMER}/Qualifications`);

      assert.equal(response.status, 200);
    });
  });

  describe("common response headers", () => {
    it("echoes MS-RequestId and MS-CorrelationId and adds MS-CV and the JSON content type", async () => {
      const response = await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER), {
        headers: { "MS-RequestId": "0a1b2c3d-1111-4222-8333-444455556666", "MS-CorrelationId": "9a8b7c6d-1111-4222-8333-444455556666" },
      });

      assert.equal(response.headers.get("ms-requestid"), "0a1b2c3d-1111-4222-8333-444455556666");
      assert.equal(response.headers.get("ms-correlationid"), "9a8b7c6d-1111-4222-8333-444455556666");
      assert.match(response.headers.get("ms-cv") ?? "", /\S/);
      assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
    });

    it("generates GUIDs for MS-RequestId and MS-CorrelationId when the request has none, on errors too", async () => {
      const response = await callApi(env.emulator, "GET", qualificationsPath(UNKNOWN_CUSTOMER));

      const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
      assert.equal(response.status, 404);
      assert.match(response.headers.get("ms-requestid") ?? "", guid);
      assert.match(response.headers.get("ms-correlationid") ?? "", guid);
      assert.notEqual(response.headers.get("ms-requestid"), response.headers.get("ms-correlationid"));
    });
  });

  describe("response styles", () => {
    const created = { qualification: "GovernmentCommunityCloud", validationCode: GCC_CODE };
    const cases: { name: string; style: Partial<ResponseStyle>; check(get: unknown, post: { status: number; body: unknown }): void }[] = [
      {
        name: "postStatus 200",
        style: { postStatus: 200 },
        check: (_get, post) => {
          assert.equal(post.status, 200);
          assert.equal((post.body as Record<string, unknown>).qualification, "GovernmentCommunityCloud");
        },
      },
      {
        name: "postShape wrapper",
        style: { postShape: "wrapper" },
        check: (_get, post) => {
          assert.equal(post.status, 201);
          const wrapper = post.body as { qualifications: Record<string, unknown>[] };
          assert.deepEqual(Object.keys(wrapper), ["qualifications"]);
          assert.equal(wrapper.qualifications.length, 1);
          assert.equal(wrapper.qualifications[0]?.vettingStatus, "InReview");
        },
      },
      {
        name: "the 2020 Swagger reading (200 and wrapper)",
        style: { postStatus: 200, postShape: "wrapper", getShape: "wrapper" },
        check: (get, post) => {
          assert.equal(post.status, 200);
          assert.ok(Array.isArray((post.body as { qualifications: unknown }).qualifications));
          assert.ok(Array.isArray((get as { qualifications: unknown }).qualifications));
        },
      },
      {
        name: "getShape wrapper",
        style: { getShape: "wrapper" },
        check: (get) => {
          const wrapper = get as { qualifications: Record<string, unknown>[] };
          assert.deepEqual(
            wrapper.qualifications.map((q) => q.qualification),
            ["GovernmentCommunityCloud"],
          );
        },
      },
      {
        name: "dateField vettingCreatedDate",
        style: { dateField: "vettingCreatedDate" },
        check: (get, post) => {
          for (const item of [(get as Record<string, unknown>[])[0], post.body as Record<string, unknown>]) {
            assert.equal(typeof item?.vettingCreatedDate, "string");
            assert.equal(item?.vettingCreateDate, undefined);
          }
        },
      },
      {
        name: "nameCase lower",
        style: { nameCase: "lower" },
        check: (get, post) => {
          assert.equal((get as Record<string, unknown>[])[0]?.qualification, "governmentcommunitycloud");
          assert.equal((post.body as Record<string, unknown>).qualification, "governmentcommunitycloud");
          assert.equal((post.body as Record<string, unknown>).vettingStatus, "InReview");
        },
      },
    ];
    for (const variant of cases) {
      it(`answers in the ${variant.name} style`, async () => {
        await env.emulator.control.setResponseStyle(variant.style);

        const post = await postQualification(env.emulator, EMPTY_CUSTOMER, created);
        const get = await callApi(env.emulator, "GET", qualificationsPath(EMPTY_CUSTOMER));

        assert.equal(get.status, 200);
        variant.check(get.body, post);
      });
    }

    const noneCases: { name: string; style: Partial<ResponseStyle>; body: unknown }[] = [
      { name: "empty (default)", style: {}, body: [] },
      { name: "none", style: { noneAs: "none" }, body: [{ qualification: "None" }] },
      { name: "none, lower-case", style: { noneAs: "none", nameCase: "lower" }, body: [{ qualification: "none" }] },
      { name: "none, wrapped", style: { noneAs: "none", getShape: "wrapper" }, body: { qualifications: [{ qualification: "None" }] } },
      { name: "empty, wrapped", style: { getShape: "wrapper" }, body: { qualifications: [] } },
    ];
    for (const variant of noneCases) {
      it(`renders a customer without qualifications as noneAs ${variant.name}`, async () => {
        await env.emulator.control.setResponseStyle(variant.style);

        const response = await callApi(env.emulator, "GET", qualificationsPath(EMPTY_CUSTOMER));

        assert.deepEqual(response.body, variant.body);
      });
    }

    it("returns the full style after a partial change, and reset restores the default", async () => {
      const changed = await env.emulator.control.setResponseStyle({ nameCase: "lower" });
      assert.deepEqual(changed, {
        postStatus: 201,
        postShape: "object",
        getShape: "array",
        dateField: "vettingCreateDate",
        nameCase: "lower",
        noneAs: "empty",
        customerLinksWithoutV1Prefix: false,
        bom: false,
      });

      await env.emulator.control.reset();
      const response = await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER));
      assert.equal((response.body as Record<string, unknown>[])[0]?.qualification, "GovernmentCommunityCloud");
    });
  });
});
