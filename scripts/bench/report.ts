/**
 * BENCHMARKS.md: the machine, the targets (met or missed, with the figures), the chart, and one
 * table per workload with what limits its figures.
 */
import { limitsParagraph, whereTheTimeGoes } from "./limits";
import { reportFiguresSection } from "./report-workload";
import { COMMANDS, type CommandName, type CommandResult, type ProgramRun } from "./program-run";
import type { RequestCounts } from "./request-counts";
import { commandOf, count, largestScalePoint, ratioToBaseline, resultsOfKind, runOf, type BenchRun, type WorkloadResult } from "./results";
import { checkpointComparison, shardTargets, shardsSection, simulationSection, simulationTargets } from "./shard-report";
import { judgeTargets } from "./targets";
import { programsOf, type ProgramKind } from "./workloads";

/** A markdown table. */
function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Minutes and seconds. */
function duration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return m > 0 ? `${m} min ${Math.round(seconds % 60)} s` : `${seconds.toFixed(0)} s`;
}

/** Requests by kind, zeros left out. */
function requests(r: RequestCounts): string {
  const parts: Array<[string, number]> = [
    ["GET q", r.getQualifications],
    ["POST q", r.postQualifications],
    ["GET v", r.getValidations],
    ["other", r.other],
    ["429", r.throttled],
    ["failed", r.failed],
  ];
  const shown = parts.filter(([, n]) => n > 0).map(([name, n]) => `${name} ${count(n)}`);
  return shown.length > 0 ? shown.join(" · ") : "0";
}

/** Seconds of a command, marked when it failed. */
function seconds(c: CommandResult | undefined): string {
  if (c === undefined) return "—";
  return c.exitCode === 0 ? c.seconds.toFixed(1) : `${c.seconds.toFixed(1)} (exit ${c.exitCode})`;
}

/** Peak provider memory in MiB. */
function memory(c: CommandResult | undefined): string {
  const kib = c?.memory.peakRssKiB;
  return kib === undefined ? "—" : `${(kib / 1024).toFixed(0)} MiB`;
}

/** The machine section. */
function machineSection(run: BenchRun): string {
  const m = run.machine;
  return table(
    ["", ""],
    [
      ["CPU", `${m.cpu}, ${m.cores} cores`],
      ["Memory", `${m.memoryGiB} GiB`],
      ["OS", m.os],
      ["Node.js", `${m.node} (the CLI's language host and the provider process run the same)`],
      ["Pulumi CLI", `${m.pulumiCli}; the engine's default parallelism here: ${m.engineParallelism} (\`--parallel\`)`],
      ["@pulumi/pulumi", m.pulumiSdk],
      ["Package under test", m.packedFrom ?? "not recorded"],
      [
        "Backend",
        "local file backend (`file://`), a fresh one per workload and program; the workloads marked so keep state in Azure Blob Storage served by Azurite (npm `azurite`, blob service on loopback, `azblob://`)",
      ],
      [
        "Emulator",
        "a process of its own (the compiled emulator, as `npx partnercenter-emulator` runs it), over loopback; fresh state per workload and program",
      ],
      ["Load average (1 min)", `${m.loadAtStart.toFixed(2)} at the start, ${run.loadAtEnd.toFixed(2)} at the end`],
    ],
  );
}

/** The targets section. */
function targetsSection(run: BenchRun): string {
  const rows = [...judgeTargets(run), ...simulationTargets(run), ...shardTargets(run)].map((t) => [
    t.target,
    t.measured,
    t.before === "" ? "—" : t.before,
    t.status === "met" ? "**met**" : t.status === "missed" ? "**missed**" : t.status,
  ]);
  return table(["target", "measured in this run", "before (issue)", ""], rows);
}

/** What the baseline ratio means when the baseline's state is not the smaller one. */
function baselineNote(run: BenchRun): string {
  const largest = largestScalePoint(run);
  const pkg = runOf(largest, "package")?.state;
  const baseline = runOf(largest, "baseline")?.state;
  if (largest === undefined || pkg === undefined || baseline === undefined) return "";
  const skip = resultsOfKind(run, "skipCheckpoints")[0];
  const n = count(largest.workload.customers);
  const native = runOf(largest, "native")?.state;
  const nativeSize = native === undefined ? "" : ` and the native plugin's ${count(native.bytesPerResource)} (no serialized provider)`;
  const sizes = `The trivial provider's code is serialized into state twice per resource (${count(baseline.providerBytes ?? 0)} bytes a copy, against the package's ${count(pkg.providerBytes ?? 0)}), so the baseline stores ${count(baseline.bytesPerResource)} bytes per resource against the package's ${count(pkg.bytesPerResource)}${nativeSize} at N=${n}`;
  const flatter =
    baseline.bytesPerResource > pkg.bytesPerResource
      ? ": on the file backend it writes more checkpoint bytes, which flatters the package's (and the plugin's) ratio."
      : ".";
  const without = (["package", "native"] as const).flatMap((program) => {
    const ratio = ratioToBaseline(skip, "up", program);
    return ratio === undefined
      ? []
      : [
          `the ${program === "package" ? "package's" : "native plugin's"} \`up\` of N=${count(skip?.workload.customers ?? 0)} is ${ratio.toFixed(2)}× the baseline's`,
        ];
  });
  const skipped =
    without.length === 0
      ? ""
      : ` With PULUMI_SKIP_CHECKPOINTS (state written once per command) ${without.join(", and ")}: the cost of each one's own work per resource, apart from state bytes.`;
  return `**Reading the baseline ratio.** ${sizes}${flatter}${skipped}`;
}

/** One row of a workload's command table: one program's run of one command. */
function commandRow(result: WorkloadResult, name: CommandName, program: ProgramKind, withTokens: boolean): string[] {
  const c = commandOf(runOf(result, program), name);
  const ratio = program === "baseline" ? undefined : ratioToBaseline(result, name, program);
  const row = [name, program, seconds(c), ratio === undefined ? "—" : `${ratio.toFixed(2)}×`, c === undefined ? "—" : requests(c.requests), memory(c)];
  if (!withTokens) return row;
  return [...row, c?.tokenRequests === undefined ? "—" : `${c.tokenRequests} (${c.memory.processes} process${c.memory.processes === 1 ? "" : "es"})`];
}

/** Bytes, or a dash. */
function bytes(n: number | undefined): string {
  return n === undefined ? "—" : count(n);
}

/** The state row of one program run. */
function stateRow(run: ProgramRun): string[] {
  const s = run.state;
  if (s === undefined) return [run.program, run.error !== undefined ? "run failed" : "—", "—", "—", "—", "—", "—", "—", "—"];
  const stack = s.stackBytesPerResource;
  return [
    run.program,
    `${count(s.resources)} / ${count(run.declared)}`,
    count(s.bytesPerResource),
    stack === undefined ? "—" : count(s.bytesPerResource - stack),
    bytes(stack),
    bytes(s.recordBytes),
    bytes(s.recordBytesWithoutTrace),
    bytes(s.providerBytes),
    count(s.exportBytes),
  ];
}

/** The header of the state table. */
const STATE_HEADER = [
  "program",
  "resources in state / declared",
  "state bytes / resource (export ÷ N)",
  "… without the stack outputs",
  "stack outputs / resource",
  "qualification record",
  "… without `sourcePosition`/`stackTrace`",
  "`__provider` bytes (one copy)",
  "`pulumi stack export` bytes",
];

/** The failures of a workload's runs, as collapsed output. */
function failures(result: WorkloadResult): string {
  const shown = result.runs.flatMap((run) => [
    ...(run.error !== undefined ? [`${run.program}: ${run.error.split("\n").slice(0, 12).join("\n")}`] : []),
    ...run.commands.filter((c) => c.failure !== undefined).map((c) => `${run.program} ${c.command} (exit ${c.exitCode}):\n${c.failure ?? ""}`),
  ]);
  if (shown.length === 0) return "";
  return `<details><summary>What failed</summary>\n\n\`\`\`text\n${shown.join("\n\n").replace(/```/g, "'''")}\n\`\`\`\n\n</details>`;
}

/** The section of one workload. */
function workloadSection(result: WorkloadResult, run: BenchRun): string {
  const w = result.workload;
  if (result.report !== undefined) return [`### ${w.id}: ${w.title}`, w.measures, reportFiguresSection(result.report)].join("\n\n");
  if (w.kind === "shards")
    return [`### ${w.id}: ${w.title}`, w.measures, shardsSection(result), `**What limits these figures.** ${limitsParagraph(result, run)}`].join("\n\n");
  const withTokens = w.signIn === "refreshToken";
  const programs = programsOf(w);
  const header = ["command", "program", "seconds", "÷ baseline", "requests", "provider peak RSS"];
  const rows = COMMANDS.flatMap((c) => programs.map((program) => commandRow(result, c.name, program, withTokens)));
  const commands = table(withTokens ? [...header, "token requests"] : header, rows);
  const state = table(STATE_HEADER, result.runs.map(stateRow));
  const conditions = [
    `${w.latencyMs} ms latency`,
    w.rateLimit !== undefined ? `rate limit ${w.rateLimit.requestsPerSecond} requests/s` : "",
    `${count(w.customers)} customers`,
    `sign-in: ${w.signIn}`,
    w.backend === "azblob" ? "state in Azure Blob Storage (Azurite)" : "",
  ]
    .filter((s) => s !== "")
    .join(", ");
  return [
    `### ${w.id}: ${w.title}`,
    `${w.measures} (${conditions}.)`,
    commands,
    "State after the first `up`:",
    state,
    `**What limits these figures.** ${limitsParagraph(result, run)}`,
    failures(result),
  ]
    .filter((s) => s !== "")
    .join("\n\n");
}

/** The whole of BENCHMARKS.md; the chart is `chartFile` next to it. */
export function renderReport(run: BenchRun, chartFile: string): string {
  const date = run.startedAt.toISOString().replace("T", " ").slice(0, 16);
  return [
    "# Benchmarks: thousands of customers in one stack",
    `Written by \`${run.commandLine}\` on ${date} UTC; the whole run took ${duration(run.seconds)}${run.quick ? " (`--quick`: small workloads, a fast check only)" : ""}. ` +
      "Overwritten by every run. This is a benchmark, not a test: tests assert request counts and sizes, never durations.",
    "Each workload runs up to three programs, each against a fresh emulator and a fresh stack: **package**, this package's program (the packed package installed in a user's program, one `CustomerQualification` per item, the dynamic resource); **native**, the same items as `native.CustomerQualification`, served by the package's native plugin `pulumi-resource-partnercenter` (Pulumi.yaml points at the installed package's `bin` folder; `partnercenter:baseUrl` and the secret `partnercenter:accessToken` in stack config, as the README sets it up; in refreshToken mode the environment, as for the others); and, where it makes sense, **baseline**, a trivial dynamic provider making the same requests (`scripts/bench/trivial-provider-program.ts`: `create` = one GET and one POST, `read` = one GET, Node's `fetch`, no retries). All three export the same stack outputs (every qualification's id and vetting). Commands: `pulumi up --yes --skip-preview`, a no-op `pulumi preview`, `pulumi refresh --yes --skip-preview`, a no-op `pulumi up`. Times are wall-clock seconds of the `pulumi` process.",
    "**Compare ratios within one run only.** The machine is shared and noisy (see the load average): absolute seconds move between runs, ratios of runs made minutes apart move much less. Each figure is a single run of the command, so differences of a second or two (and ratios of commands that take a few seconds) are noise.",
    "Requests: `GET q` / `POST q` = `GET`/`POST /v1/customers/{id}/qualifications`, `GET v` = `GET /v1/customers/all/validations`, `429` = answered 429 (counted in the kinds too). Peak RSS: the largest VmHWM of the provider's `node` process (the dynamic-provider host for package and baseline, the plugin `bin/pulumi-resource-partnercenter` for native), polled every 100 ms (a process that lives less than that can be missed, shown as —). ÷ baseline: the program's seconds over the baseline's for the same command.",
    "State: `pulumi stack export` bytes ÷ declared resources is the issue's figure and the one judged. Part of it is the program's own stack outputs (the Stack resource's bytes ÷ N, shown apart); a qualification record is the mean bytes of one resource as it sits in the export, and again without `sourcePosition` and `stackTrace`, which the engine records from the language host for every resource (the Node SDK's frames).",
    "## Machine",
    machineSection(run),
    "## Targets",
    targetsSection(run),
    baselineNote(run),
    "## Time against N",
    `![pulumi up seconds against N, package, native plugin and baseline, 0 ms and 300 ms](${chartFile})`,
    ...(whereTheTimeGoes(run).length > 0 ? ["Where the time goes:", whereTheTimeGoes(run).join("\n")] : []),
    ...(checkpointComparison(run) !== "" ? [checkpointComparison(run)] : []),
    "## Workloads",
    ...run.results.map((r) => workloadSection(r, run)),
    ...(simulationSection(run) !== "" ? [simulationSection(run)] : []),
    "## Running it",
    "`npm run bench` runs every workload (about 50 minutes on 2 cores, more on a busy machine); `npm run bench -- --quick` runs small versions of them (N = 10 and 100 at 0 ms, about 5 minutes); `--only <id>[,<id>...]` runs the workloads whose id starts with one of them (`--only simulation` the throttle simulation, which every run without `--only` includes; `--only checkpoints,shards` the blob-storage workloads, which start Azurite); `--keep` keeps the program folders and, in their `state` folder, each program's state export after `up` and each command's request log (seconds from the command's start, method, path, status). Progress goes to stderr; this file and the chart are rewritten after each workload, and the figures are kept as JSON in the temporary folder (`pulumi-partnercenter-bench-results.json`): `npm run bench -- --render <that file>` writes both files from them again.",
    "",
  ].join("\n\n");
}
