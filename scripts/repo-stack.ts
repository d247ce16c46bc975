/**
 * A stack of the repository's own program (`Pulumi.yaml` at the root, `stack/index.ts`), as the
 * end-to-end tests and the bench drive it: created in a {@link PulumiWorkspace}, its config file
 * written whole, its qualifications read back from `pulumi stack export`.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, type PulumiRun, type PulumiWorkspace } from "./pulumi-workspace";

/** The stack program's config namespace (its project name). */
export const STACK_PROGRAM_NAMESPACE = "partnercenter-qualifications";

/** An entry of the stack program's `qualifications` list, as the tests write it. */
export interface StackListEntry {
  readonly customerId: string;
  readonly qualification: string;
  readonly educationSegment?: string;
  readonly waitForVetting?: { readonly timeoutInMs: number; readonly pollIntervalInMs: number };
}

/** Config lines (under `config:`) of the program's list, `partnercenter-qualifications:qualifications`. */
export function qualificationsConfig(entries: readonly StackListEntry[]): string[] {
  const lines = [`${STACK_PROGRAM_NAMESPACE}:qualifications:`];
  for (const e of entries) {
    lines.push(`  - customerId: ${e.customerId}`, `    qualification: ${e.qualification}`);
    if (e.educationSegment !== undefined) lines.push(`    educationSegment: ${e.educationSegment}`);
    if (e.waitForVetting !== undefined)
      lines.push(`    waitForVetting: { timeoutInMs: ${e.waitForVetting.timeoutInMs}, pollIntervalInMs: ${e.waitForVetting.pollIntervalInMs} }`);
  }
  return lines;
}

/** Config lines (under `config:`) of the program's shard, `partnercenter-qualifications:shard`; values as given, bad ones included. */
export function shardConfig(shard: { readonly index: unknown; readonly count: unknown }): string[] {
  return [`${STACK_PROGRAM_NAMESPACE}:shard:`, `  index: ${String(shard.index)}`, `  count: ${String(shard.count)}`];
}

/** One stack of the repository's program. */
export class RepoStack {
  private constructor(
    private readonly workspace: PulumiWorkspace,
    /** The stack's name. */
    readonly name: string,
    private readonly salt: string,
  ) {}

  /** Creates the stack (`pulumi stack init`) and keeps the secrets salt its config file starts with. */
  static async init(workspace: PulumiWorkspace, name: string): Promise<RepoStack> {
    await workspace.ok(REPO_ROOT, ["stack", "init", name]);
    const salt =
      readFileSync(join(REPO_ROOT, `Pulumi.${name}.yaml`), "utf8")
        .split("\n")
        .find((l) => l.startsWith("encryptionsalt:")) ?? "";
    return new RepoStack(workspace, name, salt);
  }

  /** The stack's config file, `Pulumi.<name>.yaml` at the repository's root. */
  get configFile(): string {
    return join(REPO_ROOT, `Pulumi.${this.name}.yaml`);
  }

  /** Replaces the stack's config with these lines (see {@link qualificationsConfig}, {@link shardConfig}). */
  configure(...sections: ReadonlyArray<readonly string[]>): void {
    const lines = sections.flat().map((l) => `  ${l}`);
    writeFileSync(this.configFile, `${this.salt}\nconfig:\n${lines.join("\n")}\n`);
  }

  /** Runs `pulumi <args> --stack <name>` from the repository's root. */
  run(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<PulumiRun> {
    return this.workspace.run(REPO_ROOT, [...args, "--stack", this.name], env);
  }

  /** The qualifications in the stack's state: outputs by ID (`<customer>/<qualification>`). */
  async qualifications(): Promise<Map<string, Record<string, unknown>>> {
    const run = await this.run(["stack", "export"]);
    if (run.code !== 0) throw new Error(`pulumi stack export --stack ${this.name} exited ${run.code}: ${run.stderr}`);
    const exported = JSON.parse(run.stdout) as { deployment: { resources?: Array<{ id?: string; type: string; outputs?: Record<string, unknown> }> } };
    const byId = new Map<string, Record<string, unknown>>();
    for (const r of exported.deployment.resources ?? []) if (r.type.endsWith(":CustomerQualification")) byId.set(r.id ?? "", r.outputs ?? {});
    return byId;
  }

  /** The IDs of the qualifications in the stack's state, sorted. */
  async qualificationIds(): Promise<string[]> {
    return [...(await this.qualifications()).keys()].sort();
  }

  /** Removes the stack, whatever it holds, and its config file. */
  async remove(): Promise<void> {
    await this.workspace.run(REPO_ROOT, ["stack", "rm", "--yes", "--force", "--stack", this.name]);
    rmSync(this.configFile, { force: true });
  }
}
