import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const REPO = join(__dirname, "..", "..");
const run = promisify(execFile);

/** Requires the built package as a program does, then prints which of `watched` got loaded, as JSON. */
const LOAD_SCRIPT = `
const before = new Set(Object.keys(require.cache));
const pkg = require(process.argv[1]);
if (process.argv[2] === "with-client") new pkg.PartnerCenterClient("http://127.0.0.1:1", { getToken: async () => null });
const loaded = Object.keys(require.cache).filter((file) => !before.has(file));
const watched = ["axios", "@azure/identity", "@azure/msal-node"];
process.stdout.write(JSON.stringify(watched.filter((name) => loaded.some((file) => file.includes("/node_modules/" + name + "/")))));
`;

async function packagesLoaded(mode: "declare-only" | "with-client"): Promise<string[]> {
  const { stdout } = await run(process.execPath, ["-e", LOAD_SCRIPT, join(REPO, "dist", "provider", "index.js"), mode], { cwd: REPO });
  return JSON.parse(stdout) as string[];
}

describe("what loading the package costs a program", () => {
  it("a program that only declares resources loads neither the HTTP client's axios nor the sign-in libraries", async () => {
    assert.deepEqual(await packagesLoaded("declare-only"), []);
  });

  it("axios is loaded once a client is made", async () => {
    assert.deepEqual(await packagesLoaded("with-client"), ["axios"]);
  });
});
