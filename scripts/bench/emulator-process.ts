/**
 * The bench's emulator in a process of its own, as users run it (`npx partnercenter-emulator`).
 * In the bench's own process it shared an event loop with ts-node's compiler heap, whose
 * collections paused it for 90 to 130 ms once or twice a run: requests waited unanswered, then
 * arrived together, and a rate-limited run drew a 429 that no real service would have sent.
 * The child runs the compiled emulator (`emulator/dist/`, built when the bench packs the package).
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { EmulatorControl, IdentityControl, type EmulatorOptions, type RunningEmulator } from "partnercenter-emulator";
import { REPO_ROOT } from "../pulumi-workspace";

/** What the child prints once it listens: its URL and, with an identity endpoint, that endpoint. */
interface Listening {
  readonly url: string;
  readonly port: number;
  readonly identity?: { readonly authorityHost: string; readonly caCertificatePem: string };
}

// Started with the options in the environment; prints one JSON line when listening; stops when
// its standard input closes (the bench ending, however it ends, closes it).
const CHILD_SCRIPT = `
const { startEmulator } = require(process.env.BENCH_EMULATOR_MODULE);
startEmulator(JSON.parse(require("node:fs").readFileSync(process.env.BENCH_EMULATOR_OPTIONS_FILE, "utf8"))).then((emulator) => {
  const identity = emulator.identity && { authorityHost: emulator.identity.authorityHost, caCertificatePem: emulator.identity.caCertificatePem };
  process.stdout.write(JSON.stringify({ url: emulator.url, port: emulator.port, identity }) + "\\n");
  process.stdin.on("end", () => void emulator.close().then(() => process.exit(0)));
  process.stdin.resume();
}, (error) => {
  process.stderr.write(String(error && error.stack || error) + "\\n");
  process.exit(1);
});
`;

/** Starts the emulator in a child process; resolves once it listens. `close()` stops the child. */
export async function startEmulatorProcess(options: EmulatorOptions): Promise<RunningEmulator> {
  // In a file, not the environment: a seed of thousands of customers passes Linux's 128 KiB limit on one variable (E2BIG).
  const optionsDir = mkdtempSync(join(tmpdir(), "partnercenter-bench-emulator-"));
  const optionsFile = join(optionsDir, "options.json");
  writeFileSync(optionsFile, JSON.stringify(options));
  const child = spawn(process.execPath, ["-e", CHILD_SCRIPT], {
    env: { ...process.env, BENCH_EMULATOR_MODULE: join(REPO_ROOT, "emulator", "dist", "index.js"), BENCH_EMULATOR_OPTIONS_FILE: optionsFile },
    stdio: ["pipe", "pipe", "inherit"],
  });
  void once(child, "exit").then(() => rmSync(optionsDir, { recursive: true, force: true }));
  const exited = once(child, "exit");
  const firstLine = new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      lines.close();
      resolve(line);
    });
    void exited.then(([code]) => reject(new Error(`the emulator process exited (code ${String(code)}) before it listened`)));
  });
  const listening = JSON.parse(await firstLine) as Listening;
  return {
    url: listening.url,
    port: listening.port,
    control: new EmulatorControl(listening.url),
    ...(listening.identity === undefined ? {} : { identity: { ...listening.identity, control: new IdentityControl(listening.url) } }),
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      await exited;
    },
  };
}
