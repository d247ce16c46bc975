/**
 * The machine and tools a bench run ran on, for the report's header.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem, type } from "node:os";
import { join } from "node:path";

/** What the report says about the machine and the tools. */
export interface MachineFacts {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly pulumiCli: string;
  /** The engine's default `--parallel`, as `pulumi up --help` states it. */
  readonly engineParallelism: string;
  readonly pulumiSdk: string;
  /** The 1-minute load average when the run started. */
  readonly loadAtStart: number;
  /** Which code of this package was measured (see `packedSource`). */
  readonly packedFrom?: string;
}

/** The distribution's name from /etc/os-release, or the kernel's. */
function osName(): string {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1];
    return `${pretty ?? type()} (kernel ${release()})`;
  } catch {
    return `${type()} ${release()}`;
  }
}

/** Runs the CLI in `cliDir` and returns what it printed. */
function cli(cliDir: string, args: readonly string[]): string {
  return execFileSync(join(cliDir, "pulumi"), args, { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
}

/** Collects the facts; `pulumiSdk` is the @pulumi/pulumi version the programs run, `packedFrom` the code measured. */
export function machineFacts(cliDir: string, pulumiSdk: string, packedFrom: string): MachineFacts {
  const parallel = /--parallel\b.*\(default (\d+)\)/.exec(cli(cliDir, ["up", "--help"]))?.[1];
  return {
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: osName(),
    node: process.version,
    pulumiCli: cli(cliDir, ["version"]).trim(),
    engineParallelism: parallel ?? "unknown",
    pulumiSdk,
    loadAtStart: loadavg()[0] ?? 0,
    packedFrom,
  };
}
