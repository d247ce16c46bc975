/**
 * Running the emulator's command as installed (emulator/dist/cli.js; `npm test` builds it
 * first) and reading what it prints.
 */

import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { join, resolve } from "node:path";

/** The repository root, the command's working directory. */
export const REPO_ROOT = resolve(__dirname, "..", "..");

/** Starts the built CLI with `args`. */
export function spawnCli(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [join(REPO_ROOT, "emulator", "dist", "cli.js"), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env },
  });
}

/** How a CLI run ended. */
export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI until it exits. */
export async function runToExit(args: string[]): Promise<Finished> {
  const child = spawnCli(args);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, stdout, stderr };
}

/** Resolves with everything printed once stdout holds `lines` complete lines. */
export function firstLines(child: ChildProcessWithoutNullStreams, lines: number): Promise<string[]> {
  return new Promise((resolvePromise, reject) => {
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const complete = stdout.split("\n").slice(0, -1);
      if (complete.length >= lines) resolvePromise(complete);
    });
    child.once("exit", (code) => reject(new Error(`the CLI exited with ${code} before printing: ${stderr}`)));
  });
}

/** Sends SIGTERM and resolves with the exit code and signal. */
export async function terminate(child: ChildProcessWithoutNullStreams): Promise<[number | null, NodeJS.Signals | null]> {
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  return (await exited) as [number | null, NodeJS.Signals | null];
}

/** The API's URL from the CLI's first line (`Partner Center emulator listening on <url>`). */
export function listeningUrl(firstLine: string | undefined): string {
  const url = /^Partner Center emulator listening on (\S+)$/.exec(firstLine ?? "")?.[1];
  assert.ok(url, `unexpected first line: ${firstLine}`);
  return url;
}

/** A command line the CLI must refuse, and what its error says. */
export interface RefusedCommand {
  name: string;
  args: string[];
  message: RegExp;
}

/** One test per command: exit code 2, one line on stderr matching its message, nothing on stdout. */
export function itRefuses(commands: readonly RefusedCommand[]): void {
  for (const bad of commands) {
    it(`exits 2 with a one-line error for ${bad.name}`, async () => {
      const finished = await runToExit(bad.args);

      assert.equal(finished.code, 2);
      assert.match(finished.stderr, bad.message);
      assert.equal(finished.stderr.trim().split("\n").length, 1);
      assert.equal(finished.stdout, "");
    });
  }
}
