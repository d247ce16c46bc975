/**
 * `partnercenter-report` under the real Pulumi CLI: one stack against the emulator, where Microsoft
 * (the emulator) approves an Education qualification, denies a GCC one with a reason and leaves a
 * second Education waiting. The report shows exactly those in every format: from `--stack` (no
 * request to Partner Center), from a saved `--state` export, and `--live` (GET requests only), and
 * never the GCC validation code or the access token.
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { VettingReport } from "../../provider/report";
import { startEmulator, type RunningEmulator, type SeedCustomer } from "partnercenter-emulator";
import { runBuiltCommand, type Finished } from "../fixtures/built-command";
import { PulumiWorkspace, REPO_ROOT, ensurePulumiCli } from "../../scripts/pulumi-workspace";

const STACK = "e2e-report";
const STACK_FILE = join(REPO_ROOT, `Pulumi.${STACK}.yaml`);
const REPORT = join(REPO_ROOT, "dist", "provider", "report", "report-cli.js");
const CODE = "RPT-GCC-CODE-424242";
const REASON = "Not an eligible Museum";

const APPROVED = "66666666-ffff-4fff-8fff-000000000001";
const DENIED = "66666666-ffff-4fff-8fff-000000000002";
const WAITING = "66666666-ffff-4fff-8fff-000000000003";

const customers: SeedCustomer[] = [
  { id: APPROVED, companyName: "Contoso School District", domain: "contoso.onmicrosoft.com" },
  { id: DENIED, companyName: "Woodgrove County", domain: "woodgrove.onmicrosoft.com" },
  { id: WAITING, companyName: "Fabrikam University", domain: "fabrikam.onmicrosoft.com" },
];

const LIST = [
  "  partnercenter-qualifications:qualifications:",
  `    - { customerId: ${APPROVED}, qualification: Education, educationSegment: K12 }`,
  `    - { customerId: ${DENIED}, qualification: GovernmentCommunityCloud }`,
  `    - { customerId: ${WAITING}, qualification: Education, educationSegment: HigherEducation }`,
].join("\n");

/** What every source must report, whatever it adds (company names, resource names). */
function assertTheThree(report: VettingReport): void {
  const counts = Object.fromEntries(report.counts.map((r) => [r.qualification, r.byStatus]));
  assert.deepEqual(counts.Education, { Approved: 1, InReview: 1, Denied: 0, NotVetted: 0 });
  assert.deepEqual(counts.GovernmentCommunityCloud, { Approved: 0, InReview: 0, Denied: 1, NotVetted: 0 });
  assert.deepEqual(counts.StateOwnedEntity, { Approved: 0, InReview: 0, Denied: 0, NotVetted: 0 });
  assert.deepEqual(
    report.denied.map((d) => [d.customerId, d.qualification, d.reason]),
    [[DENIED, "GovernmentCommunityCloud", REASON]],
  );
  assert.deepEqual(
    report.waiting.map((w) => [w.customerId, w.qualification, w.status, w.daysWaiting]),
    [[WAITING, "Education", "InReview", 0]],
  );
  assert.ok(report.denied.every((d) => d.vettingCreateDate !== undefined));
}

describe("partnercenter-report under the real Pulumi CLI", function () {
  this.timeout(30 * 60 * 1000);

  let emulator: RunningEmulator;
  let workspace: PulumiWorkspace;
  let work: string;
  const token = `e2e-${randomBytes(24).toString("base64url")}`;

  const report = (args: string[], env: Record<string, string> = {}): Promise<Finished> =>
    runBuiltCommand(REPORT, args, { cwd: REPO_ROOT, env: { ...workspace.env, ...env } });
  const noSecretIn = (...texts: string[]): void => {
    for (const text of texts) {
      assert.ok(!text.includes(CODE), "the validation code appears nowhere");
      assert.ok(!text.includes(token), "the access token appears nowhere");
    }
  };

  before(async () => {
    const cliDir = ensurePulumiCli();
    emulator = await startEmulator({
      accessTokens: [token],
      seed: { customers, validationCodes: [{ partnerId: "p", organizationName: "Woodgrove County", validationId: CODE, maxCreates: 5, remainingCreates: 5 }] },
    });
    work = mkdtempSync(join(tmpdir(), "partnercenter-report-e2e-"));
    workspace = new PulumiWorkspace({ cliDir });
    await workspace.ok(REPO_ROOT, ["stack", "init", STACK]);
    await workspace.ok(REPO_ROOT, ["config", "set", "--stack", STACK, "partnercenter:baseUrl", emulator.url]);
    await workspace.ok(REPO_ROOT, ["config", "set", "--stack", STACK, "--secret", "--", "partnercenter:accessToken", token]);
    writeFileSync(STACK_FILE, `${readFileSync(STACK_FILE, "utf8").trimEnd()}\n${LIST}\n`);
  });

  after(async () => {
    if (workspace !== undefined) await workspace.run(REPO_ROOT, ["stack", "rm", "--yes", "--force", STACK]);
    rmSync(STACK_FILE, { force: true });
    rmSync(workspace?.stateDir ?? "/nonexistent", { recursive: true, force: true });
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
    await emulator?.close();
  });

  it("up POSTs the three; Microsoft approves one, denies the GCC one, leaves one waiting; refresh records it", async () => {
    const up = await workspace.run(REPO_ROOT, ["up", "--yes", "--stack", STACK]);
    assert.equal(up.code, 0, up.stdout + up.stderr);
    await emulator.control.setVetting(APPROVED, "Education", { status: "Approved" });
    await emulator.control.setVetting(DENIED, "GovernmentCommunityCloud", { status: "Denied", reason: REASON });
    await workspace.ok(REPO_ROOT, ["refresh", "--yes", "--stack", STACK]);
  });

  it("--stack: markdown, html and json show exactly those, appended to the job summary, without a request to Partner Center", async () => {
    await emulator.control.clearRequests();
    const summary = join(work, "step-summary.md");
    writeFileSync(summary, "earlier step\n");
    const run = await report(["--stack", STACK, "--format", "markdown,html,json", "--out", join(work, "vetting-report")], { GITHUB_STEP_SUMMARY: summary });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await emulator.control.requests(), [], "state only: no request");
    const [markdown, page, json] = ["md", "html", "json"].map((ext) => readFileSync(join(work, `vetting-report.${ext}`), "utf8")) as [string, string, string];
    const model = JSON.parse(json) as VettingReport;
    assertTheThree(model);
    assert.equal(model.source.kind === "stack" && model.source.stacks[0]?.backend, workspace.env.PULUMI_BACKEND_URL, "the backend, as pulumi whoami says");
    assert.match(markdown, new RegExp(`\\| \`${DENIED}\` \\| GovernmentCommunityCloud \\| ${REASON} \\| \\d{4}-\\d\\d-\\d\\d \\|`));
    assert.match(markdown, new RegExp(`\\| \`${WAITING}\` \\| Education \\| InReview \\| \\d{4}-\\d\\d-\\d\\d \\| 0 \\|`));
    assert.deepEqual(
      model.denied.map((d) => [d.resourceName, d.stack]),
      [[`${DENIED}-GovernmentCommunityCloud`, STACK]],
    );
    assert.match(markdown, /\| Education \| 1 \| 1 \| 0 \| 0 \| 2 \|/);
    assert.equal(readFileSync(summary, "utf8"), `earlier step\n${markdown}`);
    const deniedRows = /<table id="denied-table">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(page)?.[1]?.match(/<tr>/g)?.length;
    assert.equal(deniedRows, 1);
    assert.ok(page.includes(`<td>${REASON}</td>`) && page.includes(`data-status="Denied" data-count="1"`));
    noSecretIn(markdown, page, json, run.stdout, run.stderr);
  });

  it("--state: a saved export gives the same report, and --fail-on denied exits 1 after writing it", async () => {
    const saved = join(work, "state.json");
    writeFileSync(saved, (await workspace.ok(REPO_ROOT, ["stack", "export", "--stack", STACK])).stdout);
    const out = join(work, "from-state.json");
    const run = await report(["--state", saved, "--format", "json", "--out", out, "--fail-on", "denied"]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /--fail-on denied: 1 qualification is Denied, the newest GovernmentCommunityCloud of customer 66666666-ffff-4fff-8fff-000000000002/,
    );
    assertTheThree(JSON.parse(readFileSync(out, "utf8")) as VettingReport);
    const waitingOver = await report(["--state", saved, "--format", "json", "--out", out, "--fail-on", "waiting-over=0"]);
    assert.equal(waitingOver.code, 0, "0 days waited is not over 0");
  });

  it("--live: Partner Center now, with company names, through GET requests only; attached to an Azure Pipelines summary", async () => {
    await emulator.control.clearRequests();
    const out = join(work, "live.md");
    const run = await report(["--live", "--stack", STACK, "--format", "markdown", "--out", out], { TF_BUILD: "True" });
    assert.equal(run.code, 0, run.stderr);
    const requests = await emulator.control.requests();
    assert.deepEqual([...new Set(requests.map((r) => r.method))], ["GET"]);
    assert.deepEqual(requests.map((r) => r.path).sort(), ["/v1/customers", ...customers.map((c) => `/v1/customers/${c.id}/qualifications`)].sort());
    assert.equal(run.stdout, `##vso[task.uploadsummary]${out}\n`);
    const markdown = readFileSync(out, "utf8");
    assert.match(
      markdown,
      new RegExp(`\\| \`${DENIED}\` \\| Woodgrove County \\(woodgrove\\.onmicrosoft\\.com\\) \\| GovernmentCommunityCloud \\| ${REASON} \\|`),
    );
    assert.match(markdown, /Read live from Partner Center at http:\/\/127\.0\.0\.1:\d+ \(GET requests only\): 3 of 3 customers read/);
    const json = await report(["--live", "--stack", STACK, "--format", "json"]);
    assertTheThree(JSON.parse(json.stdout) as VettingReport);
    noSecretIn(markdown, run.stderr, json.stdout, json.stderr);
  });

  it("a stack that does not exist is refused in one line, exit 2, nothing written", async () => {
    const out = join(work, "nothing.md");
    const run = await report(["--stack", "no-such-stack", "--out", out]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^partnercenter-report: --stack no-such-stack: pulumi stack export failed .*\n$/);
    assert.throws(() => readFileSync(out), /ENOENT/);
  });
});
