/**
 * Runs the real `pulumi` CLI offline: a private PULUMI_HOME, a local file:// backend, a fixed
 * passphrase, no update checks and no plugin downloads. Shared by the demo and the end-to-end tests.
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";

/** The repository's root folder. */
export const REPO_ROOT = join(__dirname, "..");

/** Returns the folder holding `pulumi` and its Node.js plugins, building the CLI when needed. */
export function ensurePulumiCli(): string {
  const out = execFileSync("bash", [join(REPO_ROOT, "scripts", "ensure-pulumi.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = out.trim().split("\n");
  const dir = lines[lines.length - 1];
  if (dir === undefined || dir === "") throw new Error("scripts/ensure-pulumi.sh printed no folder");
  return dir;
}

/** What one CLI run printed. */
export interface PulumiRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link PulumiWorkspace}. */
export interface PulumiWorkspaceOptions {
  /** The folder with `pulumi` and its plugins (see {@link ensurePulumiCli}). */
  readonly cliDir: string;
  /** Where state and PULUMI_HOME go; default a new temporary folder. */
  readonly stateDir?: string;
  /** The passphrase of the stack's secrets. */
  readonly passphrase?: string;
  /** More environment for every run, such as PARTNERCENTER_BASE_URL. */
  readonly env?: Readonly<Record<string, string>>;
  /** The folder of the `node` that runs the program and the provider; default this process's. */
  readonly nodeDir?: string;
}

/** A private, offline Pulumi home and backend. */
export class PulumiWorkspace {
  readonly stateDir: string;
  readonly env: Record<string, string>;

  constructor(options: PulumiWorkspaceOptions) {
    this.stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), "partnercenter-pulumi-"));
    const home = join(this.stateDir, "home");
    const backend = join(this.stateDir, "backend");
    mkdirSync(home, { recursive: true });
    mkdirSync(backend, { recursive: true });
    // The project's Node (24, from node_modules/.bin when run by npm) must come first: the
    // dynamic-provider launcher and the language host run `node` from PATH.
    const nodeDir = options.nodeDir ?? dirname(process.execPath);
    const inherited: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && !key.startsWith("PULUMI_") && !key.startsWith("PARTNERCENTER_")) inherited[key] = value;
    }
    this.env = {
      ...inherited,
      PATH: [options.cliDir, nodeDir, process.env.PATH ?? ""].join(delimiter),
      PULUMI_HOME: home,
      PULUMI_BACKEND_URL: `file://${backend}`,
      PULUMI_CONFIG_PASSPHRASE: options.passphrase ?? "partnercenter-demo",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_SKIP_CONFIRMATIONS: "true",
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
      NO_COLOR: "1",
      ...options.env,
    };
  }

  /** Runs `pulumi <args>` in the given project folder and returns what it printed. Never throws on a failed run. */
  run(projectDir: string, args: readonly string[], extraEnv: Readonly<Record<string, string>> = {}): Promise<PulumiRun> {
    return new Promise((resolve, reject) => {
      execFile(
        "pulumi",
        // Global flags first, so that callers may end theirs with `--` (values that start with "-").
        ["--non-interactive", "--color", "never", ...args],
        { cwd: projectDir, env: { ...this.env, ...extraEnv }, maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60 * 1000 },
        (error, stdout, stderr) => {
          if (error !== null && typeof error.code !== "number") {
            reject(error);
            return;
          }
          resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
        },
      );
    });
  }

  /** Like {@link run}, but throws with the CLI's output when it fails. */
  async ok(projectDir: string, args: readonly string[], extraEnv: Readonly<Record<string, string>> = {}): Promise<PulumiRun> {
    const result = await this.run(projectDir, args, extraEnv);
    if (result.code !== 0) {
      throw new Error(`pulumi ${args.join(" ")} exited with ${result.code}\n${result.stdout}\n${result.stderr}`);
    }
    return result;
  }

  /** Runs `pulumi <args>` with its output shown as it comes (for the demo); resolves with the exit code. */
  stream(projectDir: string, args: readonly string[]): Promise<number> {
    return new Promise((resolve, reject) => {
      const child = spawn("pulumi", ["--non-interactive", ...args], { cwd: projectDir, env: this.env, stdio: "inherit" });
      child.on("error", reject);
      child.on("exit", (code) => resolve(code ?? 1));
    });
  }

  /**
   * Starts `pulumi <args>` in the background, in its own process group, collecting its output;
   * for tests that stop the CLI mid-run (see {@link BackgroundPulumiRun.killTree}).
   */
  start(projectDir: string, args: readonly string[], extraEnv: Readonly<Record<string, string>> = {}): BackgroundPulumiRun {
    const child = spawn("pulumi", ["--non-interactive", "--color", "never", ...args], {
      cwd: projectDir,
      env: { ...this.env, ...extraEnv },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const printed = { stdout: "", stderr: "" };
    child.stdout.on("data", (chunk: Buffer) => (printed.stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (printed.stderr += chunk.toString()));
    const exited = new Promise<BackgroundPulumiExit>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) => resolve({ code, signal, ...printed }));
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error("pulumi did not start");
    return { pid, exited, output: () => ({ ...printed }), killTree: (signal = "SIGKILL") => killProcessTree(pid, signal) };
  }
}

/** How a background CLI run ended: its exit code, or the signal that ended it, and what it printed. */
export interface BackgroundPulumiExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A CLI run started by {@link PulumiWorkspace.start}. */
export interface BackgroundPulumiRun {
  readonly pid: number;
  /** Resolves when the CLI has exited and its output is closed. */
  readonly exited: Promise<BackgroundPulumiExit>;
  /** What it printed so far. */
  output(): { stdout: string; stderr: string };
  /**
   * Signals the CLI, its process group, and every process it started (Pulumi starts the language
   * host and the providers in process groups of their own), as when a CI runner dies.
   * Returns the process IDs signalled.
   */
  killTree(signal?: NodeJS.Signals): number[];
}

/** Signals `pid` and all its descendants (read from /proc first, so none is re-parented meanwhile), and its process group. */
function killProcessTree(pid: number, signal: NodeJS.Signals): number[] {
  const tree = [pid, ...descendantsOf(pid)];
  for (const id of tree) {
    try {
      process.kill(id, signal);
    } catch {
      // Already gone.
    }
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already empty.
  }
  return tree;
}

/** The process IDs below `pid` in the process tree (Linux: /proc); empty where /proc is missing. */
function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  for (const entry of entries) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // Fields after the command name (in parentheses, which may itself hold spaces): state, ppid, ...
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const children = parents.get(next) ?? [];
    found.push(...children);
    queue.push(...children);
  }
  return found;
}
