/**
 * The command line of `npm run bench`: `--quick`, `--only <id>[,<id>...]`, `--keep`, `--render <json>`.
 */
import type { Workload } from "./workloads";

/** What the bench was asked to do. */
export interface BenchOptions {
  /** Small workloads, N = 10 and 100 at 0 ms: a fast check that everything works. */
  readonly quick: boolean;
  /** Run only the workloads whose id starts with one of these. */
  readonly only: readonly string[];
  /** Keep the scratch folder (program folders) for a look afterwards. */
  readonly keep: boolean;
  /** Render the report from figures saved by an earlier run instead of measuring. */
  readonly render: string | undefined;
  /** The arguments as given, for the report. */
  readonly args: readonly string[];
}

/** How to call it. */
export const USAGE = "usage: npm run bench [-- [--quick] [--only <workload id prefix>[,...]] [--keep] | --render <results.json>]";

/** Parses the arguments after `npm run bench --`; throws with {@link USAGE} on anything else. */
export function parseBenchOptions(args: readonly string[]): BenchOptions {
  let quick = false;
  let keep = false;
  let render: string | undefined;
  const only: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--quick") quick = true;
    else if (arg === "--keep") keep = true;
    else if (arg === "--only" && args[i + 1] !== undefined) only.push(...(args[++i] ?? "").split(","));
    else if (arg.startsWith("--only=")) only.push(...arg.slice("--only=".length).split(","));
    else if (arg === "--render" && args[i + 1] !== undefined) render = args[++i];
    else throw new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
  }
  return { quick, keep, render, only: only.filter((s) => s !== ""), args: [...args] };
}

/** The workloads `options.only` selects (all when it is empty); throws when it selects none. */
export function selectWorkloads(all: readonly Workload[], options: BenchOptions): Workload[] {
  if (options.only.length === 0) return [...all];
  const selected = all.filter((w) => options.only.some((prefix) => w.id.startsWith(prefix)));
  if (selected.length === 0) throw new Error(`--only ${options.only.join(",")} selects no workload; the ids are: ${all.map((w) => w.id).join(", ")}`);
  return selected;
}
