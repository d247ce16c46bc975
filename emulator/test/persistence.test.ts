import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "../index";
import {
  EMPTY_CUSTOMER,
  GCC_CODE,
  TEST_SEED,
  UNKNOWN_CUSTOMER,
  callApi,
  descriptionOf,
  postQualification,
  qualificationsPath,
  storedQualifications,
  useTemporaryDirectory,
} from "./emulator-harness";

describe("emulator: data-file persistence", () => {
  const running: RunningEmulator[] = [];
  // Registered before the directory's hooks, so the emulators close before it is removed.
  afterEach(async () => {
    await Promise.all(running.splice(0).map((emulator) => emulator.close()));
  });
  const directory = useTemporaryDirectory();
  let dataFile: string;

  async function start(seed = TEST_SEED): Promise<RunningEmulator> {
    const emulator = await startEmulator({ dataFile, seed });
    running.push(emulator);
    return emulator;
  }

  beforeEach(() => {
    dataFile = join(directory.path, "state.json");
  });

  it("carries customers, qualifications, codes, vetting scripts, answers and style to the next instance", async () => {
    const first = await start();
    const requestId = randomUUID();
    const created = await postQualification(first, EMPTY_CUSTOMER, { qualification: "GovernmentCommunityCloud", validationCode: GCC_CODE }, { requestId });
    await first.control.scriptVetting(EMPTY_CUSTOMER, { status: "Denied", reason: "Not a government entity", afterMs: 3_600_000 });
    await first.control.setResponseStyle({ dateField: "vettingCreatedDate" });
    await first.control.injectFault({ kind: "status", status: 503, times: 5 });
    await first.close();

    const second = await start({ customers: [] });
    const read = await callApi(second, "GET", qualificationsPath(EMPTY_CUSTOMER));
    const replay = await postQualification(second, EMPTY_CUSTOMER, {}, { requestId });

    assert.equal(read.status, 200, "faults are not persisted");
    assert.deepEqual(read.body, [
      { qualification: "GovernmentCommunityCloud", vettingStatus: "InReview", vettingCreatedDate: (created.body as Record<string, string>).vettingCreateDate },
    ]);
    assert.equal((await second.control.validationCodes()).find((code) => code.validationId === GCC_CODE)?.remainingCreates, 1);
    assert.deepEqual([replay.status, replay.body], [created.status, created.body]);
    assert.deepEqual(
      (await second.control.requests()).map((entry) => entry.replayed),
      [undefined, true],
      "the log starts empty",
    );
    const file = JSON.parse(readFileSync(dataFile, "utf8")) as { customers: { id: string; qualifications: { pendingDecision?: { status: string } }[] }[] };
    const saved = file.customers.find((customer) => customer.id === EMPTY_CUSTOMER);
    assert.equal(saved?.qualifications[0]?.pendingDecision?.status, "Denied");
  });

  it("keeps company profiles and the customer-list order through a restart", async () => {
    const added = "7d8e9f00-0000-4000-8000-0000000000dd";
    const first = await start({
      customers: [{ id: EMPTY_CUSTOMER, companyName: "Fabrikam", domain: "fabrikam.onmicrosoft.com", relationshipToPartner: "advisor" }],
    });
    await first.control.addCustomer({ id: added, companyName: "Northwind", domain: "northwind.onmicrosoft.com", indirectResellerId: UNKNOWN_CUSTOMER });
    const before = await callApi(first, "GET", "/v1/customers?size=10");
    await first.close();

    const second = await start({ customers: [] });
    const after = await callApi(second, "GET", "/v1/customers?size=10");

    assert.deepEqual(after.body, before.body);
    assert.deepEqual(
      (after.body as { items: { id: string; relationshipToPartner: string }[] }).items.map((item) => [item.id, item.relationshipToPartner]),
      [
        [EMPTY_CUSTOMER, "advisor"],
        [added, "reseller"],
      ],
    );
    assert.equal((await second.control.customer(added))?.indirectResellerId, UNKNOWN_CUSTOMER);
  });

  it("reads a data file written before customers had company profiles, defaulting the relationship", async () => {
    const old = {
      format: "partnercenter-emulator-state",
      version: 1,
      customers: [{ id: EMPTY_CUSTOMER, companyName: "Fabrikam", qualifications: [], vettingScripts: [] }],
      validationCodes: [],
      answers: [],
      responseStyle: { nameCase: "lower" },
    };
    writeFileSync(dataFile, JSON.stringify(old));

    const emulator = await start();

    assert.deepEqual(await emulator.control.customer(EMPTY_CUSTOMER), {
      id: EMPTY_CUSTOMER,
      companyName: "Fabrikam",
      relationshipToPartner: "reseller",
      qualifications: [],
    });
    assert.equal((await emulator.control.setResponseStyle({})).bom, false);
  });

  it("applies the seed only when the file does not exist yet", async () => {
    const first = await start({ customers: [{ id: EMPTY_CUSTOMER }] });
    await first.control.addCustomer({ id: "7d8e9f00-0000-4000-8000-0000000000dd" });
    await first.close();

    const second = await start({ customers: [{ id: "8e9f0011-0000-4000-8000-0000000000ee" }] });

    assert.notEqual(await second.control.customer("7d8e9f00-0000-4000-8000-0000000000dd"), undefined);
    assert.equal(await second.control.customer("8e9f0011-0000-4000-8000-0000000000ee"), undefined);
  });

  it("saves after every change, through a temporary file that does not linger", async () => {
    const emulator = await start();
    await postQualification(emulator, EMPTY_CUSTOMER, { qualification: "StateOwnedEntity" });

    const file = JSON.parse(readFileSync(dataFile, "utf8")) as { format: string; version: number; customers: { id: string; qualifications: unknown[] }[] };

    assert.equal(file.format, "partnercenter-emulator-state");
    assert.equal(file.version, 1);
    assert.deepEqual(file.customers.find((customer) => customer.id === EMPTY_CUSTOMER)?.qualifications, [{ qualification: "StateOwnedEntity" }]);
    assert.deepEqual(readdirSync(directory.path), ["state.json"]);
  });

  it("saves the startup seed again on reset", async () => {
    const emulator = await start();
    await postQualification(emulator, EMPTY_CUSTOMER, { qualification: "StateOwnedEntity" });
    await emulator.control.reset();
    await emulator.close();

    const restarted = await start();

    assert.deepEqual(await storedQualifications(restarted, EMPTY_CUSTOMER), []);
  });

  it("answers 500 naming the data file when a change cannot be saved", async () => {
    dataFile = join(directory.path, "gone", "state.json");
    mkdirSync(join(directory.path, "gone"));
    const emulator = await start();
    rmSync(join(directory.path, "gone"), { recursive: true });

    const api = await postQualification(emulator, EMPTY_CUSTOMER, { qualification: "StateOwnedEntity" });
    const control = await fetch(`${emulator.url}/_emulator/customers`, { method: "POST", body: JSON.stringify({ id: UNKNOWN_CUSTOMER }) });

    assert.equal(api.status, 500);
    assert.match(descriptionOf(api.body), /could not be saved: Cannot save emulator data file .*gone\/state\.json/);
    assert.equal(control.status, 500);
  });

  const unreadable: { name: string; content: string; message: RegExp }[] = [
    { name: "not JSON", content: "{", message: /not valid JSON/ },
    { name: "some other JSON file", content: '{"customers":[]}', message: /not a version 1 partnercenter-emulator-state file/ },
    {
      name: "a state file with a bad customer",
      content: JSON.stringify({
        format: "partnercenter-emulator-state",
        version: 1,
        customers: [{ id: "x" }],
        validationCodes: [],
        answers: [],
        responseStyle: {},
      }),
      message: /customers\[0\]\.id must be a tenant GUID/,
    },
  ];
  for (const bad of unreadable) {
    it(`refuses to start on ${bad.name}, naming the file, and leaves it untouched`, async () => {
      writeFileSync(dataFile, bad.content);

      await assert.rejects(
        startEmulator({ dataFile }),
        (error: unknown) => error instanceof Error && error.message.includes(dataFile) && bad.message.test(error.message),
      );
      assert.equal(readFileSync(dataFile, "utf8"), bad.content);
    });
  }
});
