/**
 * The two packages as they are published and installed: `npm pack` of a fresh clone (not this
 * working tree), their file lists and bins; user programs that bring their own `@pulumi/pulumi` at
 * both ends of the supported range, on Node.js 22 and 24, applied with the real Pulumi CLI; and the
 * emulator alone, as a user's dev dependency.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "partnercenter-emulator";
import { PulumiWorkspace, REPO_ROOT, ensurePulumiCli } from "../../scripts/pulumi-workspace";
import { NODE_22, ensureNodeRuntime } from "../fixtures/node-runtime";
import { npmInstall, preparePackedProgram } from "../fixtures/packed-package";

const PACKAGE_JSON = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
  bin: Record<string, string>;
  peerDependencies: Record<string, string>;
};

/** What a user needs, and nothing else: the build of the library, and the documents. */
const SHIPPED = [
  /^dist\/provider\/.+\.(js|d\.ts|js\.map)$/,
  /^dist\/provider\/plugin\/schema\.json$/,
  /^bin\/pulumi-resource-partnercenter(\.cmd)?$/,
  /^(README\.md|LICENSE|CHANGELOG\.md|package\.json)$/,
];

/**
 * Both ends of the supported `@pulumi/pulumi` range, with a TypeScript each of them accepts, and
 * the source position each records in state: 3.195 and later the program's line; 3.139 none, since
 * its finder's pattern expects a stack header (`Error:`) that Node.js does not write here.
 */
const PULUMI_RANGE_ENDS = [
  { pulumi: "3.139.0", typescript: "5.9.3", sourcePosition: /^\(none\)$/ },
  { pulumi: "3.276.0", typescript: "6.0.3", sourcePosition: /^project:\/\/\/index\.ts#\d+,\d+$/ },
];

const customer = (n: number): string => `55555555-ffff-4fff-8fff-${String(n).padStart(12, "0")}`;

let clone: string | undefined;

/**
 * A clone of this repository with `npm ci` run, made once for both packages: it holds what is
 * committed, with no build output, which is what `npm publish` in CI starts from.
 */
function freshClone(): string {
  if (clone !== undefined) return clone;
  const dir = mkdtempSync(join(tmpdir(), "partnercenter-clone-"));
  if (process.env.PARTNERCENTER_E2E_KEEP === undefined) process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  execFileSync("git", ["clone", "--quiet", "--no-hardlinks", REPO_ROOT, dir]);
  execFileSync("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
  clone = dir;
  return dir;
}

/** `npm pack` in the clone (of the workspace, when given): the tarball and its file list. */
function pack(work: string, workspace?: string): { tarball: string; files: string[] } {
  const args = ["pack", "--json", ...(workspace !== undefined ? ["--workspace", workspace] : []), "--pack-destination", work];
  const packed = JSON.parse(execFileSync("npm", args, { cwd: freshClone(), encoding: "utf8" })) as Array<{ filename: string; files: Array<{ path: string }> }>;
  return { tarball: join(work, packed[0]?.filename ?? ""), files: (packed[0]?.files ?? []).map((f) => f.path) };
}

describe("the published package", function () {
  this.timeout(60 * 60 * 1000);

  let work: string;
  let tarball: string;
  let files: string[];

  before(() => {
    work = mkdtempSync(join(tmpdir(), "partnercenter-release-"));
    ({ tarball, files } = pack(work));
  });

  after(() => {
    if (work !== undefined && process.env.PARTNERCENTER_E2E_KEEP === undefined) rmSync(work, { recursive: true, force: true });
  });

  it("npm pack of a fresh clone builds first: the library with its types and source maps, the bins, README, LICENSE, CHANGELOG", () => {
    const expected = [
      "dist/provider/index.js",
      "dist/provider/index.d.ts",
      "dist/provider/index.js.map",
      "dist/provider/lifecycle/provider-process.js",
      "dist/provider/plugin/schema.json",
      ...Object.values(PACKAGE_JSON.bin).map((bin) => bin.replace(/^\.\//, "")),
      "bin/pulumi-resource-partnercenter.cmd",
      "README.md",
      "LICENSE",
      "CHANGELOG.md",
      "package.json",
    ];
    const missing = expected.filter((path) => !files.includes(path));
    assert.deepEqual(missing, [], `missing from the tarball (${files.length} files)`);
  });

  it("ships nothing outside that list: no tests, scripts, sources, build leftovers, emulator or certificate code", () => {
    const extra = files.filter((path) => !SHIPPED.some((pattern) => pattern.test(path)));
    assert.deepEqual(extra, []);
    assert.ok(!files.some((path) => /\.test\.|\/test\/|tsbuildinfo|emulator|x509|jws/.test(path)));
    const shipped = JSON.parse(execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" })) as {
      dependencies: Record<string, string>;
    };
    for (const library of ["jose", "@peculiar/x509", "zod", "reflect-metadata", "partnercenter-emulator"])
      assert.ok(!(library in shipped.dependencies), `no dependency on ${library}`);
  });

  it("installs into an empty folder: require works and every bin runs", () => {
    const dir = join(work, "installed");
    mkdirSync(dir);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "installed", private: true }));
    npmInstall(dir, [tarball, `@pulumi/pulumi@${PULUMI_RANGE_ENDS[1]?.pulumi}`]);
    const exported = execFileSync("node", ["-e", 'console.log(Object.keys(require("pulumi-partnercenter")).join(","))'], { cwd: dir, encoding: "utf8" });
    for (const name of ["CustomerQualification", "PartnerCenterClient", "PartnerCenterProvider", "declareCustomerQualifications"]) {
      assert.ok(exported.trim().split(",").includes(name), `exports ${name}`);
    }
    for (const bin of Object.keys(PACKAGE_JSON.bin)) {
      const run = spawnSync(join(dir, "node_modules", ".bin", bin), ["--help"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
      assert.equal(run.status, 0, `${bin} --help exits 0: ${run.stderr}`);
      assert.match(run.stdout + run.stderr, /Usage/i, `${bin} --help prints its usage`);
    }
  });

  describe("in a user program with its own @pulumi/pulumi, under the real Pulumi CLI", () => {
    let emulator: RunningEmulator;
    let cliDir: string;
    let next = 1;

    before(async () => {
      cliDir = ensurePulumiCli();
      emulator = await startEmulator({ seed: { customers: Array.from({ length: 16 }, (_, i) => ({ id: customer(i + 1) })) } });
    });
    after(async () => {
      await emulator?.close();
    });

    for (const ends of PULUMI_RANGE_ENDS) {
      for (const node of [NODE_22, "24"]) {
        it(`@pulumi/pulumi ${ends.pulumi} on Node.js ${node.split(".")[0]}: one copy of @pulumi/pulumi, pulumi up creates, recording the source positions the SDK finds, preview shows no changes`, async () => {
          const nodeDir = node === "24" ? undefined : ensureNodeRuntime(node);
          const programWork = join(work, `program-${ends.pulumi}-node${node}`);
          const { programDir } = await preparePackedProgram(programWork, "0.1.1-e2e", {
            tarball,
            versions: { "@pulumi/pulumi": ends.pulumi, typescript: ends.typescript },
          });
          assert.deepEqual(pulumiCopies(programDir), [`node_modules/@pulumi/pulumi@${ends.pulumi}`], "one @pulumi/pulumi: the program's");

          const items = [
            { name: "soe", customerId: customer(next++), qualification: "StateOwnedEntity" },
            { name: "school", customerId: customer(next++), qualification: "Education", educationSegment: "K12" },
          ];
          writeFileSync(join(programDir, "items.json"), JSON.stringify(items));
          const workspace = new PulumiWorkspace({ cliDir, stateDir: join(programWork, "pulumi"), ...(nodeDir !== undefined ? { nodeDir } : {}) });
          const stack = ["--stack", "user"];
          await workspace.ok(programDir, ["stack", "init", "user"]);
          await workspace.ok(programDir, ["config", "set", ...stack, "partnercenter:baseUrl", emulator.url]);
          await workspace.ok(programDir, ["config", "set", "--secret", ...stack, "partnercenter:accessToken", "partnercenter-emulator-development-token"]);
          const up = await workspace.ok(programDir, ["up", "--yes", ...stack]);
          for (const item of items) assert.match(up.stdout, new RegExp(`CustomerQualification ${item.name} created`));
          for (const item of items) {
            assert.deepEqual(
              (await emulator.control.customer(item.customerId))?.qualifications.map((q) => q.qualification),
              [item.qualification],
            );
          }
          // Registering without the SDK's promise stack traces (registration-stack-traces.ts) keeps the position it records.
          const exported = JSON.parse((await workspace.ok(programDir, ["stack", "export", ...stack])).stdout) as {
            deployment: { resources: Array<{ type: string; sourcePosition?: string }> };
          };
          const positions = exported.deployment.resources.filter((r) => r.type.endsWith(":CustomerQualification")).map((r) => r.sourcePosition ?? "(none)");
          assert.equal(positions.length, items.length);
          for (const position of positions) assert.match(position, ends.sourcePosition);
          await emulator.control.clearRequests();
          await workspace.ok(programDir, ["preview", "--expect-no-changes", ...stack]);
          assert.equal((await emulator.control.requests()).length, 0);
        });
      }
    }
  });
});

describe("the published emulator package, partnercenter-emulator", function () {
  this.timeout(30 * 60 * 1000);

  let work: string;
  let tarball: string;
  let files: string[];

  before(() => {
    work = mkdtempSync(join(tmpdir(), "partnercenter-emulator-release-"));
    ({ tarball, files } = pack(work, "partnercenter-emulator"));
  });

  after(() => {
    if (work !== undefined && process.env.PARTNERCENTER_E2E_KEEP === undefined) rmSync(work, { recursive: true, force: true });
  });

  it("npm pack builds first and ships its build, its bin, the example seed and the documents, nothing else", () => {
    for (const path of [
      "dist/index.js",
      "dist/index.d.ts",
      "dist/cli.js",
      "dist/identity/x509.js",
      "seed.example.json",
      "README.md",
      "LICENSE",
      "package.json",
    ]) {
      assert.ok(files.includes(path), `ships ${path}`);
    }
    const extra = files.filter((path) => !/^(dist\/.+\.(js|d\.ts|js\.map)|seed\.example\.json|README\.md|LICENSE|package\.json)$/.test(path));
    assert.deepEqual(extra, []);
  });

  it("installs alone as a dev dependency: require works, and its bin serves the API with the development token", async () => {
    const dir = join(work, "user");
    mkdirSync(dir);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "emulator-user", private: true }));
    execFileSync("npm", ["install", "--save-dev", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", tarball], {
      cwd: dir,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const installed = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { devDependencies?: Record<string, string> };
    assert.ok(installed.devDependencies?.["partnercenter-emulator"] !== undefined, "recorded as a dev dependency");
    assert.ok(!execFileSync("npm", ["ls", "--all", "--parseable"], { cwd: dir, encoding: "utf8" }).includes("pulumi"), "brings no Pulumi package");
    const script =
      'require("partnercenter-emulator").startEmulator({ seed: { customers: [{ id: "55555555-ffff-4fff-8fff-000000000001" }] } }).then(async (e) => { console.log(typeof e.url); await e.close(); })';
    assert.equal(execFileSync("node", ["-e", script], { cwd: dir, encoding: "utf8" }).trim(), "string");
    const child = spawn(join(dir, "node_modules", ".bin", "partnercenter-emulator"), ["--port", "0"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).on("line", (line) => {
          const found = /listening on (http:\/\/\S+)/.exec(line)?.[1];
          if (found !== undefined) resolve(found);
        });
        child.once("exit", (code) => reject(new Error(`partnercenter-emulator exited with ${code}`)));
      });
      const answer = await fetch(`${url}/v1/customers?size=10`, { headers: { Authorization: "Bearer partnercenter-emulator-development-token" } });
      assert.equal(answer.status, 200);
    } finally {
      child.kill();
      if (child.exitCode === null) await once(child, "exit");
    }
  });
});

/** Every installed copy of `@pulumi/pulumi` in a program's node_modules, as `<location>@<version>`. */
function pulumiCopies(programDir: string): string[] {
  const nodes = JSON.parse(execFileSync("npm", ["query", "#@pulumi/pulumi"], { cwd: programDir, encoding: "utf8" })) as Array<{
    location: string;
    version: string;
  }>;
  return nodes.map((n) => `${n.location}@${n.version}`);
}
