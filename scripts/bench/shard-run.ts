/**
 * The shards workload: the repository's own stack program as k stacks of one customer list, state
 * in Azure Blob Storage (Azurite), applied by k `pulumi up` processes at once as a CI matrix runs
 * them, each keeping to its share of the partner's budget, against one emulator with Partner
 * Center's limit. Then one stack's no-op `preview` (part of the floor) and a second `up` of each.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { LoggedRequest } from "partnercenter-emulator";
import { selectShard } from "../../provider/customer-list";
import { PulumiWorkspace, type PulumiRun } from "../pulumi-workspace";
import { RepoStack, STACK_PROGRAM_NAMESPACE, shardConfig } from "../repo-stack";
import { startBenchEmulator, type BenchEmulator } from "./bench-emulator";
import { backendEnv, type ProgramRunContext } from "./program-run";
import { countRequests, type RequestCounts } from "./request-counts";
import type { BenchItem, Workload } from "./workloads";

/** One stack's `up` in the parallel run. */
export interface ShardStackFigures {
  readonly stack: string;
  /** Entries of the list in this stack's shard. */
  readonly declared: number;
  /** Qualifications in its state afterwards. */
  readonly inState: number;
  readonly seconds: number;
  readonly exitCode: number;
  /** Its checkpoint's bytes at the end (`pulumi stack export`). */
  readonly stateBytes: number;
}

/** What the shards workload measured. */
export interface ShardFigures {
  readonly stacks: readonly ShardStackFigures[];
  /** From starting the k `up`s to the last one's end. */
  readonly upSeconds: number;
  /** Every API request of the k `up`s together. */
  readonly requests: RequestCounts;
  /** Successful POSTs beyond the first for a customer's qualification, or to a customer that already held it. */
  readonly duplicatePosts: number;
  /** One stack's no-op `preview`, measured after the `up`s. */
  readonly previewSeconds: number;
  /** API requests of a second `up` of every stack (at once). */
  readonly secondUpRequests: number;
  readonly secondUpExitCodes: readonly number[];
  /** The end of a failed command's output. */
  readonly failure?: string;
}

/** The list as a CSV file, the way a partner keeps a big one (`qualificationsFile`). */
function writeCsv(items: readonly BenchItem[], file: string): void {
  const rows = items.map((i) => `${i.customerId},${i.qualification},${i.educationSegment ?? ""}`);
  writeFileSync(file, `customerId,qualification,educationSegment\n${rows.join("\n")}\n`);
}

/** Successful POSTs that should not have happened: a second one for a qualification, or one for a held qualification. */
function duplicatePosts(log: readonly LoggedRequest[], held: ReadonlySet<string>): number {
  const seen = new Set<string>();
  let duplicates = 0;
  for (const r of log) {
    if (r.method !== "POST" || typeof r.status !== "number" || r.status >= 300 || r.replayed === true) continue;
    const key = `${/customers\/([^/]+)\//.exec(r.path)?.[1] ?? ""}/${(r.body as { qualification?: string } | undefined)?.qualification ?? ""}`;
    if (seen.has(key) || held.has(key)) duplicates++;
    seen.add(key);
  }
  return duplicates;
}

/** The k stacks of the workload, in one workspace and backend. */
class ShardStacks {
  readonly names: string[];
  private readonly stacks = new Map<string, RepoStack>();

  constructor(
    private readonly workspace: PulumiWorkspace,
    private readonly workload: Workload,
    count: number,
  ) {
    this.names = Array.from({ length: count }, (_, i) => `bench-shard-${i}`);
  }

  /** Creates each stack, its config the list file and its shard. */
  async init(csv: string): Promise<void> {
    for (const [index, name] of this.names.entries()) {
      const stack = await RepoStack.init(this.workspace, name);
      this.stacks.set(name, stack);
      stack.configure([`${STACK_PROGRAM_NAMESPACE}:qualificationsFile: ${csv}`], shardConfig({ index, count: this.names.length }));
    }
  }

  run(stack: string, args: readonly string[]): Promise<PulumiRun> {
    const found = this.stacks.get(stack);
    if (found === undefined) throw new Error(`no stack ${stack} was created`);
    return found.run(args);
  }

  /** Qualifications in a stack's state, and the export's bytes. */
  async state(stack: string): Promise<{ inState: number; bytes: number }> {
    const exported = (await this.run(stack, ["stack", "export"])).stdout;
    const resources = (JSON.parse(exported) as { deployment: { resources?: Array<{ type: string }> } }).deployment.resources ?? [];
    return { inState: resources.filter((r) => r.type.endsWith(":CustomerQualification")).length, bytes: Buffer.byteLength(exported) };
  }

  /** Removes the stacks created and their config files. */
  async remove(): Promise<void> {
    for (const stack of this.stacks.values()) await stack.remove();
    this.stacks.clear();
  }

  /** Entries of the list in stack `index`'s shard. */
  declared(index: number): number {
    return selectShard(this.workload.packageItems, { index, count: this.names.length }).length;
  }
}

/** The k `up`s at once; each stack's figures and the requests of all of them. */
async function parallelUp(
  stacks: ShardStacks,
  bench: BenchEmulator,
  held: ReadonlySet<string>,
): Promise<Pick<ShardFigures, "stacks" | "upSeconds" | "requests" | "duplicatePosts" | "failure">> {
  await bench.clearLogs();
  const started = performance.now();
  const runs = await Promise.all(
    stacks.names.map(async (stack) => {
      const begun = performance.now();
      const run = await stacks.run(stack, ["up", "--yes", "--skip-preview"]);
      return { run, seconds: (performance.now() - begun) / 1000 };
    }),
  );
  const upSeconds = (performance.now() - started) / 1000;
  const log = await bench.emulator.control.requests();
  const figures = await Promise.all(
    stacks.names.map(async (stack, index) => {
      const { inState, bytes } = await stacks.state(stack);
      const { run, seconds } = runs[index] ?? { run: { code: 1 }, seconds: 0 };
      return { stack, declared: stacks.declared(index), inState, seconds, exitCode: run.code, stateBytes: bytes };
    }),
  );
  const failed = runs.find((r) => r.run.code !== 0)?.run;
  const failure = failed === undefined ? undefined : `${failed.stdout}\n${failed.stderr}`.trim().split("\n").slice(-12).join("\n");
  return { stacks: figures, upSeconds, requests: countRequests(log), duplicatePosts: duplicatePosts(log, held), ...(failure !== undefined ? { failure } : {}) };
}

/** Runs the shards workload; never throws (a failure is recorded). */
export async function runShards(workload: Workload, context: ProgramRunContext, stateDir: string): Promise<ShardFigures | { error: string }> {
  const spec = workload.shards;
  if (spec === undefined) return { error: `${workload.id} is not a shards workload` };
  let bench: BenchEmulator | undefined;
  let stacks: ShardStacks | undefined;
  try {
    bench = await startBenchEmulator(workload, stateDir);
    const budget = { PARTNERCENTER_REQUESTS_PER_MINUTE: String(spec.requestsPerMinute), PARTNERCENTER_CONCURRENT_STACKS: String(spec.stacks) };
    const env = { ...bench.env, ...budget, ...(await backendEnv(workload, workload.id, context)) };
    stacks = new ShardStacks(new PulumiWorkspace({ cliDir: context.cliDir, stateDir, env }), workload, spec.stacks);
    const csv = join(stateDir, "customers.csv");
    writeCsv(workload.packageItems, csv);
    await stacks.init(csv);
    const held = new Set(workload.packageItems.slice(0, spec.held).map((i) => `${i.customerId}/${i.qualification}`));
    const up = await parallelUp(stacks, bench, held);
    context.log(`  ${spec.stacks} stacks up at once: ${up.upSeconds.toFixed(1)} s, ${up.requests.total} requests, ${up.requests.throttled} 429s`);
    const previewStarted = performance.now();
    await stacks.run(stacks.names[0] ?? "", ["preview", "--expect-no-changes"]);
    const previewSeconds = (performance.now() - previewStarted) / 1000;
    await bench.clearLogs();
    const second = await Promise.all(stacks.names.map((stack) => stacks?.run(stack, ["up", "--yes", "--skip-preview", "--expect-no-changes"])));
    const secondUpRequests = (await bench.emulator.control.requests()).length;
    return { ...up, previewSeconds, secondUpRequests, secondUpExitCodes: second.map((r) => r?.code ?? 1) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    await stacks?.remove();
    await bench?.emulator.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}
