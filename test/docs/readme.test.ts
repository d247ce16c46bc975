/**
 * The README is the front door, short, with the reference pages in docs/: the TypeScript snippets
 * of both must compile against the package as users install it (the packed tarball, with the
 * packages of the README's install line); the README's configuration table must list every setting
 * the provider reads; the supported Node.js versions are stated once, as `engines` says; and every
 * section the README had before it was split is found in one of the pages.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ts from "typescript";
import { parse } from "yaml";
import { SETTING_DEFINITIONS } from "../../provider/config";
import { npmInstall, packedTarball, pinnedVersions } from "../fixtures/packed-package";

const REPO = join(__dirname, "..", "..");
const README = readFileSync(join(REPO, "README.md"), "utf8");
/** The reference pages, by file name. */
const DOCS = new Map(
  readdirSync(join(REPO, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => [name, readFileSync(join(REPO, "docs", name), "utf8")]),
);

function snippets(language: string, text: string): string[] {
  const fence = new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g");
  return [...text.matchAll(fence)].map((m) => m[1] ?? "");
}

/** The packages of the README's install line (`npm install pulumi-partnercenter @pulumi/pulumi`). */
function installLine(): string[] {
  const line = /^npm install (pulumi-partnercenter(?: [@\w/.-]+)*)$/m.exec(README)?.[1];
  assert.ok(line !== undefined, "the README has an install line: npm install pulumi-partnercenter ...");
  return line.split(" ");
}

/**
 * A new folder with the packed package (not this source tree) and the README's other packages
 * installed, as a user's program would have them, plus Node's types for the snippets' `process`.
 */
async function installedAsTheReadmeSays(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "partnercenter-readme-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "readme-snippets", private: true }));
  const packages = installLine()
    .map((name) => (name === "pulumi-partnercenter" ? "" : name))
    .filter((name) => name !== "");
  npmInstall(dir, [await packedTarball(), ...packages, `@types/node@${pinnedVersions()["@types/node"]}`]);
  return dir;
}

/** Compiles the files as a user's strict TypeScript program; returns every problem. */
function compile(files: ReadonlyMap<string, string>): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    types: ["node"],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const base = { getSourceFile: host.getSourceFile, fileExists: host.fileExists, readFile: host.readFile };
  host.getSourceFile = (name, version, onError) => {
    const text = files.get(name);
    return text !== undefined ? ts.createSourceFile(name, text, version) : base.getSourceFile(name, version, onError);
  };
  host.fileExists = (name) => files.has(name) || base.fileExists(name);
  host.readFile = (name) => files.get(name) ?? base.readFile(name);
  const program = ts.createProgram([...files.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

describe("README and docs/", () => {
  it("have TypeScript snippets, and every one compiles against the packed package installed by the README's install line", async function () {
    this.timeout(300_000);
    const code = [README, ...DOCS.values()].flatMap((text) => snippets("ts", text));
    assert.ok(code.length >= 4, `found ${code.length} snippets`);
    const dir = await installedAsTheReadmeSays();
    try {
      const files = new Map(code.map((text, i) => [join(dir, `readme-snippet-${i + 1}.ts`), text]));
      assert.deepEqual(compile(files), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lists every setting with its stack config key and environment variable", () => {
    for (const setting of Object.values(SETTING_DEFINITIONS)) {
      assert.ok(README.includes(`\`partnercenter:${setting.name}\``), `README names partnercenter:${setting.name}`);
      assert.ok(README.includes(`\`${setting.env}\``), `README names ${setting.env}`);
    }
  });

  it("gives the two commands for trying it from a clone under their heading, and the test command is the one CI runs", () => {
    const fromClone = /^## Try it from a clone\n[\s\S]*?(?=^## )/m.exec(README)?.[0] ?? "";
    assert.match(fromClone, /^npm ci && npm run demo\b/m);
    assert.match(fromClone, /^npm test\b/m);
    assert.match(readFileSync(join(REPO, ".ci", "run"), "utf8"), /^npm test /m);
  });

  it("the README stays a front page: at most 200 lines, every page of docs/ linked from it", () => {
    assert.ok(README.split("\n").length <= 200, `${README.split("\n").length} lines`);
    for (const name of DOCS.keys()) assert.ok(README.includes(`](docs/${name})`), `README links docs/${name}`);
  });

  it("states the supported Node.js versions once, as each package's engines says", () => {
    const engines = (dir: string): string => (JSON.parse(readFileSync(join(REPO, dir, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
    assert.ok(README.includes(`Node.js \`${engines(".")}\` (the package's \`engines\`)`), "the README states the root package's engines");
    const emulatorReadme = readFileSync(join(REPO, "emulator", "README.md"), "utf8");
    assert.ok(emulatorReadme.includes(`Node.js \`${engines("emulator")}\``), "the emulator's README states its engines");
    const versionWords = /\bNode(?:\.js)? ?(?:v?\d+|`[^`]*\d[^`]*`)/g;
    const statements = [README, emulatorReadme, ...DOCS.values()].flatMap((text) => [...text.matchAll(versionWords)].map((m) => m[0]));
    assert.deepEqual(statements, [`Node.js \`${engines(".")}\``, `Node.js \`${engines("emulator")}\``], "no other statement of a Node.js version");
  });

  /** Every section of the README before it was split (issue 24), and where it is now. */
  const MOVED: ReadonlyArray<[section: string, file: string, heading: RegExp]> = [
    ["Quick start", "CONTRIBUTING.md", /^## From a clone$/m],
    ["Use it in your Pulumi program", "README.md", /^## A first program$/m],
    ["Configuration", "README.md", /^## Configuration$/m],
    ["Sign-in", "docs/sign-in.md", /^# Sign-in/m],
    ["When sign-in fails", "docs/sign-in.md", /^## When sign-in fails$/m],
    ["When Partner Center can't be reached", "docs/troubleshooting.md", /^## When Partner Center can't be reached$/m],
    ["Pipelines", "docs/pipelines.md", /^# Pipelines$/m],
    ["Reference: CustomerQualification", "docs/resource.md", /^# Reference: CustomerQualification$/m],
    ["Dynamic resource or native plugin", "docs/native-plugin.md", /^# The native plugin and other languages$/m],
    ["Start from what your customers already hold", "docs/adopting.md", /^# Start from what your customers already hold$/m],
    ["Many customers from stack config", "docs/customer-lists.md", /^# Many customers from one list$/m],
    ["Vetting report", "docs/report.md", /^# The vetting report/m],
    ["Huge stacks", "docs/huge-stacks.md", /^# Huge stacks and shards$/m],
    ["Recovery after a crash", "docs/troubleshooting.md", /^## After a crash$/m],
    ["Examples", "CONTRIBUTING.md", /^## Examples$/m],
    ["The client, outside Pulumi", "docs/client.md", /^# The client, outside Pulumi$/m],
    ["The emulator", "emulator/README.md", /^# partnercenter-emulator$/m],
    ["Limitations", "docs/troubleshooting.md", /^## Limitations$/m],
    ["Versions and state", "docs/versions.md", /^# Versions and state$/m],
    ["Development", "CONTRIBUTING.md", /^## Commands$/m],
  ];
  for (const [section, file, heading] of MOVED) {
    it(`the former README section "${section}" is in ${file}`, () => {
      assert.match(readFileSync(join(REPO, file), "utf8"), heading);
    });
  }
});

describe("pipeline examples", () => {
  const dir = join(REPO, "examples", "pipelines");
  const files = ["github-actions.yml", "azure-pipelines.yml"];
  for (const file of files) {
    it(`${file} is valid YAML that takes the refresh token and client secret from the CI's secret store`, () => {
      const text = readFileSync(join(dir, file), "utf8");
      const parsed: unknown = parse(text);
      assert.equal(typeof parsed, "object");
      for (const name of ["PARTNERCENTER_REFRESH_TOKEN", "PARTNERCENTER_CLIENT_SECRET"]) {
        const fromStore = new RegExp(`${name}: (\\$\\{\\{ secrets\\.${name} \\}\\}|\\$\\(${name}\\))`);
        assert.match(text, fromStore, `${name} comes from the secret store`);
      }
      assert.match(text, /continue-on-error/);
    });
  }

  it("run on Windows agents too: windows-latest is a matrix os of the GitHub workflow and a pool of the Azure pipeline", () => {
    const github = parse(readFileSync(join(dir, "github-actions.yml"), "utf8")) as {
      jobs: Record<string, { "runs-on": string; strategy?: { matrix?: { os?: string[] } } }>;
    };
    const job = Object.values(github.jobs)[0];
    assert.equal(job?.["runs-on"], "${{ matrix.os }}");
    assert.deepEqual(job?.strategy?.matrix?.os, ["ubuntu-latest", "windows-latest"]);
    const azure = parse(readFileSync(join(dir, "azure-pipelines.yml"), "utf8")) as {
      pool: { vmImage: string };
      strategy: { matrix: Record<string, { imageName: string }> };
    };
    assert.equal(azure.pool.vmImage, "$(imageName)");
    assert.deepEqual(
      Object.values(azure.strategy.matrix).map((m) => m.imageName),
      ["ubuntu-latest", "windows-latest"],
    );
  });
});
