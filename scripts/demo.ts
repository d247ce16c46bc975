/**
 * `npm run demo`: applies the repository's `demo` stack to a local Partner Center emulator with
 * the real Pulumi CLI, lets the emulator decide some vetting, refreshes, and prints the outputs.
 * Nothing leaves this machine; the state lives in a temporary folder that is removed afterwards.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DEVELOPMENT_ACCESS_TOKEN, startEmulator, type EmulatorSeed } from "../emulator";
import { PulumiWorkspace, REPO_ROOT, ensurePulumiCli } from "./pulumi-workspace";

const STACK = "demo";

function step(text: string): void {
  console.log(`\n== ${text}`);
}

async function main(): Promise<number> {
  const seed = JSON.parse(readFileSync(join(REPO_ROOT, "stack", "demo-seed.json"), "utf8")) as EmulatorSeed;
  step("Starting the Partner Center emulator");
  const emulator = await startEmulator({ seed });
  console.log(`emulator at ${emulator.url} with ${seed.customers?.length ?? 0} customers`);

  step("Finding or building the Pulumi CLI (the first build takes several minutes)");
  const cliDir = ensurePulumiCli();
  const workspace = new PulumiWorkspace({
    cliDir,
    env: { PARTNERCENTER_BASE_URL: emulator.url, PARTNERCENTER_ACCESS_TOKEN: DEVELOPMENT_ACCESS_TOKEN },
  });
  try {
    await workspace.ok(REPO_ROOT, ["stack", "init", STACK]);

    step("pulumi up: one POST per new qualification; Adatum Academy's Education is adopted");
    if ((await workspace.stream(REPO_ROOT, ["up", "--yes", "--stack", STACK])) !== 0) return 1;

    step("Microsoft decides: the emulator approves Contoso and denies Fabrikam");
    await emulator.control.setVetting("3f2a9c14-7b1e-4d5a-9c3e-5a1b2c3d4e01", "Education", { status: "Approved" });
    await emulator.control.setVetting("3f2a9c14-7b1e-4d5a-9c3e-5a1b2c3d4e02", "Education", {
      status: "Denied",
      reason: "Not an Academic Domain",
    });

    step("pulumi up --refresh: reads the decisions back; nothing new is POSTed");
    if ((await workspace.stream(REPO_ROOT, ["up", "--refresh", "--yes", "--stack", STACK])) !== 0) return 1;

    step("Stack outputs");
    const outputs = await workspace.ok(REPO_ROOT, ["stack", "output", "--json", "--stack", STACK]);
    console.log(outputs.stdout.trim());

    const requests = await emulator.control.requests();
    const posts = requests.filter((r) => r.method === "POST").length;
    step(`Done: ${requests.length} requests reached the emulator, ${posts} of them POSTs`);
    return 0;
  } finally {
    await emulator.close();
    rmSync(workspace.stateDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
