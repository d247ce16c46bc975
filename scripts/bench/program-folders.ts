/**
 * The three program folders the bench applies, prepared once per run the way a user installs the
 * package: this repository packed with `npm pack` and installed with the pinned @pulumi/pulumi.
 * The package's program declares one CustomerQualification per entry of `items.json`, the native
 * program one `native.CustomerQualification` (served by the plugin in the installed package), the
 * baseline's one trivial dynamic resource per entry.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ITEMS_PROGRAM, preparePackedProgram } from "../../test/fixtures/packed-package";
import { REPO_ROOT } from "../pulumi-workspace";
import { NATIVE_ITEMS_PROGRAM, NATIVE_PLUGIN_YAML } from "./native-program";
import type { ProgramKind } from "./workloads";

/** A version for the second tarball `preparePackedProgram` always makes; the bench never installs it. */
const UNUSED_UPGRADE_VERSION = "0.0.0-bench";

/** Builds `dist/` unless `npm pack` does it anyway (a `prepack` script). */
function buildUnlessPackBuilds(): void {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  if (pkg.scripts?.prepack !== undefined) return;
  execFileSync("npm", ["run", "--silent", "build"], { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "inherit"] });
}

/** Prepares the three program folders under `workDir`; returns them by kind. */
export async function prepareProgramFolders(workDir: string): Promise<Record<ProgramKind, string>> {
  buildUnlessPackBuilds();
  const packageProgram = await preparePackedProgram(join(workDir, "package"), UNUSED_UPGRADE_VERSION, { program: ITEMS_PROGRAM });
  const nativeProgram = await preparePackedProgram(join(workDir, "native"), UNUSED_UPGRADE_VERSION, { program: NATIVE_ITEMS_PROGRAM });
  appendFileSync(join(nativeProgram.programDir, "Pulumi.yaml"), NATIVE_PLUGIN_YAML);
  const baselineSource = readFileSync(join(__dirname, "trivial-provider-program.ts"), "utf8");
  const baselineProgram = await preparePackedProgram(join(workDir, "baseline"), UNUSED_UPGRADE_VERSION, { program: baselineSource });
  return { package: packageProgram.programDir, native: nativeProgram.programDir, baseline: baselineProgram.programDir };
}

/** Which code was packed: the commit, and how many files under provider/ and emulator/ differed from it. */
export function packedSource(): string {
  const git = (args: readonly string[]): string => execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" }).trim();
  try {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    const changed = git(["status", "--porcelain", "--", "provider", "emulator", "package.json"])
      .split("\n")
      .filter((l) => l !== "").length;
    return `pulumi-partnercenter ${pkg.version} packed from ${git(["rev-parse", "--short", "HEAD"])}${changed > 0 ? ` with ${changed} uncommitted changes under provider/, emulator/ or package.json` : ""}`;
  } catch {
    return "pulumi-partnercenter packed from a folder that is not a git work tree";
  }
}

/** The @pulumi/pulumi version installed in a program folder. */
export function installedPulumiVersion(programDir: string): string {
  const pkg = JSON.parse(readFileSync(join(programDir, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as { version: string };
  return pkg.version;
}
