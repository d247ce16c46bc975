/**
 * App+User sign-in under the real Pulumi engine: the provider process exchanges a refresh token
 * (stack secret) at the emulator's Microsoft Entra endpoint with real MSAL.
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "partnercenter-emulator";
import { PulumiWorkspace, ensurePulumiCli, type PulumiRun } from "../../scripts/pulumi-workspace";
import { preparePackedProgram } from "../fixtures/packed-package";

const STACK = "e2e-sign-in";
const TENANT = "c0ffee00-2222-4333-8444-555566667777";
const CLIENT = "a11ce000-bbbb-4ccc-8ddd-eeee00000002";
const customer = (n: number): string => `33333333-cccc-4ccc-8ccc-${String(n).padStart(12, "0")}`;

describe("App+User sign-in under the real Pulumi engine", function () {
  this.timeout(60 * 60 * 1000);

  let emulator: RunningEmulator;
  let workspace: PulumiWorkspace;
  let work: string;
  let programDir: string;
  const clientSecret = `${randomBytes(3).toString("base64url")}8Q~${randomBytes(30).toString("base64url")}`;
  const secrets: string[] = [clientSecret];
  const everythingPrinted: string[] = [];

  const identity = () => {
    if (emulator.identity === undefined) throw new Error("no identity endpoint");
    return emulator.identity;
  };
  const pulumi = async (...args: string[]): Promise<PulumiRun> => {
    const run = await workspace.run(programDir, [...args, "--stack", STACK]);
    everythingPrinted.push(run.stdout, run.stderr);
    return run;
  };
  /** Sets partnercenter:<key>; `--` keeps a value that starts with "-" (random secrets do) from reading as a flag. */
  const setConfig = async (key: string, value: string, secret?: "secret"): Promise<void> => {
    await workspace.ok(programDir, ["config", "set", ...(secret !== undefined ? ["--secret"] : []), "--stack", STACK, "--", `partnercenter:${key}`, value]);
  };
  const setItems = (count: number, from = 1): void => {
    const items = Array.from({ length: count }, (_, i) => ({ name: `soe-${from + i}`, customerId: customer(from + i), qualification: "StateOwnedEntity" }));
    writeFileSync(join(programDir, "items.json"), JSON.stringify(items, null, 2));
  };
  const newRefreshToken = async (mfa = true): Promise<string> => {
    const token = await identity().control.issueRefreshToken({ tenantId: TENANT, clientId: CLIENT, mfa });
    secrets.push(token);
    return token;
  };
  const issuedTokens = async (): Promise<number> => (await identity().control.tokenRequests()).filter((r) => r.outcome === "issued").length;
  const posts = async (): Promise<number> => (await emulator.control.requests()).filter((r) => r.method === "POST").length;

  before(async () => {
    const ca = process.env.NODE_EXTRA_CA_CERTS;
    if (ca === undefined) throw new Error("run with NODE_EXTRA_CA_CERTS=$PWD/test/fixtures/tls/test-ca.pem (npm test sets it)");
    const cliDir = ensurePulumiCli();
    work = mkdtempSync(join(tmpdir(), "partnercenter-e2e-sign-in-"));
    ({ programDir } = await preparePackedProgram(work, "0.1.1-e2e"));
    const tls = join(__dirname, "..", "fixtures", "tls");
    emulator = await startEmulator({
      seed: { customers: Array.from({ length: 40 }, (_, i) => ({ id: customer(i + 1) })) },
      identity: {
        tls: { caCertificatePem: readFileSync(join(tls, "test-ca.pem"), "utf8"), caPrivateKeyPem: readFileSync(join(tls, "test-ca-key.pem"), "utf8") },
        tenants: [{ tenantId: TENANT, applications: [{ clientId: CLIENT, clientSecret }] }],
      },
    });
    // The provider process inherits this environment; Node reads NODE_EXTRA_CA_CERTS at start.
    workspace = new PulumiWorkspace({ cliDir, stateDir: join(work, "pulumi"), env: { NODE_EXTRA_CA_CERTS: ca } });
    await workspace.ok(programDir, ["stack", "init", STACK]);
    for (const [key, value] of [
      ["baseUrl", emulator.url],
      ["authorityHost", identity().authorityHost],
      ["tenantId", TENANT],
      ["clientId", CLIENT],
    ]) {
      await setConfig(key ?? "", value ?? "");
    }
    await setConfig("clientSecret", clientSecret, "secret");
    await setConfig("refreshToken", await newRefreshToken(), "secret");
  });

  after(async () => {
    await emulator?.close();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it("a stack of 20 qualifications signs in with a refresh token and makes exactly one token request", async () => {
    setItems(20);
    const run = await pulumi("up", "--yes");
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(await posts(), 20);
    const requests = await identity().control.tokenRequests();
    assert.deepEqual(
      requests.map((r) => [r.grantType, r.outcome]),
      [["refresh_token", "issued"]],
      "preview needs no token; the update makes one request",
    );
  });

  it("an access token that expires mid-run is renewed once", async () => {
    await identity().control.clearTokenRequests();
    await emulator.control.clearRequests();
    // One create of the new ten is held up; meanwhile every token issued so far is expired.
    await emulator.control.injectFault({ kind: "delay", method: "GET", customerId: customer(30), delayMs: 10_000 });
    setItems(30);
    const running = pulumi("up", "--yes");
    const deadline = Date.now() + 60_000;
    while ((await posts()) < 9 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await posts(), 9, "nine of the ten new creates are done while the tenth is held up");
    await identity().control.expireAccessTokens();
    const run = await running;
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(await posts(), 10);
    assert.equal(await issuedTokens(), 2, "the run's token, and one renewal after the 401");
    const refused = (await emulator.control.requests()).filter((r) => r.status === 401);
    assert.equal(refused.length, 1);
  });

  it("an app-only token can't create: pulumi up fails with the documented message", async () => {
    setItems(31);
    await setConfig("authMode", "azureIdentity");
    await setConfig("azureIdentityCredential", "environment");
    const run = await workspace.run(programDir, ["up", "--yes", "--stack", STACK], {
      AZURE_TENANT_ID: TENANT,
      AZURE_CLIENT_ID: CLIENT,
      AZURE_CLIENT_SECRET: clientSecret,
    });
    everythingPrinted.push(run.stdout, run.stderr);
    assert.notEqual(run.code, 0);
    assert.match(
      run.stdout,
      /HTTP 403.*The token is app-only \(a service principal or managed identity, no signed-in user\); Partner Center needs an App\+User token to create qualifications: use partnercenter:authMode refreshToken/,
    );
    await pulumi("config", "rm", "partnercenter:authMode");
    await pulumi("config", "rm", "partnercenter:azureIdentityCredential");
  });

  it("a sign-in without MFA fails with code 900421 and the fix", async () => {
    await setConfig("refreshToken", await newRefreshToken(false), "secret");
    const run = await pulumi("up", "--yes");
    assert.notEqual(run.code, 0);
    assert.match(run.stdout, /HTTP 401 \(code 900421\).*did not use multi-factor authentication.*npx partnercenter-login/);
    await setConfig("refreshToken", await newRefreshToken(), "secret");
    assert.equal((await pulumi("up", "--yes")).code, 0, "with an MFA token again the run completes");
    const created = (await emulator.control.requests()).filter((r) => r.method === "POST" && r.path.includes(customer(31)) && r.status === 201);
    assert.equal(created.length, 1, "the 31st qualification is created once");
  });

  it("neither pulumi stack export nor anything the CLI printed holds a secret", async () => {
    const exported = await pulumi("stack", "export");
    const outputs = await pulumi("stack", "output", "--json", "--show-secrets=false");
    const config = await pulumi("config");
    for (const text of [exported.stdout, outputs.stdout, config.stdout, ...everythingPrinted]) {
      for (const secret of secrets) assert.ok(!text.includes(secret), "a secret appeared in what the CLI printed or exported");
    }
    const resources = (JSON.parse(exported.stdout) as { deployment: { resources?: Array<{ type: string }> } }).deployment.resources ?? [];
    assert.equal(resources.filter((r) => r.type.endsWith("CustomerQualification")).length, 31, "the export is the whole stack");
  });
});
