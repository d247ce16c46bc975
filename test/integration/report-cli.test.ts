/**
 * The partnercenter-report command as installed (dist/provider/report/report-cli.js; `npm test`
 * builds it first): bad input refused in one line with exit 2 and nothing written, a saved export
 * read from stdin, and `--live --customers-from` against the emulator (only those customers read).
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEVELOPMENT_ACCESS_TOKEN, startEmulator, type RunningEmulator, type SeedCustomer } from "partnercenter-emulator";
import type { VettingReport } from "../../provider/report";
import { runBuiltCommand, type Finished } from "../fixtures/built-command";
import { generateStateExport } from "../fixtures/state-export-generator";

const REPORT = join(__dirname, "..", "..", "dist", "provider", "report", "report-cli.js");
const customerId = (i: number): string => `99999999-1111-4111-8111-${String(i).padStart(12, "0")}`;

/** Ten customers; 0-4 hold a Denied Education, 5-9 GCC in review (from 2026-04-01) and StateOwnedEntity. */
const CUSTOMERS: SeedCustomer[] = Array.from({ length: 10 }, (_, i) => ({
  id: customerId(i),
  companyName: `Tailspin ${i}`,
  domain: `tailspin${i}.onmicrosoft.com`,
  qualifications:
    i < 5
      ? [{ qualification: "Education", vettingStatus: "Denied", vettingReason: "Not an Academic Domain", vettingCreateDate: "2026-04-01T00:00:00Z" }]
      : [
          { qualification: "GovernmentCommunityCloud", vettingStatus: "InReview", vettingCreateDate: "2026-04-01T00:00:00Z" },
          { qualification: "StateOwnedEntity" },
        ],
}));

/** The environment without PARTNERCENTER_* and CI variables, plus `extra`. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(PARTNERCENTER_|GITHUB_|TF_BUILD)/.test(key)) env[key] = value;
  return { ...env, ...extra };
}

/** Runs the command with `input` on its stdin. */
function runWithStdin(args: string[], input: string): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [REPORT, ...args], { env: cleanEnv() });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe("partnercenter-report, the command", function () {
  this.timeout(60_000);
  let work: string;
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ seed: { customers: CUSTOMERS } });
  });
  after(async () => emulator?.close());
  beforeEach(async () => {
    work = mkdtempSync(join(tmpdir(), "partnercenter-report-"));
    await emulator.control.clearRequests();
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  const refused: ReadonlyArray<{ name: string; args: (work: string) => string[]; says: RegExp }> = [
    {
      name: "an unknown --format",
      args: (w) => ["--state", join(w, "state.json"), "--format", "pdf", "--out", join(w, "r")],
      says: /^partnercenter-report: --format must be one of markdown, html, json .*; got "pdf"$/,
    },
    {
      name: "an unreadable --state",
      args: (w) => ["--state", join(w, "missing.json"), "--out", join(w, "r.md")],
      says: /^partnercenter-report: --state \S+missing\.json can't be read \(no such file\); it must be a file written by pulumi stack export, or - for stdin$/,
    },
    {
      name: "a --state that is not a Pulumi export",
      args: (w) => ["--state", join(w, "list.csv"), "--out", join(w, "r.md")],
      says: /^partnercenter-report: --state \S+list\.csv is not JSON; it must be the output of pulumi stack export$/,
    },
    {
      name: "an unknown --fail-on",
      args: (w) => ["--state", join(w, "state.json"), "--fail-on", "approved", "--out", join(w, "r.md")],
      says: /^partnercenter-report: --fail-on must be denied or waiting-over=<days> .*; got "approved"$/,
    },
    {
      name: "a --customers-from without --live",
      args: (w) => ["--customers-from", join(w, "list.csv"), "--out", join(w, "r.md")],
      says: /^partnercenter-report: --customers-from goes with --live/,
    },
    {
      name: "a --live without a credential",
      args: (w) => ["--live", "--out", join(w, "r.md")],
      says: /^partnercenter-report: No Partner Center credential: set /m,
    },
  ];
  for (const r of refused) {
    it(`exits 2 on ${r.name}, in one line, writing nothing and sending nothing`, async () => {
      writeFileSync(join(work, "state.json"), JSON.stringify(generateStateExport({ entries: 3 })));
      writeFileSync(join(work, "list.csv"), `customerId,qualification\n${customerId(0)},StateOwnedEntity\n`);
      const before = readdirSync(work).sort();
      const run = await runBuiltCommand(REPORT, r.args(work), { env: cleanEnv({ PARTNERCENTER_BASE_URL: emulator.url }) });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr.trimEnd(), r.says);
      assert.equal(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
      assert.equal(run.stdout, "");
      assert.deepEqual(readdirSync(work).sort(), before, "nothing written");
      assert.deepEqual(await emulator.control.requests(), []);
    });
  }

  it("--live with nothing listening at the URL: the cause once, exit 3, and no report written over an earlier one", async () => {
    const out = join(work, "vetting.md");
    writeFileSync(out, "an earlier report\n");
    const result = await runBuiltCommand(REPORT, ["--live", "--format", "markdown", "--out", out], {
      env: cleanEnv({ PARTNERCENTER_BASE_URL: "http://127.0.0.1:9", PARTNERCENTER_ACCESS_TOKEN: DEVELOPMENT_ACCESS_TOKEN }),
    });
    assert.equal(result.code, 3, result.stderr);
    assert.equal(result.stderr.split("Partner Center at http://127.0.0.1:9 is unreachable: ").length, 2, `the cause once:\n${result.stderr}`);
    assert.match(result.stderr, /^partnercenter-report: no report written$/m);
    assert.equal(readFileSync(out, "utf8"), "an earlier report\n");
  });

  it("reads a saved export from stdin (--state -)", async () => {
    const run = await runWithStdin(["--state", "-", "--format", "json"], JSON.stringify(generateStateExport({ entries: 30, stack: "shard-2" })));
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as VettingReport;
    assert.equal(report.totals.entries, 30);
    assert.deepEqual(report.source, {
      kind: "stack",
      stacks: [{ stack: "shard-2", project: "partnercenter-qualifications", stateTime: "2026-05-04T09:00:00.000Z", file: "-", entries: 30 }],
    });
  });

  it("--live --customers-from reads only the listed customers, with names, and says which are not the partner's (exit 3)", async () => {
    const list = join(work, "customers.yaml");
    const stranger = "12345678-aaaa-4aaa-8aaa-123456789abc";
    writeFileSync(
      list,
      [
        "config:",
        "  partnercenter-qualifications:qualifications:",
        ...[1, 7, 8].map((i) => `    - { customerId: ${customerId(i)}, qualification: StateOwnedEntity }`),
        `    - { customerId: ${stranger}, qualification: StateOwnedEntity }`,
        "",
      ].join("\n"),
    );
    const run = await runBuiltCommand(REPORT, ["--live", "--customers-from", list, "--format", "json"], {
      env: cleanEnv({ PARTNERCENTER_BASE_URL: emulator.url, PARTNERCENTER_ACCESS_TOKEN: DEVELOPMENT_ACCESS_TOKEN }),
    });
    assert.equal(run.code, 3, run.stderr);
    const report = JSON.parse(run.stdout) as VettingReport;
    assert.deepEqual(
      report.denied.map((d) => [d.customerId, d.companyName, d.domain, d.reason]),
      [[customerId(1), "Tailspin 1", "tailspin1.onmicrosoft.com", "Not an Academic Domain"]],
    );
    assert.deepEqual(
      report.waiting.map((w) => w.customerId),
      [customerId(7), customerId(8)],
    );
    assert.deepEqual(report.problems, [`1 customer is not among the partner's customers: ${stranger}`]);
    assert.match(run.stderr, new RegExp(`INCOMPLETE: 1 customer is not among the partner's customers: ${stranger}`));
    const requests = await emulator.control.requests();
    assert.ok(requests.every((r) => r.method === "GET"));
    assert.deepEqual(
      requests
        .filter((r) => r.path.endsWith("/qualifications"))
        .map((r) => r.path)
        .sort(),
      [1, 7, 8].map((i) => `/v1/customers/${customerId(i)}/qualifications`),
    );
  });
});
