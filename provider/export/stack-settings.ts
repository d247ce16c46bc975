/**
 * A stack's `partnercenter:` settings, read as the provider would see them: by asking the `pulumi`
 * CLI on PATH for the stack's configuration (`pulumi config --show-secrets --json --stack <name>`)
 * in the current folder. Secret values stay in memory; no message holds one.
 */
import { pulumiFailure, runCommand, type RunCommand } from "../command-line";
import { CONFIG_NAMESPACE, type ConfigSource } from "../config";

/** Raised when the stack's configuration can't be read; the message names `--stack`. */
export class StackConfigError extends Error {
  override readonly name = "StackConfigError";
}

/** Reads the `partnercenter:` keys of a stack's configuration as a {@link ConfigSource}. */
export async function readStackSettings(stack: string, cwd: string, run: RunCommand = runCommand): Promise<ConfigSource> {
  let stdout: string;
  try {
    stdout = await run("pulumi", ["--non-interactive", "config", "--show-secrets", "--json", "--stack", stack], cwd);
  } catch (error) {
    throw new StackConfigError(`--stack ${stack}: ${whyNot(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new StackConfigError(`--stack ${stack}: pulumi config --json printed something that is not JSON; check the pulumi CLI on PATH`);
  }
  const values = new Map<string, string>();
  if (typeof parsed === "object" && parsed !== null) {
    for (const [key, entry] of Object.entries(parsed)) {
      const value: unknown = typeof entry === "object" && entry !== null ? (entry as { value?: unknown }).value : undefined;
      if (key.startsWith(`${CONFIG_NAMESPACE}:`) && typeof value === "string") values.set(key, value);
    }
  }
  return { get: (key) => values.get(key) };
}

function whyNot(error: unknown): string {
  return pulumiFailure(error, {
    missing: "reading the stack's settings needs the pulumi CLI on PATH (it runs pulumi config --stack <name>)",
    failed: "pulumi config could not read the stack (run it in the folder of Pulumi.yaml, with the stack's passphrase or backend login)",
  });
}
