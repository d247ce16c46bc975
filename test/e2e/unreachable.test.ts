/**
 * Partner Center unreachable under the real Pulumi engine: 1,000 qualifications, a mistyped
 * `partnercenter:baseUrl` where nothing listens, and `pulumi up --continue-on-error`, as the
 * pipeline examples run it. The provider process finds out once and fails every other resource at
 * once: the cause is printed once, no POST is sent, and the next `up` against the right URL writes
 * every qualification exactly once. The wall time is printed, not asserted (see the README).
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type LoggedRequest, type RunningEmulator } from "partnercenter-emulator";
import { PulumiWorkspace, ensurePulumiCli } from "../../scripts/pulumi-workspace";
import { preparePackedProgram } from "../fixtures/packed-package";

/** Qualifications in the stack: two on each of 500 customers. */
const COUNT = 1000;

const customer = (n: number): string => `55555555-eeee-4eee-8eee-${String(n).padStart(12, "0")}`;

/** Education and StateOwnedEntity on each customer, `count` in all. */
function itemsOf(count: number): Array<{ name: string; customerId: string; qualification: string; educationSegment?: string }> {
  return Array.from({ length: count }, (_, i) => {
    const n = Math.floor(i / 2) + 1;
    return i % 2 === 0
      ? { name: `c${n}-Education`, customerId: customer(n), qualification: "Education", educationSegment: "K12" }
      : { name: `c${n}-StateOwnedEntity`, customerId: customer(n), qualification: "StateOwnedEntity" };
  });
}

/** A loopback URL where nothing listens (a port just given back by the system). */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** How many times `needle` occurs in `text`. */
const occurrences = (text: string, needle: string): number => text.split(needle).length - 1;

describe("Partner Center unreachable, under the real Pulumi engine", function () {
  this.timeout(15 * 60 * 1000);

  let emulator: RunningEmulator;
  let workspace: PulumiWorkspace;
  let work: string;
  let programDir: string;
  const token = `e2e-${randomBytes(24).toString("base64url")}`;

  before(async () => {
    const cliDir = ensurePulumiCli();
    work = mkdtempSync(join(tmpdir(), "partnercenter-unreachable-"));
    ({ programDir } = await preparePackedProgram(work, "0.1.1-e2e"));
    emulator = await startEmulator({ accessTokens: [token] });
    workspace = new PulumiWorkspace({ cliDir, stateDir: join(work, "pulumi") });
  });

  after(async () => {
    await emulator?.close();
    if (work !== undefined && process.env.PARTNERCENTER_E2E_KEEP === undefined) rmSync(work, { recursive: true, force: true });
  });

  it(`${COUNT} qualifications, nothing listening at baseUrl: the cause once, no POST; then the right URL writes each once`, async () => {
    const items = itemsOf(COUNT);
    const customers = [...new Set(items.map((i) => i.customerId))];
    const stack = "unreachable";
    const wrong = await deadUrl();
    writeFileSync(join(programDir, "items.json"), `${JSON.stringify(items, null, 2)}\n`);
    await emulator.control.seed({ customers: customers.map((id) => ({ id })) });
    await workspace.ok(programDir, ["stack", "init", stack]);
    await workspace.ok(programDir, ["config", "set", "partnercenter:baseUrl", wrong, "--stack", stack]);
    await workspace.ok(programDir, ["config", "set", "--secret", "partnercenter:accessToken", token, "--stack", stack]);

    // Request lines (PARTNERCENTER_LOG_LEVEL=info) are the witness of what the provider sent.
    // PULUMI_SKIP_CHECKPOINTS keeps CI lean: the engine's checkpoint per step is not what is tested.
    const started = Date.now();
    const up = await workspace.run(programDir, ["up", "--yes", "--skip-preview", "--continue-on-error", "--stack", stack], {
      PARTNERCENTER_LOG_LEVEL: "info",
      PULUMI_SKIP_CHECKPOINTS: "true",
    });
    const seconds = (Date.now() - started) / 1000;
    const output = `${up.stdout}\n${up.stderr}`;
    // The engine prints each resource's error as it happens and again under Diagnostics: count there.
    const diagnostics = output.slice(output.indexOf("\nDiagnostics:"));
    const requestLines = diagnostics.match(/\b(GET|POST) \/v1\/\S+ failed \(\w+\)/g) ?? [];
    console.log(
      `      up with nothing listening at baseUrl: ${seconds.toFixed(1)} s (a timing, not asserted), exit code ${up.code}, ${requestLines.length} requests sent`,
    );

    assert.notEqual(up.code, 0, "the up fails");
    assert.ok(diagnostics.length > 1, `a Diagnostics section:\n${output.slice(-4000)}`);
    assert.equal(occurrences(diagnostics, `Partner Center at ${wrong} is unreachable: `), 1, `the cause once:\n${diagnostics.slice(0, 4000)}`);
    assert.equal(occurrences(diagnostics, "ECONNREFUSED: connection refused, nothing listens there"), 1);
    const pointing = occurrences(diagnostics, `: Partner Center at ${wrong} is unreachable (ECONNREFUSED); the cause is in the first error`);
    assert.equal(pointing, COUNT - 1, "every other resource's error points to it");
    assert.deepEqual(
      requestLines.filter((line) => line.startsWith("POST")),
      [],
      "no POST",
    );
    assert.ok(requestLines.length <= 8 * 5 + 1, `the attempts of one wave of reads and a probe, not a series per resource (${requestLines.length})`);
    assert.deepEqual(await emulator.control.requests(), [], "nothing reached Partner Center");

    await workspace.ok(programDir, ["config", "set", "partnercenter:baseUrl", emulator.url, "--stack", stack]);
    await workspace.ok(programDir, ["up", "--yes", "--skip-preview", "--stack", stack], { PULUMI_SKIP_CHECKPOINTS: "true" });
    const log = await emulator.control.requests();
    const posts = log.filter((r) => r.method === "POST" && typeof r.status === "number" && r.status < 300 && r.replayed !== true);
    const written = posts.map(
      (r: LoggedRequest) => `${/\/customers\/([^/]+)\//.exec(r.path)?.[1]}/${String((r.body as { qualification?: unknown }).qualification)}`,
    );
    assert.equal(new Set(written).size, written.length, "no qualification written twice");
    assert.deepEqual(written.sort(), items.map((i) => `${i.customerId}/${i.qualification}`).sort(), "every qualification written once");
    for (const id of customers.slice(0, 5)) {
      assert.deepEqual((await emulator.control.customer(id))?.qualifications.map((q) => q.qualification).sort(), ["Education", "StateOwnedEntity"]);
    }
  });
});
