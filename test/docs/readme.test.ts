/**
 * The README is the front door: its TypeScript snippets must compile against the package as users
 * install it (the packed tarball, with the packages of the README's install line), and its
 * configuration table must list every setting the provider reads.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ts from "typescript";
import { parse } from "yaml";
import { SETTING_DEFINITIONS } from "../../provider/config";
import { npmInstall, packedTarball, pinnedVersions } from "../fixtures/packed-package";

const REPO = join(__dirname, "..", "..");
const README = readFileSync(join(REPO, "README.md"), "utf8");

function snippets(language: string): string[] {
  const fence = new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g");
  return [...README.matchAll(fence)].map((m) => m[1] ?? "");
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
  const packages = installLine().map((name) => (name === "pulumi-partnercenter" ? "" : name)).filter((name) => name !== "");
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

describe("README", () => {
  it("has TypeScript snippets, and every one compiles against the packed package installed by the README's install line", async function () {
    this.timeout(300_000);
    const code = snippets("ts");
    assert.ok(code.length >= 3, `found ${code.length} snippets`);
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

  it("gives the two quick-start commands, and the test command is the one CI runs", () => {
    assert.match(README, /npm ci && npm run demo/);
    assert.match(README, /^npm test\b/m);
    assert.match(readFileSync(join(REPO, ".ci", "run"), "utf8"), /^npm test /m);
  });
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
    const github = parse(readFileSync(join(dir, "github-actions.yml"), "utf8")) as { jobs: Record<string, { "runs-on": string; strategy?: { matrix?: { os?: string[] } } }> };
    const job = Object.values(github.jobs)[0];
    assert.equal(job?.["runs-on"], "${{ matrix.os }}");
    assert.deepEqual(job?.strategy?.matrix?.os, ["ubuntu-latest", "windows-latest"]);
    const azure = parse(readFileSync(join(dir, "azure-pipelines.yml"), "utf8")) as { pool: { vmImage: string }; strategy: { matrix: Record<string, { imageName: string }> } };
    assert.equal(azure.pool.vmImage, "$(imageName)");
    assert.deepEqual(Object.values(azure.strategy.matrix).map((m) => m.imageName), ["ubuntu-latest", "windows-latest"]);
  });
});
