import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEVELOPMENT_ACCESS_TOKEN, EmulatorControl } from "../index";
import { firstLines, itRefuses, listeningUrl, runToExit, spawnCli, terminate } from "./cli-harness";
import { EMPTY_CUSTOMER, qualificationsPath, useTemporaryDirectory } from "./emulator-harness";

describe("emulator: CLI", function () {
  // Each test starts a fresh Node process running the built CLI.
  this.timeout(30_000);
  const directory = useTemporaryDirectory("partnercenter-emulator-cli-");

  it("listens on the printed URL, tells how to authenticate, serves the seed and exits 0 on SIGTERM", async () => {
    const seedFile = join(directory.path, "seed.json");
    writeFileSync(seedFile, JSON.stringify({ customers: [{ id: EMPTY_CUSTOMER, qualifications: [{ qualification: "StateOwnedEntity" }] }] }));
    const child = spawnCli(["--port", "0", "--seed", seedFile]);
    try {
      const [listening, authentication] = await firstLines(child, 2);
      const url = /^Partner Center emulator listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(listening ?? "");
      assert.ok(url, `unexpected first line: ${listening}`);
      assert.notEqual(Number(url[2]), 0);
      assert.match(authentication ?? "", new RegExp(`PARTNERCENTER_ACCESS_TOKEN=${DEVELOPMENT_ACCESS_TOKEN}`));

      const response = await fetch(`${url[1]}${qualificationsPath(EMPTY_CUSTOMER)}`, { headers: { authorization: `Bearer ${DEVELOPMENT_ACCESS_TOKEN}` } });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), [{ qualification: "StateOwnedEntity" }]);
    } finally {
      assert.deepEqual(await terminate(child), [0, null]);
    }
  });

  const rateLimitFlags = [
    { flag: "--rate-limit=7", latencyMs: 25, limit: { requestsPerSecond: 7 } },
    { flag: "--rate-limit=500/60", latencyMs: 0, limit: { requestsPerWindow: 500, windowSeconds: 60 } },
  ];
  for (const { flag, latencyMs, limit } of rateLimitFlags) {
    it(`starts with the latency and rate limit of --latency-ms ${latencyMs} and ${flag}`, async () => {
      const child = spawnCli(["--port", "0", "--latency-ms", String(latencyMs), flag]);
      try {
        const [listening] = await firstLines(child, 2);
        const control = new EmulatorControl(listeningUrl(listening));

        assert.deepEqual([await control.latency(), await control.rateLimit()], [latencyMs, limit]);
      } finally {
        assert.deepEqual(await terminate(child), [0, null]);
      }
    });
  }

  it("prints usage and exits 0 on --help", async () => {
    const finished = await runToExit(["--help"]);

    assert.equal(finished.code, 0);
    assert.match(finished.stdout, /^Usage: partnercenter-emulator/);
  });

  itRefuses([
    { name: "an unknown flag", args: ["--bogus"], message: /unknown flag --bogus/ },
    { name: "a port that is not a number", args: ["--port", "http"], message: /flag --port must be an integer/ },
    { name: "a port out of range", args: ["--port=70000"], message: /flag --port must be an integer/ },
    { name: "a flag without its value", args: ["--port"], message: /flag --port needs a value/ },
    { name: "a negative latency", args: ["--latency-ms=-5"], message: /flag --latency-ms must be an integer from 0 to 600000, got '-5'/ },
    {
      name: "a value that starts with a dash, written apart from its flag",
      args: ["--latency-ms", "-5"],
      message: /flag --latency-ms needs a value; write --latency-ms=<value> for one that starts with '-'/,
    },
    { name: "a flag given twice", args: ["--port", "1", "--port", "2"], message: /flag --port is given more than once/ },
    { name: "an empty value", args: ["--host="], message: /flag --host needs a value/ },
    { name: "a value for a flag that takes none", args: ["--identity=yes"], message: /flag --identity takes no value/ },
    { name: "a value without a flag", args: ["8443"], message: /unexpected argument '8443'/ },
    { name: "a latency that is no number", args: ["--latency-ms=fast"], message: /flag --latency-ms must be an integer from 0 to 600000, got 'fast'/ },
    { name: "a rate limit of 0", args: ["--rate-limit", "0"], message: /flag --rate-limit must be an integer >= 1, got '0'/ },
    {
      name: "a rate-limit window of 0 seconds",
      args: ["--rate-limit", "500/0"],
      message: /flag --rate-limit must be <requests> or <requests>\/<seconds>, integers >= 1 \(seconds at most 3600\), got '500\/0'/,
    },
    {
      name: "a rate-limit window that is no number",
      args: ["--rate-limit=500/minute"],
      message: /flag --rate-limit must be <requests> or <requests>\/<seconds>.*got '500\/minute'/,
    },
    { name: "a missing seed file", args: ["--seed", "/nonexistent/seed.json"], message: /flag --seed: cannot read \/nonexistent\/seed.json/ },
  ]);

  it("exits 2 naming --seed for a seed file that is not a valid seed", async () => {
    const seedFile = join(directory.path, "seed.json");
    writeFileSync(seedFile, JSON.stringify({ customers: [{ id: "not-a-guid" }] }));

    const finished = await runToExit(["--port", "0", "--seed", seedFile]);

    assert.equal(finished.code, 2);
    assert.match(finished.stderr, /flag --seed: .* is not a valid seed: seed.customers\[0\].id must be a tenant GUID/);
  });
});
