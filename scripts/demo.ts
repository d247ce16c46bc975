/**
 * `npm run demo`: applies the repository's `demo` stack to a local Partner Center emulator with
 * the real Pulumi CLI, lets the emulator decide some vetting, refreshes, and ends with the vetting
 * report (`partnercenter-report`): its Markdown in the terminal, and the path of its HTML page.
 * Nothing leaves this machine.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, type PulumiWorkspace } from "./pulumi-workspace";
import { readEmulatorSetup, reportRequests, runMain, step, withEmulatedStack } from "./emulated-stack";

const CONTOSO = "3f2a9c14-7b1e-4d5a-9c3e-5a1b2c3d4e01";
const FABRIKAM = "3f2a9c14-7b1e-4d5a-9c3e-5a1b2c3d4e02";

runMain(() =>
  withEmulatedStack(REPO_ROOT, "demo", readEmulatorSetup(join(REPO_ROOT, "stack")), async (stack) => {
    step("pulumi up: one POST per new qualification; Adatum Academy's Education is adopted");
    if (!(await stack.run("up", "--yes"))) return 1;

    step("Microsoft decides: the emulator approves Contoso and denies Fabrikam");
    await stack.emulator.control.setVetting(CONTOSO, "Education", { status: "Approved" });
    await stack.emulator.control.setVetting(FABRIKAM, "Education", { status: "Denied", reason: "Not an Academic Domain" });

    step("pulumi up --refresh: reads the decisions back; nothing new is POSTed");
    if (!(await stack.run("up", "--refresh", "--yes"))) return 1;

    await reportRequests(stack.emulator);
    step("npx partnercenter-report --stack demo: where every customer stands, from the stack's state (no request)");
    return vettingReport(stack.workspace);
  }),
);

/** Runs the built `partnercenter-report` as a pipeline would; prints its Markdown and where its page is. */
function vettingReport(workspace: PulumiWorkspace): number {
  const folder = join(tmpdir(), "pulumi-partnercenter-demo");
  mkdirSync(folder, { recursive: true });
  const base = join(folder, "vetting-report");
  const cli = join(REPO_ROOT, "dist", "provider", "report", "report-cli.js");
  const run = spawnSync(process.execPath, [cli, "--stack", "demo", "--format", "markdown,html", "--out", base], {
    cwd: REPO_ROOT,
    env: workspace.env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (run.status !== 0) return run.status ?? 1;
  console.log(`\n${readFileSync(`${base}.md`, "utf8")}`);
  console.log(`The page (open it in a browser): file://${base}.html`);
  return 0;
}
