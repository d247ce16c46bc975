/**
 * One customer list split across stacks: the repository's own stack program, run from its folder
 * by the real Pulumi CLI as two stacks with `partnercenter-qualifications:shard` { index, count: 2 }
 * applied at the same time, creates every qualification of the list exactly once.
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { startEmulator, type LoggedRequest, type RunningEmulator } from "partnercenter-emulator";
import { selectShard } from "../../provider/customer-list";
import { PulumiWorkspace, ensurePulumiCli, type PulumiRun } from "../../scripts/pulumi-workspace";
import { RepoStack, qualificationsConfig, shardConfig, type StackListEntry } from "../../scripts/repo-stack";

const STACKS = ["e2e-shard-0", "e2e-shard-1"] as const;

const customer = (n: number): string => `55555555-eeee-4eee-8eee-${String(n).padStart(12, "0")}`;

/** 20 qualifications of 14 customers: 6 with StateOwnedEntity and Education, 8 with GCC (the code chosen by the provider). */
function twentyEntries(): StackListEntry[] {
  const entries: StackListEntry[] = [];
  for (let n = 1; n <= 6; n += 1) {
    entries.push(
      { customerId: customer(n), qualification: "StateOwnedEntity" },
      { customerId: customer(n), qualification: "Education", educationSegment: "K12" },
    );
  }
  for (let n = 7; n <= 14; n += 1) entries.push({ customerId: customer(n), qualification: "GovernmentCommunityCloud" });
  return entries;
}

const idOf = (e: StackListEntry): string => `${e.customerId}/${e.qualification}`;

describe("one customer list split across stacks, under the real Pulumi engine", function () {
  this.timeout(30 * 60 * 1000);

  let emulator: RunningEmulator;
  let workspace: PulumiWorkspace;
  let stacks: RepoStack[] = [];
  const token = `e2e-${randomBytes(24).toString("base64url")}`;

  const stackAt = (index: number): RepoStack => stacks[index] ?? assert.fail(`no stack ${index}`);
  const configure = (index: number, entries: readonly StackListEntry[], shard: { index: unknown; count: unknown }): void =>
    stackAt(index).configure(shardConfig(shard), qualificationsConfig(entries));
  const ok = (run: PulumiRun): PulumiRun => {
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    return run;
  };
  const effectivePosts = async (): Promise<LoggedRequest[]> =>
    (await emulator.control.requests()).filter((r) => r.method === "POST" && typeof r.status === "number" && r.status < 300 && r.replayed !== true);

  before(async () => {
    const cliDir = ensurePulumiCli();
    emulator = await startEmulator({
      accessTokens: [token],
      seed: {
        customers: Array.from({ length: 15 }, (_, i) => ({ id: customer(i + 1) })),
        validationCodes: [{ partnerId: "p", organizationName: "Contoso Government", validationId: "CG-SHARDS-1", maxCreates: 100, remainingCreates: 100 }],
      },
    });
    workspace = new PulumiWorkspace({ cliDir, env: { PARTNERCENTER_BASE_URL: emulator.url, PARTNERCENTER_ACCESS_TOKEN: token } });
    for (const name of STACKS) stacks.push(await RepoStack.init(workspace, name));
  });

  after(async () => {
    for (const stack of stacks) await stack.remove();
    stacks = [];
    rmSync(workspace?.stateDir ?? "/nonexistent", { recursive: true, force: true });
    await emulator?.close();
  });

  it("two shards applied as two stacks at once create each qualification exactly once, a customer's entries in one stack", async () => {
    const entries = twentyEntries();
    STACKS.forEach((_, index) => configure(index, entries, { index, count: 2 }));

    await Promise.all(stacks.map(async (stack) => ok(await stack.run(["up", "--yes"]))));

    const shards = await Promise.all(stacks.map((stack) => stack.qualificationIds()));
    console.log(`      shard sizes: ${shards.map((s) => s.length).join(" + ")} of ${entries.length}`);
    shards.forEach((ids, index) => assert.deepEqual(ids, selectShard(entries, { index, count: 2 }).map(idOf).sort(), `stack ${STACKS[index]} holds its shard`));
    assert.ok(
      shards.every((ids) => ids.length > 0),
      "both shards hold some",
    );
    assert.deepEqual(shards.flat().sort(), entries.map(idOf).sort(), "every entry is in exactly one stack");
    for (const n of [1, 2, 3, 4, 5, 6]) {
      assert.equal(shards.filter((ids) => ids.some((id) => id.startsWith(customer(n)))).length, 1, `customer ${n}'s two entries are in one stack`);
    }
    const posts = await effectivePosts();
    assert.deepEqual(
      posts.map((p) => `${/customers\/([^/]+)\//.exec(p.path)?.[1]}/${(p.body as { qualification: string }).qualification}`).sort(),
      entries.map(idOf).sort(),
      "one POST per qualification",
    );
    for (const n of [1, 7]) {
      const held = (await emulator.control.customer(customer(n)))?.qualifications.map((q) => q.qualification).sort();
      assert.deepEqual(
        held,
        entries
          .filter((e) => e.customerId === customer(n))
          .map((e) => e.qualification)
          .sort(),
      );
    }
    await emulator.control.clearRequests();
    for (const stack of stacks) ok(await stack.run(["preview", "--expect-no-changes"]));
    assert.equal((await emulator.control.requests()).length, 0);
  });

  it("validates the whole list before sharding: a bad entry in one shard stops the other too, before any request", async () => {
    const entries = [
      ...twentyEntries(),
      { customerId: customer(15), qualification: "Education", educationSegment: "K12" },
      { customerId: customer(15), qualification: "GovernmentCommunityCloud" },
    ];
    const elsewhere = [0, 1].find((index) => selectShard([{ customerId: customer(15) }], { index, count: 2 }).length === 0) ?? 0;
    configure(elsewhere, entries, { index: elsewhere, count: 2 });
    await emulator.control.clearRequests();

    const run = await stackAt(elsewhere).run(["preview"]);

    assert.notEqual(run.code, 0);
    assert.match(
      run.stdout + run.stderr,
      /customer 55555555-eeee-4eee-8eee-000000000015 has GovernmentCommunityCloud here and Education at entry 21; Partner Center refuses the two together/,
    );
    assert.equal((await emulator.control.requests()).length, 0);
  });

  it("refuses a shard setting out of range, naming the key and what is allowed", async () => {
    configure(0, twentyEntries(), { index: 2, count: 2 });

    const run = await stackAt(0).run(["preview"]);

    assert.notEqual(run.code, 0);
    assert.match(run.stdout + run.stderr, /partnercenter-qualifications:shard\.index must be a whole number from 0 to 1 \(count - 1\), got 2/);
  });
});
