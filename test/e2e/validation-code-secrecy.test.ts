/**
 * A GCC validation code is a secret: under the real Pulumi engine, for every way a code comes in
 * (a secret, plain config, chosen for an organization, chosen as the only code, an adopted
 * qualification) and every command that writes state or prints, the code appears neither in
 * `pulumi stack export` nor in anything the CLI printed, and state still holds it as a secret.
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "partnercenter-emulator";
import { PulumiWorkspace, REPO_ROOT, ensurePulumiCli, type PulumiRun } from "../../scripts/pulumi-workspace";
import { preparePackedProgram } from "../fixtures/packed-package";

const STACK = "e2e-codes";
const RESOURCE_TYPE = "pulumi-nodejs:dynamic/partnercenter:CustomerQualification";
/** Pulumi's marker of a secret value in exported state. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const customer = (n: number): string => `44444444-eeee-4eee-8eee-${String(n).padStart(12, "0")}`;
const CUSTOMERS = {
  secret: customer(1),
  plain: customer(2),
  organization: customer(3),
  only: customer(4),
  adopted: customer(5),
  education: customer(6),
  stateOwned: customer(7),
};
const REPLACEMENT_CUSTOMER = customer(8);
/** Resources whose code the provider chose: the code is an output only. */
const CHOSEN = ["gcc-by-organization", "gcc-only-code"];
/** Resources whose code the program gave: a secret input and output. */
const GIVEN = ["gcc-secret-code", "gcc-plain-code", "gcc-adopted"];

interface ExportedResource {
  urn: string;
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/** A code as Partner Center issues them, random for this run; some start with "-" on purpose. */
function randomCode(): string {
  return `${randomBytes(2).toString("base64url")}-${randomBytes(12).toString("base64url")}`;
}

function isSecret(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270";
}

describe("GCC validation codes under the real Pulumi engine: never in plain text", function () {
  this.timeout(60 * 60 * 1000);

  const code = randomCode();
  const spentCode = randomCode();
  let emulator: RunningEmulator;
  let workspace: PulumiWorkspace;
  let work: string;
  let programDir: string;
  const printed: string[] = [];

  const pulumi = async (...args: string[]): Promise<PulumiRun> => {
    const run = await workspace.ok(programDir, [...args, "--stack", STACK]);
    printed.push(run.stdout, run.stderr);
    return run;
  };
  const setConfig = (key: string, value: string, secret = false): Promise<PulumiRun> =>
    workspace.ok(programDir, ["config", "set", ...(secret ? ["--secret"] : []), "--stack", STACK, "--", key, value]);
  const exported = async (): Promise<{ text: string; resources: ExportedResource[] }> => {
    const run = await pulumi("stack", "export");
    const parsed = JSON.parse(run.stdout) as { deployment: { resources?: ExportedResource[] } };
    return { text: run.stdout, resources: (parsed.deployment.resources ?? []).filter((r) => r.type === RESOURCE_TYPE) };
  };
  const nameOf = (r: ExportedResource): string => r.urn.slice(r.urn.lastIndexOf("::") + 2);

  /** The checks that hold after every command. */
  const assertNoPlainCode = async (after: string): Promise<ExportedResource[]> => {
    const { text, resources } = await exported();
    const leaking = resources.filter((r) => JSON.stringify(r).includes(code)).map(nameOf);
    assert.deepEqual(leaking, [], `after ${after}: the code is in plain text in the state of ${leaking.join(", ")}`);
    assert.ok(!text.includes(code) && !text.includes(spentCode), `after ${after}: a code is in pulumi stack export`);
    const output = (await pulumi("stack", "output")).stdout;
    assert.ok(!output.includes(code), `after ${after}: pulumi stack output printed the code`);
    const everything = printed.join("\n");
    assert.ok(!everything.includes(code) && !everything.includes(spentCode), `after ${after}: the CLI printed a code`);
    for (const r of resources.filter((x) => x.outputs?.qualification === "GovernmentCommunityCloud")) {
      assert.ok(isSecret(r.outputs?.validationCode), `after ${after}: ${nameOf(r)} keeps its code as a secret output`);
      const input = r.inputs?.validationCode;
      if (CHOSEN.includes(nameOf(r))) assert.equal(input, undefined, `after ${after}: ${nameOf(r)} has no validationCode input`);
      else assert.ok(isSecret(input), `after ${after}: ${nameOf(r)} keeps its given code as a secret input`);
    }
    return resources;
  };
  const assertNoChanges = (run: PulumiRun, what: string): void => {
    assert.match(run.stdout, /Resources:\s+\d+ unchanged\s*\n\s*\n/, `${what} reports no change:\n${run.stdout}`);
    assert.doesNotMatch(run.stdout, /\[diff:|updated|replaced|created/, `${what} reports no change:\n${run.stdout}`);
  };

  before(async () => {
    const cliDir = ensurePulumiCli();
    work = mkdtempSync(join(tmpdir(), "partnercenter-e2e-codes-"));
    const program = readFileSync(join(REPO_ROOT, "test", "e2e", "programs", "validation-codes.ts"), "utf8");
    ({ programDir } = await preparePackedProgram(work, "0.1.1-e2e", { program }));
    emulator = await startEmulator({
      seed: {
        customers: [
          ...Object.values(CUSTOMERS)
            .filter((id) => id !== CUSTOMERS.adopted)
            .map((id) => ({ id })),
          { id: CUSTOMERS.adopted, qualifications: [{ qualification: "GovernmentCommunityCloud", vettingStatus: "Approved" }] },
          { id: REPLACEMENT_CUSTOMER },
        ],
        validationCodes: [
          { partnerId: "p", organizationName: "Woodgrove County", validationId: code, maxCreates: 20, remainingCreates: 20 },
          { partnerId: "p", organizationName: "Spent Agency", validationId: spentCode, maxCreates: 5, remainingCreates: 0 },
        ],
      },
    });
    workspace = new PulumiWorkspace({ cliDir, stateDir: join(work, "pulumi") });
    await workspace.ok(programDir, ["stack", "init", STACK]);
    await setConfig("partnercenter:baseUrl", emulator.url);
    await setConfig("partnercenter:accessToken", "partnercenter-emulator-development-token", true);
    await setConfig("partnercenter-e2e:customers", JSON.stringify(CUSTOMERS));
    await setConfig("partnercenter-e2e:secretCode", code, true);
    await setConfig("partnercenter-e2e:plainCode", code);
    await setConfig("partnercenter-e2e:organization", "Woodgrove County");
  });

  after(async () => {
    await emulator?.close();
    if (work !== undefined && process.env.PARTNERCENTER_E2E_KEEP === undefined) rmSync(work, { recursive: true, force: true });
  });

  it("pulumi up: the code used is a secret output, a secret input only where the program gave it", async () => {
    await pulumi("up", "--yes");
    const resources = await assertNoPlainCode("up");
    const byName = new Map(resources.map((r) => [nameOf(r), r]));
    for (const name of CHOSEN) assert.equal(byName.get(name)?.outputs?.validationCodeChosen, true, name);
    for (const name of GIVEN) assert.equal(byName.get(name)?.outputs?.validationCodeChosen, false, name);
    const posts = (await emulator.control.requests()).filter((r) => r.method === "POST");
    assert.equal(posts.length, 6, "every resource but the adopted one POSTed once");
  });

  it("pulumi refresh, twice on the unchanged stack: no diff either time, no plain code", async () => {
    for (const time of ["first", "second"]) {
      assertNoChanges(await pulumi("refresh", "--yes"), `the ${time} refresh`);
      await assertNoPlainCode(`the ${time} refresh`);
    }
  });

  it("pulumi up --refresh and pulumi preview --refresh --diff: no change, no plain code", async () => {
    assertNoChanges(await pulumi("up", "--refresh", "--yes"), "up --refresh");
    await assertNoPlainCode("up --refresh");
    const preview = await pulumi("preview", "--refresh", "--diff");
    assert.doesNotMatch(preview.stdout, /\[diff:|to update|to replace|to create/);
    await assertNoPlainCode("preview --refresh --diff");
  });

  it("pulumi up --diff with an update of every resource and a replacement: no plain code", async () => {
    await setConfig("partnercenter-e2e:resubmitLabel", "2026-12-01");
    await setConfig("partnercenter-e2e:replaceOnlyCodeWith", REPLACEMENT_CUSTOMER);
    const run = await pulumi("up", "--diff", "--yes");
    assert.match(run.stdout, /1 replaced/);
    assert.match(run.stdout, /4 updated/);
    const resources = await assertNoPlainCode("up --diff");
    const replaced = resources.find((r) => nameOf(r) === "gcc-only-code");
    assert.equal(replaced?.outputs?.customerId, REPLACEMENT_CUSTOMER);
    assert.equal(replaced?.outputs?.validationCodeChosen, true);
    // Not through pulumi(): what --show-secrets prints is not part of the checked output.
    const withCode = (await workspace.ok(programDir, ["stack", "export", "--show-secrets", "--stack", STACK])).stdout;
    assert.ok(withCode.includes(code), "the state holds the code (as a secret) for later use");
  });

  it("pulumi destroy: no plain code in what it printed, nothing left in state", async () => {
    await pulumi("destroy", "--yes");
    const resources = await assertNoPlainCode("destroy");
    assert.equal(resources.length, 0);
  });
});
