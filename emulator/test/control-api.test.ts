import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EmulatorControl, EmulatorControlError, type EmulatorSeed, type ResponseStyle } from "../index";
import { EDUCATION_CUSTOMER, EMPTY_CUSTOMER, GCC_CODE, UNKNOWN_CUSTOMER, postQualification, storedQualifications, useEmulator } from "./emulator-harness";

describe("emulator: control API", () => {
  const env = useEmulator();

  function rejectsWith(status: number, message: RegExp): (error: unknown) => boolean {
    return (error: unknown) => error instanceof EmulatorControlError && error.status === status && message.test(error.message);
  }

  it("drives the emulator from a separately constructed client, with or without a trailing slash", async () => {
    const control = new EmulatorControl(`${env.emulator.url}/`);

    await control.addCustomer({ id: UNKNOWN_CUSTOMER, companyName: "Northwind" });

    assert.deepEqual(await env.emulator.control.customer(UNKNOWN_CUSTOMER), {
      id: UNKNOWN_CUSTOMER,
      companyName: "Northwind",
      relationshipToPartner: "reseller",
      qualifications: [],
    });
  });

  it("answers undefined for an unknown customer", async () => {
    assert.equal(await env.emulator.control.customer(UNKNOWN_CUSTOMER), undefined);
  });

  it("stores customer ids in lower case and finds them in any case", async () => {
    await env.emulator.control.addCustomer({ id: UNKNOWN_CUSTOMER.toUpperCase() });

    const customer = await env.emulator.control.customer(UNKNOWN_CUSTOMER.toUpperCase());

    assert.equal(customer?.id, UNKNOWN_CUSTOMER);
  });

  it("overwrites an existing customer on addCustomer", async () => {
    await env.emulator.control.addCustomer({ id: EDUCATION_CUSTOMER, qualifications: [{ qualification: "stateownedentity" }] });

    assert.deepEqual(await storedQualifications(env.emulator, EDUCATION_CUSTOMER), [{ qualification: "StateOwnedEntity" }]);
  });

  it("adds and overwrites customers and codes on seed, keeping the rest", async () => {
    await env.emulator.control.seed({
      customers: [{ id: UNKNOWN_CUSTOMER }],
      validationCodes: [{ partnerId: "p", organizationName: "o", validationId: GCC_CODE, maxCreates: 9, remainingCreates: 9 }],
    });

    const codes = await env.emulator.control.validationCodes();
    assert.notEqual(await env.emulator.control.customer(UNKNOWN_CUSTOMER), undefined);
    assert.notEqual(await env.emulator.control.customer(EMPTY_CUSTOMER), undefined);
    assert.equal(codes.length, 2);
    assert.equal(codes.find((code) => code.validationId === GCC_CODE)?.remainingCreates, 9);
  });

  it("restores the startup seed on reset", async () => {
    await postQualification(env.emulator, EMPTY_CUSTOMER, { qualification: "StateOwnedEntity" });
    await env.emulator.control.addCustomer({ id: UNKNOWN_CUSTOMER });

    await env.emulator.control.reset();

    assert.deepEqual(await storedQualifications(env.emulator, EMPTY_CUSTOMER), []);
    assert.equal(await env.emulator.control.customer(UNKNOWN_CUSTOMER), undefined);
  });

  it("accepts the example seed in emulator/seed.example.json", async () => {
    const example = JSON.parse(readFileSync(join(__dirname, "..", "seed.example.json"), "utf8")) as EmulatorSeed;

    await env.emulator.control.seed(example);

    const contoso = await env.emulator.control.customer("1c8b5e4f-6d2a-4f3b-8e9c-2b3c4d5e6f70");
    assert.equal(contoso?.companyName, "Contoso University");
    assert.equal((await env.emulator.control.validationCodes()).find((code) => code.validationId === "100001")?.remainingCreates, 5);
  });

  const invalidSeeds: { name: string; seed: unknown; message: RegExp }[] = [
    { name: "a customer id that is not a GUID", seed: { customers: [{ id: "contoso" }] }, message: /seed.customers\[0\].id must be a tenant GUID/ },
    {
      name: "an unknown qualification",
      seed: { customers: [{ id: UNKNOWN_CUSTOMER, qualifications: [{ qualification: "Healthcare" }] }] },
      message: /qualifications\[0\].qualification must be/,
    },
    {
      name: "vetting fields on StateOwnedEntity",
      seed: { customers: [{ id: UNKNOWN_CUSTOMER, qualifications: [{ qualification: "StateOwnedEntity", vettingStatus: "Approved" }] }] },
      message: /not vetted/,
    },
    {
      name: "the same qualification twice",
      seed: { customers: [{ id: UNKNOWN_CUSTOMER, qualifications: [{ qualification: "Education" }, { qualification: "education" }] }] },
      message: /Education more than once/,
    },
    {
      name: "a code with more remaining than max creates",
      seed: { validationCodes: [{ partnerId: "p", organizationName: "o", validationId: "1", maxCreates: 1, remainingCreates: 2 }] },
      message: /exceeds maxCreates/,
    },
    {
      name: "a code without partnerId",
      seed: { validationCodes: [{ organizationName: "o", validationId: "1", maxCreates: 1, remainingCreates: 1 }] },
      message: /partnerId is required/,
    },
    { name: "a misspelt top-level key", seed: { customer: [] }, message: /unknown property: customer/ },
  ];
  for (const invalid of invalidSeeds) {
    it(`refuses a seed with ${invalid.name} and changes nothing`, async () => {
      await assert.rejects(env.emulator.control.seed(invalid.seed as EmulatorSeed), rejectsWith(400, invalid.message));

      assert.equal(await env.emulator.control.customer(UNKNOWN_CUSTOMER), undefined);
      assert.equal((await env.emulator.control.validationCodes()).length, 2);
    });
  }

  const invalidStyles: { name: string; style: unknown; message: RegExp }[] = [
    { name: "an unknown property", style: { shape: "array" }, message: /no property 'shape'/ },
    { name: "an unknown value", style: { postStatus: 202 }, message: /postStatus must be one of 200, 201/ },
  ];
  for (const invalid of invalidStyles) {
    it(`refuses a response style with ${invalid.name}`, async () => {
      await assert.rejects(env.emulator.control.setResponseStyle(invalid.style as Partial<ResponseStyle>), rejectsWith(400, invalid.message));
    });
  }

  const routes: { name: string; method: string; path: string; status: number }[] = [
    { name: "the status route", method: "GET", path: "/_emulator/status", status: 200 },
    { name: "an unknown control route", method: "GET", path: "/_emulator/nothing", status: 404 },
    { name: "a wrong method on a control route", method: "GET", path: "/_emulator/reset", status: 405 },
    { name: "a control body that is not JSON", method: "POST", path: "/_emulator/seed", status: 400 },
  ];
  for (const route of routes) {
    it(`answers ${route.status} to ${route.name}, without authentication`, async () => {
      const response = await fetch(`${env.emulator.url}${route.path}`, { method: route.method, ...(route.method === "POST" ? { body: "{" } : {}) });

      assert.equal(response.status, route.status);
      assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
    });
  }
});
