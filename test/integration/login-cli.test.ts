import { strict as assert } from "node:assert";
import { runBuiltCommand, type Finished } from "../fixtures/built-command";
import { join } from "node:path";
import { CUSTOMERS, recordingLog } from "../fixtures/emulated-partner-center";
import { PARTNER, apiFor, identityOf, useIdentityEmulator } from "../fixtures/emulated-identity";

const LOGIN = join(__dirname, "..", "..", "dist", "provider", "auth", "login-cli.js");

/** Runs partnercenter-login; `onLine` sees each stderr line as it comes. */
function runLogin(args: string[], onLine: (line: string) => void): Promise<Finished> {
  return runBuiltCommand(LOGIN, args, { onStderrLine: onLine });
}

describe("partnercenter-login (device code consent through real MSAL)", function () {
  this.timeout(60_000);
  const env = useIdentityEmulator();

  it("prints the refresh token once on stdout, and that token works in refreshToken mode", async () => {
    const identity = identityOf(env.emulator);
    const approvals: Promise<void>[] = [];
    const result = await runLogin(["--tenant", PARTNER.tenantId, "--client-id", PARTNER.clientId, "--authority-host", identity.authorityHost], (line) => {
      const code = /enter the code (\S+)/.exec(line)?.[1];
      if (code !== undefined) approvals.push(identity.control.approveDeviceCode(code, { mfa: true }));
    });
    await Promise.all(approvals);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(approvals.length, 1, "the person was shown one code");
    const lines = result.stdout.trim().split("\n");
    assert.equal(lines.length, 1, "stdout holds the refresh token and nothing else");
    const refreshToken = lines[0] ?? "";
    assert.ok(refreshToken.length >= 20);
    assert.ok(!result.stderr.includes(refreshToken), "the token is not repeated on stderr");
    assert.match(result.stderr, /store it as a secret now/);

    const api = apiFor(
      {
        baseUrl: env.emulator.url,
        authorityHost: identity.authorityHost,
        tenantId: PARTNER.tenantId,
        clientId: PARTNER.clientId,
        clientSecret: PARTNER.clientSecret,
        refreshToken,
      },
      recordingLog(),
    );
    const created = await api.createQualification(CUSTOMERS.utility, { qualification: "StateOwnedEntity" });
    assert.equal(created.qualification, "StateOwnedEntity");
    const issued = (await identity.control.tokenRequests()).filter((r) => r.outcome === "issued").map((r) => r.grantType);
    assert.deepEqual(issued, ["device_code", "refresh_token"], "one sign-in, then one exchange of its refresh token");
  });

  const usage: ReadonlyArray<{ args: string[]; says: RegExp }> = [
    { args: [], says: /--tenant is required/ },
    { args: ["--tenant", "t"], says: /--client-id is required/ },
    { args: ["--tenant", "t", "--client-id", "c", "--cloud", "mars"], says: /--cloud must be one of public, usGovernment, china/ },
    { args: ["--tenant", "t", "--client-id", "c", "--authority-host", "http://insecure"], says: /--authority-host must be an https URL/ },
    { args: ["--tenant"], says: /--tenant needs a value/ },
    {
      args: ["--bogus"],
      says: /^partnercenter-login: unknown option --bogus; the options are --tenant, --client-id, --cloud, --authority-host, --scope, --help \(see --help\)\n$/,
    },
  ];
  for (const u of usage) {
    it(`exits 2 with one line for ${JSON.stringify(u.args)}`, async () => {
      const result = await runLogin(u.args, () => undefined);
      assert.equal(result.code, 2);
      assert.match(result.stderr, u.says);
      assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
      assert.equal(result.stdout, "");
    });
  }
});
