/**
 * A stack's state as the `pulumi` CLI on PATH exports it (`pulumi stack export --stack <name>` in
 * the current folder, never `--show-secrets`), and the backend it lives in (`pulumi whoami --json`,
 * which follows PULUMI_BACKEND_URL, Pulumi.yaml's `backend.url` and `pulumi login` alike), shown
 * without credentials.
 */
import { pulumiFailure, runCommand, type RunCommand } from "../command-line";

/** Raised when the CLI can't export the stack; the message names `--stack`. */
export class StackExportError extends Error {
  override readonly name = "StackExportError";
}

/** Runs `pulumi stack export` for `stack` (the selected stack when undefined); resolves with its JSON text. */
export async function exportStackState(stack: string | undefined, cwd: string, run: RunCommand = runCommand): Promise<string> {
  try {
    return await run("pulumi", ["--non-interactive", "stack", "export", ...(stack !== undefined ? ["--stack", stack] : [])], cwd);
  } catch (error) {
    throw new StackExportError(`${stack !== undefined ? `--stack ${stack}` : "the selected stack (no --stack given)"}: ${whyNot(error)}`);
  }
}

/**
 * The backend's URL as `pulumi whoami` reports it, without user name, password, query or fragment
 * (where a SAS token or an access key could sit); undefined when the CLI can't say.
 */
export async function backendOf(cwd: string, env: NodeJS.ProcessEnv, run: RunCommand = runCommand): Promise<string | undefined> {
  try {
    const parsed: unknown = JSON.parse(await run("pulumi", ["--non-interactive", "whoami", "--verbose", "--json"], cwd));
    const url = typeof parsed === "object" && parsed !== null ? (parsed as { url?: unknown }).url : undefined;
    if (typeof url === "string" && url !== "") return withoutCredentials(url);
  } catch {
    // An older CLI without --json, or no login: fall back to the environment.
  }
  const fromEnv = env.PULUMI_BACKEND_URL;
  return fromEnv !== undefined && fromEnv.trim() !== "" ? withoutCredentials(fromEnv.trim()) : undefined;
}

/** A backend URL without what could be a credential: user info, query and fragment. */
export function withoutCredentials(url: string): string {
  const cut = url.replace(/[?#].*$/s, "");
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/is.exec(cut);
  if (scheme === null) return cut;
  const rest = scheme[2] ?? "";
  const slash = rest.indexOf("/");
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? "" : rest.slice(slash);
  const at = authority.lastIndexOf("@");
  return `${scheme[1]}://${at === -1 ? authority : authority.slice(at + 1)}${path}`;
}

function whyNot(error: unknown): string {
  return pulumiFailure(error, {
    missing: "exporting the stack needs the pulumi CLI on PATH (it runs pulumi stack export --stack <name>)",
    failed: "pulumi stack export failed (run it in the folder of Pulumi.yaml, logged in to the stack's backend)",
  });
}
