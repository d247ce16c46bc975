/**
 * The issue's targets, each judged met or missed from the figures of this run. A target whose
 * workload did not run (`--only`) is reported as not run; nothing is left out.
 */
import { idealSecondsUnderLimit, type RequestCounts } from "./request-counts";
import type { CommandName, CommandResult, ProgramRun } from "./program-run";
import {
  commandOf,
  count,
  largestScalePoint,
  ratioToBaseline,
  resultsOfKind,
  runOf,
  secondsOf,
  withoutStackOutputs,
  type BenchRun,
  type WorkloadResult,
} from "./results";
import type { StateFigures } from "./state-size";

/** One row of the targets table. */
export interface TargetOutcome {
  readonly target: string;
  readonly measured: string;
  /** What the issue measured before the work on it. */
  readonly before: string;
  readonly status: "met" | "missed" | "not run";
}

const KB = 1024;

/** A row whose figure is missing. */
function notRun(target: string, before: string, why = "its workload did not run"): TargetOutcome {
  return { target, measured: why, before, status: "not run" };
}

/** A row judged by `met`. */
function judged(target: string, measured: string, before: string, met: boolean): TargetOutcome {
  return { target, measured, before, status: met ? "met" : "missed" };
}

/** Package runs of every workload except the rate-limited one (429 retries are judged by its own targets). */
function packageRuns(run: BenchRun): Array<{ result: WorkloadResult; pkg: ProgramRun }> {
  return run.results
    .filter((r) => r.workload.kind !== "rateLimited")
    .flatMap((result) => {
      const pkg = runOf(result, "package");
      return pkg !== undefined && pkg.error === undefined ? [{ result, pkg }] : [];
    });
}

/** The package run's figure that is largest, with its workload. */
function worst(run: BenchRun, figure: (result: WorkloadResult, pkg: ProgramRun) => number | undefined): { value: number; where: string } | undefined {
  let found: { value: number; where: string } | undefined;
  for (const { result, pkg } of packageRuns(run)) {
    const value = figure(result, pkg);
    if (value !== undefined && (found === undefined || value > found.value)) found = { value, where: result.workload.id };
  }
  return found;
}

/** Smallest and largest state bytes per resource over the package's runs. */
function stateRange(run: BenchRun): string {
  const sizes = packageRuns(run).flatMap(({ pkg }) => (pkg.state !== undefined ? [pkg.state.bytesPerResource] : []));
  return sizes.length > 1 ? `; ${count(Math.min(...sizes))} to ${count(Math.max(...sizes))} over all runs, small N paying the stack's fixed bytes` : "";
}

/** State bytes per resource at the largest N, and `__provider` bytes, worst over the package's runs. */
function stateTargets(run: BenchRun): TargetOutcome[] {
  const largest = largestScalePoint(run);
  const state = runOf(largest, "package")?.state;
  const provider = worst(run, (_, pkg) => pkg.state?.providerBytes);
  const stateTarget = "State ≤ 4 KB (4,096 bytes) per resource (`pulumi stack export` bytes ÷ N)";
  const providerTarget = "`__provider` ≤ 1 KB (1,024 bytes), one copy";
  const n = count(largest?.workload.customers ?? 0);
  return [
    state === undefined
      ? notRun(stateTarget, "9.6 KB")
      : judged(
          stateTarget,
          `${count(state.bytesPerResource)} bytes at N=${n}${withoutStackOutputs(state)}${stateRange(run)}`,
          "9.6 KB",
          state.bytesPerResource <= 4 * KB,
        ),
    provider === undefined
      ? notRun(providerTarget, "")
      : judged(providerTarget, `${count(provider.value)} bytes (largest, ${provider.where})`, "", provider.value <= KB),
  ];
}

/** The native plugin's qualification records, apart from the rest of the export. */
function nativeRecords(state: StateFigures): string {
  const { recordBytes, recordBytesWithoutTrace, standaloneRecordBytesWithoutTrace } = state;
  if (recordBytes === undefined || recordBytesWithoutTrace === undefined) return "";
  const standalone =
    standaloneRecordBytesWithoutTrace === undefined ? "" : ` (${count(standaloneRecordBytesWithoutTrace)} serialized on its own, as the e2e test measures it)`;
  return `; one qualification record ${count(recordBytes)} bytes, ${count(recordBytesWithoutTrace)} without \`sourcePosition\`/\`stackTrace\`${standalone}`;
}

/** The issue's target for the native plugin: state per resource, and `up` of the largest 0 ms scale point faster than the baseline. */
function nativeTargets(run: BenchRun): TargetOutcome[] {
  const largest = largestScalePoint(run);
  const n = largest?.workload.customers ?? 1000;
  const at = n === 1000 ? "" : ` (this run: N=${count(n)})`;
  const stateTarget = `Native plugin: state ≤ 1.5 KB (1,536 bytes) per resource (\`pulumi stack export\` bytes ÷ N)${at}`;
  const upTarget = `Native plugin: at N=1,000 \`up\` faster than the trivial dynamic-provider baseline in the same run (ratio below 1.0)${at}`;
  const state = runOf(largest, "native")?.state;
  const ratio = ratioToBaseline(largest, "up", "native");
  const native = secondsOf(runOf(largest, "native"), "up");
  const baseline = secondsOf(runOf(largest, "baseline"), "up");
  return [
    state === undefined
      ? notRun(stateTarget, "")
      : judged(
          stateTarget,
          `${count(state.bytesPerResource)} bytes at N=${count(n)}${withoutStackOutputs(state)}${nativeRecords(state)}`,
          "",
          state.bytesPerResource <= 1.5 * KB,
        ),
    ratio === undefined || native === undefined || baseline === undefined
      ? notRun(upTarget, "", largest === undefined ? undefined : "a run failed")
      : judged(upTarget, `${ratio.toFixed(2)}× (${native.toFixed(1)} s vs ${baseline.toFixed(1)} s)`, "", ratio < 1),
  ];
}

/** `up` of the largest 0 ms scale point within 1.2× of the baseline. */
function scaleTarget(run: BenchRun): TargetOutcome {
  const largest = largestScalePoint(run);
  const target = "N=1,000 `up` within 1.2× of the trivial-provider baseline (0 ms)";
  if (largest === undefined) return notRun(target, "1.97×");
  const n = largest.workload.customers;
  const ratio = ratioToBaseline(largest, "up");
  const label = n === 1000 ? target : `${target} (this run: N=${count(n)})`;
  if (ratio === undefined) return notRun(label, "1.97×", "a run failed");
  const pkg = secondsOf(runOf(largest, "package"), "up") ?? 0;
  const baseline = secondsOf(runOf(largest, "baseline"), "up") ?? 0;
  return judged(label, `${ratio.toFixed(2)}× (${pkg.toFixed(1)} s vs ${baseline.toFixed(1)} s)`, "1.97×", ratio <= 1.2);
}

/** 300 mixed (a third GCC) within 1.3× of 300 without GCC, at 300 ms. */
function gccMixTarget(run: BenchRun): TargetOutcome {
  const [mixed, withoutGcc] = ["gcc-mix-", "no-gcc-"].map((prefix) => resultsOfKind(run, "gccMix").find((r) => r.workload.id.startsWith(prefix)));
  const n = mixed?.workload.customers ?? 300;
  const target = `At 300 ms, ${count(n)} mixed qualifications (a third GCC) \`up\` within 1.3× of ${count(n)} without GCC`;
  const a = secondsOf(runOf(mixed, "package"), "up");
  const b = secondsOf(runOf(withoutGcc, "package"), "up");
  if (a === undefined || b === undefined) return notRun(target, "2.27×", mixed === undefined ? undefined : "a run failed");
  return judged(target, `${(a / b).toFixed(2)}× (${a.toFixed(1)} s vs ${b.toFixed(1)} s)`, "2.27×", a / b <= 1.3);
}

/** 100 customers with 2 qualifications each: at most one read per customer in `up`. */
function twoPerCustomerTarget(run: BenchRun): TargetOutcome {
  const result = resultsOfKind(run, "twoPerCustomer")[0];
  const customers = result?.workload.customers ?? 100;
  const target = `${count(customers)} customers × 2 qualifications: \`up\` reads qualifications at most ${count(customers)} times`;
  const up = commandOf(runOf(result, "package"), "up");
  if (up === undefined) return notRun(target, "200 (for 100)");
  return judged(target, `${count(up.requests.getQualifications)} GETs`, "200 (for 100)", up.requests.getQualifications <= customers);
}

/** The worst command of any package run by `figure`, described. */
function worstCommand(
  run: BenchRun,
  commands: readonly CommandName[],
  figure: (c: CommandResult, result: WorkloadResult) => number,
): { value: number; where: string } | undefined {
  return worst(run, (result, pkg) => {
    const values = pkg.commands.filter((c) => commands.includes(c.command)).map((c) => figure(c, result));
    return values.length > 0 ? Math.max(...values) : undefined;
  });
}

/** Reads per customer, validation-code reads per command, and no-op commands that send nothing. */
function requestTargets(run: BenchRun): TargetOutcome[] {
  const reads = worstCommand(run, ["up", "refresh"], (c, r) => c.requests.getQualifications / r.workload.customers);
  const validations = worstCommand(run, ["up", "preview (no-op)", "refresh", "up (no-op)"], (c) => c.requests.getValidations);
  const rows: TargetOutcome[] = [];
  const readsTarget = "GETs of qualifications ≤ customers (`up` and `refresh`; every workload but the rate-limited one)";
  rows.push(
    reads === undefined
      ? notRun(readsTarget, "2 per customer with 2 qualifications")
      : judged(readsTarget, `${reads.value.toFixed(2)} per customer (worst, ${reads.where})`, "2 per customer with 2 qualifications", reads.value <= 1),
  );
  const validationsTarget = "Validation-code reads ≤ 1 per command (+1 per refused code; none is refused here)";
  rows.push(
    validations === undefined
      ? notRun(validationsTarget, "1 per GCC create")
      : judged(validationsTarget, `${count(validations.value)} in one command (worst, ${validations.where})`, "1 per GCC create", validations.value <= 1),
  );
  for (const command of ["preview (no-op)", "up (no-op)"] as const) {
    const sent = worstCommand(run, [command], (c) => c.requests.total);
    const target = `0 requests for a no-op ${command === "up (no-op)" ? "`up`" : "`preview`"}`;
    rows.push(sent === undefined ? notRun(target, "0") : judged(target, `${count(sent.value)} (worst, ${sent.where})`, "0", sent.value === 0));
  }
  return rows;
}

/** One token request per provider process, in refreshToken mode, for the package and (when it ran) the native plugin. */
function tokenTarget(run: BenchRun): TargetOutcome {
  const result = resultsOfKind(run, "signIn")[0];
  const target = "1 token request per provider process (refreshToken mode; accessToken mode makes none: n/a elsewhere)";
  const runs = (["package", "native"] as const).flatMap((program) => {
    const programRun = runOf(result, program);
    return programRun !== undefined && programRun.commands.length > 0 ? [programRun] : [];
  });
  if (runs[0]?.program !== "package") return notRun(target, "1");
  const perProgram = runs.map(
    (r) => `${runs.length > 1 ? `${r.program}: ` : ""}${r.commands.map((c) => `${c.command} ${c.tokenRequests ?? "?"}/${c.memory.processes}`).join(", ")}`,
  );
  // A command that sends nothing needs no token; one that does, one per provider process.
  const met = runs.every((r) => r.commands.every((c) => (c.tokenRequests ?? Infinity) <= (c.requests.total > 0 ? Math.max(1, c.memory.processes) : 0)));
  return judged(target, `tokens/processes: ${perProgram.join("; ")} (${result?.workload.id})`, "1", met);
}

/** From the first request to the last, when known: how much of a command the requests took. */
function spanOf(requests: RequestCounts): string {
  return requests.spanSeconds === undefined || requests.spanSeconds === 0 ? "" : `; its requests, first to last, ${requests.spanSeconds.toFixed(1)} s`;
}

/** The native plugin's `up` under the same limit, for comparison (the target is the package's). */
function nativeUnderRateLimit(result: WorkloadResult, perSecond: number): string {
  const up = commandOf(runOf(result, "native"), "up");
  if (up === undefined) return "";
  const ideal = idealSecondsUnderLimit(up.requests, perSecond);
  const first = up.requests.firstRequestAfterSeconds === undefined ? "" : `, first request after ${up.requests.firstRequestAfterSeconds.toFixed(1)} s`;
  return `; the native plugin, same client: ${(up.seconds / ideal).toFixed(3)}× (${up.seconds.toFixed(2)} s${first})`;
}

/** Under 10 requests/s: no failed resource, within 1.2× of the ideal, fewer than a quarter 429s. */
function rateLimitTargets(run: BenchRun): TargetOutcome[] {
  const result = resultsOfKind(run, "rateLimited")[0];
  const pkg = runOf(result, "package");
  const up = commandOf(pkg, "up");
  const n = result?.workload.customers ?? 200;
  const targets = [
    `${count(n)} qualifications at 10 requests/s: no failed resource`,
    "… `up` within 1.2× of the ideal (admitted requests ÷ 10 per s)",
    "… fewer than one answer in four is a 429",
  ];
  if (up === undefined || result === undefined) return targets.map((t) => notRun(t, ""));
  const perSecond = result.workload.rateLimit?.requestsPerSecond ?? 10;
  const ideal = idealSecondsUnderLimit(up.requests, perSecond);
  const share = up.requests.throttled / Math.max(1, up.requests.total);
  const inState = pkg?.state?.resources ?? 0;
  return [
    judged(targets[0] ?? "", `${count(inState)} of ${count(n)} in state, exit code ${up.exitCode}`, "none failed", inState === n && up.exitCode === 0),
    judged(
      targets[1] ?? "",
      `${(up.seconds / ideal).toFixed(3)}× (${up.seconds.toFixed(2)} s against at most ${(1.2 * ideal).toFixed(2)} s; ideal ${ideal.toFixed(1)} s${spanOf(up.requests)})${nativeUnderRateLimit(result, perSecond)}`,
      "1.15×",
      up.seconds <= 1.2 * ideal,
    ),
    judged(
      targets[2] ?? "",
      `${count(up.requests.throttled)} of ${count(up.requests.total)} (${(share * 100).toFixed(0)} %)`,
      "309 of 709 (44 %)",
      share < 0.25,
    ),
  ];
}

/** Every target of the issue, judged from `run`. */
export function judgeTargets(run: BenchRun): TargetOutcome[] {
  return [
    ...stateTargets(run),
    scaleTarget(run),
    ...nativeTargets(run),
    gccMixTarget(run),
    twoPerCustomerTarget(run),
    ...requestTargets(run),
    tokenTarget(run),
    ...rateLimitTargets(run),
  ];
}
