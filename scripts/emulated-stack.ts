/**
 * Applies a Pulumi project to a local Partner Center emulator with the real Pulumi CLI: the piece
 * the demo and the examples share. State lives in a temporary folder, removed afterwards.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DEVELOPMENT_ACCESS_TOKEN, startEmulator, type EmulatorSeed, type RunningEmulator, type VettingScript } from "partnercenter-emulator";
import { PulumiWorkspace, ensurePulumiCli } from "./pulumi-workspace";

/** What the emulator starts with: `emulator.json` in a project folder. */
export interface EmulatorSetup {
  readonly seed: EmulatorSeed;
  /** Vetting decisions the emulator makes by itself, per customer. */
  readonly vetting?: ReadonlyArray<VettingScript & { readonly customerId: string }>;
}

/** A project applied to an emulator; `run` drives the CLI against it. */
export interface EmulatedStack {
  readonly emulator: RunningEmulator;
  readonly workspace: PulumiWorkspace;
  /** Runs `pulumi <args> --stack <stack>` in the project, output shown as it comes; false when it failed. */
  run(...args: string[]): Promise<boolean>;
  /** The stack's outputs as JSON text. */
  outputs(): Promise<string>;
}

/** Prints a step heading. */
export function step(text: string): void {
  console.log(`\n== ${text}`);
}

/** Reads a project's `emulator.json`. */
export function readEmulatorSetup(projectDir: string): EmulatorSetup {
  return JSON.parse(readFileSync(join(projectDir, "emulator.json"), "utf8")) as EmulatorSetup;
}

/**
 * Starts the emulator, finds or builds the CLI, creates the stack, hands over to `body`, and
 * cleans everything up. Resolves with `body`'s exit code.
 */
export async function withEmulatedStack(projectDir: string, stack: string, setup: EmulatorSetup, body: (s: EmulatedStack) => Promise<number>): Promise<number> {
  step("Starting the Partner Center emulator");
  const emulator = await startEmulator({ seed: setup.seed });
  for (const { customerId, ...script } of setup.vetting ?? []) await emulator.control.scriptVetting(customerId, script);
  console.log(`emulator at ${emulator.url} with ${setup.seed.customers?.length ?? 0} customers`);
  try {
    step("Finding or building the Pulumi CLI (the first build takes several minutes)");
    const workspace = new PulumiWorkspace({
      cliDir: ensurePulumiCli(),
      env: { PARTNERCENTER_BASE_URL: emulator.url, PARTNERCENTER_ACCESS_TOKEN: DEVELOPMENT_ACCESS_TOKEN },
    });
    try {
      await workspace.ok(projectDir, ["stack", "init", stack]);
      return await body({
        emulator,
        workspace,
        run: async (...args) => (await workspace.stream(projectDir, [...args, "--stack", stack])) === 0,
        outputs: async () => (await workspace.ok(projectDir, ["stack", "output", "--json", "--stack", stack])).stdout.trim(),
      });
    } finally {
      rmSync(workspace.stateDir, { recursive: true, force: true });
    }
  } finally {
    await emulator.close();
  }
}

/** Reports how many requests reached the emulator, and how many were POSTs. */
export async function reportRequests(emulator: RunningEmulator): Promise<void> {
  const requests = await emulator.control.requests();
  const posts = requests.filter((r) => r.method === "POST").length;
  step(`Done: ${requests.length} requests reached the emulator, ${posts} of them POSTs`);
}

/** Runs a script's main function and exits with its code. */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
