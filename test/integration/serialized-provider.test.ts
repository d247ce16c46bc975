import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { PROVIDER_LOADER } from "../../provider/resource";
import * as handlers from "../../provider/lifecycle/provider-process";
import { DEVELOPMENT_ACCESS_TOKEN } from "partnercenter-emulator";
import { CUSTOMERS, VALIDATION_CODE, useEmulator } from "../fixtures/emulated-partner-center";

const REPO = join(__dirname, "..", "..");
const run = promisify(execFile);

/** Loads the `__provider` text as Pulumi's dynamic-provider host does and drives it; prints the results as JSON. */
const HOST_SCRIPT = `
const { readFileSync } = require("node:fs");
const requireFromString = require(require.resolve("require-from-string", { paths: [require.resolve("@pulumi/pulumi")] }));
(async () => {
  const provider = requireFromString(readFileSync(process.argv[1], "utf8")).handler();
  const config = JSON.parse(process.env.TEST_STACK_CONFIG);
  await provider.configure({ config: { get: (key) => config[key], require: (key) => config[key] } });
  const news = JSON.parse(process.argv[2]);
  const checked = await provider.check({}, news);
  const created = await provider.create(checked.inputs);
  const read = await provider.read(created.id, created.outs);
  process.stdout.write(JSON.stringify({ checked, created, read }));
})().catch((e) => { process.stderr.write(String(e && e.message)); process.exit(1); });
`;

describe("the provider loader stored in state (__provider)", () => {
  const env = useEmulator();

  it("is a few hundred bytes without code or token, and creates and reads from a separate process", async () => {
    assert.ok(existsSync(join(REPO, "dist", "provider", "lifecycle", "provider-process.js")), "run `npm run build` first (npm test does)");
    // Make a token visible to this process, as it is in a real program, to prove none is captured.
    const token = DEVELOPMENT_ACCESS_TOKEN;
    process.env.PARTNERCENTER_ACCESS_TOKEN = token;
    handlers.configure({ get: (key) => (key === "partnercenter:accessToken" ? token : undefined) });
    try {
      const bytes = Buffer.byteLength(PROVIDER_LOADER);
      assert.ok(bytes <= 256, `the loader is ${bytes} bytes`);
      assert.ok(!PROVIDER_LOADER.includes(token), "the token is not in the loader");
      assert.ok(!PROVIDER_LOADER.includes(VALIDATION_CODE));

      const dir = mkdtempSync(join(tmpdir(), "pc-serialized-"));
      const file = join(dir, "provider.js");
      writeFileSync(file, PROVIDER_LOADER);
      const inputs = { customerId: CUSTOMERS.agency, qualification: "governmentcommunitycloud", validationCode: VALIDATION_CODE };
      const { stdout } = await run(process.execPath, ["-e", HOST_SCRIPT, file, JSON.stringify(inputs)], {
        // The host's working directory is the program's folder; here the repository, which names itself.
        cwd: REPO,
        env: {
          PATH: process.env.PATH ?? "",
          TEST_STACK_CONFIG: JSON.stringify({ "partnercenter:baseUrl": env.emulator.url, "partnercenter:accessToken": token }),
        },
      });
      const result = JSON.parse(stdout) as {
        checked: { failures: unknown[] };
        created: { id: string; outs: Record<string, unknown> };
        read: { id: string; props: Record<string, unknown> };
      };
      assert.deepEqual(result.checked.failures, []);
      assert.equal(result.created.id, `${CUSTOMERS.agency}/GovernmentCommunityCloud`);
      assert.equal(result.created.outs.vettingStatus, "InReview");
      assert.equal(result.read.id, result.created.id);
      assert.equal(result.read.props.vettingStatus, "InReview");
      const posts = (await env.emulator.control.requests()).filter((r) => r.method === "POST");
      assert.equal(posts.length, 1);
    } finally {
      delete process.env.PARTNERCENTER_ACCESS_TOKEN;
      handlers.configure(undefined);
    }
  });
});
