/**
 * Every version reads the state of every earlier one: state written by 0.1.0 (a fixture, see
 * test/fixtures/state-0.1.0/README.md) is imported into a stack and applied with the current
 * package under the real Pulumi CLI. It refreshes and updates without a replacement or a POST, and
 * the validation code that 0.1.0's refresh wrote in plain text is gone afterwards.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEVELOPMENT_ACCESS_TOKEN, startEmulator, type RunningEmulator, type SeedCustomer } from "partnercenter-emulator";
import { PulumiWorkspace, REPO_ROOT, ensurePulumiCli, type PulumiRun } from "../../scripts/pulumi-workspace";
import { preparePackedProgram } from "../fixtures/packed-package";

const FIXTURE = join(REPO_ROOT, "test", "fixtures", "state-0.1.0");
const STACK = "upgrade";
const RESOURCE_TYPE = "pulumi-nodejs:dynamic/partnercenter:CustomerQualification";
const CODE = "WG-CODE-0100-0001";
/** The customers of the fixture's program, by role (stack config `partnercenter-e2e:customers`). */
const CUSTOMERS = {
  secret: "01000000-aaaa-4aaa-8aaa-000000000001",
  plain: "01000000-aaaa-4aaa-8aaa-000000000002",
  organization: "01000000-aaaa-4aaa-8aaa-000000000003",
  only: "01000000-aaaa-4aaa-8aaa-000000000004",
  adopted: "01000000-aaaa-4aaa-8aaa-000000000005",
  education: "01000000-aaaa-4aaa-8aaa-000000000006",
  stateOwned: "01000000-aaaa-4aaa-8aaa-000000000007",
};

interface ExportedResource {
  urn: string;
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}
interface Exported {
  deployment: { resources?: ExportedResource[] };
}

/** The fixture, pointed at this run's emulator (0.1.0's default provider stored the old URL). */
function fixtureFor(emulatorUrl: string): { text: string; resources: ExportedResource[] } {
  const text = readFileSync(join(FIXTURE, "stack-export.json"), "utf8").replace(/http:\/\/127\.0\.0\.1:\d+/g, emulatorUrl);
  const parsed = JSON.parse(text) as Exported;
  return { text, resources: (parsed.deployment.resources ?? []).filter((r) => r.type === RESOURCE_TYPE) };
}

/** What the customers held after 0.1.0's run: the qualifications recorded in the fixture. */
function customersOf(resources: ExportedResource[]): SeedCustomer[] {
  return resources.map((r) => {
    const out = r.outputs ?? {};
    const vetting = typeof out.vettingStatus === "string" ? { vettingStatus: out.vettingStatus } : {};
    return { id: String(out.customerId), qualifications: [{ qualification: String(out.qualification), ...vetting }] };
  });
}

describe("state written by 0.1.0, applied with the current package", function () {
  this.timeout(60 * 60 * 1000);

  let emulator: RunningEmulator;
  let workspace: PulumiWorkspace;
  let work: string;
  let programDir: string;
  const pulumi = (...args: string[]): Promise<PulumiRun> => workspace.ok(programDir, [...args, "--stack", STACK]);
  const exported = async (): Promise<ExportedResource[]> =>
    ((JSON.parse((await pulumi("stack", "export")).stdout) as Exported).deployment.resources ?? []).filter((r) => r.type === RESOURCE_TYPE);
  const nameOf = (r: ExportedResource): string => r.urn.slice(r.urn.lastIndexOf("::") + 2);
  const posts = async (): Promise<number> => (await emulator.control.requests()).filter((r) => r.method === "POST").length;

  before(async () => {
    const cliDir = ensurePulumiCli();
    work = mkdtempSync(join(tmpdir(), "partnercenter-e2e-upgrade-"));
    const program = readFileSync(join(REPO_ROOT, "test", "e2e", "programs", "validation-codes.ts"), "utf8");
    ({ programDir } = await preparePackedProgram(work, "0.1.1-e2e", { program }));
    emulator = await startEmulator({
      seed: {
        customers: customersOf(fixtureFor("http://placeholder").resources),
        validationCodes: [
          { partnerId: "p", organizationName: "Woodgrove County", validationId: CODE, maxCreates: 20, remainingCreates: 16 },
          { partnerId: "p", organizationName: "Spent Agency", validationId: "SP-CODE-0100-0002", maxCreates: 5, remainingCreates: 0 },
        ],
      },
    });
    workspace = new PulumiWorkspace({ cliDir, stateDir: join(work, "pulumi") });
    await workspace.ok(programDir, ["stack", "init", STACK]);
    const set = (key: string, value: string, secret = false) =>
      workspace.ok(programDir, ["config", "set", ...(secret ? ["--secret"] : []), "--stack", STACK, "--", key, value]);
    await set("partnercenter:baseUrl", emulator.url);
    await set("partnercenter:accessToken", DEVELOPMENT_ACCESS_TOKEN, true);
    await set("partnercenter-e2e:customers", JSON.stringify(CUSTOMERS));
    await set("partnercenter-e2e:secretCode", CODE, true);
    await set("partnercenter-e2e:plainCode", CODE);
    await set("partnercenter-e2e:organization", "Woodgrove County");
    const file = join(work, "stack-export.json");
    writeFileSync(file, fixtureFor(emulator.url).text);
    await pulumi("stack", "import", "--file", file);
  });

  after(async () => {
    await emulator?.close();
    if (work !== undefined && process.env.PARTNERCENTER_E2E_KEEP === undefined) rmSync(work, { recursive: true, force: true });
  });

  it("the imported state is 0.1.0's: seven resources, a chosen code in plain text in two of them", async () => {
    const resources = await exported();
    assert.equal(resources.length, 7);
    const plain = resources
      .filter((r) => r.inputs?.validationCode === CODE)
      .map(nameOf)
      .sort();
    assert.deepEqual(plain, ["gcc-by-organization", "gcc-only-code"]);
  });

  it("pulumi refresh reads it without a replacement or a POST, and drops the plain code", async () => {
    await emulator.control.clearRequests();
    const run = await pulumi("refresh", "--yes");
    assert.doesNotMatch(run.stdout, /replaced|deleted|created/, run.stdout);
    assert.equal(await posts(), 0);
    const resources = await exported();
    assert.equal(resources.length, 7);
    const leaking = resources.filter((r) => JSON.stringify(r).includes(CODE)).map(nameOf);
    assert.deepEqual(leaking, [], "no resource holds the code in plain text");
  });

  it("pulumi up updates it in place, without a replacement or a POST; then a preview shows no changes", async () => {
    await emulator.control.clearRequests();
    const up = await pulumi("up", "--yes");
    // The provider resources change (0.1.0 used Pulumi's default one); the qualifications must not.
    const steps = up.stdout.split("\n").filter((line) => line.includes("CustomerQualification"));
    assert.deepEqual(
      steps.filter((line) => /\b(replac|creat|delet)\w*/.test(line)),
      [],
      up.stdout,
    );
    assert.doesNotMatch(up.stdout, /replaced/);
    assert.equal(await posts(), 0);
    const resources = await exported();
    assert.equal(resources.length, 7);
    for (const r of resources.filter((x) => x.outputs?.qualification === "GovernmentCommunityCloud")) {
      assert.equal(typeof r.outputs?.validationCodeChosen, "boolean", `${nameOf(r)} records where its code came from`);
    }
    assert.ok(!JSON.stringify(resources).includes(CODE), "no plain code");
    await emulator.control.clearRequests();
    await pulumi("preview", "--expect-no-changes");
    assert.equal((await emulator.control.requests()).length, 0);
  });
});
