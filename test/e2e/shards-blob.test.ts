/**
 * Shards as a CI matrix runs them: three stacks of one list, state in Azure Blob Storage (Azurite),
 * applied by three `pulumi up` processes at once, each keeping to its share of one partner budget
 * (PARTNERCENTER_REQUESTS_PER_MINUTE ÷ PARTNERCENTER_CONCURRENT_STACKS) against an emulator that
 * limits the partner to 20 requests per sliding 3 s. Then the count goes from 3 to 2: customers move
 * between stacks without a POST. A malformed budget is refused at preview, before any request.
 * Small N on purpose; the benchmark runs 2,000 entries (`npm run bench -- --only shards`).
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { startEmulator, type LoggedRequest, type RunningEmulator } from "partnercenter-emulator";
import { selectShard } from "../../provider/customer-list";
import { startAzurite, type AzuriteBackend } from "../../scripts/azurite-backend";
import { PulumiWorkspace, ensurePulumiCli, type PulumiRun } from "../../scripts/pulumi-workspace";
import { RepoStack, STACK_PROGRAM_NAMESPACE, qualificationsConfig, shardConfig, type StackListEntry } from "../../scripts/repo-stack";

const PROJECT = STACK_PROGRAM_NAMESPACE;
const STACKS = ["e2e-blob-shard-0", "e2e-blob-shard-1", "e2e-blob-shard-2"] as const;
const CONTAINER = "e2e-shards";

const customer = (n: number): string => `66666666-ffff-4fff-8fff-${String(n).padStart(12, "0")}`;

/** 30 qualifications of 24 customers: 6 with StateOwnedEntity and Education, 18 with StateOwnedEntity. */
function thirtyEntries(): StackListEntry[] {
  const entries: StackListEntry[] = [];
  for (let n = 1; n <= 24; n += 1) {
    entries.push({ customerId: customer(n), qualification: "StateOwnedEntity" });
    if (n <= 6) entries.push({ customerId: customer(n), qualification: "Education", educationSegment: "K12" });
  }
  return entries;
}

const idOf = (e: StackListEntry): string => `${e.customerId}/${e.qualification}`;

describe("shard stacks in parallel with state in Azure Blob Storage (Azurite), sharing one partner budget", function () {
  this.timeout(30 * 60 * 1000);

  let emulator: RunningEmulator;
  let azurite: AzuriteBackend;
  let workspace: PulumiWorkspace;
  let stacks: RepoStack[] = [];
  const token = `e2e-${randomBytes(24).toString("base64url")}`;
  const entries = thirtyEntries();

  const configure = (stack: RepoStack, shard: { index: number; count: number }): void => stack.configure(shardConfig(shard), qualificationsConfig(entries));
  const ok = (run: PulumiRun): PulumiRun => {
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    return run;
  };
  const effectivePosts = async (): Promise<LoggedRequest[]> =>
    (await emulator.control.requests()).filter((r) => r.method === "POST" && typeof r.status === "number" && r.status < 300 && r.replayed !== true);
  const expectedIds = (index: number, count: number): string[] => selectShard(entries, { index, count }).map(idOf).sort();

  before(async () => {
    const cliDir = ensurePulumiCli();
    azurite = await startAzurite();
    emulator = await startEmulator({
      accessTokens: [token],
      seed: { customers: Array.from({ length: 24 }, (_, i) => ({ id: customer(i + 1) })) },
      rateLimit: { requestsPerWindow: 20, windowSeconds: 3 },
    });
    const env = {
      ...(await azurite.backendIn(CONTAINER)),
      PARTNERCENTER_BASE_URL: emulator.url,
      PARTNERCENTER_ACCESS_TOKEN: token,
      // 20 per 3 s is 400 per minute, shared by the three stacks.
      PARTNERCENTER_REQUESTS_PER_MINUTE: "400",
      PARTNERCENTER_CONCURRENT_STACKS: "3",
    };
    workspace = new PulumiWorkspace({ cliDir, env });
    for (const name of STACKS) stacks.push(await RepoStack.init(workspace, name));
  });

  after(async () => {
    for (const stack of stacks) await stack.remove();
    stacks = [];
    rmSync(workspace?.stateDir ?? "/nonexistent", { recursive: true, force: true });
    await emulator?.close();
    await azurite?.close();
  });

  it("three shards applied at once converge: each stack its shard, state in blob storage, one POST per qualification, a second run sends nothing", async () => {
    stacks.forEach((stack, index) => configure(stack, { index, count: 3 }));

    await Promise.all(stacks.map(async (stack) => ok(await stack.run(["up", "--yes", "--skip-preview"]))));

    const shards = await Promise.all(stacks.map((stack) => stack.qualificationIds()));
    console.log(`      shard sizes: ${shards.map((s) => s.length).join(" + ")} of ${entries.length}`);
    shards.forEach((ids, index) => assert.deepEqual(ids, expectedIds(index, 3), `stack ${STACKS[index]} holds its shard`));
    assert.deepEqual(shards.flat().sort(), entries.map(idOf).sort(), "every entry is in exactly one stack");
    for (let n = 1; n <= 24; n++) assert.equal(shards.filter((ids) => ids.some((id) => id.startsWith(customer(n)))).length, 1, `customer ${n} is in one stack`);
    const posts = (await effectivePosts()).map((p) => `${/customers\/([^/]+)\//.exec(p.path)?.[1]}/${(p.body as { qualification: string }).qualification}`);
    assert.deepEqual(posts.sort(), entries.map(idOf).sort(), "one POST per qualification");
    const blobs = (await azurite.blobs(CONTAINER)).map((b) => b.name);
    for (const { name } of stacks)
      assert.ok(blobs.includes(`.pulumi/stacks/${PROJECT}/${name}.json`), `${name}'s state is in the container: ${blobs.join(", ")}`);

    await emulator.control.clearRequests();
    await Promise.all(stacks.map(async (stack) => ok(await stack.run(["up", "--yes", "--skip-preview", "--expect-no-changes"]))));
    assert.equal((await emulator.control.requests()).length, 0, "a second up of each shard sends nothing");
  });

  it("from 3 shards to 2: the new owners adopt the customers that moved without a POST, the third stack lets go of its own", async () => {
    await emulator.control.clearRequests();
    const [first, second, third] = stacks as [RepoStack, RepoStack, RepoStack];
    configure(first, { index: 0, count: 2 });
    configure(second, { index: 1, count: 2 });

    await Promise.all([
      ...[first, second].map(async (stack) => ok(await stack.run(["up", "--yes", "--skip-preview"]))),
      (async () => ok(await third.run(["destroy", "--yes", "--skip-preview"])))(),
    ]);

    assert.deepEqual(await effectivePosts(), [], "no POST");
    const shards = await Promise.all([first, second].map((stack) => stack.qualificationIds()));
    shards.forEach((ids, index) => assert.deepEqual(ids, expectedIds(index, 2), `stack ${index} holds its new shard`));
    assert.deepEqual(shards.flat().sort(), entries.map(idOf).sort(), "every entry is in exactly one of the two stacks");
    assert.deepEqual(await third.qualificationIds(), [], "the third stack holds nothing");
    const moved = expectedIds(2, 3).length;
    assert.ok(moved > 0, "some customers were in the third shard");
  });

  it("refuses a budget that is not a whole number from 1 to 100,000 at preview, naming the setting, before any request", async () => {
    await emulator.control.clearRequests();
    for (const bad of ["0", "100001", "250.5"]) {
      const run = await (stacks[0] ?? assert.fail("no stack")).run(["preview"], { PARTNERCENTER_REQUESTS_PER_MINUTE: bad });
      assert.notEqual(run.code, 0);
      assert.match(
        run.stdout + run.stderr,
        new RegExp(
          `partnercenter:requestsPerMinute \\(or PARTNERCENTER_REQUESTS_PER_MINUTE\\) must be a whole number from 1 to 100,000; got "${bad.replace(".", "\\.")}"`,
        ),
      );
    }
    assert.equal((await emulator.control.requests()).length, 0);
  });
});
