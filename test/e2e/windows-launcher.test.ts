/**
 * The plugin's Windows launcher, `bin/pulumi-resource-partnercenter.cmd`, as users get it: in the
 * packed package (with what it starts, and the line endings cmd.exe and the POSIX script each
 * need), in a fresh clone (so .gitattributes gives those bytes on any OS), and its command line
 * run by hand from another folder. This machine has no cmd.exe: the test reads the launcher's one
 * command line (test/fixtures/cmd-launcher.ts) and runs it with `%~dp0` and `%*` expanded.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix, sep } from "node:path";
import { list } from "tar";
import { REPO_ROOT } from "../../scripts/pulumi-workspace";
import { expandLauncherCommand, launcherCommand } from "../fixtures/cmd-launcher";
import { npmInstall, packedTarball, pinnedVersions } from "../fixtures/packed-package";

const LAUNCHER = "bin/pulumi-resource-partnercenter.cmd";
const PACKAGE_BINS = Object.values((JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { bin: Record<string, string> }).bin);

/** Every file of a package tarball by its path in the package (without the leading `package/`). */
async function tarballFiles(tarball: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  await list({
    file: tarball,
    onReadEntry: (entry) => {
      const chunks: Buffer[] = [];
      entry.on("data", (chunk: Buffer) => chunks.push(chunk));
      entry.on("end", () => files.set(entry.path.replace(/^package\//, ""), Buffer.concat(chunks)));
    },
  });
  return files;
}

/**
 * The line-ending problems of the bin files among `files` (those under bin/, and `alsoBins`): the
 * .cmd must be CRLF on every line, and no other may have a CR at all.
 */
function lineEndingProblems(files: ReadonlyMap<string, Buffer>, alsoBins: readonly string[]): string[] {
  const problems: string[] = [];
  const bins = new Set([...alsoBins, ...[...files.keys()].filter((path) => path.startsWith("bin/"))]);
  for (const path of bins) {
    const text = files.get(path)?.toString("latin1");
    if (text === undefined) problems.push(`${path} is missing`);
    else if (path.endsWith(".cmd")) {
      const lines = text.split("\n").slice(0, -1);
      if (!text.endsWith("\r\n") || lines.length === 0 || lines.some((line) => !line.endsWith("\r"))) problems.push(`${path}: not CRLF on every line`);
    } else if (text.includes("\r")) problems.push(`${path}: has CR (CRLF line endings)`);
  }
  if (!bins.has(LAUNCHER)) problems.push(`${LAUNCHER} is missing`);
  return problems;
}

/** The files under `root`/`under`, by their path from `root` with "/" separators (as in a tarball). */
function treeFiles(root: string, under: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const relative of readdirSync(join(root, under), { recursive: true, encoding: "utf8" })) {
    const full = join(root, under, relative);
    if (statSync(full).isFile()) files.set(posix.join(under, ...relative.split(sep)), readFileSync(full));
  }
  return files;
}

describe("the plugin's Windows launcher (pulumi-resource-partnercenter.cmd)", function () {
  this.timeout(15 * 60 * 1000);

  let work: string;
  let files: Map<string, Buffer>;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "partnercenter-windows-"));
    files = await tarballFiles(await packedTarball());
  });
  after(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it("is in the packed package, and what it starts is too: the script beside it, and that script's entry", () => {
    const command = launcherCommand(files.get(LAUNCHER)?.toString("utf8") ?? "");
    const [program, target] = expandLauncherCommand(command, "bin/", []);
    assert.equal(program, "node");
    assert.equal(target, "bin/pulumi-resource-partnercenter");
    assert.ok(files.has(target), `${target} is in the tarball`);
    const entry = /^require\("([^"]+)"\);$/m.exec(files.get(target)?.toString("utf8") ?? "")?.[1];
    assert.ok(entry !== undefined, `${target} requires its entry`);
    assert.ok(files.has(posix.join("bin", entry)), `${posix.join("bin", entry)} is in the tarball`);
  });

  it("packed: the .cmd has CRLF line endings, and no other bin file (bin/ and package.json's bin) has any CR", () => {
    assert.deepEqual(lineEndingProblems(files, PACKAGE_BINS), []);
  });

  for (const autocrlf of ["false", "true"]) {
    it(`a fresh clone with core.autocrlf=${autocrlf}${autocrlf === "true" ? " (Git for Windows' default)" : ""}: the .cmd CRLF, every other text file LF`, () => {
      const clone = join(work, `clone-autocrlf-${autocrlf}`);
      execFileSync("git", ["clone", "--quiet", "--no-hardlinks", "-c", `core.autocrlf=${autocrlf}`, REPO_ROOT, clone]);
      assert.deepEqual(lineEndingProblems(treeFiles(clone, "bin"), []), []);
      // The sources the package is built from too, so npm pack on Windows ships the bytes it ships here.
      const wrong = execFileSync("git", ["ls-files", "--eol"], { cwd: clone, encoding: "utf8" })
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => ({ working: line.split(/\s+/)[1] ?? "", path: line.split("\t").pop() ?? "" }))
        .filter(({ working, path }) => working !== "w/-text" && working !== (path.endsWith(".cmd") ? "w/crlf" : "w/lf"));
      assert.deepEqual(wrong, []);
    });
  }

  it("its command line, run by hand from another folder (node <its target> --help), prints the plugin's usage", async () => {
    // A folder with a space, as under "C:\Program Files" or an agent's work folder.
    const program = join(work, "user program");
    const elsewhere = join(work, "elsewhere");
    mkdirSync(program);
    mkdirSync(elsewhere);
    writeFileSync(join(program, "package.json"), JSON.stringify({ name: "windows-launcher", private: true }));
    npmInstall(program, [await packedTarball(), `@pulumi/pulumi@${pinnedVersions()["@pulumi/pulumi"]}`]);
    // %~dp0: the launcher's folder with its trailing separator.
    const folder = join(program, "node_modules", "pulumi-partnercenter", "bin") + sep;
    const command = launcherCommand(readFileSync(join(folder, "pulumi-resource-partnercenter.cmd"), "utf8"));
    const [node, ...args] = expandLauncherCommand(command, folder, ["--help"]);
    assert.equal(node, "node");
    const run = spawnSync(node, args, { cwd: elsewhere, encoding: "utf8", timeout: 60_000 });
    assert.equal(run.status, 0, `exit code 0: ${run.stderr}`);
    assert.match(run.stdout, /^Usage: pulumi-resource-partnercenter <engine address>$/m);
    assert.match(run.stdout, /native Pulumi provider plugin of pulumi-partnercenter\. Pulumi starts it/);
  });
});
