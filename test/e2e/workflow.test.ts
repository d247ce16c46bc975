/**
 * The repository's own stack under the real Pulumi engine: a list of 50 customers from stack
 * config, waiting for vetting, GCC validation codes chosen by the provider, and the Education +
 * GCC rule; and every example by its one command.
 */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { promisify } from "node:util";
import { startEmulator, type LoggedRequest, type RunningEmulator, type SeedCustomer } from "partnercenter-emulator";
import { PulumiWorkspace, REPO_ROOT, ensurePulumiCli, type PulumiRun } from "../../scripts/pulumi-workspace";
import { RepoStack, qualificationsConfig, type StackListEntry } from "../../scripts/repo-stack";

const STACK = "e2e-workflow";

/** The n-th customer of the list. */
const customer = (n: number): string => `22222222-bbbb-4bbb-8bbb-${String(n).padStart(12, "0")}`;

/** 50 customers: Education, GCC (code chosen by the provider), StateOwnedEntity; 5 already qualified. */
function fiftyCustomers(): { entries: StackListEntry[]; seeded: SeedCustomer[] } {
  const entries: StackListEntry[] = [];
  const seeded: SeedCustomer[] = [];
  for (let n = 1; n <= 50; n++) {
    const id = customer(n);
    const kind = n % 5;
    const entry: StackListEntry =
      kind === 0 || kind === 1
        ? { customerId: id, qualification: "Education", educationSegment: kind === 0 ? "K12" : "HigherEducation" }
        : kind === 2
          ? { customerId: id, qualification: "GovernmentCommunityCloud" }
          : { customerId: id, qualification: "StateOwnedEntity" };
    entries.push(entry);
    // Customers 46-50 already hold what the list asks for: adopted, not POSTed.
    seeded.push(
      n > 45
        ? { id, qualifications: [{ qualification: entry.qualification, ...(entry.qualification === "StateOwnedEntity" ? {} : { vettingStatus: "Approved" }) }] }
        : { id },
    );
  }
  return { entries, seeded };
}

describe("the qualification workflow under the real Pulumi engine", function () {
  this.timeout(60 * 60 * 1000);

  let emulator: RunningEmulator;
  let workspace: PulumiWorkspace;
  let stack: RepoStack | undefined;
  let entries: StackListEntry[] = [];
  const token = `e2e-${randomBytes(24).toString("base64url")}`;

  const setEntries = (next: StackListEntry[]): void => {
    entries = next;
    stack?.configure(qualificationsConfig(entries));
  };
  const pulumi = (...args: string[]): Promise<PulumiRun> => (stack ?? assert.fail("no stack")).run(args);
  const posts = async (): Promise<LoggedRequest[]> => (await emulator.control.requests()).filter((r) => r.method === "POST");
  const diagnosticsOf = (run: PulumiRun): string => run.stdout.slice(Math.max(0, run.stdout.indexOf("Diagnostics:")));
  const stateOf = (): Promise<Map<string, Record<string, unknown>>> => (stack ?? assert.fail("no stack")).qualifications();

  before(async () => {
    const cliDir = ensurePulumiCli();
    const { seeded } = fiftyCustomers();
    emulator = await startEmulator({
      accessTokens: [token],
      seed: {
        customers: [...seeded, ...[51, 52, 53, 54, 55].map((n) => ({ id: customer(n) }))],
        validationCodes: [{ partnerId: "p", organizationName: "Contoso Government", validationId: "CG-424242", maxCreates: 100, remainingCreates: 100 }],
      },
    });
    workspace = new PulumiWorkspace({ cliDir, env: { PARTNERCENTER_BASE_URL: emulator.url, PARTNERCENTER_ACCESS_TOKEN: token } });
    stack = await RepoStack.init(workspace, STACK);
  });

  after(async () => {
    await stack?.remove();
    rmSync(workspace?.stateDir ?? "/nonexistent", { recursive: true, force: true });
    await emulator?.close();
  });

  it("applies a 50-customer list from stack config with one POST per new qualification", async () => {
    setEntries(fiftyCustomers().entries);
    await pulumi("up", "--yes").then((r) => assert.equal(r.code, 0, r.stdout + r.stderr));
    const sent = await posts();
    assert.equal(sent.length, 45, "45 new qualifications, 5 adopted");
    assert.equal(new Set(sent.map((p) => p.path)).size, 45, "one POST per customer");
    const gcc = sent.filter((p) => (p.body as { qualification?: string }).qualification === "GovernmentCommunityCloud");
    assert.equal(gcc.length, 9);
    assert.ok(
      gcc.every((p) => p.query.code === "CG-424242"),
      "the provider chose the partner's only code",
    );
    const outputs = JSON.parse((await pulumi("stack", "output", "--json")).stdout) as { vettingSummary: Record<string, number> };
    assert.deepEqual(outputs.vettingSummary, { Approved: 3, InReview: 27, NotVetted: 20 });
    await emulator.control.clearRequests();
    await pulumi("preview", "--expect-no-changes").then((r) => assert.equal(r.code, 0, r.stdout));
    assert.equal((await emulator.control.requests()).length, 0);
  });

  it("waitForVetting shows progress and ends Approved, Denied (kept in the stack) or timed out (kept)", async () => {
    await emulator.control.clearRequests();
    const wait = { timeoutInMs: 8_000, pollIntervalInMs: 500 };
    await emulator.control.scriptVetting(customer(51), { status: "Approved", afterMs: 1500 });
    await emulator.control.scriptVetting(customer(52), { status: "Denied", reason: "Not an Academic Domain", afterMs: 1500 });
    setEntries([
      ...entries,
      { customerId: customer(51), qualification: "Education", educationSegment: "K12", waitForVetting: wait },
      { customerId: customer(52), qualification: "Education", educationSegment: "K12", waitForVetting: wait },
      { customerId: customer(53), qualification: "Education", educationSegment: "K12", waitForVetting: wait },
    ]);
    // --continue-on-error: one customer's Denied must not stop the others (as in a real pipeline).
    const run = await pulumi("up", "--yes", "--continue-on-error");
    assert.notEqual(run.code, 0, "a Denied and a timed-out qualification fail the update");
    assert.match(run.stdout, /waiting for vetting: InReview/, "progress is shown while waiting");
    const diagnostics = diagnosticsOf(run);
    assert.doesNotMatch(diagnostics, /waiting for vetting/, "progress is ephemeral: not repeated in the summary");
    assert.match(diagnostics, /Education for customer 22222222-bbbb-4bbb-8bbb-000000000051: Approved after \d+ s of waiting/);
    assert.match(diagnostics, /Microsoft denied Education for customer 22222222-bbbb-4bbb-8bbb-000000000052: "Not an Academic Domain"/);
    assert.match(diagnostics, /Education for customer 22222222-bbbb-4bbb-8bbb-000000000053 is still InReview after \d+ s of waiting/);
    const state = await stateOf();
    assert.equal(state.get(`${customer(51)}/Education`)?.vettingStatus, "Approved");
    assert.equal(state.get(`${customer(52)}/Education`)?.vettingStatus, "Denied");
    assert.equal(state.get(`${customer(53)}/Education`)?.vettingStatus, "InReview");
    assert.equal((await posts()).length, 3);

    // The next run does not POST them again; the kept ones are checked once more.
    await emulator.control.clearRequests();
    await emulator.control.setVetting(customer(53), "Education", { status: "Approved" });
    const again = await pulumi("up", "--yes", "--continue-on-error");
    assert.equal((await posts()).length, 0, "nothing is POSTed again");
    assert.match(diagnosticsOf(again), /Microsoft denied Education for customer 22222222-bbbb-4bbb-8bbb-000000000052/);
    assert.equal((await stateOf()).get(`${customer(53)}/Education`)?.vettingStatus, "Approved");
    setEntries(entries.map(({ waitForVetting: _w, ...e }) => e));
    await pulumi("up", "--yes").then((r) => assert.equal(r.code, 0, r.stdout));
  });

  it("refuses an ambiguous validation-code choice before any POST, naming the candidates", async () => {
    await emulator.control.seed({
      validationCodes: [{ partnerId: "p", organizationName: "Fabrikam Region", validationId: "FR-515151", maxCreates: 5, remainingCreates: 5 }],
    });
    await emulator.control.clearRequests();
    setEntries([...entries, { customerId: customer(54), qualification: "GovernmentCommunityCloud" }]);
    const run = await pulumi("up", "--yes");
    assert.notEqual(run.code, 0);
    assert.match(
      run.stdout,
      /2 GCC validation codes have creates left; choose one with validationOrganization or validationCode: Contoso Government \(validationId \.\.\.4242, \d+ creates left\); Fabrikam Region \(validationId \.\.\.5151, 5 creates left\)/,
    );
    assert.ok(!run.stdout.includes("FR-515151") && !run.stdout.includes("CG-424242"), "no whole validation code in the output");
    assert.equal((await posts()).length, 0);
    setEntries(entries.slice(0, -1));
  });

  it("refuses Education and GCC for one customer in the list before any request", async () => {
    await emulator.control.clearRequests();
    setEntries([
      ...entries,
      { customerId: customer(55), qualification: "Education", educationSegment: "K12" },
      { customerId: customer(55), qualification: "GovernmentCommunityCloud" },
    ]);
    const run = await pulumi("up", "--yes");
    assert.notEqual(run.code, 0);
    assert.match(
      run.stdout + run.stderr,
      /customer 22222222-bbbb-4bbb-8bbb-000000000055 has GovernmentCommunityCloud here and Education at entry \d+; Partner Center refuses the two together/,
    );
    assert.equal((await emulator.control.requests()).length, 0);
    setEntries(entries.slice(0, -2));
  });

  const examples: ReadonlyArray<{ name: string; says: RegExp }> = [
    { name: "education", says: /"districtVetting": "Approved"/ },
    { name: "gcc-explicit-code", says: /"countyVetting": "InReview"/ },
    { name: "gcc-automatic-code", says: /"cityVetting": "InReview"[\s\S]*"createsLeftBefore"/ },
    { name: "state-owned-entity", says: /"soeVetting": "not vetted"/ },
    { name: "bulk-list", says: /"declared": 12/ },
  ];
  for (const example of examples) {
    it(`example ${example.name} runs by its one command`, async () => {
      const { stdout } = await promisify(execFile)("npm", ["run", "--silent", "example", "--", example.name], {
        cwd: REPO_ROOT,
        maxBuffer: 64 * 1024 * 1024,
        timeout: 10 * 60 * 1000,
      });
      assert.match(stdout, example.says);
      assert.match(stdout, /== Done: \d+ requests reached the emulator/);
    });
  }
});
