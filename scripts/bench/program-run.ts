/**
 * One program (this package's, its native plugin's, or the baseline) applied to one workload with
 * the real CLI: a fresh emulator, a fresh file backend and stack, then `up`, a no-op `preview`,
 * `refresh` and a no-op `up`, each timed with its requests and the provider process's peak memory.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { AzuriteBackend } from "../azurite-backend";
import { PulumiWorkspace } from "../pulumi-workspace";
import { startBenchEmulator, type BenchEmulator } from "./bench-emulator";
import { ProviderMemorySampler, type ProviderMemory } from "./provider-memory";
import { countRequests, type RequestCounts } from "./request-counts";
import { stateFigures, type StateFigures } from "./state-size";
import { itemsOf, type BenchItem, type ProgramKind, type Workload } from "./workloads";

/** The commands of every program run, in order. */
export const COMMANDS = [
  { name: "up", args: ["up", "--yes", "--skip-preview"] },
  { name: "preview (no-op)", args: ["preview", "--expect-no-changes"] },
  { name: "refresh", args: ["refresh", "--yes", "--skip-preview"] },
  { name: "up (no-op)", args: ["up", "--yes", "--skip-preview", "--expect-no-changes"] },
] as const;

/** The name of one of {@link COMMANDS}. */
export type CommandName = (typeof COMMANDS)[number]["name"];

/** What one CLI command took and did. */
export interface CommandResult {
  readonly command: CommandName;
  /** Wall-clock seconds of the `pulumi` process, program start-up included. */
  readonly seconds: number;
  readonly exitCode: number;
  readonly requests: RequestCounts;
  readonly memory: ProviderMemory;
  /** Tokens issued by the emulated Entra ID during the command; undefined in accessToken mode. */
  readonly tokenRequests: number | undefined;
  /** The end of the CLI's output when it failed. */
  readonly failure?: string;
}

/** One program's run of one workload. */
export interface ProgramRun {
  readonly program: ProgramKind;
  /** Resources the program declared. */
  readonly declared: number;
  readonly commands: readonly CommandResult[];
  /** State after the first `up`. */
  readonly state?: StateFigures;
  /** Set when the run could not be carried out at all. */
  readonly error?: string;
}

/** What a program run needs besides the workload. */
export interface ProgramRunContext {
  readonly cliDir: string;
  /** The program folder of each program kind (with its packages installed). */
  readonly programDirs: Readonly<Record<ProgramKind, string>>;
  /** A scratch folder for state. */
  readonly workDir: string;
  readonly log: (message: string) => void;
  /** Azure Blob Storage for the workloads that keep state there; started when one is selected. */
  readonly azurite?: AzuriteBackend;
}

/** The environment that puts the workload's state where it says (nothing for the file backend). */
export async function backendEnv(workload: Workload, container: string, context: ProgramRunContext): Promise<Record<string, string>> {
  if (workload.backend !== "azblob") return {};
  if (context.azurite === undefined) throw new Error(`${workload.id} keeps state in Azure Blob Storage, but Azurite was not started`);
  return context.azurite.backendIn(
    container
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, "-")
      .slice(0, 63),
  );
}

/** Runs `program` on `workload`; never throws (a failure is recorded in the result). */
export async function runProgram(workload: Workload, program: ProgramKind, context: ProgramRunContext): Promise<ProgramRun> {
  const items = itemsOf(workload, program) ?? [];
  const stateDir = join(context.workDir, "state", `${workload.id}-${program}`);
  mkdirSync(stateDir, { recursive: true });
  let bench: BenchEmulator | undefined;
  try {
    bench = await startBenchEmulator(workload, stateDir);
    const { env, config } = settingsOf(program, workload, bench);
    const workspace = new PulumiWorkspace({
      cliDir: context.cliDir,
      stateDir,
      env: { ...env, ...(await backendEnv(workload, `${workload.id}-${program}`, context)) },
    });
    const stack = new StackUnderTest(workspace, context.programDirs[program], `${workload.id}-${program}`, bench);
    await stack.init(items, config);
    return await runCommands(stack, items, program, context, stateDir);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    context.log(`  ${program}: ${message.split("\n")[0]}`);
    return { program, declared: items.length, commands: [], error: message };
  } finally {
    await bench?.emulator.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Stack config keys of the settings the native program takes from the stack (secret when `true`). */
const NATIVE_CONFIG: Readonly<Record<string, { key: string; secret: boolean }>> = {
  PARTNERCENTER_BASE_URL: { key: "partnercenter:baseUrl", secret: false },
  PARTNERCENTER_ACCESS_TOKEN: { key: "partnercenter:accessToken", secret: true },
};

/** A stack config value to set before the first command. */
interface ConfigValue {
  readonly key: string;
  readonly value: string;
  readonly secret: boolean;
}

/**
 * The CLI's environment and the stack's config for a program run. The dynamic programs read the
 * emulator's settings from the environment; the native program in accessToken mode reads them
 * from stack config (the token a secret), as the README sets the plugin up, and gets no
 * PARTNERCENTER_* environment. In refreshToken mode every program uses the environment.
 */
function settingsOf(program: ProgramKind, workload: Workload, bench: BenchEmulator): { env: Record<string, string>; config: ConfigValue[] } {
  if (program !== "native" || workload.signIn !== "accessToken") return { env: { ...bench.env }, config: [] };
  const env: Record<string, string> = {};
  const config: ConfigValue[] = [];
  for (const [name, value] of Object.entries(bench.env)) {
    const setting = NATIVE_CONFIG[name];
    if (setting !== undefined) config.push({ ...setting, value });
    else if (!name.startsWith("PARTNERCENTER_")) env[name] = value;
  }
  return { env, config };
}

/** The commands in order, with the state measured after the first `up` (its export kept as `<stateDir>.export.json`). */
async function runCommands(
  stack: StackUnderTest,
  items: readonly BenchItem[],
  program: ProgramKind,
  context: ProgramRunContext,
  stateDir: string,
): Promise<ProgramRun> {
  const commands: CommandResult[] = [];
  let state: StateFigures | undefined;
  for (const { name, args } of COMMANDS) {
    const result = await stack.measure(name, args, stateDir);
    context.log(
      `  ${program.padEnd(8)} ${name.padEnd(16)} ${result.seconds.toFixed(1).padStart(7)} s  ${result.requests.total} requests${result.exitCode !== 0 ? `  EXIT ${result.exitCode}` : ""}`,
    );
    commands.push(result);
    if (name === "up") {
      const exported = await stack.exportState();
      // Kept beside the program folders, so that `--keep` shows where a figure's bytes went.
      writeFileSync(`${stateDir}.export.json`, exported);
      state = stateFigures(exported, items.length);
    }
  }
  return { program, declared: items.length, commands, ...(state !== undefined ? { state } : {}) };
}

/** A fresh stack of a program folder, in its own backend, against its own emulator. */
class StackUnderTest {
  constructor(
    private readonly workspace: PulumiWorkspace,
    private readonly programDir: string,
    private readonly stack: string,
    private readonly bench: BenchEmulator,
  ) {}

  /** Writes the items, creates the stack and sets its config. */
  async init(items: readonly BenchItem[], config: readonly ConfigValue[]): Promise<void> {
    writeFileSync(join(this.programDir, "items.json"), `${JSON.stringify(items, null, 1)}\n`);
    await this.workspace.ok(this.programDir, ["stack", "init", this.stack]);
    for (const { key, value, secret } of config) {
      await this.workspace.ok(this.programDir, ["config", "set", ...(secret ? ["--secret"] : []), "--stack", this.stack, "--", key, value]);
    }
  }

  /** Runs one command with clean logs, sampling the provider's memory meanwhile; keeps its request log as `<logPrefix>.<command>.requests.txt`. */
  async measure(command: CommandName, args: readonly string[], logPrefix: string): Promise<CommandResult> {
    await this.bench.clearLogs();
    const sampler = new ProviderMemorySampler(this.workspace.env.PULUMI_HOME ?? "");
    const startedAtMs = Date.now();
    const started = performance.now();
    const run = await this.workspace.run(this.programDir, [...args, "--stack", this.stack]);
    const seconds = (performance.now() - started) / 1000;
    const endedAtMs = Date.now();
    sampler.sample();
    const memory = sampler.stop();
    const log = await this.bench.emulator.control.requests();
    // One line per request, seconds from the command's start, so that `--keep` shows where the time went.
    writeFileSync(
      `${logPrefix}.${command.replace(/[^a-z]+/g, "-").replace(/-$/, "")}.requests.txt`,
      log.map((r) => `${((Date.parse(r.time) - startedAtMs) / 1000).toFixed(3)} ${r.method} ${r.path} ${r.status}\n`).join(""),
    );
    const requests = countRequests(log, { startedAtMs, endedAtMs });
    const failure = run.code !== 0 ? `${run.stdout}\n${run.stderr}`.trim().split("\n").slice(-12).join("\n") : undefined;
    return {
      command,
      seconds,
      exitCode: run.code,
      requests,
      memory,
      tokenRequests: await this.bench.issuedTokens(),
      ...(failure !== undefined ? { failure } : {}),
    };
  }

  /** `pulumi stack export` as text. */
  async exportState(): Promise<string> {
    return (await this.workspace.ok(this.programDir, ["stack", "export", "--stack", this.stack])).stdout;
  }
}
