/**
 * The "what limits these figures" paragraph of each workload table, with the figures that explain
 * it computed from the run: checkpoint bytes written, the latency floor, the rate-limit floor.
 */
import type { ProgramRun } from "./program-run";
import { admittedRequests } from "./request-counts";
import { commandOf, count, runOf, type BenchRun, type WorkloadResult } from "./results";
import type { WorkloadKind } from "./workloads";

/** Megabytes with one decimal. */
function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
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
  const parts = (["package", "baseline"] as const).flatMap((program) => {
    const bytes = checkpointBytes(runOf(result, program));
    return bytes === undefined ? [] : [`${program} ≈ ${mb(bytes)}`];
  });
  if (parts.length === 0) return "";
  return `The file backend rewrites the whole checkpoint after every step, so \`up\` and \`refresh\` write about N × final state ÷ 2 (${parts.join(", ")}), each time serializing the whole deployment to JSON and writing it out: bytes per resource are time, and this term grows with N².`;
}

/** The latency floor: requests × latency ÷ parallelism, or the serial GCC turns when longer. */
function latencySentence(result: WorkloadResult, run: BenchRun): string {
  const latency = result.workload.latencyMs;
  if (latency === 0) return "At 0 ms the emulator answers at once (it runs in the bench process and shares the cores with the CLI, the program and the provider), so requests cost CPU, not waiting.";
  const p = parallelism(run);
  const floors = (["package", "baseline"] as const).flatMap((program) => {
    const up = commandOf(runOf(result, program), "up");
    if (up === undefined) return [];
    const parallel = (admittedRequests(up.requests) * latency) / 1000 / p;
    const gccTurns = program === "package" ? (up.requests.getValidations * 2 * latency) / 1000 : 0;
    return [`${program} ${Math.max(parallel, gccTurns).toFixed(1)} s${gccTurns > parallel ? " (GCC creates taking turns: validation-code read + POST each, one at a time)" : ""}`];
  });
  return `At ${latency} ms every create waits for its requests one after another and the engine runs at most ${p} steps at once, so \`up\` can't beat requests × latency ÷ ${p}: ${floors.join("; ")}.`;
}

/** The sentences shared by every workload: program start-up and no-op commands. */
function commonSentence(): string {
  return "Every command includes starting the CLI, the language host compiling the program with ts-node and the program registering each resource; the no-op `preview` and `up` send no request and are bounded by that and the engine's per-resource check and diff calls to the provider.";
}

/** Kind-specific sentences. */
const KIND_SENTENCES: Record<WorkloadKind, (result: WorkloadResult, run: BenchRun) => string> = {
  scale: () => "",
  twoPerCustomer: (r) =>
    `Two resources per customer: each create and each read asks for its customer's qualifications, so reads equal resources (${count(r.workload.packageItems.length)}) unless the provider shares one read per customer within a command.`,
  gccMix: () => "Without GCC, time is latency-bound only; with a third GCC the package's GCC creates also read the validation codes and take turns.",
  rateLimited: (r, run) => {
    const up = commandOf(runOf(r, "package"), "up");
    if (up === undefined) return "";
    const ideal = admittedRequests(up.requests) / (r.workload.rateLimit?.requestsPerSecond ?? 10);
    return `The rate limit is the floor: ${count(admittedRequests(up.requests))} admitted requests ÷ ${r.workload.rateLimit?.requestsPerSecond ?? 10} per s = ${ideal.toFixed(1)} s. Each 429 costs a request and a Retry-After wait (at least 1 s); up to ${parallelism(run)} steps at once each retry on their own.`;
  },
  gccChosen: () => "Every create of a GCC without a code reads the partner's validation codes before its POST, in turn with the other GCC creates, so its time grows with the GCC count even at 0 ms.",
  signIn: () => "The token request (MSAL, refresh-token grant at the emulated Entra ID, over TLS) happens once per provider process; every other request shares that token.",
  skipCheckpoints: () => "With PULUMI_SKIP_CHECKPOINTS the engine writes state once at the end of each command: the difference from the same N without it is what the per-step checkpoints cost.",
};

/** The "what limits these figures" paragraph of a workload. */
export function limitsParagraph(result: WorkloadResult, run: BenchRun): string {
  const sentences = [
    KIND_SENTENCES[result.workload.kind](result, run),
    result.workload.kind === "skipCheckpoints" ? "" : checkpointSentence(result),
    latencySentence(result, run),
    commonSentence(),
  ];
  return sentences.filter((s) => s !== "").join(" ");
}
