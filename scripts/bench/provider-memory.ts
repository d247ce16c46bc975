/**
 * Peak memory of the provider process while a CLI command runs, read from /proc (Linux). For the
 * dynamic programs it is the dynamic-provider host, a `node` process running
 * `@pulumi/pulumi/cmd/dynamic-provider` (started by the `pulumi-resource-pulumi-nodejs` launcher);
 * for the native program the plugin, a `node` process running `.../bin/pulumi-resource-partnercenter`.
 * Only processes whose environment carries this bench's PULUMI_HOME count, so other Pulumi runs on
 * the machine are left out.
 */
import { readFileSync, readdirSync } from "node:fs";

/** What the sampler saw of the provider processes of one command. */
export interface ProviderMemory {
  /** The largest peak resident set (VmHWM, or VmRSS when larger) of one provider process, in KiB; undefined when none was seen. */
  readonly peakRssKiB: number | undefined;
  /** Distinct provider processes seen. */
  readonly processes: number;
}

/** Reads a /proc file, or undefined when the process is gone or unreadable. */
function readProc(pid: string, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return undefined;
  }
}

/** True for a provider process itself (either kind), not the launcher's `node -e require.resolve(...)` helper. */
function isProviderHost(pid: string, pulumiHome: string): boolean {
  const args = (readProc(pid, "cmdline") ?? "").split("\0");
  const host = args.some(
    (a) => a.includes("cmd/dynamic-provider") || a.endsWith("pulumi-resource-pulumi-nodejs") || a.endsWith("bin/pulumi-resource-partnercenter"),
  );
  if (!host || args.includes("-e")) return false;
  return (readProc(pid, "environ") ?? "").split("\0").includes(`PULUMI_HOME=${pulumiHome}`);
}

/** VmHWM or VmRSS of a process, whichever is larger, in KiB. */
function residentKiB(pid: string): number | undefined {
  const status = readProc(pid, "status");
  if (status === undefined) return undefined;
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  return Math.max(field("VmHWM"), field("VmRSS"));
}

/** Polls /proc every `intervalMs` until stopped; keeps each provider process's peak. */
export class ProviderMemorySampler {
  readonly #pulumiHome: string;
  readonly #peaks = new Map<string, number>();
  readonly #timer: NodeJS.Timeout;

  constructor(pulumiHome: string, intervalMs = 100) {
    this.#pulumiHome = pulumiHome;
    this.#timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Takes one sample now. */
  sample(): void {
    let pids: string[];
    try {
      pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
    } catch {
      return;
    }
    for (const pid of pids) {
      if (!this.#peaks.has(pid) && !isProviderHost(pid, this.#pulumiHome)) continue;
      const kib = residentKiB(pid);
      if (kib !== undefined && kib > 0) this.#peaks.set(pid, Math.max(kib, this.#peaks.get(pid) ?? 0));
    }
  }

  /** Stops polling and reports what was seen. */
  stop(): ProviderMemory {
    clearInterval(this.#timer);
    const peaks = [...this.#peaks.values()];
    return { peakRssKiB: peaks.length > 0 ? Math.max(...peaks) : undefined, processes: peaks.length };
  }
}
