/**
 * The figures of one bench run, and the lookups the targets, report and chart share. A run is
 * also saved as JSON, so that the report can be rendered again without measuring again.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { MachineFacts } from "./machine";
import type { CommandName, CommandResult, ProgramRun } from "./program-run";
import type { ReportFigures } from "./report-workload";
import type { ShardFigures } from "./shard-run";
import type { StateFigures } from "./state-size";
import type { SimulationRow } from "./throttle-simulation/table";
import type { ProgramKind, Workload, WorkloadKind } from "./workloads";

/** Every program run of one workload (none for the report, which has figures of its own). */
export interface WorkloadResult {
  readonly workload: Workload;
  readonly runs: readonly ProgramRun[];
  readonly report?: ReportFigures;
  /** The shards workload's figures (its runs are empty). */
  readonly shards?: ShardFigures | { readonly error: string };
}

/** One whole bench run. */
export interface BenchRun {
  readonly startedAt: Date;
  /** Wall-clock seconds of the whole run, preparation included. */
  readonly seconds: number;
  /** The command line that produced it. */
  readonly commandLine: string;
  readonly quick: boolean;
  readonly machine: MachineFacts;
  /** The 1-minute load average when the run ended. */
  readonly loadAtEnd: number;
  readonly results: readonly WorkloadResult[];
  /** The throttle simulation's table, when it ran (every run but `--only` without `simulation`). */
  readonly simulation?: readonly SimulationRow[];
}

/** The run of `program` in a workload, if it ran. */
export function runOf(result: WorkloadResult | undefined, program: ProgramKind): ProgramRun | undefined {
  return result?.runs.find((r) => r.program === program);
}

/** A command's result in a program run, if it ran. */
export function commandOf(run: ProgramRun | undefined, command: CommandName): CommandResult | undefined {
  return run?.commands.find((c) => c.command === command);
}

/** Seconds of a successful command, or undefined. */
export function secondsOf(run: ProgramRun | undefined, command: CommandName): number | undefined {
  const result = commandOf(run, command);
  return result !== undefined && result.exitCode === 0 ? result.seconds : undefined;
}

/** A program's time (the package's by default) over the baseline's for a command, when both succeeded. */
export function ratioToBaseline(result: WorkloadResult | undefined, command: CommandName, program: ProgramKind = "package"): number | undefined {
  const pkg = secondsOf(runOf(result, program), command);
  const baseline = secondsOf(runOf(result, "baseline"), command);
  return pkg !== undefined && baseline !== undefined && baseline > 0 ? pkg / baseline : undefined;
}

/** The workloads of a kind, in run order. */
export function resultsOfKind(run: BenchRun, kind: WorkloadKind): WorkloadResult[] {
  return run.results.filter((r) => r.workload.kind === kind);
}

/** The scale point at 0 ms with the largest N. */
export function largestScalePoint(run: BenchRun): WorkloadResult | undefined {
  const points = resultsOfKind(run, "scale").filter((r) => r.workload.latencyMs === 0);
  return points.sort((a, b) => b.workload.customers - a.workload.customers)[0];
}

/** Formats a count with thousands separators. */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** The stack outputs' share of a state figure, as "(X without the program's stack outputs, which take Y)". */
export function withoutStackOutputs(state: StateFigures): string {
  const stack = state.stackBytesPerResource;
  return stack === undefined ? "" : ` (${count(state.bytesPerResource - stack)} without the program's stack outputs, which take ${count(stack)})`;
}

/** Saves a run's figures as JSON. */
export function saveBenchRun(run: BenchRun, file: string): void {
  writeFileSync(file, `${JSON.stringify(run, null, 1)}\n`);
}

/** Reads figures saved by {@link saveBenchRun}. */
export function loadBenchRun(file: string): BenchRun {
  const parsed = JSON.parse(readFileSync(file, "utf8")) as BenchRun & { startedAt: string };
  return { ...parsed, startedAt: new Date(parsed.startedAt) };
}
