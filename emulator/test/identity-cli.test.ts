import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { get } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { firstLines, itRefuses, runToExit, spawnCli, terminate } from "./cli-harness";
import { useTemporaryDirectory } from "./emulator-harness";

/** GETs an HTTPS URL trusting only `ca`; resolves with the status. */
function httpsStatus(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { ca }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).once("error", reject);
  });
}

const FIXTURE_CA = join("test", "fixtures", "tls", "test-ca.pem");
const FIXTURE_KEY = join("test", "fixtures", "tls", "test-ca-key.pem");

/** The identity lines the CLI prints after its first two. */
function parseIdentityLines(lines: string[]): { authorityHost: string; caPath: string } {
  const listening = /^Identity endpoint \(Entra ID emulation\) listening on (https:\/\/127\.0\.0\.1:\d+)$/.exec(lines[2] ?? "");
  const exported = /^export NODE_EXTRA_CA_CERTS=(.+)$/.exec(lines[4] ?? "");
  assert.ok(listening, `unexpected third line: ${lines[2]}`);
  assert.ok(exported, `unexpected fifth line: ${lines[4]}`);
  assert.match(lines[3] ?? "", new RegExp(`signed by the CA in ${exported[1]?.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  return { authorityHost: listening[1] ?? "", caPath: exported[1] ?? "" };
}

describe("emulator identity: CLI", function () {
  // Each test starts a fresh Node process.
  this.timeout(30_000);
  const directory = useTemporaryDirectory("partnercenter-emulator-identity-cli-");

  it("with --identity, prints the authority host, writes the CA where --ca-cert-out says, and hints NODE_EXTRA_CA_CERTS", async () => {
    const caPath = join(directory.path, "ca.pem");
    const child = spawnCli(["--port", "0", "--identity", "--identity-port", "0", "--ca-cert-out", caPath]);
    try {
      const identity = parseIdentityLines(await firstLines(child, 5));
      const ca = readFileSync(caPath, "utf8");

      assert.equal(identity.caPath, caPath);
      assert.match(ca, /^-----BEGIN CERTIFICATE-----/);
      assert.equal(await httpsStatus(`${identity.authorityHost}/common/v2.0/.well-known/openid-configuration`, ca), 200);
    } finally {
      assert.deepEqual(await terminate(child), [0, null]);
    }
    assert.ok(existsSync(caPath), "a CA file the user named stays");
  });

  it("signs with a given CA, whose file is then the one to trust", async () => {
    const child = spawnCli(["--port", "0", "--identity-ca-cert", FIXTURE_CA, "--identity-ca-key", FIXTURE_KEY]);
    try {
      const identity = parseIdentityLines(await firstLines(child, 5));

      assert.equal(identity.caPath, join(process.cwd(), FIXTURE_CA));
      // This process trusts the fixture CA through NODE_EXTRA_CA_CERTS.
      assert.equal((await fetch(`${identity.authorityHost}/common/v2.0/.well-known/openid-configuration`)).status, 200);
    } finally {
      assert.deepEqual(await terminate(child), [0, null]);
    }
  });

  it("writes the CA to the temp directory by default and removes it at exit", async () => {
    const child = spawnCli(["--port", "0", "--identity"]);
    let caPath = "";
    try {
      const identity = parseIdentityLines(await firstLines(child, 5));
      caPath = identity.caPath;
      assert.equal(caPath, join(tmpdir(), `partnercenter-emulator-ca-${new URL(identity.authorityHost).port}.pem`));
      assert.ok(existsSync(caPath));
    } finally {
      assert.deepEqual(await terminate(child), [0, null]);
    }
    assert.equal(existsSync(caPath), false);
  });

  itRefuses([
    {
      name: "a CA certificate without its key",
      args: ["--identity-ca-cert", FIXTURE_CA],
      message: /flags --identity-ca-cert and --identity-ca-key go together/,
    },
    { name: "an identity port out of range", args: ["--identity-port", "70000"], message: /flag --identity-port must be an integer from 0 to 65535/ },
    {
      name: "a missing CA file",
      args: ["--identity-ca-cert", "/nonexistent/ca.pem", "--identity-ca-key", FIXTURE_KEY],
      message: /flag --identity-ca-cert: cannot read \/nonexistent\/ca.pem/,
    },
  ]);

  it("exits 1 when the given CA cannot sign (the key file holds no key)", async () => {
    const finished = await runToExit(["--port", "0", "--identity-ca-cert", FIXTURE_CA, "--identity-ca-key", FIXTURE_CA]);

    assert.equal(finished.code, 1);
    assert.match(finished.stderr, /options\.identity\.tls: the CA private key is not a PEM private key/);
  });
});
