/**
 * The partnercenter-export command as installed (dist/provider/export/export-cli.js; `npm test`
 * builds it first), against the emulator and its identity endpoint: exit codes, what goes to
 * stdout, stderr and --out, and that bad input is refused before any request.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parse } from "yaml";
import { readCustomerListCsv } from "../../provider/customer-list";
import { DEFAULT_CONFIG_KEY } from "../../provider/export";
import { DEVELOPMENT_ACCESS_TOKEN, startEmulator, type SeedCustomer } from "partnercenter-emulator";
import { runBuiltCommand, type Finished } from "../fixtures/built-command";
import { PARTNER, identityOf, refreshTokenSettings, useIdentityEmulator } from "../fixtures/emulated-identity";

const EXPORT = join(__dirname, "..", "..", "dist", "provider", "export", "export-cli.js");

const customerId = (i: number): string => `88888888-0000-4000-8000-${String(i).padStart(12, "0")}`;
/** 30 customers: Education, GCC + StateOwnedEntity, and a Denied Education, ten of each. */
const CUSTOMERS: SeedCustomer[] = Array.from({ length: 30 }, (_, i) => ({
  id: customerId(i),
  companyName: `Woodgrove ${i}`,
  domain: `woodgrove${i}.onmicrosoft.com`,
  qualifications:
    i % 3 === 0
      ? [{ qualification: "Education", vettingStatus: "Approved" }]
      : i % 3 === 1
        ? [{ qualification: "GovernmentCommunityCloud", vettingStatus: "InReview" }, { qualification: "StateOwnedEntity" }]
        : [{ qualification: "Education", vettingStatus: "Denied", vettingReason: "Not an Academic Domain" }],
}));

/** Runs the command with only the PARTNERCENTER_* variables given. */
function runExport(args: string[], settings: Record<string, string>, cwd?: string): Promise<Finished> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("PARTNERCENTER_")) env[key] = value;
  return runBuiltCommand(EXPORT, args, { env: { ...env, ...settings }, ...(cwd !== undefined ? { cwd } : {}) });
}

describe("partnercenter-export, the command", function () {
  this.timeout(60_000);
  const env = useIdentityEmulator();
  let work: string;
  const development = (): Record<string, string> => ({ PARTNERCENTER_BASE_URL: env.emulator.url, PARTNERCENTER_ACCESS_TOKEN: DEVELOPMENT_ACCESS_TOKEN });

  beforeEach(async () => {
    await env.emulator.control.seed({ customers: CUSTOMERS });
    await env.emulator.control.clearRequests();
    work = mkdtempSync(join(tmpdir(), "partnercenter-export-"));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  const refused: ReadonlyArray<{ name: string; args: string[]; settings?: Record<string, string>; says: RegExp }> = [
    { name: "an unknown --format", args: ["--format", "xml"], says: /^partnercenter-export: --format must be one of yaml, csv, import; got "xml"$/m },
    {
      name: "an unwritable --out",
      args: ["--out", "/nonexistent-folder/qualifications.yaml"],
      says: /^partnercenter-export: --out \/nonexistent-folder\/qualifications\.yaml can't be written .*; --out must be a file path in a writable folder$/m,
    },
    {
      name: "an unknown flag",
      args: ["--customers", "all"],
      says: /^partnercenter-export: unknown option --customers; the options are --format, --out, --stack, /m,
    },
    {
      name: "no credential",
      args: [],
      settings: {},
      says: /^partnercenter-export: No Partner Center credential: set partnercenter:refreshToken \(or PARTNERCENTER_REFRESH_TOKEN\) .*partnercenter:accessToken \(or PARTNERCENTER_ACCESS_TOKEN\)/,
    },
  ];
  for (const r of refused) {
    it(`exits 2 on ${r.name}, in one line naming the option and what is allowed, before any request`, async () => {
      const result = await runExport(r.args, {
        PARTNERCENTER_BASE_URL: env.emulator.url,
        ...(r.settings ?? { PARTNERCENTER_ACCESS_TOKEN: DEVELOPMENT_ACCESS_TOKEN }),
      });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, r.says);
      assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
      assert.equal(result.stdout, "");
      assert.deepEqual(await env.emulator.control.requests(), []);
    });
  }

  it("exits 2 on a refresh token Microsoft Entra refuses, in one line without the token, before any request to Partner Center", async () => {
    const settings = await refreshTokenSettings(env.emulator);
    const refused = "0.AbCdEf-not-a-refresh-token-issued-here-123456789";
    const result = await runExport([], {
      PARTNERCENTER_BASE_URL: env.emulator.url,
      PARTNERCENTER_AUTHORITY_HOST: settings.authorityHost ?? "",
      PARTNERCENTER_TENANT_ID: PARTNER.tenantId,
      PARTNERCENTER_CLIENT_ID: PARTNER.clientId,
      PARTNERCENTER_CLIENT_SECRET: PARTNER.clientSecret,
      PARTNERCENTER_REFRESH_TOKEN: refused,
    });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^partnercenter-export: Partner Center sign-in \(refreshToken mode, tenant .*\) failed with AADSTS\d+: /);
    assert.equal(result.stderr.trim().split("\n").length, 1);
    assert.ok(!result.stderr.includes(refused) && !result.stderr.includes(PARTNER.clientSecret));
    assert.deepEqual(await env.emulator.control.requests(), []);
  });

  it("signs in with a refresh token as the provider does, writes --out, and keeps stdout empty and every secret out", async () => {
    const settings = await refreshTokenSettings(env.emulator);
    const out = join(work, "qualifications.yaml");
    const result = await runExport(["--out", out], {
      PARTNERCENTER_BASE_URL: env.emulator.url,
      PARTNERCENTER_AUTHORITY_HOST: settings.authorityHost ?? "",
      PARTNERCENTER_TENANT_ID: PARTNER.tenantId,
      PARTNERCENTER_CLIENT_ID: PARTNER.clientId,
      PARTNERCENTER_CLIENT_SECRET: PARTNER.clientSecret,
      PARTNERCENTER_REFRESH_TOKEN: settings.refreshToken ?? "",
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "");
    const written = readFileSync(out, "utf8");
    const list = (parse(written) as { config: Record<string, Array<{ customerId: string; qualification: string }>> }).config[DEFAULT_CONFIG_KEY] ?? [];
    assert.equal(list.length, 30, "10 Education, 10 GCC, 10 StateOwnedEntity; the Denied ones left out");
    assert.match(written, new RegExp(`- customerId: ${customerId(0)} # Woodgrove 0 \\(woodgrove0\\.onmicrosoft\\.com\\), Approved\\n`));
    assert.match(result.stderr, /^partnercenter-export: 36 of 36 customers read in [\d.]+ s \(1 page\); 30 entries listed for 20 customers$/m);
    assert.match(result.stderr, /by qualification: Education 10, GovernmentCommunityCloud 10, StateOwnedEntity 10/);
    assert.match(result.stderr, /by vetting status: Approved 10, InReview 10, not vetted 10/);
    assert.match(result.stderr, /left out: 10 Denied \(--include-denied lists them\)/);
    assert.ok(!result.stderr.includes("\u001b[2K"), "no progress line when stderr is not a terminal");
    const everything = result.stdout + result.stderr + written;
    for (const secret of [settings.refreshToken ?? "", PARTNER.clientSecret]) assert.ok(!everything.includes(secret), "no secret in any output");
    const issued = (await identityOf(env.emulator).control.tokenRequests()).filter((r) => r.outcome === "issued");
    assert.equal(issued.length, 1, "one token request for the whole export");
  });

  it("pipes CSV to stdout, with the Denied ones on --include-denied, loadable as it is (adoptOnly)", async () => {
    const result = await runExport(["--format", "csv", "--include-denied", "--qualification", "Education"], development());
    assert.equal(result.code, 0, result.stderr);
    const entries = readCustomerListCsv(result.stdout, "stdout");
    assert.equal(entries.length, 20);
    assert.ok(entries.every((e) => e.adoptOnly === true));
    assert.match(
      result.stdout,
      new RegExp(`# Woodgrove 2 \\(woodgrove2\\.onmicrosoft\\.com\\), Denied: Not an Academic Domain\\n${customerId(2)},Education,,true\\n`),
    );
    assert.ok(!result.stdout.includes("TODO"));
    assert.match(
      result.stdout,
      /^# Review it and set partnercenter-qualifications:qualificationsFile to this file; pulumi up then adopts each qualification without a POST and never creates one \(adoptOnly\)\.$/m,
    );
    const toComplete = await runExport(["--format", "csv", "--include-denied", "--qualification", "Education", "--no-adopt-only"], development());
    assert.equal(toComplete.code, 0, toComplete.stderr);
    assert.match(
      toComplete.stdout,
      new RegExp(
        `# Woodgrove 2 \\(woodgrove2\\.onmicrosoft\\.com\\), Denied: Not an Academic Domain\\n# TODO: educationSegment .*\\n${customerId(2)},Education,\\n`,
      ),
    );
    assert.match(toComplete.stderr, /to complete by hand: 20 Education entries need educationSegment/);
    assert.equal(readCustomerListCsv(toComplete.stdout.replace(/,Education,$/gm, ",Education,K12"), "stdout").length, 20);
    const requests = await env.emulator.control.requests();
    assert.equal(requests.length, 2 * (1 + 36), "one page and one read per customer, per export");
  });

  it("Partner Center gone mid-export: exits 1 with the cause once on stderr, not one line per customer, and leaves --out as it was", async () => {
    const customers = Array.from({ length: 300 }, (_, i) => ({ id: customerId(1000 + i) }));
    const dying = await startEmulator({ seed: { customers }, latencyMs: 20 });
    const out = join(work, "qualifications.yaml");
    const earlier = "# a good list from an earlier export\nconfig: {}\n";
    writeFileSync(out, earlier);
    const running = runExport(["--out", out], { PARTNERCENTER_BASE_URL: dying.url, PARTNERCENTER_ACCESS_TOKEN: DEVELOPMENT_ACCESS_TOKEN });
    let closed = false;
    void running.finally(() => (closed = true));
    try {
      while (!closed && (await dying.control.requests()).length < 50) await sleep(20);
    } finally {
      await dying.close();
    }
    const result = await running;
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stderr.split(`Partner Center at ${dying.url} is unreachable: `).length, 2, `the cause once:\n${result.stderr}`);
    assert.doesNotMatch(
      result.stderr,
      /customer [0-9a-f-]{36} .*could not be read: |not attempted: |stopped after \d+ attempts?: /,
      `no line per customer:\n${result.stderr}`,
    );
    assert.match(
      result.stderr,
      /^partnercenter-export: INCOMPLETE: the export stopped after \d+ of \d+ customers listed so far: Partner Center at .* got no response \((ECONNREFUSED|ECONNRESET)/m,
    );
    assert.match(result.stderr, new RegExp(`^  nothing written to ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: Partner Center was unreachable$`, "m"));
    assert.equal(readFileSync(out, "utf8"), earlier, "a fragment never replaces the earlier list");
  });

  it("exits 1 and marks the list INCOMPLETE when a customer's read keeps failing, naming it on stderr", async () => {
    const failing = customerId(4);
    await env.emulator.control.injectFault({ kind: "status", status: 403, customerId: failing, times: 100 });
    const out = join(work, "qualifications.csv");
    const result = await runExport(["--out", out], development());
    assert.equal(result.code, 1, result.stderr);
    const written = readFileSync(out, "utf8");
    assert.match(
      written,
      new RegExp(`^# INCOMPLETE: 1 customer could not be read: ${failing}\\. Run partnercenter-export again before relying on this list\\.\\n`),
    );
    assert.match(result.stderr, new RegExp(`^partnercenter-export: customer ${failing} \\(Woodgrove 4\\) could not be read: .*HTTP 403`, "m"));
    assert.match(result.stderr, /^partnercenter-export: INCOMPLETE: 1 customer could not be read/m);
    const entries = readCustomerListCsv(written.replace(/,Education,$/gm, ",Education,K12"), "out");
    assert.equal(entries.length, 28, "everyone else is listed");
  });
});
