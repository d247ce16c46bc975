/**
 * `npm run example -- <name>`: applies one of examples/<name> to a local Partner Center emulator
 * with the real Pulumi CLI and prints its outputs. Without a name, lists the examples.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./pulumi-workspace";
import { readEmulatorSetup, reportRequests, runMain, step, withEmulatedStack } from "./emulated-stack";

const EXAMPLES = join(REPO_ROOT, "examples");
const names = readdirSync(EXAMPLES).filter((n) => existsSync(join(EXAMPLES, n, "Pulumi.yaml")));
const name = process.argv[2];

runMain(async () => {
  if (name === undefined || !names.includes(name)) {
    console.error(`${name === undefined ? "Name an example" : `No example ${JSON.stringify(name)}`}: npm run example -- <${names.join(" | ")}>`);
    return 2;
  }
  const dir = join(EXAMPLES, name);
  return withEmulatedStack(dir, "example", readEmulatorSetup(dir), async (stack) => {
    step(`pulumi up in examples/${name}`);
    if (!(await stack.run("up", "--yes"))) return 1;
    step("Stack outputs");
    console.log(await stack.outputs());
    await reportRequests(stack.emulator);
    return 0;
  });
});
