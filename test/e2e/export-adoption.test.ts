/**
 * Day one under the real Pulumi CLI: 2,500 customers, one in 25 of them already holding
 * qualifications. `partnercenter-export` writes the list with every entry adoptOnly, and `pulumi up`
 * of the list exactly as written adopts everything without a POST (one read per customer); a
 * `pulumi preview` afterwards finds nothing to do and sends nothing. Both formats and both resource
 * forms: YAML in the repository's stack program (the dynamic resource, settings read with
 * `--stack`), and CSV in a user's program of the installed package (`native.CustomerQualification`,
 * settings from the environment). Then what adoptOnly refuses: an entry whose qualification the
 * customer never held, and one whose qualification vanished after adoption, each fail with 0 POSTs
 * while the other entries of the same `up --continue-on-error` converge.
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { DEFAULT_CONFIG_KEY } from "../../provider/export";
import { runBuiltCommand, type Finished } from "../fixtures/built-command";
import { preparePackedProgram } from "../fixtures/packed-package";
import { startEmulator, type LoggedRequest, type RunningEmulator, type SeedCustomer, type StoredQualification } from "partnercenter-emulator";
import { PulumiWorkspace, REPO_ROOT, ensurePulumiCli, type PulumiRun } from "../../scripts/pulumi-workspace";

const STACK = "e2e-export-adoption";
const STACK_FILE = join(REPO_ROOT, `Pulumi.${STACK}.yaml`);
const EXPORT = join(REPO_ROOT, "dist", "provider", "export", "export-cli.js");
const CUSTOMERS = 2500;

const customerId = (n: number): string => `33333333-cccc-4ccc-8ccc-${String(n).padStart(12, "0")}`;

/** Every 25th customer holds Education, GCC, StateOwnedEntity or a pair; customer 20 a Denied Education; the rest nothing. */
function heldBy(n: number): StoredQualification[] {
  const vetted = (qualification: string, vettingStatus: string): StoredQualification => ({
    qualification,
    vettingStatus,
    vettingCreateDate: "2021-05-06T19:59:56Z",
  });
  const soe: StoredQualification = { qualification: "StateOwnedEntity" };
  if (n === 20) return [{ qualification: "Education", vettingStatus: "Denied", vettingReason: "Not an Education Customer" }];
  if (n % 25 !== 0) return [];
  return [
    [vetted("Education", "Approved")],
    [vetted("Education", "InReview")],
    [vetted("GovernmentCommunityCloud", "Approved")],
    [vetted("GovernmentCommunityCloud", "InReview")],
    [soe],
    [vetted("Education", "Approved"), soe],
    [vetted("GovernmentCommunityCloud", "Approved"), soe],
    [soe],
  ][(n / 25) % 8] as StoredQualification[];
}

const seed = (): SeedCustomer[] =>
  Array.from({ length: CUSTOMERS }, (_, i) => ({
    id: customerId(i + 1),
    companyName: `Tailspin ${i + 1}`,
    domain: `tailspin${i + 1}.onmicrosoft.com`,
    qualifications: heldBy(i + 1),
  }));

/** Every qualification the seed holds, as `<customerId>/<Qualification>`. */
const seededKeys = (): string[] =>
  seed()
    .flatMap((c) => (c.qualifications ?? []).map((q) => `${c.id}/${q.qualification}`))
    .sort();

/** The qualification reads of a request log, and the customers they read. */
function qualificationReads(log: readonly LoggedRequest[]): { reads: number; customers: Set<string> } {
  const reads = log.filter((r) => r.method === "GET" && /^\/v1\/customers\/[^/]+\/qualifications$/.test(r.path));
  return { reads: reads.length, customers: new Set(reads.map((r) => r.path.split("/")[3] ?? "")) };
}

/** Runs the built partnercenter-export with the given environment. */
function runExport(cwd: string, env: Record<string, string>, args: string[]): Promise<Finished> {
  return runBuiltCommand(EXPORT, args, { cwd, env });
}

/** The stack file as it is, with the export's `config:` entries added under its own `config:`, byte for byte. */
function merged(stackFile: string, exported: string): string {
  const lines = exported.split("\n");
  return `${stackFile.trimEnd()}\n${lines.slice(lines.indexOf("config:") + 1).join("\n")}`;
}

/** A user's program: the exported CSV, declared as native resources, served by the package's plugin. */
const NATIVE_CSV_PROGRAM = `import { readFileSync } from "node:fs";
import { join } from "node:path";
import { countByVettingStatus, native, readCustomerListCsv } from "pulumi-partnercenter";

const file = join(__dirname, "qualifications.csv");
export const vettingSummary = countByVettingStatus(native.declareCustomerQualifications(readCustomerListCsv(readFileSync(file, "utf8"), file)));
`;

describe("adopting 2,500 customers as exported: partnercenter-export, then pulumi up of the list as written", function () {
  this.timeout(60 * 60 * 1000);

  let emulator: RunningEmulator;
  let workspace: PulumiWorkspace;
  let work: string;
  let stackFileBefore = "";
  let exported = "";
  const token = `e2e-${randomBytes(24).toString("base64url")}`;
  const requests = (): Promise<LoggedRequest[]> => emulator.control.requests();
  const posts = async (): Promise<LoggedRequest[]> => (await requests()).filter((r) => r.method === "POST");

  before(async () => {
    const cliDir = ensurePulumiCli();
    emulator = await startEmulator({ accessTokens: [token], seed: { customers: seed() } });
    work = mkdtempSync(join(tmpdir(), "partnercenter-export-e2e-"));
    workspace = new PulumiWorkspace({ cliDir, stateDir: join(work, "pulumi") });
  });

  after(async () => {
    if (workspace !== undefined) await workspace.run(REPO_ROOT, ["stack", "rm", "--yes", "--force", STACK]);
    rmSync(STACK_FILE, { force: true });
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
    await emulator?.close();
  });

  describe("YAML, the dynamic resource (the repository's stack program)", () => {
    const pulumi = (...args: string[]): Promise<PulumiRun> => workspace.run(REPO_ROOT, [...args, "--stack", STACK]);

    before(async () => {
      await workspace.ok(REPO_ROOT, ["stack", "init", STACK]);
      await workspace.ok(REPO_ROOT, ["config", "set", "--stack", STACK, "partnercenter:baseUrl", emulator.url]);
      await workspace.ok(REPO_ROOT, ["config", "set", "--stack", STACK, "--secret", "--", "partnercenter:accessToken", token]);
      stackFileBefore = readFileSync(STACK_FILE, "utf8");
    });

    it("exports with the stack's own settings: every entry adoptOnly, no TODO, one read per customer, no secret shown", async () => {
      await emulator.control.clearRequests();
      const out = join(work, "qualifications.yaml");
      const run = await runExport(REPO_ROOT, workspace.env, ["--stack", STACK, "--include-denied", "--out", out]);
      assert.equal(run.code, 0, run.stderr);
      exported = readFileSync(out, "utf8");
      assert.ok(!`${run.stdout}${run.stderr}${exported}`.includes(token), "the access token appears nowhere");
      assert.ok(!exported.includes("TODO"), "nothing left to fill in");
      const entries = (parse(exported) as { config: Record<string, Array<Record<string, unknown>>> }).config[DEFAULT_CONFIG_KEY] ?? [];
      assert.deepEqual(entries.map((e) => `${String(e.customerId)}/${String(e.qualification)}`).sort(), seededKeys());
      assert.ok(entries.every((e) => e.adoptOnly === true && e.educationSegment === undefined));
      assert.match(
        exported,
        new RegExp(`- customerId: ${customerId(20)} # Tailspin 20 \\(tailspin20\\.onmicrosoft\\.com\\), Denied: Not an Education Customer\\n`),
      );
      const log = await requests();
      assert.equal(log.filter((r) => r.path === "/v1/customers").length, 5, "⌈2,500 / 500⌉ pages");
      assert.equal(qualificationReads(log).reads, CUSTOMERS);
      assert.equal(log.length, 5 + CUSTOMERS, "nothing else");
    });

    it("pulumi up of the list exactly as written adopts every qualification: 0 POSTs, one read per listed customer", async () => {
      writeFileSync(STACK_FILE, merged(stackFileBefore, exported));
      await emulator.control.clearRequests();
      const run = await pulumi("up", "--yes");
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /adopted as Denied \(Not an Education Customer\)/);
      const log = await requests();
      assert.deepEqual(await posts(), [], "nothing created");
      const listed = new Set(seededKeys().map((key) => key.split("/")[0] ?? ""));
      const { reads, customers } = qualificationReads(log);
      assert.equal(reads, listed.size, "one read per customer");
      assert.deepEqual([...customers].sort(), [...listed].sort());
      assert.equal(log.length, reads, "no other request (no validation codes for the GCC ones)");
    });

    it("then pulumi preview shows 0 changes and sends no request", async () => {
      await emulator.control.clearRequests();
      const run = await pulumi("preview", "--expect-no-changes");
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.deepEqual(await requests(), []);
    });

    it("refuses, with 0 POSTs, an adoptOnly entry the customer never held and one that vanished, while the rest of the up converges", async () => {
      const vanished = customerId(125); // StateOwnedEntity, adopted above
      await emulator.control.forgetQualification(vanished, "StateOwnedEntity");
      const neverHeld = customerId(1);
      const created = customerId(2);
      const added = [
        `    - customerId: ${neverHeld}`,
        "      qualification: Education",
        "      adoptOnly: true",
        `    - customerId: ${created}`,
        "      qualification: StateOwnedEntity",
        "",
      ].join("\n");
      writeFileSync(STACK_FILE, `${merged(stackFileBefore, exported).trimEnd()}\n${added}`);
      await emulator.control.clearRequests();
      const run = await pulumi("up", "--yes", "--refresh", "--continue-on-error");
      const output = run.stdout + run.stderr;
      assert.notEqual(run.code, 0, output);
      for (const [customer, qualification] of [
        [neverHeld, "Education"],
        [vanished, "StateOwnedEntity"],
      ]) {
        assert.match(
          output,
          new RegExp(
            `Refused to adopt ${qualification} for customer ${customer}: the customer does not hold ${qualification} and adoptOnly is set, so nothing was created; to create it, remove adoptOnly and give what creating needs`,
          ),
        );
      }
      assert.deepEqual(
        (await posts()).map((r) => r.path),
        [`/v1/customers/${created}/qualifications`],
        "one POST: the entry that may create",
      );
      const state = JSON.parse((await workspace.ok(REPO_ROOT, ["stack", "export", "--stack", STACK])).stdout) as {
        deployment: { resources?: Array<{ id?: string; type: string }> };
      };
      const ids = (state.deployment.resources ?? [])
        .filter((r) => r.type.endsWith("partnercenter:CustomerQualification"))
        .map((r) => r.id ?? "")
        .sort();
      const expected = [...seededKeys().filter((key) => key !== `${vanished}/StateOwnedEntity`), `${created}/StateOwnedEntity`].sort();
      assert.deepEqual(ids, expected, "every other entry is in state; the refused ones are not");
    });
  });

  describe("CSV, the native plugin (a user's program of the installed package)", () => {
    let programDir: string;
    const env = (): Record<string, string> => ({ ...workspace.env, PARTNERCENTER_BASE_URL: emulator.url, PARTNERCENTER_ACCESS_TOKEN: token });
    const pulumi = (...args: string[]): Promise<PulumiRun> => workspace.run(programDir, [...args, "--stack", "native-csv"]);

    before(async () => {
      ({ programDir } = await preparePackedProgram(join(work, "native"), "0.1.1-e2e", { program: NATIVE_CSV_PROGRAM }));
      const yaml = readFileSync(join(programDir, "Pulumi.yaml"), "utf8");
      writeFileSync(
        join(programDir, "Pulumi.yaml"),
        `${yaml}plugins:\n  providers:\n    - name: partnercenter\n      path: ./node_modules/pulumi-partnercenter/bin\n`,
      );
      await workspace.ok(programDir, ["stack", "init", "native-csv"]);
      await workspace.ok(programDir, ["config", "set", "--stack", "native-csv", "partnercenter:baseUrl", emulator.url]);
      await workspace.ok(programDir, ["config", "set", "--stack", "native-csv", "--secret", "--", "partnercenter:accessToken", token]);
    });

    it("exports CSV from the environment's settings, and pulumi up of it as written adopts everything: 0 POSTs, one read per customer", async () => {
      const run = await runExport(programDir, env(), ["--include-denied", "--out", "qualifications.csv"]);
      assert.equal(run.code, 0, run.stderr);
      const csv = readFileSync(join(programDir, "qualifications.csv"), "utf8");
      assert.equal(
        csv.split("\n").find((line) => !line.startsWith("#")),
        "customerId,qualification,educationSegment,adoptOnly",
      );
      assert.ok(!csv.includes("TODO"));
      const rows = csv.split("\n").filter((line) => /^[0-9a-f-]{36},/.test(line));
      // What the customers hold now: the seed, less the one that vanished above, plus the one created there.
      const held = [...seededKeys().filter((key) => key !== `${customerId(125)}/StateOwnedEntity`), `${customerId(2)}/StateOwnedEntity`].sort();
      assert.deepEqual(rows.map((row) => row.split(",").slice(0, 2).join("/")).sort(), held);

      await emulator.control.clearRequests();
      const up = await pulumi("up", "--yes");
      assert.equal(up.code, 0, up.stdout + up.stderr);
      assert.deepEqual(await posts(), [], "nothing created");
      const log = await requests();
      const { reads, customers } = qualificationReads(log);
      const listed = new Set(held.map((key) => key.split("/")[0] ?? ""));
      assert.equal(reads, listed.size, "one read per customer");
      assert.deepEqual([...customers].sort(), [...listed].sort());
      assert.equal(log.length, reads);
      const summary = JSON.parse((await pulumi("stack", "output", "vettingSummary", "--json")).stdout) as Record<string, number>;
      assert.equal(
        Object.values(summary).reduce((a, b) => a + b, 0),
        rows.length,
      );
    });

    it("then pulumi preview shows 0 changes and sends no request", async () => {
      await emulator.control.clearRequests();
      const run = await pulumi("preview", "--expect-no-changes");
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.deepEqual(await requests(), []);
    });
  });
});
