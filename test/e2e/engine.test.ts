/**
 * End-to-end under the real Pulumi engine: a small TypeScript program that installs the packed
 * package, applied with the `pulumi` CLI against the emulator. The emulator's request log is the
 * witness of what reached "Partner Center". The cases build on each other, in their numbered
 * order, on one stack: each starts from the state the one before it left.
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type LoggedRequest, type RunningEmulator } from "partnercenter-emulator";
import { PROVIDER_LOADER } from "../../provider/resource";
import { PulumiWorkspace, ensurePulumiCli, type PulumiRun } from "../../scripts/pulumi-workspace";
import { npmInstall, preparePackedProgram } from "../fixtures/packed-package";

const STACK = "e2e";
const RESOURCE_TYPE = "pulumi-nodejs:dynamic/partnercenter:CustomerQualification";
const UPGRADED_VERSION = "0.1.1-e2e";

const C = {
  school: "11111111-aaaa-4aaa-8aaa-000000000001",
  agency: "11111111-aaaa-4aaa-8aaa-000000000002",
  utility: "11111111-aaaa-4aaa-8aaa-000000000003",
  adopted: "11111111-aaaa-4aaa-8aaa-000000000004",
  faultyA: "11111111-aaaa-4aaa-8aaa-000000000005",
  faultyB: "11111111-aaaa-4aaa-8aaa-000000000006",
  previewed: "11111111-aaaa-4aaa-8aaa-000000000007",
} as const;
const VALIDATION_CODE = "GCC-E2E-4711";
const NEW_VALIDATION_CODE = "GCC-E2E-4712";

interface Item {
  name: string;
  customerId: string;
  customerIdFrom?: string;
  qualification: string;
  educationSegment?: string;
  website?: string;
  validationCode?: string;
}

describe("CustomerQualification under the real Pulumi engine", function () {
  // Building the CLI from the Go module proxy on a cold machine takes minutes; later runs reuse it.
  this.timeout(60 * 60 * 1000);

  let emulator: RunningEmulator;
  let workspace: PulumiWorkspace;
  let work: string;
  let programDir: string;
  let upgradedTarball: string;
  const token = `e2e-${randomBytes(24).toString("base64url")}`;
  let items: Item[] = [];

  const setItems = (next: Item[]): void => {
    items = next;
    writeFileSync(join(programDir, "items.json"), `${JSON.stringify(items, null, 2)}\n`);
  };
  const pulumi = (...args: string[]): Promise<PulumiRun> => workspace.run(programDir, [...args, "--stack", STACK]);
  const pulumiOk = (...args: string[]): Promise<PulumiRun> => workspace.ok(programDir, [...args, "--stack", STACK]);
  const requests = (): Promise<LoggedRequest[]> => emulator.control.requests();
  const postsFor = async (customerId: string): Promise<LoggedRequest[]> => (await requests()).filter((r) => r.method === "POST" && r.path.includes(customerId));
  /** POSTs that changed something: answered 2xx (or lost after the write), not replayed. */
  const effectivePostsFor = async (customerId: string): Promise<LoggedRequest[]> =>
    (await postsFor(customerId)).filter((r) => typeof r.status === "number" && r.status < 300 && r.replayed !== true);
  const exportedState = async (): Promise<{
    text: string;
    resources: Array<{ urn: string; id?: string; type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }>;
  }> => {
    const run = await pulumiOk("stack", "export");
    const parsed = JSON.parse(run.stdout) as {
      deployment: { resources?: Array<{ urn: string; id?: string; type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }> };
    };
    return { text: run.stdout, resources: (parsed.deployment.resources ?? []).filter((r) => r.type === RESOURCE_TYPE) };
  };
  const outputsOf = async (name: string): Promise<Record<string, unknown> | undefined> =>
    (await exportedState()).resources.find((r) => r.urn.endsWith(`::${name}`))?.outputs;
  const stackOutputs = async (): Promise<Record<string, { id: string; vettingStatus: string | null; vettingReason: string | null }>> =>
    (
      JSON.parse((await pulumiOk("stack", "output", "--json")).stdout) as {
        qualifications: Record<string, { id: string; vettingStatus: string | null; vettingReason: string | null }>;
      }
    ).qualifications;

  before(async () => {
    const cliDir = ensurePulumiCli();
    work = mkdtempSync(join(tmpdir(), "partnercenter-e2e-"));
    ({ programDir, upgradedTarball } = await preparePackedProgram(work, UPGRADED_VERSION));

    emulator = await startEmulator({
      accessTokens: [token],
      seed: {
        customers: [
          ...Object.values(C)
            .map((id) => ({ id }))
            .filter((c) => c.id !== C.adopted),
          { id: C.adopted, qualifications: [{ qualification: "Education", vettingStatus: "Approved", vettingCreateDate: "2026-01-05T08:00:00Z" }] },
        ],
        validationCodes: [
          { partnerId: "p", organizationName: "Agency", validationId: VALIDATION_CODE, maxCreates: 10, remainingCreates: 10 },
          { partnerId: "p", organizationName: "Agency", validationId: NEW_VALIDATION_CODE, maxCreates: 10, remainingCreates: 10 },
        ],
      },
    });
    workspace = new PulumiWorkspace({ cliDir, stateDir: join(work, "pulumi") });
    await workspace.ok(programDir, ["stack", "init", STACK]);
    await pulumiOk("config", "set", "partnercenter:baseUrl", emulator.url);
    await pulumiOk("config", "set", "--secret", "partnercenter:accessToken", token);
  });

  after(async () => {
    await emulator?.close();
    if (work !== undefined && process.env.PARTNERCENTER_E2E_KEEP === undefined) rmSync(work, { recursive: true, force: true });
  });

  it("1. pulumi up creates Education, GCC and StateOwnedEntity with exactly one POST each", async () => {
    setItems([
      { name: "school-education", customerId: C.school, qualification: "Education", educationSegment: "K12", website: "school.example.edu" },
      { name: "agency-gcc", customerId: C.agency, qualification: "GovernmentCommunityCloud", validationCode: VALIDATION_CODE },
      { name: "utility-soe", customerId: C.utility, qualification: "StateOwnedEntity" },
    ]);
    await pulumiOk("up", "--yes");
    for (const id of [C.school, C.agency, C.utility]) assert.equal((await postsFor(id)).length, 1, `POSTs for ${id}`);
    const outputs = await stackOutputs();
    assert.equal(outputs["school-education"]?.vettingStatus, "InReview");
    assert.equal(outputs["agency-gcc"]?.vettingStatus, "InReview");
    assert.equal(outputs["utility-soe"]?.vettingStatus, null);
    assert.equal(outputs["agency-gcc"]?.id, `${C.agency}/GovernmentCommunityCloud`);
  });

  it("2. pulumi preview --expect-no-changes passes and sends no request", async () => {
    await emulator.control.clearRequests();
    await pulumiOk("preview", "--expect-no-changes");
    assert.equal((await requests()).length, 0);
  });

  it("3. pulumi refresh records Approved, and Denied with its reason", async () => {
    await emulator.control.setVetting(C.school, "Education", { status: "Approved" });
    await emulator.control.setVetting(C.agency, "GovernmentCommunityCloud", { status: "Denied", reason: "Not an eligible government entity" });
    await pulumiOk("refresh", "--yes");
    assert.equal((await outputsOf("school-education"))?.vettingStatus, "Approved");
    const gcc = await outputsOf("agency-gcc");
    assert.equal(gcc?.vettingStatus, "Denied");
    assert.equal(gcc?.vettingReason, "Not an eligible government entity");
    await emulator.control.clearRequests();
    await pulumiOk("preview", "--expect-no-changes");
  });

  it("4. a qualification the customer already has is adopted by pulumi up, without a POST", async () => {
    setItems([...items, { name: "adopted-education", customerId: C.adopted, qualification: "Education", educationSegment: "HigherEducation" }]);
    await pulumiOk("up", "--yes");
    assert.equal((await postsFor(C.adopted)).length, 0);
    assert.equal((await outputsOf("adopted-education"))?.vettingStatus, "Approved");
  });

  it("5. drift: refresh drops a forgotten qualification and the next up POSTs it once", async () => {
    await emulator.control.forgetQualification(C.utility, "StateOwnedEntity");
    await pulumiOk("refresh", "--yes");
    assert.equal(await outputsOf("utility-soe"), undefined, "refresh removed it from the state");
    await emulator.control.clearRequests();
    await pulumiOk("up", "--yes");
    assert.equal((await postsFor(C.utility)).length, 1);
    assert.deepEqual(
      (await emulator.control.customer(C.utility))?.qualifications.map((q) => q.qualification),
      ["StateOwnedEntity"],
    );
  });

  it("6. changing qualification replaces the resource; changing only validationCode updates it in place", async () => {
    await emulator.control.clearRequests();
    setItems(items.map((i) => (i.name === "school-education" ? { name: i.name, customerId: C.school, qualification: "StateOwnedEntity" } : i)));
    const replaced = await pulumiOk("up", "--yes");
    assert.match(replaced.stdout, /1 replaced/);
    assert.equal((await postsFor(C.school)).length, 1);
    assert.deepEqual((await emulator.control.customer(C.school))?.qualifications.map((q) => q.qualification).sort(), ["Education", "StateOwnedEntity"]);
    assert.match(replaced.stdout + replaced.stderr, /Education stays on customer 11111111-aaaa-4aaa-8aaa-000000000001/);

    await emulator.control.clearRequests();
    setItems(items.map((i) => (i.name === "agency-gcc" ? { ...i, validationCode: NEW_VALIDATION_CODE } : i)));
    const updated = await pulumiOk("up", "--yes");
    assert.match(updated.stdout, /1 updated/);
    assert.doesNotMatch(updated.stdout, /replaced/);
    assert.equal((await postsFor(C.agency)).length, 0);
  });

  it("7. bad input fails pulumi up during check, naming the field, before any request", async () => {
    const good = items;
    const cases: Array<{ item: Item; says: RegExp }> = [
      { item: { name: "bad-guid", customerId: "not-a-guid", qualification: "StateOwnedEntity" }, says: /customerId must be the customer's tenant ID, a GUID/ },
      { item: { name: "bad-none", customerId: C.faultyA, qualification: "None" }, says: /qualification "None" can't be set/ },
    ];
    for (const c of cases) {
      await emulator.control.clearRequests();
      setItems([...good, c.item]);
      const run = await pulumi("up", "--yes");
      assert.notEqual(run.code, 0, "pulumi up fails");
      assert.match(run.stdout + run.stderr, c.says);
      assert.equal((await requests()).length, 0, "no request reached the emulator");
    }
    setItems(good);
  });

  it("8. a 429 with Retry-After and a 503 on the first tries still end in one POST per resource", async () => {
    await emulator.control.clearRequests();
    await emulator.control.injectFault({ kind: "status", method: "POST", status: 429, retryAfter: "1" });
    await emulator.control.injectFault({ kind: "status", method: "POST", status: 503 });
    setItems([
      ...items,
      { name: "faulty-a", customerId: C.faultyA, qualification: "StateOwnedEntity" },
      { name: "faulty-b", customerId: C.faultyB, qualification: "Education", educationSegment: "K12" },
    ]);
    await pulumiOk("up", "--yes");
    const all = (await requests()).filter((r) => r.method === "POST");
    assert.ok(all.some((r) => r.status === 429) && all.some((r) => r.status === 503), "both faults were hit");
    for (const id of [C.faultyA, C.faultyB]) {
      assert.equal((await effectivePostsFor(id)).length, 1, `one effective POST for ${id}`);
      assert.equal(new Set((await postsFor(id)).map((r) => r.requestId)).size, 1, "retries reused the MS-RequestId");
      assert.equal((await emulator.control.customer(id))?.qualifications.length, 1);
    }
  });

  it("9. Education and GCC declared for one customer in one program fail before any request", async () => {
    const good = items;
    await emulator.control.clearRequests();
    setItems([
      ...good,
      { name: "clash-education", customerId: C.faultyA, qualification: "Education", educationSegment: "K12" },
      { name: "clash-gcc", customerId: C.faultyA, qualification: "GovernmentCommunityCloud", validationCode: VALIDATION_CODE },
    ]);
    const run = await pulumi("up", "--yes");
    assert.notEqual(run.code, 0);
    assert.match(
      run.stdout + run.stderr,
      /customer 11111111-aaaa-4aaa-8aaa-000000000005 is declared with \w+ here and with \w+ in clash-\w+; Partner Center refuses the two together/,
    );
    assert.equal((await requests()).length, 0, "no request reached the emulator");
    assert.equal((await emulator.control.customer(C.faultyA))?.qualifications.length, 1, "only the earlier StateOwnedEntity");
    setItems(good);
  });

  it("10. inputs unknown during preview pass check and diff; up then creates with the real values", async () => {
    const good = items;
    await emulator.control.clearRequests();
    setItems([
      ...good,
      { name: "previewed-soe", customerId: C.previewed, qualification: "StateOwnedEntity" },
      {
        name: "previewed-gcc",
        customerId: "placeholder",
        customerIdFrom: "previewed-soe",
        qualification: "GovernmentCommunityCloud",
        validationCode: VALIDATION_CODE,
      },
    ]);
    const preview = await pulumi("preview");
    assert.equal(preview.code, 0, preview.stdout + preview.stderr);
    assert.match(preview.stdout, /\+ 2 to create/);
    assert.equal((await requests()).length, 0, "preview sends nothing");
    await pulumiOk("up", "--yes");
    assert.deepEqual((await emulator.control.customer(C.previewed))?.qualifications.map((q) => q.qualification).sort(), [
      "GovernmentCommunityCloud",
      "StateOwnedEntity",
    ]);
  });

  it("11. pulumi stack export holds neither the token nor the validation code in plain text; __provider is the loader, positions the program's", async () => {
    const { text, resources } = await exportedState();
    assert.ok(!text.includes(token), "no access token in state");
    assert.ok(!text.includes(VALIDATION_CODE) && !text.includes(NEW_VALIDATION_CODE), "no validation code in plain text");
    const gcc = resources.find((r) => r.urn.endsWith("::agency-gcc"));
    assert.equal(
      (gcc?.outputs?.validationCode as { [k: string]: unknown } | undefined)?.["4dabf18193072939515e22adb298388d"],
      "1b47061264138c4ac30d75fd1eb44270",
      "validationCode is a secret in outputs",
    );
    const sizes = resources.map((r) => Buffer.byteLength(JSON.stringify(r.outputs?.__provider ?? r.inputs?.__provider ?? "")));
    console.log(`      __provider per resource: ${Math.min(...sizes)}-${Math.max(...sizes)} bytes (${resources.length} resources, two copies each)`);
    // The loader of the installed package (pulumi-partnercenter/dynamic-provider), not code, in both copies.
    for (const size of sizes) assert.ok(size > 0 && size <= 1024, `__provider is ${size} bytes`);
    for (const r of resources) {
      assert.equal(r.inputs?.__provider, PROVIDER_LOADER, `${r.urn}: inputs.__provider`);
      assert.equal(r.outputs?.__provider, PROVIDER_LOADER, `${r.urn}: outputs.__provider`);
    }
    // Pulumi records where the program declared each resource, not the package's constructor.
    const records = (JSON.parse(text) as { deployment: { resources: Array<{ type: string; sourcePosition?: string }> } }).deployment.resources;
    const positions = records.filter((r) => r.type === RESOURCE_TYPE).map((r) => r.sourcePosition ?? "");
    assert.equal(positions.length, resources.length);
    for (const position of positions) assert.match(position, /^project:\/\/\/index\.ts#\d+,\d+$/);
  });

  it("12. after upgrading the package, refresh runs the installed code, not the code of the last up", async () => {
    npmInstall(programDir, [upgradedTarball]);
    await emulator.control.clearRequests();
    await pulumiOk("refresh", "--yes");
    const agents = new Set((await requests()).map((r) => r.headers["user-agent"]));
    assert.deepEqual([...agents], [`pulumi-partnercenter/${UPGRADED_VERSION}`]);
  });

  it("13. pulumi destroy removes every resource from the stack with a warning and sends no request", async () => {
    await emulator.control.clearRequests();
    const run = await pulumiOk("destroy", "--yes");
    assert.equal((await requests()).length, 0);
    // The CLI shows each warning as it happens and again under "Diagnostics:"; count the summary.
    const diagnostics = run.stdout.slice(run.stdout.indexOf("Diagnostics:"));
    const warnings = diagnostics.match(/warning: \w+ stays on customer [0-9a-f-]{36}: Partner Center has no API to remove a qualification/g) ?? [];
    assert.equal(warnings.length, items.length, "one warning per qualification");
    assert.equal((await exportedState()).resources.length, 0);
    assert.equal((await emulator.control.customer(C.agency))?.qualifications.length, 1, "the qualification stays on the customer");
  });
});
