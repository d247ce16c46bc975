/**
 * `npm run bench [-- --quick] [--only <id>] [--render <json>]`: the benchmark of "Thousands of
 * customers in one stack", under the real Pulumi engine against the emulator. Each workload runs
 * this package's program, the same resource served by its native plugin, and a trivial-provider
 * baseline making the same requests (each where it makes sense), each on a fresh stack and a fresh
 * emulator: `up`, a no-op `preview`, `refresh` and a no-op `up`. Writes
 * BENCHMARKS.md (the figures, the targets met or missed, what limits each figure) and
 * BENCHMARKS.svg (time against N), and keeps the figures as JSON in the temporary folder
 * (`--render` writes both files from them again). Durations belong here, never in tests.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { runMain } from "./emulated-stack";
import { REPO_ROOT, ensurePulumiCli } from "./pulumi-workspace";
import { renderChart } from "./bench/chart";
import { machineFacts, type MachineFacts } from "./bench/machine";
import { parseBenchOptions, selectWorkloads, type BenchOptions } from "./bench/options";
import { installedPulumiVersion, packedSource, prepareProgramFolders } from "./bench/program-folders";
import { runProgram, type ProgramRunContext } from "./bench/program-run";
import { renderReport } from "./bench/report";
import { measureReport } from "./bench/report-workload";
import { loadBenchRun, saveBenchRun, type BenchRun, type WorkloadResult } from "./bench/results";
import { runShards } from "./bench/shard-run";
import { simulationTable, type SimulationRow } from "./bench/throttle-simulation/table";
import { startAzurite } from "./azurite-backend";
import { benchWorkloads, programsOf, type Workload } from "./bench/workloads";

const REPORT_FILE = "BENCHMARKS.md";
const CHART_FILE = "BENCHMARKS.svg";
/** Where the figures of the latest run are kept. */
const RESULTS_FILE = join(tmpdir(), "pulumi-partnercenter-bench-results.json");
const started = Date.now();

/** Progress on stderr, with the time since the start. */
function progress(message: string): void {
  const elapsed = Math.round((Date.now() - started) / 1000);
  console.error(`[bench +${Math.floor(elapsed / 60)}m${String(elapsed % 60).padStart(2, "0")}s] ${message}`);
}

/** Runs the workload's programs in turn (the shards workload: its stacks at once; the report's: the installed report command). */
async function runWorkload(workload: Workload, context: ProgramRunContext): Promise<WorkloadResult> {
  if (workload.kind === "shards") return { workload, runs: [], shards: await runShards(workload, context, join(context.workDir, "state", workload.id)) };
  if (workload.kind === "report") {
    const command = join(context.programDirs.package, "node_modules", "pulumi-partnercenter", "dist", "provider", "report", "report-cli.js");
    return { workload, runs: [], report: await measureReport(workload, context.workDir, command) };
  }
  const runs = [];
  for (const program of programsOf(workload)) runs.push(await runProgram(workload, program, context));
  return { workload, runs };
}

/** Writes the report and the chart of `run`. */
function writeReport(run: BenchRun): void {
  writeFileSync(join(REPO_ROOT, REPORT_FILE), renderReport(run, CHART_FILE));
  writeFileSync(join(REPO_ROOT, CHART_FILE), renderChart(run));
}

/** Saves the results so far and writes the report and the chart for them. */
function reportResults(
  options: BenchOptions,
  machine: MachineFacts,
  results: readonly WorkloadResult[],
  simulation: readonly SimulationRow[] | undefined,
): void {
  const run: BenchRun = {
    startedAt: new Date(started),
    seconds: (Date.now() - started) / 1000,
    commandLine: `npm run bench${options.args.length > 0 ? ` -- ${options.args.join(" ")}` : ""}`,
    quick: options.quick,
    machine,
    loadAtEnd: loadavg()[0] ?? 0,
    results,
    ...(simulation !== undefined ? { simulation } : {}),
  };
  saveBenchRun(run, RESULTS_FILE);
  writeReport(run);
}

runMain(async () => {
  const options = parseBenchOptions(process.argv.slice(2));
  if (options.render !== undefined) {
    writeReport(loadBenchRun(options.render));
    progress(`wrote ${REPORT_FILE} and ${CHART_FILE} from ${options.render}`);
    return 0;
  }
  // `--only simulation` runs the throttle simulation (every run without --only runs it too).
  const simulate = options.only.length === 0 || options.only.includes("simulation");
  const only = options.only.filter((id) => id !== "simulation");
  const workloads = only.length === 0 && options.only.length > 0 ? [] : selectWorkloads(benchWorkloads(options.quick), { ...options, only });
  progress(`${workloads.length} workloads: ${workloads.map((w) => w.id).join(", ")}${simulate ? "; the throttle simulation" : ""}`);
  const cliDir = ensurePulumiCli();
  const workDir = mkdtempSync(join(tmpdir(), "partnercenter-bench-"));
  const azurite = workloads.some((w) => w.backend === "azblob") ? await startAzurite() : undefined;
  try {
    progress("packing the package and installing the three programs");
    const packedFrom = packedSource();
    const programDirs = await prepareProgramFolders(workDir);
    const machine = machineFacts(cliDir, installedPulumiVersion(programDirs.package), packedFrom);
    const context: ProgramRunContext = { cliDir, programDirs, workDir, log: progress, ...(azurite !== undefined ? { azurite } : {}) };
    const results: WorkloadResult[] = [];
    const simulation = simulate ? await simulationTable(progress) : undefined;
    for (const workload of workloads) {
      progress(`${workload.id}: ${workload.title}`);
      results.push(await runWorkload(workload, context));
      reportResults(options, machine, results, simulation);
    }
    reportResults(options, machine, results, simulation);
    progress(`done; wrote ${REPORT_FILE} and ${CHART_FILE}; the figures are in ${RESULTS_FILE}`);
    return 0;
  } finally {
    await azurite?.close();
    if (options.keep) progress(`kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
});
