/**
 * `npm run demo`: applies the repository's `demo` stack to a local Partner Center emulator with
 * the real Pulumi CLI, lets the emulator decide some vetting, refreshes, and prints the outputs.
 * Nothing leaves this machine.
 */
import { join } from "node:path";
import { REPO_ROOT } from "./pulumi-workspace";
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

    step("Stack outputs");
    console.log(await stack.outputs());
    await reportRequests(stack.emulator);
    return 0;
  }),
);
