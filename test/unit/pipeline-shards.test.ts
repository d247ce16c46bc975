/**
 * The shard pipelines of examples/pipelines/: each matrix covers the shards 0 to count - 1 exactly
 * once, each job applies its own shard's stack with the count the matrix has, and each takes its
 * share of the partner's budget (PARTNERCENTER_REQUESTS_PER_MINUTE ÷ PARTNERCENTER_CONCURRENT_STACKS),
 * the shares adding up to the budget. actionlint checks the GitHub workflow's syntax (`npm run lint`).
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { readSettings, requestsPerMinuteOf } from "../../provider/config";

const PIPELINES = join(__dirname, "..", "..", "examples", "pipelines");

type Yaml = Record<string, unknown>;
const read = (file: string): Yaml => parse(readFileSync(join(PIPELINES, file), "utf8")) as Yaml;
const field = (value: unknown, key: string): unknown => (value as Yaml | undefined)?.[key];

/** Asserts that `shards` are 0 to count - 1, each once, and returns count. */
function coversEachShardOnce(shards: readonly unknown[], where: string): number {
  const sorted = [...shards].map(Number).sort((a, b) => a - b);
  assert.ok(sorted.length >= 2, `${where}: a matrix of at least 2 shards`);
  assert.deepEqual(
    sorted,
    sorted.map((_, i) => i),
    `${where}: shards 0 to ${sorted.length - 1}, each once; got ${JSON.stringify(shards)}`,
  );
  return sorted.length;
}

/** Each job's budget per minute, as the provider reads it from the job's environment. */
function shareOf(requestsPerMinute: string, concurrentStacks: number): number | undefined {
  return requestsPerMinuteOf(
    readSettings(undefined, { PARTNERCENTER_REQUESTS_PER_MINUTE: requestsPerMinute, PARTNERCENTER_CONCURRENT_STACKS: String(concurrentStacks) }),
  );
}

describe("the shard pipelines", () => {
  it("GitHub Actions: a matrix over shards 0 to count - 1, each job its shard's stack, its share of the budget, one run per shard at a time, no fail-fast", () => {
    const workflow = read("github-actions-shards.yml");
    const job = field(field(workflow, "jobs"), "shard");
    const strategy = field(job, "strategy");
    const count = coversEachShardOnce(field(field(strategy, "matrix"), "shard") as unknown[], "strategy.matrix.shard");
    assert.equal(field(strategy, "fail-fast"), false, "one shard's failure must not cancel the others");
    assert.match(String(field(field(job, "concurrency"), "group")), /\$\{\{ matrix\.shard \}\}/, "a concurrency group per shard");
    const env = field(job, "env") as Record<string, string>;
    assert.equal(env.PARTNERCENTER_CONCURRENT_STACKS, "${{ strategy.job-total }}", "the share comes from the matrix's size");
    assert.equal(env.STACK, "shard-${{ matrix.shard }}");
    const script = (field(job, "steps") as Yaml[]).map((s) => String(s.run ?? "")).join("\n");
    assert.match(script, /shard\.index "\$\{\{ matrix\.shard \}\}"/);
    assert.match(script, /shard\.count "\$\{\{ strategy\.job-total \}\}"/);
    const budget = env.PARTNERCENTER_REQUESTS_PER_MINUTE ?? "";
    // strategy.job-total is the number of jobs the matrix expands to: one per shard.
    const share = shareOf(budget, count);
    assert.equal(share, Number(budget) / count);
    assert.equal((share ?? 0) * count, Number(budget), "the jobs' shares add up to the budget");
  });

  it("Azure Pipelines: one leg per shard 0 to shardCount - 1, each its shard's stack and its share of the budget", () => {
    const pipeline = read("azure-pipelines-shards.yml");
    const variables = Object.fromEntries((field(pipeline, "variables") as Yaml[]).filter((v) => v.name !== undefined).map((v) => [v.name, String(v.value)]));
    const job = (field(pipeline, "jobs") as Yaml[])[0];
    const legs = Object.values(field(field(job, "strategy"), "matrix") as Record<string, Yaml>);
    const count = coversEachShardOnce(
      legs.map((leg) => leg.shard),
      "strategy.matrix legs",
    );
    assert.equal(Number(variables.shardCount), count, "shardCount is the number of legs");
    const apply = (field(job, "steps") as Yaml[]).find((s) => String(s.script ?? "").includes("pulumi up")) ?? {};
    assert.match(String(apply.script), /shard\.index "\$\(shard\)"/);
    assert.match(String(apply.script), /shard\.count "\$\(shardCount\)"/);
    assert.match(String(apply.script), /--stack "shard-\$\(shard\)"/);
    const env = apply.env as Record<string, string>;
    assert.equal(env.PARTNERCENTER_CONCURRENT_STACKS, "$(shardCount)");
    assert.equal(env.PARTNERCENTER_REQUESTS_PER_MINUTE, "$(requestsPerMinute)");
    const share = shareOf(variables.requestsPerMinute ?? "", count);
    assert.equal((share ?? 0) * count, Number(variables.requestsPerMinute), "the legs' shares add up to the budget");
  });
});
