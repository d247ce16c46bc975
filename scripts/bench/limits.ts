/**
 * The "what limits these figures" paragraph of each workload table, with the figures that explain
 * it computed from the run: checkpoint bytes written, the latency floor, the rate-limit floor.
 */
import type { CommandName, ProgramRun } from "./program-run";
import { admittedRequests, idealSecondsUnderLimit } from "./request-counts";
import { commandOf, count, runOf, type BenchRun, type WorkloadResult } from "./results";
import { programsOf, type ProgramKind, type WorkloadKind } from "./workloads";

/** Megabytes with one decimal, or gigabytes from 1 GB. */
function mb(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The engine's default parallelism as a number (8 when unknown). */
function parallelism(run: BenchRun): number {
  const p = Number(run.machine.engineParallelism);
  return Number.isFinite(p) && p > 0 ? p : 8;
}

/** About how much state the file backend wrote during `up`: one checkpoint per step, growing to the final size. */
function checkpointBytes(pkg: ProgramRun | undefined): number | undefined {
  return pkg?.state === undefined ? undefined : (pkg.declared * pkg.state.exportBytes) / 2;
}

/** The checkpoint sentence of a program run. */
function checkpointSentence(result: WorkloadResult): string {
  const parts = programsOf(result.workload).flatMap((program) => {
    const bytes = checkpointBytes(runOf(result, program));
    return bytes === undefined ? [] : [`${program} ≈ ${mb(bytes)}`];
  });
  if (parts.length === 0) return "";
  const refresh = commandOf(runOf(result, "package"), "refresh");
  const refreshNote =
    refresh === undefined ? "" : ` \`refresh\`, whose reads change nothing here, does not pay it (${refresh.seconds.toFixed(1)} s for the package).`;
  return `The file backend rewrites the whole checkpoint after every step, so \`up\` writes about N × final state ÷ 2 (${parts.join(", ")}), each time serializing the whole deployment to JSON and writing it out: bytes per resource are time, and this term grows with N².${refreshNote}`;
}

/** The latency floor: requests × latency ÷ parallelism, or the serial GCC turns when longer. */
function latencySentence(result: WorkloadResult, run: BenchRun): string {
  const latency = result.workload.latencyMs;
  if (latency === 0)
    return "At 0 ms the emulator answers at once (its own process, sharing the cores with the CLI, the program and the provider), so requests cost CPU, not waiting.";
  const p = parallelism(run);
  const floors = programsOf(result.workload).flatMap((program) => {
    const up = commandOf(runOf(result, program), "up");
    if (up === undefined) return [];
    const parallel = (admittedRequests(up.requests) * latency) / 1000 / p;
    const gccTurns = program === "baseline" ? 0 : (up.requests.getValidations * 2 * latency) / 1000;
    return [
      `${program} ${Math.max(parallel, gccTurns).toFixed(1)} s${gccTurns > parallel ? " (GCC creates taking turns: validation-code read + POST each, one at a time)" : ""}`,
    ];
  });
  return `At ${latency} ms every create waits for its requests one after another and the engine runs at most ${p} steps at once, so \`up\` can't beat requests × latency ÷ ${p}: ${floors.join("; ")}.`;
}

/** How much of `up` the checkpoints took, from the same N at 0 ms with checkpoints. */
function checkpointShare(result: WorkloadResult, run: BenchRun): string {
  const same = run.results.find((r) => r.workload.kind === "scale" && r.workload.latencyMs === 0 && r.workload.customers === result.workload.customers);
  const parts = programsOf(result.workload).flatMap((program) => {
    const withCheckpoints = commandOf(runOf(same, program), "up");
    const without = commandOf(runOf(result, program), "up");
    if (withCheckpoints === undefined || without === undefined) return [];
    const share = (withCheckpoints.seconds - without.seconds) / withCheckpoints.seconds;
    return [
      `${program} ${without.seconds.toFixed(1)} s without against ${withCheckpoints.seconds.toFixed(1)} s with (${(share * 100).toFixed(0)} % of \`up\`)`,
    ];
  });
  return parts.length > 0 ? `: ${parts.join("; ")}` : "";
}

/** " (N s)" when known. */
function secondsOf(seconds: number | undefined): string {
  return seconds === undefined ? "" : ` (${seconds.toFixed(1)} s)`;
}

/** The sentences shared by every workload: program start-up and no-op commands. */
function commonSentence(): string {
  return "Every command includes starting the CLI, the language host compiling the program with ts-node and the program registering each resource; the no-op `preview` and `up` send no request and are bounded by that and the engine's per-resource check and diff calls to the provider.";
}

/** How much sooner the native plugin's first request came under the same limit: the provider processes' start-up. */
function nativeStartSentence(result: WorkloadResult): string {
  const pkg = commandOf(runOf(result, "package"), "up")?.requests.firstRequestAfterSeconds;
  const native = commandOf(runOf(result, "native"), "up");
  const first = native?.requests.firstRequestAfterSeconds;
  if (pkg === undefined || native === undefined || first === undefined) return "";
  return ` The native plugin sends through the same client and throttle; its first request came after ${first.toFixed(1)} s (the package's after ${pkg.toFixed(1)} s), since its process loads only Pulumi's protocol files, where the dynamic-provider host loads \`@pulumi/pulumi\` with TypeScript before it can serve, and its \`up\` took ${native.seconds.toFixed(1)} s.`;
}

/** Kind-specific sentences. */
const KIND_SENTENCES: Record<WorkloadKind, (result: WorkloadResult, run: BenchRun) => string> = {
  scale: () => "",
  report: () => "",
  twoPerCustomer: (r) =>
    `Two resources per customer: each create and each read asks for its customer's qualifications, so reads equal resources (${count(r.workload.packageItems.length)}) unless the provider shares one read per customer within a command.`,
  gccMix: () =>
    "Without GCC, time is latency-bound only; with a third GCC the package's (and the plugin's) GCC creates also read the validation codes and take turns.",
  rateLimited: (r) => {
    const up = commandOf(runOf(r, "package"), "up");
    if (up === undefined) return "";
    const perSecond = r.workload.rateLimit?.requestsPerSecond ?? 10;
    const ideal = idealSecondsUnderLimit(up.requests, perSecond);
    const span =
      up.requests.spanSeconds === undefined || up.requests.spanSeconds === 0
        ? ""
        : ` The requests themselves, first to last, took ${up.requests.spanSeconds.toFixed(1)} s of the ${up.seconds.toFixed(1)}: the rest is the CLI and the program starting, before the first request${secondsOf(up.requests.firstRequestAfterSeconds)}, and the engine finishing after the last${secondsOf(up.requests.lastRequestBeforeEndSeconds)}.`;
    return `The rate limit is the floor: ${count(admittedRequests(up.requests))} admitted requests ÷ ${perSecond} per s = ${ideal.toFixed(1)} s.${span} Each 429 costs a request and pauses every call of the provider process for its Retry-After (at least 1 s). The first is the opening burst finding the limit; after it the provider keeps to 97 % of the rate counted, so a later one comes from arrivals bunched by a busy machine, and slows the rest of the run by a twentieth.${nativeStartSentence(r)}`;
  },
  gccChosen: () =>
    "Every create of a GCC without a code reads the partner's validation codes before its POST, in turn with the other GCC creates, so its time grows with the GCC count even at 0 ms.",
  signIn: () =>
    "The token request (MSAL, refresh-token grant at the emulated Entra ID, over TLS) happens once per provider process; every other request shares that token.",
  checkpoints: (r) =>
    r.workload.backend === "azblob"
      ? "State in Azure Blob Storage: every checkpoint uploads the whole state as one blob to Azurite over loopback (HTTP, SharedKey signing), so each step pays an upload of the growing state on top of serializing it; compare with the file backend's workload just before."
      : "State on the file backend: every checkpoint writes the whole state to a local file; the reference for the Azure Blob Storage workload after it.",
  shards: () =>
    "See the shards section: the floor is the rate limit, admitted requests ÷ 500 per minute, plus one stack's no-op `preview` (starting the CLI and the program, and the engine's steps, which no request shortens).",
  skipCheckpoints: (r, run) =>
    `With PULUMI_SKIP_CHECKPOINTS the engine writes state once at the end of each command: the difference from the same N without it is what the per-step checkpoints cost${checkpointShare(r, run)}.`,
};

/** What the native plugin's state holds that it does not decide: the SDK's stack trace, and the stack outputs. */
function nativeStateSentence(result: WorkloadResult): string {
  const native = runOf(result, "native")?.state;
  if (native?.recordBytes === undefined || native.recordBytesWithoutTrace === undefined) return "";
  const inPlace = native.recordBytes - native.recordBytesWithoutTrace;
  const alone =
    native.standaloneRecordBytes === undefined || native.standaloneRecordBytesWithoutTrace === undefined
      ? undefined
      : native.standaloneRecordBytes - native.standaloneRecordBytesWithoutTrace;
  const trace =
    alone === undefined ? `${count(inPlace)} bytes` : `${count(alone)} bytes serialized on their own, ${count(inPlace)} with the export's indentation`;
  const stack = native.stackBytesPerResource === undefined ? "" : `, and the program's stack outputs add ${count(native.stackBytesPerResource)} per resource`;
  return `State: the engine records the Node SDK's stack trace (\`sourcePosition\` and \`stackTrace\`: ${trace}) with every resource of a TypeScript program, whichever provider serves it, so a native qualification record takes ${count(native.recordBytes)} bytes of the export, ${count(native.recordBytesWithoutTrace)} without them (inputs, outputs and the engine's own fields)${stack}.`;
}

/** The sentence on the native plugin's process, when it ran. */
function nativeProcessSentence(result: WorkloadResult): string {
  if (!programsOf(result.workload).includes("native")) return "";
  return "The native plugin is a `node` process the engine starts for each command, as it starts the dynamic-provider host; its resources carry no serialized provider (`__provider`).";
}

/** The "what limits these figures" paragraph of a workload. */
export function limitsParagraph(result: WorkloadResult, run: BenchRun): string {
  const sentences = [
    KIND_SENTENCES[result.workload.kind](result, run),
    result.workload.kind === "skipCheckpoints" ? "" : checkpointSentence(result),
    nativeStateSentence(result),
    latencySentence(result, run),
    commonSentence(),
    nativeProcessSentence(result),
  ];
  return sentences.filter((s) => s !== "").join(" ");
}

/** The `up` result of a scale point, if it ran. */
function scaleUp(run: BenchRun, n: number, latencyMs: number, program: ProgramKind): number | undefined {
  const result = run.results.find((r) => r.workload.kind === "scale" && r.workload.customers === n && r.workload.latencyMs === latencyMs);
  const up = commandOf(runOf(result, program), "up");
  return up !== undefined && up.exitCode === 0 ? up.seconds : undefined;
}

/** Whose figure a phrase gives. */
const WHOSE: Record<ProgramKind, string> = { package: "the package", native: "the native plugin", baseline: "the baseline" };

/** The package's and the plugin's own work per resource: `up` without checkpoints and the no-op `preview`, against the baseline. */
function perResourceWork(skip: WorkloadResult | undefined): string[] {
  const n = skip?.workload.customers ?? 0;
  const baselineOf = (command: CommandName): number | undefined => commandOf(runOf(skip, "baseline"), command)?.seconds;
  const figures = (["package", "native"] as const).flatMap((program) => {
    const parts = (["up", "preview (no-op)"] as const).flatMap((command) => {
      const own = commandOf(runOf(skip, program), command)?.seconds;
      const baseline = baselineOf(command);
      if (own === undefined || baseline === undefined || n === 0) return [];
      const more = ((own - baseline) * 1000) / n;
      return [`${command} ${own.toFixed(1)} s against ${baseline.toFixed(1)} s (${Math.abs(more).toFixed(1)} ms ${more >= 0 ? "more" : "less"} per resource)`];
    });
    return parts.length === 0 ? [] : [`${WHOSE[program]}: ${parts.join("; ")}`];
  });
  if (figures.length === 0) return [];
  return [
    `Work per resource, apart from state bytes (N=${count(n)}, PULUMI_SKIP_CHECKPOINTS, against the baseline): ${figures.join("; ")}. The package's program and provider do more per resource than the trivial ones (check, diff, the declaration guard, secrets, a provider resource; not measured apart here), but its resources register with V8's stack-trace limit at 0, where the baseline's \`pulumi.dynamic.Resource\` lets the SDK format a stack trace under ts-node for each promise of a registration.`,
  ];
}

/** What the checkpoints cost the package's and the plugin's `up` of the largest N at 0 ms. */
function checkpointBullet(run: BenchRun, skip: WorkloadResult | undefined, n: number): string[] {
  const parts = (["package", "native"] as const).flatMap((program) => {
    const withCheckpoints = scaleUp(run, n, 0, program);
    const without = commandOf(runOf(skip, program), "up")?.seconds;
    if (withCheckpoints === undefined || without === undefined) return [];
    return [
      `${WHOSE[program]}'s took ${withCheckpoints.toFixed(1)} s, and ${without.toFixed(1)} s with PULUMI_SKIP_CHECKPOINTS (${(((withCheckpoints - without) / withCheckpoints) * 100).toFixed(0)} %)`,
    ];
  });
  if (parts.length === 0) return [];
  return [
    `Checkpoints: of \`up\` of N=${count(n)} at 0 ms, ${parts.join("; ")}: that share is the file backend rewriting the whole state after each step, which grows with the state's bytes per resource.`,
  ];
}

/** Bullet points on where the time of the package's commands goes, from this run's figures. */
export function whereTheTimeGoes(run: BenchRun): string[] {
  const skip = run.results.find((r) => r.workload.kind === "skipCheckpoints");
  const n = skip?.workload.customers ?? 1000;
  const bullets: string[] = [...checkpointBullet(run, skip, n), ...perResourceWork(skip)];
  const fixed = commandOf(
    runOf(
      run.results.find((r) => r.workload.id === "n10-0ms"),
      "package",
    ),
    "preview (no-op)",
  )?.seconds;
  if (fixed !== undefined)
    bullets.push(
      `Fixed cost: a no-op \`preview\` of N=10 takes ${fixed.toFixed(1)} s (CLI start, the language host compiling the program with ts-node, the engine); below N=100 that is most of every command.`,
    );
  const withCheckpoints = scaleUp(run, n, 0, "package");
  const slow = scaleUp(run, n, 300, "package");
  const p = parallelism(run);
  const nativeSlow = scaleUp(run, n, 300, "native");
  const nativeFast = scaleUp(run, n, 0, "native");
  const native =
    nativeSlow !== undefined && nativeFast !== undefined ? ` (the native plugin's ${nativeSlow.toFixed(1)} s against ${nativeFast.toFixed(1)} s)` : "";
  if (withCheckpoints !== undefined && slow !== undefined) {
    bullets.push(
      `Latency: at 300 ms the package's \`up\` of N=${count(n)} took ${slow.toFixed(1)} s against ${withCheckpoints.toFixed(1)} s at 0 ms${native}; its ${count(2 * n)} requests need at least ${((2 * n * 0.3) / p).toFixed(0)} s at ${p} steps at once, mostly overlapped with the checkpoint writes.`,
    );
  }
  return bullets.map((b) => `- ${b}`);
}
