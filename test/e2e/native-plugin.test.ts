/**
 * The native plugin `pulumi-resource-partnercenter` under the real Pulumi CLI, installed from the
 * packed package: a TypeScript program (default and explicit provider), `pulumi import`, and a
 * Pulumi YAML program; credentials from stack config secrets; up, a no-op preview, refresh, destroy.
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startEmulator, type LoggedRequest, type RunningEmulator } from "partnercenter-emulator";
import { PulumiWorkspace, REPO_ROOT, ensurePulumiCli, type PulumiRun } from "../../scripts/pulumi-workspace";
import { npmInstall, packedTarball, preparePackedProgram } from "../fixtures/packed-package";

const TYPE = "partnercenter:index:CustomerQualification";
const customer = (n: number): string => `88888888-9999-4999-8999-${String(n).padStart(12, "0")}`;
/** Pulumi.yaml's pointer to the plugin in the installed package. */
const PLUGIN_PATH = "./node_modules/pulumi-partnercenter/bin";

/** A TypeScript program of the plugin's resources: the default provider and an explicit one. */
const TYPESCRIPT_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { native } from "pulumi-partnercenter";

const config = new pulumi.Config("partnercenter-e2e");
const ids = config.requireObject<string[]>("customers");
const explicit = new native.Provider("second-tenant", { baseUrl: config.require("baseUrl"), accessToken: config.requireSecret("token") });
new native.CustomerQualification("school", { customerId: ids[0]!, qualification: "Education", educationSegment: "K12" });
new native.CustomerQualification("agency", { customerId: ids[1]!, qualification: "GovernmentCommunityCloud" });
new native.CustomerQualification("utility", { customerId: ids[2]!, qualification: "StateOwnedEntity" }, { provider: explicit });
if (config.getBoolean("declareImported")) {
  new native.CustomerQualification("imported", { customerId: ids[3]!, qualification: "Education", educationSegment: "HigherEducation" });
}
`;

/** A resource's bytes as `pulumi stack export` writes it (indented by four). */
function recordBytes(resource: unknown): number {
  return Buffer.byteLength(JSON.stringify(resource, null, 4));
}

/**
 * The bytes of a resource's record that the plugin's answers decide: everything but the source
 * position and stack trace, which the engine records from the language host (the Node.js SDK's
 * frames, about 600 bytes; the YAML host's own Go frames, about 1,500).
 */
function pluginRecordBytes(resource: Record<string, unknown>): number {
  const { sourcePosition: _position, stackTrace: _trace, ...rest } = resource;
  return recordBytes(rest);
}

interface Exported {
  deployment: { resources?: Array<{ urn: string; type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown>; [key: string]: unknown }> };
}

describe("the native plugin under the real Pulumi CLI", function () {
  this.timeout(60 * 60 * 1000);

  let emulator: RunningEmulator;
  let workspace: PulumiWorkspace;
  let work: string;
  const token = `native-${randomBytes(24).toString("base64url")}`;
  const code = `GCC-${randomBytes(9).toString("base64url")}`;
  const printed: string[] = [];
  const requests = (): Promise<LoggedRequest[]> => emulator.control.requests();
  const posts = async (): Promise<number> => (await requests()).filter((r) => r.method === "POST").length;

  before(async () => {
    const cliDir = ensurePulumiCli();
    work = mkdtempSync(join(tmpdir(), "partnercenter-e2e-native-"));
    emulator = await startEmulator({
      accessTokens: [token],
      seed: {
        customers: [
          ...[1, 2, 3, 5, 6, 7, 8].map((n) => ({ id: customer(n) })),
          { id: customer(4), qualifications: [{ qualification: "Education", vettingStatus: "Approved" }] },
          { id: customer(9), companyName: "Imported Water Board", qualifications: [{ qualification: "StateOwnedEntity" }] },
          { id: customer(10), companyName: "Imported County", qualifications: [{ qualification: "GovernmentCommunityCloud", vettingStatus: "Approved" }] },
        ],
        validationCodes: [{ partnerId: "p", organizationName: "Agency", validationId: code, maxCreates: 5, remainingCreates: 5 }],
      },
    });
    workspace = new PulumiWorkspace({ cliDir, stateDir: join(work, "pulumi") });
  });

  after(async () => {
    await emulator?.close();
    if (work !== undefined && process.env.PARTNERCENTER_E2E_KEEP === undefined) rmSync(work, { recursive: true, force: true });
  });

  /** A stack of a project folder, its CLI runs recorded for the no-secret check. */
  const stackOf = (dir: string, stack: string, cli: PulumiWorkspace = workspace) => {
    const run = async (...args: string[]): Promise<PulumiRun> => {
      const result = await cli.ok(dir, [...args, "--stack", stack]);
      printed.push(result.stdout, result.stderr);
      return result;
    };
    const set = (key: string, value: string, secret = false) =>
      cli.ok(dir, ["config", "set", ...(secret ? ["--secret"] : []), "--stack", stack, "--", key, value]);
    const qualifications = async () =>
      ((JSON.parse((await run("stack", "export")).stdout) as Exported).deployment.resources ?? []).filter((r) => r.type === TYPE);
    return { run, set, qualifications, init: () => cli.ok(dir, ["stack", "init", stack]) };
  };

  describe("from TypeScript", () => {
    let programDir: string;
    let stack: ReturnType<typeof stackOf>;

    before(async () => {
      ({ programDir } = await preparePackedProgram(join(work, "ts"), "0.1.1-e2e", { program: TYPESCRIPT_PROGRAM }));
      const yaml = readFileSync(join(programDir, "Pulumi.yaml"), "utf8");
      writeFileSync(join(programDir, "Pulumi.yaml"), `${yaml}plugins:\n  providers:\n    - name: partnercenter\n      path: ${PLUGIN_PATH}\n`);
      stack = stackOf(programDir, "native-ts");
      await stack.init();
      await stack.set("partnercenter:baseUrl", emulator.url);
      await stack.set("partnercenter:accessToken", token, true);
      await stack.set("partnercenter-e2e:baseUrl", emulator.url);
      await stack.set("partnercenter-e2e:token", token, true);
      await stack.set("partnercenter-e2e:customers", JSON.stringify([1, 2, 3, 4].map(customer)));
    });

    it("pulumi package get-schema: the plugin serves schema.json with the package's version", async () => {
      const served = JSON.parse(
        (await workspace.ok(programDir, ["package", "get-schema", join(programDir, PLUGIN_PATH, "pulumi-resource-partnercenter")])).stdout,
      ) as Record<string, unknown>;
      const committed = JSON.parse(readFileSync(join(REPO_ROOT, "provider", "plugin", "schema.json"), "utf8")) as Record<string, unknown>;
      const { version, ...rest } = served;
      assert.equal(version, (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version);
      assert.deepEqual(rest, committed);
    });

    it("pulumi up creates through the default provider (stack config secrets) and an explicit one, one POST each", async () => {
      await emulator.control.clearRequests();
      await stack.run("up", "--yes");
      assert.equal(await posts(), 3);
      for (const [n, qualification] of [
        [1, "Education"],
        [2, "GovernmentCommunityCloud"],
        [3, "StateOwnedEntity"],
      ] as const) {
        assert.deepEqual(
          (await emulator.control.customer(customer(n)))?.qualifications.map((q) => q.qualification),
          [qualification],
        );
      }
      const gcc = (await stack.qualifications()).find((r) => r.urn.endsWith("::agency"));
      assert.equal(gcc?.outputs?.validationCodeChosen, true);
      assert.equal(
        (gcc?.outputs?.validationCode as Record<string, unknown> | undefined)?.["4dabf18193072939515e22adb298388d"],
        "1b47061264138c4ac30d75fd1eb44270",
        "the chosen code is a secret",
      );
    });

    it("a no-op preview makes no request; refresh reports no change", async () => {
      await emulator.control.clearRequests();
      await stack.run("preview", "--expect-no-changes");
      assert.equal((await requests()).length, 0);
      const refresh = await stack.run("refresh", "--yes");
      assert.doesNotMatch(refresh.stdout, /\[diff:|updated|replaced|created|deleted/);
    });

    it("pulumi import brings an existing qualification under management with 0 POSTs; the next preview shows no changes", async () => {
      await emulator.control.clearRequests();
      await stack.run("import", TYPE, "imported", `${customer(4)}/Education`, "--yes", "--generate-code=false", "--protect=false");
      assert.equal(await posts(), 0);
      await stack.set("partnercenter-e2e:declareImported", "true");
      await stack.run("preview", "--expect-no-changes");
      const imported = (await stack.qualifications()).find((r) => r.urn.endsWith("::imported"));
      assert.equal(imported?.outputs?.vettingStatus, "Approved");
    });

    it("partnercenter-export --format import writes a file that pulumi import -f brings under management with 0 POSTs", async () => {
      const file = join(programDir, "import.json");
      const exporter = join(programDir, "node_modules", ".bin", "partnercenter-export");
      // Not execFileSync: the emulator answers from this process's event loop.
      await promisify(execFile)(exporter, ["--format", "import", "--filter", "Imported", "--out", file], {
        cwd: programDir,
        env: { ...process.env, PARTNERCENTER_BASE_URL: emulator.url, PARTNERCENTER_ACCESS_TOKEN: token },
      });
      const listed = (JSON.parse(readFileSync(file, "utf8")) as { resources: Array<{ id: string }> }).resources.map((r) => r.id).sort();
      assert.deepEqual(listed, [`${customer(9)}/StateOwnedEntity`, `${customer(10)}/GovernmentCommunityCloud`].sort());
      await emulator.control.clearRequests();
      await stack.run("import", "-f", file, "--yes", "--generate-code=false", "--protect=false");
      assert.equal(await posts(), 0);
      const ids = (await stack.qualifications()).map((r) => r.outputs?.customerId);
      assert.ok(ids.includes(customer(9)) && ids.includes(customer(10)), "both are in the stack");
    });

    it("state per resource is small: no serialized provider; no secret in plain text anywhere", async () => {
      const text = (await stack.run("stack", "export")).stdout;
      const qualifications = await stack.qualifications();
      console.log(
        `      state: ${qualifications.map(recordBytes).join(", ")} bytes per qualification (TypeScript program), ${qualifications.map(pluginRecordBytes).join(", ")} without the SDK's stack trace`,
      );
      for (const size of qualifications.map(pluginRecordBytes)) assert.ok(size <= 1536, `${size} bytes per qualification`);
      assert.ok(!text.includes("__provider"), "no serialized provider");
      assert.ok(!text.includes(token) && !text.includes(code), "no token or code in plain text");
    });

    it("pulumi destroy removes them with a warning each and no request", async () => {
      await emulator.control.clearRequests();
      const run = await stack.run("destroy", "--yes");
      assert.equal((await requests()).length, 0);
      const warnings = run.stdout.slice(run.stdout.indexOf("Diagnostics:")).match(/warning: \w+ stays on customer/g) ?? [];
      assert.equal(warnings.length, 6);
      assert.equal((await stack.qualifications()).length, 0);
    });
  });

  describe("from Pulumi YAML", () => {
    let projectDir: string;
    let stack: ReturnType<typeof stackOf>;

    before(async () => {
      projectDir = await pluginProject(join(work, "yaml"), { "Pulumi.yaml": yamlProgram() });
      stack = await credentialedStack(stackOf(projectDir, "native-yaml"));
    });

    it("pulumi up, a no-op preview with no request, refresh without change, destroy; no secret in plain text", async () => {
      await emulator.control.clearRequests();
      await stack.run("up", "--yes");
      assert.equal(await posts(), 2);
      assert.deepEqual(
        (await emulator.control.customer(customer(6)))?.qualifications.map((q) => q.qualification),
        ["GovernmentCommunityCloud"],
      );
      await assertSteady(stack);
      const text = (await stack.run("stack", "export")).stdout;
      const qualifications = await stack.qualifications();
      console.log(
        `      state: ${qualifications.map(recordBytes).join(" and ")} bytes per qualification (YAML program), ${qualifications.map(pluginRecordBytes).join(" and ")} without the host's stack trace`,
      );
      for (const size of qualifications.map(pluginRecordBytes)) assert.ok(size <= 1536, `${size} bytes per qualification`);
      assert.ok(!text.includes(token) && !text.includes(code));
      await stack.run("destroy", "--yes");
      assert.equal((await stack.qualifications()).length, 0);
      const everything = printed.join("\n");
      assert.ok(!everything.includes(token) && !everything.includes(code), "nothing the CLI printed holds the token or the code");
    });
  });

  describe("from Python, with the SDK generated from the schema", () => {
    let projectDir: string;
    let stack: ReturnType<typeof stackOf>;
    let python: PythonEnvironment;

    before(async () => {
      projectDir = join(work, "python");
      python = preparePython(join(work, "venv"), join(work, "sdk"));
      const pulumiYaml = `name: partnercenter-python\nruntime: python\nplugins:\n  providers:\n    - name: partnercenter\n      path: ${PLUGIN_PATH}\n`;
      await pluginProject(projectDir, { "Pulumi.yaml": pulumiYaml, "__main__.py": pythonProgram() });
      const cli = new PulumiWorkspace({ cliDir: python.binDir, stateDir: join(work, "pulumi-python"), env: { PULUMI_PYTHON_CMD: python.command } });
      stack = await credentialedStack(stackOf(projectDir, "native-python", cli));
    });

    it("pulumi up, a no-op preview with no request, refresh without change, destroy", async () => {
      await emulator.control.clearRequests();
      const up = await stack.run("up", "--yes");
      assert.equal(await posts(), 2);
      assert.match(up.stdout, /schoolVetting\s*:\s*"InReview"/);
      await assertSteady(stack);
      const text = (await stack.run("stack", "export")).stdout;
      assert.ok(!text.includes(token) && !text.includes(code));
      await stack.run("destroy", "--yes");
      assert.equal((await stack.qualifications()).length, 0);
    });
  });

  /**
   * A project of another language: it installs the package only for its plugin (and
   * @pulumi/pulumi, its peer), beside the given files.
   */
  async function pluginProject(dir: string, files: Record<string, string>): Promise<string> {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "plugin-project", private: true }));
    npmInstall(dir, [await packedTarball(), "@pulumi/pulumi@3.276.0"]);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  }

  /** A no-op preview sends no request, and a refresh reports no change. */
  async function assertSteady(stack: ReturnType<typeof stackOf>): Promise<void> {
    await emulator.control.clearRequests();
    await stack.run("preview", "--expect-no-changes");
    assert.equal((await requests()).length, 0);
    const refresh = await stack.run("refresh", "--yes");
    assert.doesNotMatch(refresh.stdout, /\[diff:|updated|replaced|created|deleted/);
  }

  /** A new stack with the emulator's URL and the token as stack config, and the GCC code as a secret. */
  async function credentialedStack(stack: ReturnType<typeof stackOf>): Promise<ReturnType<typeof stackOf>> {
    await stack.init();
    await stack.set("partnercenter:baseUrl", emulator.url);
    await stack.set("partnercenter:accessToken", token, true);
    await stack.set("gccCode", code, true);
    return stack;
  }

  function pythonProgram(): string {
    return `import pulumi
import pulumi_partnercenter as partnercenter

school = partnercenter.CustomerQualification("school", customer_id="${customer(7)}", qualification="Education", education_segment="K12")
agency = partnercenter.CustomerQualification("agency", customer_id="${customer(8)}", qualification="GovernmentCommunityCloud", validation_code=pulumi.Config().require_secret("gccCode"))
pulumi.export("schoolVetting", school.vetting_status)
`;
  }

  function yamlProgram(): string {
    return `name: partnercenter-yaml
runtime: yaml
plugins:
  providers:
    - name: partnercenter
      path: ${PLUGIN_PATH}
config:
  gccCode:
    type: string
    secret: true
resources:
  school:
    type: ${TYPE}
    properties:
      customerId: ${customer(5)}
      qualification: Education
      educationSegment: K12
  agency:
    type: ${TYPE}
    properties:
      customerId: ${customer(6)}
      qualification: GovernmentCommunityCloud
      validationCode: \${gccCode}
outputs:
  schoolVetting: \${school.vettingStatus}
`;
  }
});

/** A Python for Pulumi programs (scripts/ensure-pulumi-python.sh) with the generated SDK installed. */
interface PythonEnvironment {
  /** The CLI's folder, with the Python language host beside it. */
  readonly binDir: string;
  /** The Python the language host runs (PULUMI_PYTHON_CMD). */
  readonly command: string;
}

/** Makes the environment (Debian's Python and packages, the SDK from the Go module) and installs the SDK generated from schema.json. */
function preparePython(venv: string, sdk: string): PythonEnvironment {
  const lines = execFileSync("bash", [join(REPO_ROOT, "scripts", "ensure-pulumi-python.sh"), "--venv", venv], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  })
    .trim()
    .split("\n");
  const value = (key: string): string => (lines.find((l) => l.startsWith(`${key}=`)) ?? "").slice(key.length + 1).replace(/^'|'$/g, "");
  const env = { binDir: value("PULUMI_BIN_DIR"), command: value("PULUMI_PYTHON_CMD") };
  const version = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
  execFileSync(
    "bash",
    [
      join(REPO_ROOT, "scripts", "gen-sdk.sh"),
      "--schema",
      join(REPO_ROOT, "provider", "plugin", "schema.json"),
      "--language",
      "python",
      "--out",
      sdk,
      "--version",
      version,
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  execFileSync(env.command, ["-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", sdk], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  return env;
}
