/**
 * The report's parts for "ten thousand customers": the shards workload's section and targets, the
 * checkpoint comparison (file against Azure Blob Storage), and the throttle simulation's table.
 */
import { admittedRequests } from "./request-counts";
import { commandOf, count, resultsOfKind, runOf, type BenchRun, type WorkloadResult } from "./results";
import type { ShardFigures } from "./shard-run";
import type { TargetOutcome } from "./targets";
import { meetsTargets, simulationMarkdown, SIMULATION_TARGETS } from "./throttle-simulation/table";

/** Partner Center's published limit, per minute. */
const LIMIT_PER_MINUTE = 500;

/** The shards workload's figures, when it ran and did not fail outright. */
function shardFigures(run: BenchRun): { result: WorkloadResult; figures: ShardFigures } | undefined {
  const result = resultsOfKind(run, "shards")[0];
  const figures = result?.shards;
  return result === undefined || figures === undefined || "error" in figures ? undefined : { result, figures };
}

/** The floor of the parallel run: admitted requests at 500 per minute, plus one stack's no-op preview. */
export function shardFloorSeconds(figures: ShardFigures): number {
  return (admittedRequests(figures.requests) / LIMIT_PER_MINUTE) * 60 + figures.previewSeconds;
}

/** The targets of the real run of shards. */
export function shardTargets(run: BenchRun): TargetOutcome[] {
  const names = [
    "Shards: 4 stacks at once finish with every entry in state, 0 failed resources",
    "… 0 duplicate POSTs (emulator request log)",
    "… 429s ≤ 2 % of answers",
    "… wall time ≤ 1.15× the floor (admitted requests ÷ 500 per minute + one stack's no-op `preview`)",
    "… a second `up` of each shard sends 0 requests",
  ];
  const found = shardFigures(run);
  if (found === undefined)
    return names.map((target) => ({
      target,
      measured: resultsOfKind(run, "shards")[0] === undefined ? "its workload did not run" : "the run failed",
      before: "",
      status: "not run",
    }));
  const f = found.figures;
  const inState = f.stacks.reduce((sum, s) => sum + s.inState, 0);
  const share = f.requests.throttled / Math.max(1, f.requests.total);
  const floor = shardFloorSeconds(f);
  const judged = (target: string, measured: string, met: boolean): TargetOutcome => ({ target, measured, before: "", status: met ? "met" : "missed" });
  return [
    judged(
      names[0] ?? "",
      `${count(inState)} of ${count(found.result.workload.customers)} in state; exit codes ${f.stacks.map((s) => s.exitCode).join(", ")}`,
      inState === found.result.workload.customers && f.stacks.every((s) => s.exitCode === 0),
    ),
    judged(names[1] ?? "", `${f.duplicatePosts} (${count(f.requests.postQualifications)} POSTs)`, f.duplicatePosts === 0),
    judged(names[2] ?? "", `${count(f.requests.throttled)} of ${count(f.requests.total)} (${(100 * share).toFixed(2)} %)`, share <= 0.02),
    judged(
      names[3] ?? "",
      `${(f.upSeconds / floor).toFixed(3)}× (${f.upSeconds.toFixed(1)} s; floor ${floor.toFixed(1)} s = ${count(admittedRequests(f.requests))} ÷ 500/min + preview ${f.previewSeconds.toFixed(1)} s)`,
      f.upSeconds <= 1.15 * floor,
    ),
    judged(
      names[4] ?? "",
      `${f.secondUpRequests} requests; exit codes ${f.secondUpExitCodes.join(", ")}`,
      f.secondUpRequests === 0 && f.secondUpExitCodes.every((c) => c === 0),
    ),
  ];
}

/** The simulation's targets, one row per mode. */
export function simulationTargets(run: BenchRun): TargetOutcome[] {
  return (["budget", "adaptive"] as const).map((mode) => {
    const { ratio, share } = SIMULATION_TARGETS[mode];
    const target = `Simulation, ${mode === "budget" ? "declared budget" : "adaptive only"}: every k (1, 4, 16, 64), both windows, 10,000 and 100,000 requests: time ≤ ${ratio}× the ideal, 429s ≤ ${100 * share} %`;
    const rows = (run.simulation ?? []).filter((r) => r.mode === mode);
    if (rows.length === 0) return { target, measured: "the simulation did not run", before: "", status: "not run" };
    const missed = rows.filter((r) => !meetsTargets(r));
    const worst = Math.max(...rows.map((r) => r.seconds / r.idealSeconds));
    const worstShare = Math.max(...rows.map((r) => r.throttled / r.attempts));
    const which = missed.map((r) => `${r.window} k=${r.instances} ${count(r.requests)}`).join("; ");
    return {
      target,
      measured: `worst ${worst.toFixed(3)}×, worst 429 share ${(100 * worstShare).toFixed(2)} %${missed.length > 0 ? `; missed: ${which}` : ""}`,
      before: "",
      status: missed.length === 0 ? "met" : "missed",
    };
  });
}

/** The shards workload's section body. */
export function shardsSection(result: WorkloadResult): string {
  const figures = result.shards;
  if (figures === undefined) return "";
  if ("error" in figures) return `The run failed: ${figures.error.split("\n")[0] ?? ""}`;
  const rows = figures.stacks.map(
    (s) => `| ${s.stack} | ${count(s.declared)} | ${count(s.inState)} | ${s.seconds.toFixed(1)} | ${s.exitCode} | ${count(s.stateBytes)} |`,
  );
  const table = ["| stack | entries in its shard | in state after `up` | `up` seconds | exit code | state bytes |", "|---|---|---|---|---|---|", ...rows].join(
    "\n",
  );
  const r = figures.requests;
  const floor = shardFloorSeconds(figures);
  const text = `All ${figures.stacks.length} \`up\`s together took ${figures.upSeconds.toFixed(1)} s; requests: GET q ${count(r.getQualifications)} · POST q ${count(r.postQualifications)} · 429 ${count(r.throttled)} · failed ${count(r.failed)}, first to last ${(r.spanSeconds ?? 0).toFixed(1)} s. The floor: ${count(admittedRequests(r))} admitted requests ÷ ${LIMIT_PER_MINUTE} per minute = ${((admittedRequests(r) / LIMIT_PER_MINUTE) * 60).toFixed(1)} s, plus one stack's no-op \`preview\` measured after the run, ${figures.previewSeconds.toFixed(1)} s: ${floor.toFixed(1)} s. A second \`up\` of every stack at once sent ${figures.secondUpRequests} requests.`;
  const failure =
    figures.failure === undefined
      ? ""
      : `\n\n<details><summary>What failed</summary>\n\n\`\`\`text\n${figures.failure.replace(/```/g, "'''")}\n\`\`\`\n\n</details>`;
  return `${table}\n\n${text}${failure}`;
}

/** The file and blob backends' `up` of the same N, side by side, when both ran. */
export function checkpointComparison(run: BenchRun): string {
  const [file, blob] = (["file", "azblob"] as const).map((backend) => resultsOfKind(run, "checkpoints").find((r) => r.workload.backend === backend));
  const [a, b] = [file, blob].map((r) => commandOf(runOf(r, "package"), "up"));
  const state = runOf(blob, "package")?.state;
  if (a === undefined || b === undefined || a.exitCode !== 0 || b.exitCode !== 0) return "";
  const n = file?.workload.customers ?? 0;
  const bytes =
    state === undefined
      ? ""
      : ` The final state is ${(state.exportBytes / 1e6).toFixed(1)} MB, so the run uploaded about ${((n * state.exportBytes) / 2 / 1e9).toFixed(2)} GB of checkpoints.`;
  return `**Checkpoints on blob storage.** \`up\` of ${count(n)} resources took ${a.seconds.toFixed(1)} s with state on the file backend and ${b.seconds.toFixed(1)} s in Azure Blob Storage (Azurite on loopback): ${(b.seconds / a.seconds).toFixed(2)}×, about ${(((b.seconds - a.seconds) * 1000) / n).toFixed(0)} ms more per resource.${bytes} A real storage account adds the network's round trip to every checkpoint.`;
}

/** The simulation section, when it ran. */
export function simulationSection(run: BenchRun): string {
  if (run.simulation === undefined || run.simulation.length === 0) return "";
  return [
    "## Throttle simulation: k processes sharing 500 requests per minute",
    "The throttle's own code (`RequestThrottle`, configured from the settings as the provider's is, and the client's retry policy) in k processes on a virtual clock (`scripts/bench/throttle-simulation`), against the limit counted over a fixed 60 s window (starting at a random point of the run) or a sliding one (the emulator's own limiter). Each process has 16 callers (the engine's parallelism on 4 cores) and 8 requests in flight at most; a request reaches the limiter 10 to 50 ms after it is sent, an answer comes 100 to 800 ms after (a 429 at once); the requests are split evenly between the processes; one seed for everything random, so each row is reproducible (`test/unit/throttle-simulation.test.ts` runs the 10,000-request rows). **budget 500/min**: `partnercenter:requestsPerMinute` 500 and `concurrentStacks` k; **adaptive**: neither, the throttle learns from 429s. Ideal: requests ÷ 500 per minute; time: from the first request to the last answer. Calls given up: 5 429s in a row, or the call's 5-minute deadline passed waiting for a turn.",
    simulationMarkdown(run.simulation),
  ].join("\n\n");
}
