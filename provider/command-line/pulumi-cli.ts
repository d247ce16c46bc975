/**
 * The `pulumi` CLI on PATH, as the bins call it (`pulumi config`, `pulumi stack export`, `pulumi
 * whoami` in the current folder), and its failures in one line.
 */
import { spawn } from "node:child_process";

/** Runs a command and returns its stdout; the seam tests replace. */
export type RunCommand = (file: string, args: readonly string[], cwd: string) => Promise<string>;

/**
 * Runs a command in `cwd` and collects its stdout, however large (a 10,000-resource stack export
 * is tens of MB); rejects with the command's stderr attached when it exits with another code than 0.
 */
export const runCommand: RunCommand = (file, args, cwd) =>
  new Promise((resolve, reject) => {
    const child = spawn(file, [...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error) => reject(Object.assign(error, { stderr })));
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
      else reject(Object.assign(new Error(`${file} ${args.join(" ")} exited with ${code}`), { stderr }));
    });
  });

/**
 * Why a `pulumi` command failed, in one line: `missing` when the CLI is not on PATH, otherwise
 * `failed` and the CLI's own first line (without its `error:`).
 */
export function pulumiFailure(error: unknown, wording: { readonly missing: string; readonly failed: string }): string {
  const failure = error as { code?: unknown; stderr?: unknown };
  if (failure.code === "ENOENT") return wording.missing;
  const stderr = typeof failure.stderr === "string" ? failure.stderr : "";
  const first =
    stderr
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l !== "") ?? (error instanceof Error ? error.message : String(error));
  return `${wording.failed}: ${first.replace(/^error:\s*/i, "")}`;
}
