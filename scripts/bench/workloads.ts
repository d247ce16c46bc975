/**
 * What the benchmark runs: each workload is a set of qualifications, the emulator's conditions
 * (latency, rate limit), the sign-in mode, and the programs that apply it (this package's dynamic
 * resource; the same resource served by its native plugin; and the trivial-provider baseline,
 * each where it makes sense).
 */
import type { RequestsPerSecondLimit, RequestsPerWindowLimit } from "partnercenter-emulator";

/** The qualifications a workload declares. */
export type BenchQualification = "Education" | "GovernmentCommunityCloud" | "StateOwnedEntity";

/** One qualification a bench program declares: an entry of the program's `items.json`. */
export interface BenchItem {
  readonly name: string;
  readonly customerId: string;
  readonly qualification: BenchQualification;
  readonly educationSegment?: "K12";
  readonly validationCode?: string;
}

/**
 * The programs that apply a workload: `package` declares this package's CustomerQualification (the
 * dynamic resource), `native` the same resource served by the native plugin
 * (`native.CustomerQualification`, `pulumi-resource-partnercenter`), `baseline` a trivial dynamic
 * resource making the same requests.
 */
export type ProgramKind = "package" | "native" | "baseline";

/** Every program kind, in the order of the report's tables. */
export const PROGRAM_KINDS: readonly ProgramKind[] = ["package", "native", "baseline"];

/** Which question a workload answers; the report explains each kind's limits. */
export type WorkloadKind =
  "scale" | "twoPerCustomer" | "gccMix" | "rateLimited" | "gccChosen" | "signIn" | "skipCheckpoints" | "report" | "checkpoints" | "shards";

/** A line of the chart of `pulumi up` time against N. */
export interface ChartSeries {
  readonly latencyMs: number;
  readonly n: number;
}

/** One benchmark workload. */
export interface Workload {
  /** Short name, used by `--only` and as a heading. */
  readonly id: string;
  readonly kind: WorkloadKind;
  readonly title: string;
  /** What the workload measures, in a sentence. */
  readonly measures: string;
  readonly latencyMs: number;
  readonly rateLimit?: RequestsPerSecondLimit;
  /** A limit per window of seconds (the shards workload: Partner Center's 500 per 60 s). */
  readonly windowLimit?: RequestsPerWindowLimit;
  /** Where state goes: the file backend (default) or Azure Blob Storage served by Azurite. */
  readonly backend?: "file" | "azblob";
  /** The shards workload: how many stacks apply the list at once, and how many customers already hold their qualification. */
  readonly shards?: { readonly stacks: number; readonly held: number; readonly requestsPerMinute: number };
  /** Customers seeded in the emulator (each item's customer). */
  readonly customers: number;
  /** What this package's program declares. */
  readonly packageItems: readonly BenchItem[];
  /** What the native plugin's program declares (the same as the package's); absent when it does not run. */
  readonly nativeItems?: readonly BenchItem[];
  /** What the baseline declares; absent when the workload has no baseline. */
  readonly baselineItems?: readonly BenchItem[];
  /** accessToken: the emulator's development token; refreshToken: sign-in at the emulated Entra ID. */
  readonly signIn: "accessToken" | "refreshToken";
  /** More environment for the CLI. */
  readonly env?: Readonly<Record<string, string>>;
  /** Set when the workload is a point of the chart. */
  readonly chart?: ChartSeries;
}

/** The validation code seeded in the emulator, with creates for every GCC item. */
export const VALIDATION_CODE = "GCC-BENCH-0001";

/** The tenant id of the `n`th seeded customer. */
export function customerId(n: number): string {
  return `44444444-dddd-4ddd-8ddd-${String(n).padStart(12, "0")}`;
}

/** A qualification of customer `n`, named after both. */
function item(n: number, qualification: BenchQualification, code: "given" | "chosen"): BenchItem {
  const name = `c${n}-${qualification === "GovernmentCommunityCloud" ? "gcc" : qualification === "Education" ? "edu" : "soe"}`;
  const base = { name, customerId: customerId(n), qualification };
  if (qualification === "Education") return { ...base, educationSegment: "K12" };
  if (qualification === "GovernmentCommunityCloud" && code === "given") return { ...base, validationCode: VALIDATION_CODE };
  return base;
}

/** `n` qualifications, one customer each: a third each Education (K12), StateOwnedEntity and GCC. */
export function mixedItems(n: number, code: "given" | "chosen" = "given"): BenchItem[] {
  const kinds: BenchQualification[] = ["Education", "StateOwnedEntity", "GovernmentCommunityCloud"];
  return Array.from({ length: n }, (_, i) => item(i, kinds[i % 3] ?? "StateOwnedEntity", code));
}

/** `n` qualifications, one customer each, no GCC: half Education (K12), half StateOwnedEntity. */
export function itemsWithoutGcc(n: number): BenchItem[] {
  return Array.from({ length: n }, (_, i) => item(i, i % 2 === 0 ? "Education" : "StateOwnedEntity", "given"));
}

/** `n` GCC qualifications, one customer each. */
export function gccItems(n: number, code: "given" | "chosen"): BenchItem[] {
  return Array.from({ length: n }, (_, i) => item(i, "GovernmentCommunityCloud", code));
}

/** Two qualifications for each of `customers`: Education+SOE and GCC+SOE in turn (Education and GCC never combine). */
export function twoPerCustomerItems(customers: number): BenchItem[] {
  return Array.from({ length: customers }, (_, c) => [
    item(c, c % 2 === 0 ? "Education" : "GovernmentCommunityCloud", "given"),
    item(c, "StateOwnedEntity", "given"),
  ]).flat();
}

/** A scale point: N mixed qualifications at a latency, package and baseline. */
function scaleWorkload(n: number, latencyMs: number): Workload {
  const items = mixedItems(n);
  return {
    id: `n${n}-${latencyMs}ms`,
    kind: "scale",
    title: `${n.toLocaleString("en-US")} qualifications at ${latencyMs} ms latency`,
    measures: `The lifecycle of N = ${n.toLocaleString("en-US")} (a third each Education K12, StateOwnedEntity, GCC with a given code; one customer each) against an emulator answering after ${latencyMs} ms.`,
    latencyMs,
    customers: n,
    packageItems: items,
    nativeItems: items,
    baselineItems: items,
    signIn: "accessToken",
    chart: { latencyMs, n },
  };
}

/** N customers with two qualifications each, at 0 ms. */
function twoPerCustomerWorkload(customers: number): Workload {
  const items = twoPerCustomerItems(customers);
  return {
    id: `two-per-customer-${customers}`,
    kind: "twoPerCustomer",
    title: `${customers} customers with 2 qualifications each`,
    measures: `Reads per customer: ${customers} customers, each with Education+StateOwnedEntity or GCC+StateOwnedEntity (${items.length} resources), at 0 ms.`,
    latencyMs: 0,
    customers,
    packageItems: items,
    nativeItems: items,
    baselineItems: items,
    signIn: "accessToken",
  };
}

/** N qualifications at 300 ms, with a third GCC or with none. */
function gccMixWorkload(n: number, withGcc: boolean): Workload {
  const items = withGcc ? mixedItems(n) : itemsWithoutGcc(n);
  return {
    id: withGcc ? `gcc-mix-${n}-300ms` : `no-gcc-${n}-300ms`,
    kind: "gccMix",
    title: withGcc ? `${n} mixed qualifications (a third GCC) at 300 ms` : `${n} qualifications without GCC at 300 ms`,
    measures: withGcc
      ? `What GCC costs at a remote service's latency: ${n} qualifications, a third each Education, StateOwnedEntity, GCC with a given code, at 300 ms; compared with the same number without GCC.`
      : `The reference for the GCC mix: ${n} qualifications, half Education (K12), half StateOwnedEntity, at 300 ms.`,
    latencyMs: 300,
    customers: n,
    packageItems: items,
    nativeItems: items,
    baselineItems: items,
    signIn: "accessToken",
  };
}

/** N mixed qualifications with the partner limited to 10 requests per second. */
function rateLimitedWorkload(n: number): Workload {
  const items = mixedItems(n);
  return {
    id: `rate-limited-${n}`,
    kind: "rateLimited",
    title: `${n} qualifications under a 10 requests/s rate limit`,
    measures: `Throttling: ${n} mixed qualifications while the emulator answers 429 with Retry-After beyond 10 requests per sliding second. The package and its native plugin (the same client in a process that starts faster); not the baseline, which does not retry, so it would fail rather than measure anything.`,
    latencyMs: 0,
    rateLimit: { requestsPerSecond: 10 },
    customers: n,
    packageItems: items,
    nativeItems: items,
    signIn: "accessToken",
  };
}

/** N GCC qualifications without a code: the provider chooses the partner's only one. */
function gccChosenWorkload(n: number): Workload {
  return {
    id: `gcc-chosen-${n}`,
    kind: "gccChosen",
    title: `${n} GCC qualifications, code chosen by the provider`,
    measures: `The path that reads the validation codes: ${n} GCC qualifications declared without validationCode (the provider uses the only code), at 0 ms. The baseline can't choose, so it is given the code.`,
    latencyMs: 0,
    customers: n,
    packageItems: gccItems(n, "chosen"),
    nativeItems: gccItems(n, "chosen"),
    baselineItems: gccItems(n, "given"),
    signIn: "accessToken",
  };
}

/** N mixed qualifications signed in with a refresh token at the emulated Entra ID. */
function signInWorkload(n: number): Workload {
  return {
    id: `sign-in-${n}`,
    kind: "signIn",
    title: `${n} qualifications signed in with a refresh token`,
    measures: `Token requests per provider process: ${n} mixed qualifications in refreshToken mode (MSAL against the emulator's Entra ID endpoint), at 0 ms. The package and its native plugin (settings from the environment for both), no baseline.`,
    latencyMs: 0,
    customers: n,
    packageItems: mixedItems(n),
    nativeItems: mixedItems(n),
    signIn: "refreshToken",
  };
}

/** The largest scale point again with `PULUMI_SKIP_CHECKPOINTS=true`: what the file backend's checkpoints cost. */
function skipCheckpointsWorkload(n: number): Workload {
  const items = mixedItems(n);
  return {
    id: `n${n}-0ms-skip-checkpoints`,
    kind: "skipCheckpoints",
    title: `${n.toLocaleString("en-US")} qualifications at 0 ms, PULUMI_SKIP_CHECKPOINTS=true`,
    measures: `Where the time goes: the ${n.toLocaleString("en-US")}-resource scale point with the engine writing state only at the end of each command instead of after every step (not a setting to recommend: an interrupted run loses its record).`,
    latencyMs: 0,
    customers: n,
    packageItems: items,
    nativeItems: items,
    baselineItems: items,
    signIn: "accessToken",
    env: { PULUMI_SKIP_CHECKPOINTS: "true" },
  };
}

/** The report over `n` generated entries. */
function reportWorkload(n: number): Workload {
  return {
    id: `report-${n}`,
    kind: "report",
    title: `partnercenter-report over ${n.toLocaleString("en-US")} entries`,
    measures: `The vetting report from a generated state export of ${n.toLocaleString("en-US")} qualification resources (a third each Education, GCC, StateOwnedEntity; 10 % of the vetted Denied, 20 % waiting): no Pulumi program and no request.`,
    latencyMs: 0,
    customers: n,
    packageItems: [],
    signIn: "accessToken",
  };
}

/** The same N=1,000 `up` with state on the file backend or in Azure Blob Storage (Azurite): what a checkpoint costs on blob storage. */
function checkpointsWorkload(n: number, backend: "file" | "azblob"): Workload {
  const items = itemsWithoutGcc(n);
  const where = backend === "file" ? "the file backend" : "Azure Blob Storage (Azurite on loopback)";
  return {
    id: `checkpoints-${backend}-${n}`,
    kind: "checkpoints",
    title: `${n.toLocaleString("en-US")} qualifications at 0 ms, state on ${where}`,
    measures: `What a checkpoint costs where state is kept: ${n.toLocaleString("en-US")} qualifications (half Education K12, half StateOwnedEntity) at 0 ms, this package's program only, state on ${where}; the two workloads run one after the other.`,
    latencyMs: 0,
    customers: n,
    packageItems: items,
    signIn: "accessToken",
    backend,
  };
}

/** 4 stacks of one list applied at once, state in Azurite, the partner limited to 500 requests per 60 s. */
function shardsWorkload(entries: number, stacks: number): Workload {
  const items = itemsWithoutGcc(entries);
  const held = Math.round(entries * 0.75);
  return {
    id: `shards-${stacks}x${entries}`,
    kind: "shards",
    title: `${entries.toLocaleString("en-US")} entries as ${stacks} shard stacks at once, state in Azure Blob Storage`,
    measures: `Shards as a CI matrix runs them: the repository's stack program (\`stack/index.ts\`) as ${stacks} stacks of one ${entries.toLocaleString("en-US")}-entry list (partnercenter-qualifications:shard { index, count: ${stacks} }), three quarters already held by the customers (adopted with one read), the rest new (one read and one POST), applied by ${stacks} \`pulumi up\` processes at once with state in Azurite, each keeping to PARTNERCENTER_REQUESTS_PER_MINUTE=500 ÷ PARTNERCENTER_CONCURRENT_STACKS=${stacks}, against the emulator limited to 500 requests per sliding 60 s.`,
    latencyMs: 0,
    windowLimit: { requestsPerWindow: 500, windowSeconds: 60 },
    customers: entries,
    packageItems: items,
    signIn: "accessToken",
    backend: "azblob",
    shards: { stacks, held, requestsPerMinute: 500 },
  };
}

/** The programs that apply `workload`, in the order of {@link PROGRAM_KINDS}; none for the report, which applies no program. */
export function programsOf(workload: Workload): ProgramKind[] {
  if (workload.kind === "report") return [];
  return PROGRAM_KINDS.filter((program) => itemsOf(workload, program) !== undefined);
}

/** What `program` declares in `workload`; undefined when it does not run there. */
export function itemsOf(workload: Workload, program: ProgramKind): readonly BenchItem[] | undefined {
  if (program === "package") return workload.packageItems;
  return program === "native" ? workload.nativeItems : workload.baselineItems;
}

/** Every workload of `npm run bench`, or of `npm run bench -- --quick`. */
export function benchWorkloads(quick: boolean): Workload[] {
  if (quick) {
    return [
      scaleWorkload(10, 0),
      scaleWorkload(100, 0),
      twoPerCustomerWorkload(20),
      gccMixWorkload(30, true),
      gccMixWorkload(30, false),
      rateLimitedWorkload(40),
      gccChosenWorkload(10),
      signInWorkload(10),
      skipCheckpointsWorkload(100),
      reportWorkload(1000),
      checkpointsWorkload(100, "file"),
      checkpointsWorkload(100, "azblob"),
      shardsWorkload(200, 4),
    ];
  }
  return [
    ...[0, 300].flatMap((latency) => [10, 100, 1000].map((n) => scaleWorkload(n, latency))),
    twoPerCustomerWorkload(100),
    gccMixWorkload(300, true),
    gccMixWorkload(300, false),
    rateLimitedWorkload(200),
    gccChosenWorkload(100),
    signInWorkload(100),
    skipCheckpointsWorkload(1000),
    reportWorkload(10_000),
    checkpointsWorkload(1000, "file"),
    checkpointsWorkload(1000, "azblob"),
    shardsWorkload(2000, 4),
  ];
}
