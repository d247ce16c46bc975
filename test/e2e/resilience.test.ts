/**
 * Failures in the middle of a run under the real Pulumi engine: random faults on a fifth of the
 * requests, and the CLI killed (SIGKILL) mid-`up`, with and without intermediate checkpoints
 * (PULUMI_SKIP_CHECKPOINTS), then the recovery the README documents. In every case each
 * qualification ends up on its customer exactly once, written by exactly one POST. The emulator's
 * request log is the witness; an effective POST is one that wrote (a status below 300, its answer
 * lost or not, never a replay).
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startEmulator, type LoggedRequest, type RunningEmulator } from "partnercenter-emulator";
import { PulumiWorkspace, ensurePulumiCli, type BackgroundPulumiExit, type PulumiRun } from "../../scripts/pulumi-workspace";
import { preparePackedProgram } from "../fixtures/packed-package";

const VALIDATION_CODE = "GCC-RESILIENCE-2026";
/** The project name of the packed program (its Pulumi.yaml). */
const PROJECT = "partnercenter-e2e";
/** A fifth of the requests meet a random fault; PARTNERCENTER_E2E_CHAOS_SEED replays another sequence. */
const CHAOS = { rate: 0.2, seed: Number(process.env.PARTNERCENTER_E2E_CHAOS_SEED ?? 20261201) };
/** Latency of every API answer while the CLI is to be killed, so that the `up` is still running when the POSTs start. */
const KILL_LATENCY_MS = 300;
/** The CLI is killed once this many qualifications were written. */
const KILL_AFTER_POSTS = 10;

interface Item {
  name: string;
  customerId: string;
  qualification: "Education" | "StateOwnedEntity" | "GovernmentCommunityCloud";
  educationSegment?: string;
  validationCode?: string;
}

/** The n-th customer of a case; each case has customers of its own. */
const customer = (caseNumber: number, n: number): string => `44444444-dddd-4ddd-8ddd-${String(caseNumber).padStart(4, "0")}${String(n).padStart(8, "0")}`;

/** `count` qualifications, a third each Education, StateOwnedEntity and GCC (with a given code); every second customer holds two. */
function itemsOf(caseNumber: number, count: number): Item[] {
  const items: Item[] = [];
  for (let n = 1; items.length < count; n += 1) {
    const id = customer(caseNumber, n);
    const kinds: Item["qualification"][] =
      n % 2 === 0 ? ["StateOwnedEntity", n % 4 === 0 ? "Education" : "GovernmentCommunityCloud"] : [n % 4 === 1 ? "Education" : "GovernmentCommunityCloud"];
    for (const qualification of kinds.slice(0, count - items.length)) {
      items.push({
        name: `c${caseNumber}-${n}-${qualification}`,
        customerId: id,
        qualification,
        ...(qualification === "Education" ? { educationSegment: "K12" } : {}),
        ...(qualification === "GovernmentCommunityCloud" ? { validationCode: VALIDATION_CODE } : {}),
      });
    }
  }
  return items;
}

/** POSTs that wrote: answered (or lost after the write) with a status below 300, not replayed. */
function effectivePosts(log: readonly LoggedRequest[]): LoggedRequest[] {
  return log.filter((r) => r.method === "POST" && typeof r.status === "number" && r.status < 300 && r.replayed !== true);
}

/** Effective POSTs counted by `<customerId>/<qualification>`. */
function effectivePostsByQualification(log: readonly LoggedRequest[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const post of effectivePosts(log)) {
    const customerId = /\/customers\/([^/]+)\//.exec(post.path)?.[1] ?? "?";
    const key = `${customerId}/${String((post.body as { qualification?: unknown } | undefined)?.qualification)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Random faults met, by what happened: `429`, `503`, `dropped`, `delay`, `lostResponse`. */
function faultsMet(log: readonly LoggedRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of log.filter((e) => e.chaos === true)) {
    const what = entry.fault === "status" || entry.fault === "drop" ? String(entry.status) : String(entry.fault);
    counts[what] = (counts[what] ?? 0) + 1;
  }
  return counts;
}

/** True while the process runs (a zombie waiting for its parent counts as ended). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

describe("failures in the middle of a run, under the real Pulumi engine", function () {
  this.timeout(30 * 60 * 1000);

  let emulator: RunningEmulator;
  let workspace: PulumiWorkspace;
  let work: string;
  let programDir: string;
  const token = `e2e-${randomBytes(24).toString("base64url")}`;

  const pulumi = (stack: string, ...args: string[]): Promise<PulumiRun> => workspace.run(programDir, [...args, "--stack", stack]);
  const pulumiOk = (stack: string, ...args: string[]): Promise<PulumiRun> => workspace.ok(programDir, [...args, "--stack", stack]);
  const setItems = (items: readonly Item[]): void => writeFileSync(join(programDir, "items.json"), `${JSON.stringify(items, null, 2)}\n`);

  async function newStack(stack: string, items: readonly Item[]): Promise<void> {
    await emulator.control.seed({ customers: [...new Set(items.map((i) => i.customerId))].map((id) => ({ id })) });
    await workspace.ok(programDir, ["stack", "init", stack]);
    await pulumiOk(stack, "config", "set", "partnercenter:baseUrl", emulator.url);
    await pulumiOk(stack, "config", "set", "--secret", "partnercenter:accessToken", token);
    setItems(items);
    await emulator.control.clearRequests();
  }

  /** Each customer holds exactly the qualifications of its items, each written by exactly one POST. */
  async function assertEachQualificationOnce(items: readonly Item[]): Promise<void> {
    for (const id of new Set(items.map((i) => i.customerId))) {
      const held = (await emulator.control.customer(id))?.qualifications.map((q) => q.qualification).sort();
      assert.deepEqual(
        held,
        items
          .filter((i) => i.customerId === id)
          .map((i) => i.qualification)
          .sort(),
        `qualifications of ${id}`,
      );
    }
    const posts = effectivePostsByQualification(await emulator.control.requests());
    assert.deepEqual(
      [...posts.keys()].sort(),
      items.map((i) => `${i.customerId}/${i.qualification}`).sort(),
      "one effective POST per qualification, none for another",
    );
    const duplicates = [...posts].filter(([, count]) => count !== 1);
    assert.deepEqual(duplicates, [], "no qualification was written twice");
  }

  /** `preview --expect-no-changes` passes without a single request. */
  async function assertConverged(stack: string): Promise<void> {
    await emulator.control.clearRequests();
    await pulumiOk(stack, "preview", "--expect-no-changes");
    assert.equal((await emulator.control.requests()).length, 0, "preview sent no request");
  }

  before(async () => {
    const cliDir = ensurePulumiCli();
    work = mkdtempSync(join(tmpdir(), "partnercenter-resilience-"));
    ({ programDir } = await preparePackedProgram(work, "0.1.1-e2e"));
    emulator = await startEmulator({
      accessTokens: [token],
      seed: {
        validationCodes: [{ partnerId: "p", organizationName: "Contoso Government", validationId: VALIDATION_CODE, maxCreates: 500, remainingCreates: 500 }],
      },
    });
    workspace = new PulumiWorkspace({ cliDir, stateDir: join(work, "pulumi") });
  });

  after(async () => {
    await emulator?.close();
    if (work !== undefined && process.env.PARTNERCENTER_E2E_KEEP === undefined) rmSync(work, { recursive: true, force: true });
  });

  it("random faults on 20% of the requests: 60 qualifications converge in one `pulumi up`, none written twice", async () => {
    const stack = "chaos";
    const items = itemsOf(1, 60);
    await newStack(stack, items);
    const chaos = await emulator.control.setChaos(CHAOS);

    const up = await pulumi(stack, "up", "--yes", "--skip-preview");
    const log = await emulator.control.requests();
    await emulator.control.setChaos(undefined);

    console.log(
      `      chaos seed ${chaos?.seed}: ${log.length} requests, faults met ${JSON.stringify(faultsMet(log))}, POSTs ${log.filter((r) => r.method === "POST").length}, effective ${effectivePosts(log).length}`,
    );
    assert.equal(up.code, 0, `one pulumi up converges\n${up.stdout}\n${up.stderr}`);
    assert.ok(log.filter((e) => e.chaos === true).length >= 10, "faults were met");
    await assertEachQualificationOnce(items);
    await assertConverged(stack);
  });

  for (const [caseNumber, skipCheckpoints] of [
    [2, false],
    [3, true],
  ] as const) {
    const title = skipCheckpoints ? "with PULUMI_SKIP_CHECKPOINTS=true" : "with checkpoints";
    it(`SIGKILL of the CLI mid-\`up\` ${title}, then cancel, refresh --clear-pending-creates, up: every qualification once`, async () => {
      const stack = skipCheckpoints ? "killed-skip-checkpoints" : "killed";
      const items = itemsOf(caseNumber, 40);
      await newStack(stack, items);

      const killed = await killUpMidway(stack, skipCheckpoints ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {});
      const written = effectivePosts(await emulator.control.requests()).length;
      const repaired = repairTornCheckpointMetadata(stack);
      await pulumiOk(stack, "cancel", "--yes");
      const recorded = await recordedAfterCrash(stack);
      console.log(
        `      killed after ${written} of ${items.length} qualifications were written: state holds ${recorded.resources} (${written - recorded.resources} to adopt), ${recorded.pendingCreates} pending creates; ${killed.survivors.length} processes left${repaired ? "; the kill tore a checkpoint write: removed its empty .attrs file" : ""}`,
      );
      assert.deepEqual(killed.survivors, [], "no language host or provider outlives the CLI");
      if (skipCheckpoints) assert.deepEqual(recorded, { resources: 0, pendingCreates: 0 }, "nothing was checkpointed during the run");
      else assert.ok(recorded.pendingCreates > 0, "creates in flight are pending operations");

      await emulator.control.setLatency(0);
      await pulumiOk(stack, "refresh", "--clear-pending-creates", "--yes");
      assert.equal((await recordedAfterCrash(stack)).pendingCreates, 0, "refresh --clear-pending-creates cleared them");
      const up = await pulumiOk(stack, "up", "--yes");
      assert.doesNotMatch(up.stdout + up.stderr, /pending operations/);
      await assertEachQualificationOnce(items);
      await assertConverged(stack);
    });
  }

  /**
   * Starts `pulumi up` with latency on every answer, and kills the CLI and every process it
   * started with SIGKILL once {@link KILL_AFTER_POSTS} qualifications were written.
   */
  async function killUpMidway(stack: string, env: Record<string, string>): Promise<{ exit: BackgroundPulumiExit; survivors: number[] }> {
    await emulator.control.setLatency(KILL_LATENCY_MS);
    const run = workspace.start(programDir, ["up", "--yes", "--skip-preview", "--stack", stack], env);
    let ended = false;
    void run.exited.then(() => (ended = true));
    while (effectivePosts(await emulator.control.requests()).length < KILL_AFTER_POSTS) {
      assert.ok(!ended, `pulumi up ended before it could be killed:\n${run.output().stdout}`);
      await sleep(25);
    }
    const tree = run.killTree("SIGKILL");
    const exit = await run.exited;
    assert.equal(exit.signal, "SIGKILL");
    await sleep(500);
    return { exit, survivors: tree.filter(isRunning) };
  }

  /**
   * The file backend writes a checkpoint's metadata (`<stack>.json.attrs`) by truncating the file
   * and writing it again, before it renames the new checkpoint into place. A SIGKILL in between
   * leaves that file empty (the checkpoint itself is the previous, complete one), and every
   * command then fails with "failed to load checkpoint: EOF". The README's repair: delete it.
   * Returns whether it had to.
   */
  function repairTornCheckpointMetadata(stack: string): boolean {
    const attrs = join(workspace.stateDir, "backend", ".pulumi", "stacks", PROJECT, `${stack}.json.attrs`);
    if (!existsSync(attrs)) return false;
    try {
      JSON.parse(readFileSync(attrs, "utf8"));
      return false;
    } catch {
      rmSync(attrs);
      return true;
    }
  }

  /** What the stack's state recorded: qualifications and pending creates. */
  async function recordedAfterCrash(stack: string): Promise<{ resources: number; pendingCreates: number }> {
    const exported = JSON.parse((await pulumiOk(stack, "stack", "export")).stdout) as {
      deployment: { resources?: Array<{ type: string }>; pending_operations?: Array<{ type: string }> };
    };
    return {
      resources: (exported.deployment.resources ?? []).filter((r) => r.type.endsWith(":CustomerQualification")).length,
      pendingCreates: (exported.deployment.pending_operations ?? []).filter((op) => op.type === "creating").length,
    };
  }
});
