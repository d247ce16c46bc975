import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { EmulatorControl, EmulatorControlError, startEmulator, type ChaosKind, type ChaosOptions, type LoggedRequest, type RunningEmulator } from "../index";
import { seededRandom } from "../chaos";
import { firstLines, itRefuses, listeningUrl, spawnCli, terminate } from "./cli-harness";
import { EMPTY_CUSTOMER, GCC_CUSTOMER, callApi, postQualification, qualificationsPath, storedQualifications, useEmulator } from "./emulator-harness";

const education = { qualification: "Education", educationSegment: "K12" };

/** What the log says happened to a request: its status, and the fault it met, if any. */
function outcomeOf(entry: LoggedRequest): string {
  return entry.fault === undefined ? String(entry.status) : `${entry.status}/${entry.fault}${entry.chaos === true ? "/chaos" : ""}`;
}

/** Sends `count` GETs one after the other; a dropped one is a rejected fetch, not a test failure. */
async function sequentialGets(emulator: RunningEmulator, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    await callApi(emulator, "GET", qualificationsPath(GCC_CUSTOMER)).catch(() => undefined);
  }
}

/** The faults the seeded sequence predicts for `count` requests: three numbers per request, the first deciding. */
function predictedKinds(seed: number, rate: number, kinds: readonly ChaosKind[], count: number): Map<ChaosKind, number> {
  const random = seededRandom(seed);
  const counts = new Map<ChaosKind, number>();
  for (let i = 0; i < count; i += 1) {
    const [hit, pick] = [random(), random(), random()];
    if (hit >= rate) continue;
    const kind = kinds[Math.floor(pick * kinds.length)] as ChaosKind;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return counts;
}

/** The log's chaos faults, counted by the kind of random fault they stand for. */
function loggedKinds(log: readonly LoggedRequest[]): Map<ChaosKind, number> {
  const counts = new Map<ChaosKind, number>();
  for (const entry of log.filter((e) => e.chaos === true)) {
    const kind: ChaosKind =
      entry.fault === "drop"
        ? "drop"
        : entry.fault === "delay"
          ? "slow"
          : entry.fault === "lostResponse"
            ? "lostResponse"
            : entry.status === 429
              ? "429"
              : "503";
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return counts;
}

function rejectsWith(message: RegExp): (error: unknown) => boolean {
  return (error: unknown) => error instanceof EmulatorControlError && error.status === 400 && message.test(error.message);
}

describe("emulator: random faults (chaos)", () => {
  const env = useEmulator();

  it("with a fixed seed, meets the faults the seed predicts, the same ones on every run", async () => {
    const chaos = { rate: 0.2, seed: 4711, kinds: ["429", "503", "drop"] as ChaosKind[] };
    const runs: string[][] = [];
    for (let run = 0; run < 2; run += 1) {
      await env.emulator.control.reset();
      await env.emulator.control.setChaos(chaos);
      await sequentialGets(env.emulator, 300);
      runs.push((await env.emulator.control.requests()).map(outcomeOf));
    }
    const log = await env.emulator.control.requests();

    assert.deepEqual(runs[1], runs[0], "the same seed gives the same faults in the same places");
    assert.deepEqual(loggedKinds(log), predictedKinds(chaos.seed, chaos.rate, chaos.kinds, 300));
    const faulted = log.filter((e) => e.chaos === true).length;
    assert.ok(faulted >= 40 && faulted <= 80, `${faulted} of 300 requests met a fault at rate 0.2`);
    assert.ok(
      log.filter((e) => e.status === 429).every((e) => e.fault === "status"),
      "a 429 is logged with its status",
    );
    assert.ok(
      log.filter((e) => e.fault === "drop").every((e) => e.status === "dropped"),
      "a drop is logged as dropped",
    );
  });

  it("answers 429 with Retry-After 1 and 503 with Partner Center's bodies, and changes nothing", async () => {
    await env.emulator.control.setChaos({ rate: 1, seed: 1, kinds: ["429"] });
    const throttled = await postQualification(env.emulator, EMPTY_CUSTOMER, education);
    await env.emulator.control.setChaos({ rate: 1, seed: 1, kinds: ["503"] });
    const unavailable = await postQualification(env.emulator, EMPTY_CUSTOMER, education);

    assert.deepEqual([throttled.status, throttled.headers.get("retry-after")], [429, "1"]);
    assert.deepEqual(throttled.body, { statusCode: 429, message: "Rate limit is exceeded. Try again in 1 seconds." });
    assert.equal(unavailable.status, 503);
    assert.deepEqual(await storedQualifications(env.emulator, EMPTY_CUSTOMER), []);
    assert.deepEqual((await env.emulator.control.requests()).map(outcomeOf), ["429/status/chaos", "503/status/chaos"]);
  });

  it("drop: resets the connection, stores nothing, and logs the request as dropped", async () => {
    await env.emulator.control.setChaos({ rate: 1, seed: 2, kinds: ["drop"] });

    await assert.rejects(postQualification(env.emulator, EMPTY_CUSTOMER, education), TypeError);

    assert.deepEqual(await storedQualifications(env.emulator, EMPTY_CUSTOMER), []);
    assert.deepEqual((await env.emulator.control.requests()).map(outcomeOf), ["dropped/drop/chaos"]);
  });

  it("lostResponse: the POST takes effect, its answer is lost, and a retry with the same MS-RequestId gets it replayed", async () => {
    await env.emulator.control.setChaos({ rate: 1, seed: 3, kinds: ["lostResponse"] });
    const requestId = randomUUID();

    await assert.rejects(postQualification(env.emulator, EMPTY_CUSTOMER, education, { requestId }), TypeError);
    const stored = await storedQualifications(env.emulator, EMPTY_CUSTOMER);
    await env.emulator.control.setChaos(undefined);
    const retry = await postQualification(env.emulator, EMPTY_CUSTOMER, education, { requestId });

    assert.equal(stored.length, 1, "the write happened");
    assert.equal(retry.status, 201);
    assert.deepEqual(retry.body, stored[0]);
    const log = await env.emulator.control.requests();
    assert.deepEqual(
      log.map((e) => [e.status, e.fault, e.chaos, e.replayed]),
      [
        [201, "lostResponse", true, undefined],
        [201, undefined, undefined, true],
      ],
    );
  });

  it("lostResponse hits POSTs only: a GET drawn for it passes unharmed", async () => {
    await env.emulator.control.setChaos({ rate: 1, seed: 4, kinds: ["lostResponse"] });

    const response = await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER));

    assert.equal(response.status, 200);
    assert.deepEqual((await env.emulator.control.requests()).map(outcomeOf), ["200"]);
  });

  it("slow: answers normally, late, and logs the delay", async function () {
    this.timeout(10_000);
    await env.emulator.control.setChaos({ rate: 1, seed: 5, kinds: ["slow"] });

    const response = await postQualification(env.emulator, EMPTY_CUSTOMER, education);

    assert.equal(response.status, 201);
    assert.equal((await storedQualifications(env.emulator, EMPTY_CUSTOMER)).length, 1);
    assert.deepEqual((await env.emulator.control.requests()).map(outcomeOf), ["201/delay/chaos"]);
  });

  it("serves an injected fault first; chaos only draws for requests no injected fault matched", async () => {
    await env.emulator.control.setChaos({ rate: 1, seed: 6, kinds: ["429"] });
    await env.emulator.control.injectFault({ kind: "status", status: 500 });

    await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER));
    await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER));

    assert.deepEqual((await env.emulator.control.requests()).map(outcomeOf), ["500/status", "429/status/chaos"]);
  });

  it("off (the default, after setChaos(undefined), or at rate 0) means no fault at all", async () => {
    await sequentialGets(env.emulator, 50);
    await env.emulator.control.setChaos({ rate: 0.5, seed: 7 });
    await env.emulator.control.setChaos(undefined);
    await sequentialGets(env.emulator, 50);
    await env.emulator.control.setChaos({ rate: 0, seed: 8 });
    await sequentialGets(env.emulator, 50);
    const log = await env.emulator.control.requests();

    assert.equal(log.length, 150);
    assert.ok(log.every((e) => e.status === 200 && e.fault === undefined && e.chaos === undefined));
  });

  it("round-trips through the control API: a chosen seed is reported, all kinds by default, reset turns it off", async () => {
    const before = await env.emulator.control.chaos();
    const set = await env.emulator.control.setChaos({ rate: 0.25 });
    const read = await env.emulator.control.chaos();
    await env.emulator.control.reset();

    assert.equal(before, undefined);
    assert.deepEqual(read, set);
    assert.equal(set?.rate, 0.25);
    assert.ok(Number.isInteger(set?.seed), "a seed was chosen");
    assert.deepEqual(set?.kinds, ["429", "503", "drop", "slow", "lostResponse"]);
    assert.equal(await env.emulator.control.chaos(), undefined);
  });

  const invalid: { name: string; chaos: unknown; message: RegExp }[] = [
    { name: "a rate above 1", chaos: { rate: 1.5 }, message: /chaos.rate must be a number from 0 to 1/ },
    { name: "no rate", chaos: { seed: 1 }, message: /chaos.rate must be a number from 0 to 1/ },
    { name: "a negative seed", chaos: { rate: 0.1, seed: -1 }, message: /chaos.seed must be an integer from 0 to 4294967295/ },
    { name: "an unknown kind", chaos: { rate: 0.1, kinds: ["boom"] }, message: /chaos.kinds must be a non-empty list of 429, 503, drop, slow, lostResponse/ },
    { name: "no kind", chaos: { rate: 0.1, kinds: [] }, message: /chaos.kinds must be a non-empty list/ },
    { name: "an unknown property", chaos: { rate: 0.1, ratio: 2 }, message: /chaos has unknown property: ratio/ },
  ];
  for (const bad of invalid) {
    it(`refuses ${bad.name} with 400 over the control API and at start`, async () => {
      await assert.rejects(env.emulator.control.setChaos(bad.chaos as ChaosOptions), rejectsWith(bad.message));
      await assert.rejects(startEmulator({ chaos: bad.chaos as ChaosOptions }), new RegExp(`options\\.${bad.message.source}`));
    });
  }
});

describe("emulator: random faults from the start", () => {
  const env = useEmulator({ chaos: { rate: 0.3, seed: 99, kinds: ["503"] } });

  it("uses the startup chaos, and reset restores it with its sequence restarted", async () => {
    await sequentialGets(env.emulator, 40);
    const first = (await env.emulator.control.requests()).map(outcomeOf);
    await env.emulator.control.setChaos(undefined);
    await env.emulator.control.reset();
    await sequentialGets(env.emulator, 40);
    const second = (await env.emulator.control.requests()).map(outcomeOf);

    assert.deepEqual(await env.emulator.control.chaos(), { rate: 0.3, seed: 99, kinds: ["503"] });
    assert.deepEqual(second, first);
    assert.equal(first.filter((o) => o === "503/status/chaos").length, predictedKinds(99, 0.3, ["503"], 40).get("503"));
  });
});

describe("emulator: random faults from the CLI", function () {
  // Each test starts a fresh Node process running the built CLI (`npm run build` first).
  this.timeout(30_000);

  it("starts with --chaos, --chaos-seed and --chaos-kinds, and prints them", async () => {
    const child = spawnCli(["--port", "0", "--chaos", "0.2", "--chaos-seed", "7", "--chaos-kinds", "429,drop"]);
    try {
      const [listening, , chaos] = await firstLines(child, 3);

      assert.deepEqual(await new EmulatorControl(listeningUrl(listening)).chaos(), { rate: 0.2, seed: 7, kinds: ["429", "drop"] });
      assert.equal(chaos, "Random faults (429, drop) on 20% of API requests, seed 7");
    } finally {
      assert.deepEqual(await terminate(child), [0, null]);
    }
  });

  itRefuses([
    { name: "a rate above 1", args: ["--chaos", "2"], message: /flag --chaos must be a number from 0 to 1, got '2'/ },
    { name: "a rate that is no number", args: ["--chaos=often"], message: /flag --chaos must be a number from 0 to 1, got 'often'/ },
    {
      name: "an unknown kind",
      args: ["--chaos", "0.1", "--chaos-kinds", "429,boom"],
      message: /flag --chaos-kinds takes 429, 503, drop, slow, lostResponse; got 'boom'/,
    },
    { name: "a seed without a rate", args: ["--chaos-seed", "3"], message: /flag --chaos-seed needs --chaos <rate>/ },
  ]);
});
