/**
 * Day one under the real Pulumi CLI: customers already hold qualifications; `partnercenter-export
 * --stack` (settings from the stack's config, read by the pulumi CLI) writes the list, the
 * repository's stack program refuses it until a person fills in the Education segments, then
 * `pulumi up` adopts every qualification without a POST and `pulumi preview` finds nothing to do.
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { DEFAULT_CONFIG_KEY } from "../../provider/export";
import { runBuiltCommand, type Finished } from "../fixtures/built-command";
import { startEmulator, type LoggedRequest, type RunningEmulator, type SeedCustomer, type StoredQualification } from "../../emulator";
import { PulumiWorkspace, REPO_ROOT, ensurePulumiCli, type PulumiRun } from "../../scripts/pulumi-workspace";

const STACK = "e2e-export-adoption";
const STACK_FILE = join(REPO_ROOT, `Pulumi.${STACK}.yaml`);
const EXPORT = join(REPO_ROOT, "dist", "provider", "export", "export-cli.js");

const customerId = (n: number): string => `33333333-cccc-4ccc-8ccc-${String(n).padStart(12, "0")}`;

/** Customers 1-39 hold Education, GCC, StateOwnedEntity or a pair; 40 a Denied Education; 41-50 nothing. */
function heldBy(n: number): StoredQualification[] {
  const vetted = (qualification: string, vettingStatus: string): StoredQualification => ({ qualification, vettingStatus, vettingCreateDate: "2021-05-06T19:59:56Z" });
  const soe: StoredQualification = { qualification: "StateOwnedEntity" };
  if (n === 40) return [{ qualification: "Education", vettingStatus: "Denied", vettingReason: "Not an Education Customer" }];
  if (n > 40) return [];
  return [
    [vetted("Education", "Approved")],
    [vetted("Education", "InReview")],
    [vetted("GovernmentCommunityCloud", "Approved")],
    [vetted("GovernmentCommunityCloud", "InReview")],
    [soe],
    [vetted("Education", "Approved"), soe],
    [vetted("GovernmentCommunityCloud", "Approved"), soe],
    [soe],
  ][n % 8] as StoredQualification[];
}

const seed = (): SeedCustomer[] =>
  Array.from({ length: 50 }, (_, i) => ({ id: customerId(i + 1), companyName: `Tailspin ${i + 1}`, domain: `tailspin${i + 1}.onmicrosoft.com`, qualifications: heldBy(i + 1) }));

interface ListedEntry {
  customerId: string;
  qualification: string;
  educationSegment?: string;
}

/** Runs the built partnercenter-export in the repository, with the workspace's environment (pulumi on PATH, no PARTNERCENTER_*). */
function runExport(env: Record<string, string>, args: string[]): Promise<Finished> {
  return runBuiltCommand(EXPORT, args, { cwd: REPO_ROOT, env });
}

/** The stack file as it is, with the export's `config:` entries added under its own `config:`. */
function merged(stackFile: string, exported: string): string {
  const lines = exported.split("\n");
  return `${stackFile.trimEnd()}\n${lines.slice(lines.indexOf("config:") + 1).join("\n")}`;
}

describe("adopting an existing customer base: partnercenter-export, then pulumi up", function () {
  this.timeout(60 * 60 * 1000);

  let emulator: RunningEmulator;
  let workspace: PulumiWorkspace;
  let work: string;
  let stackFileBefore = "";
  let exported = "";
  let entries: ListedEntry[] = [];
  const token = `e2e-${randomBytes(24).toString("base64url")}`;

  const pulumi = (...args: string[]): Promise<PulumiRun> => workspace.run(REPO_ROOT, [...args, "--stack", STACK]);
  const requests = (): Promise<LoggedRequest[]> => emulator.control.requests();

  before(async () => {
    const cliDir = ensurePulumiCli();
    emulator = await startEmulator({ accessTokens: [token], seed: { customers: seed() } });
    work = mkdtempSync(join(tmpdir(), "partnercenter-export-e2e-"));
    workspace = new PulumiWorkspace({ cliDir });
    await workspace.ok(REPO_ROOT, ["stack", "init", STACK]);
    await workspace.ok(REPO_ROOT, ["config", "set", "--stack", STACK, "partnercenter:baseUrl", emulator.url]);
    await workspace.ok(REPO_ROOT, ["config", "set", "--stack", STACK, "--secret", "--", "partnercenter:accessToken", token]);
    stackFileBefore = readFileSync(STACK_FILE, "utf8");
  });

  after(async () => {
    if (workspace !== undefined) await workspace.run(REPO_ROOT, ["stack", "rm", "--yes", "--force", STACK]);
    rmSync(STACK_FILE, { force: true });
    rmSync(workspace?.stateDir ?? "/nonexistent", { recursive: true, force: true });
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
    await emulator?.close();
  });

  it("exports what 40 customers hold with the stack's own settings: one page and one read per customer, no secret shown", async () => {
    await emulator.control.clearRequests();
    const out = join(work, "qualifications.yaml");
    const run = await runExport(workspace.env, ["--stack", STACK, "--include-denied", "--out", out]);
    assert.equal(run.code, 0, run.stderr);
    exported = readFileSync(out, "utf8");
    assert.ok(!`${run.stdout}${run.stderr}${exported}`.includes(token), "the access token appears nowhere");
    entries = (parse(exported) as { config: Record<string, ListedEntry[]> }).config[DEFAULT_CONFIG_KEY] ?? [];
    const expected = seed().flatMap((c) => (c.qualifications ?? []).map((q) => `${c.id}/${q.qualification}`)).sort();
    assert.deepEqual(entries.map((e) => `${e.customerId}/${e.qualification}`).sort(), expected);
    assert.match(exported, new RegExp(`- customerId: ${customerId(40)} # Tailspin 40 \\(tailspin40\\.onmicrosoft\\.com\\), Denied: Not an Education Customer\\n`));
    const log = await requests();
    assert.equal(log.filter((r) => r.path === "/v1/customers").length, 1);
    assert.equal(log.filter((r) => r.path.endsWith("/qualifications")).length, 50);
    assert.equal(log.length, 51);
  });

  it("the raw export is refused before any request, naming exactly the Education entries a person must complete", async () => {
    writeFileSync(STACK_FILE, merged(stackFileBefore, exported));
    await emulator.control.clearRequests();
    const run = await pulumi("up", "--yes");
    assert.notEqual(run.code, 0);
    const output = run.stdout + run.stderr;
    const named = [...output.matchAll(/entry (\d+): educationSegment is required for Education: K12 or HigherEducation/g)].map((m) => Number(m[1]));
    const education = entries.flatMap((e, i) => (e.qualification === "Education" ? [i + 1] : []));
    assert.equal(education.length, 15);
    assert.deepEqual([...new Set(named)].sort((a, b) => a - b), education);
    assert.deepEqual(await requests(), []);
  });

  it("with the segments filled in, pulumi up adopts every qualification: 0 POSTs, one read per customer", async () => {
    const filled = exported.replace(/^( +)# TODO: educationSegment .*$/gm, "$1educationSegment: K12");
    writeFileSync(STACK_FILE, merged(stackFileBefore, filled));
    await emulator.control.clearRequests();
    const run = await pulumi("up", "--yes");
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /adopted as Denied \(Not an Education Customer\)/);
    const log = await requests();
    assert.equal(log.filter((r) => r.method === "POST").length, 0, "nothing created");
    const reads = log.filter((r) => r.method === "GET" && r.path.endsWith("/qualifications"));
    const customers = new Set(entries.map((e) => e.customerId)).size;
    assert.equal(customers, 40);
    assert.ok(reads.length <= customers, `${reads.length} qualification reads for ${customers} customers`);
    assert.equal(new Set(reads.map((r) => r.path)).size, customers, "every customer read");
    assert.equal(log.length, reads.length, "no other request (no validation codes for the GCC ones)");
    const outputs = JSON.parse((await pulumi("stack", "output", "--json")).stdout) as { vettingSummary: Record<string, number> };
    assert.deepEqual(outputs.vettingSummary, { Approved: 19, Denied: 1, InReview: 10, NotVetted: 20 });
  });

  it("then pulumi preview shows no changes and sends no request", async () => {
    await emulator.control.clearRequests();
    const run = await pulumi("preview", "--expect-no-changes");
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(await requests(), []);
  });
});
