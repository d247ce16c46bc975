import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { EmulatorControlError, startEmulator, type EmulatorOptions, type RateLimit } from "../index";
import { ServiceConditions } from "../service-conditions";
import {
  EMPTY_CUSTOMER,
  GCC_CUSTOMER,
  callApi,
  postQualification,
  qualificationsPath,
  storedQualifications,
  useEmulator,
  type ApiResponse,
} from "./emulator-harness";
import { customersPath } from "./customer-list-harness";

const THROTTLED_BODY = (seconds: number): unknown => ({ statusCode: 429, message: `Rate limit is exceeded. Try again in ${seconds} seconds.` });

function rejectsWith(status: number, message: RegExp): (error: unknown) => boolean {
  return (error: unknown) => error instanceof EmulatorControlError && error.status === status && message.test(error.message);
}

describe("emulator: latency", () => {
  const env = useEmulator({ latencyMs: 250 });

  it("round-trips through the control API, and reset restores the startup latency", async () => {
    const startup = await env.emulator.control.latency();
    await env.emulator.control.setLatency(40);
    const changed = await env.emulator.control.latency();
    await env.emulator.control.reset();

    assert.deepEqual([startup, changed, await env.emulator.control.latency()], [250, 40, 250]);
  });

  it("gives a client whose timeout is shorter than the latency no answer, while control calls still answer", async () => {
    await env.emulator.control.setLatency(600_000);

    const attempt = fetch(`${env.emulator.url}${qualificationsPath(GCC_CUSTOMER)}`, { signal: AbortSignal.timeout(200) });

    await assert.rejects(attempt, (error: unknown) => error instanceof DOMException && error.name === "TimeoutError");
    assert.deepEqual(await env.emulator.control.requests(), [], "the request is answered (and logged) only after the latency");
  });

  it("answers normally once the latency has passed", async () => {
    const response = await postQualification(env.emulator, EMPTY_CUSTOMER, { qualification: "StateOwnedEntity" });

    assert.equal(response.status, 201);
    assert.deepEqual(await storedQualifications(env.emulator, EMPTY_CUSTOMER), [{ qualification: "StateOwnedEntity" }]);
  });

  const invalid = [
    { name: "a negative latency", latencyMs: -1 },
    { name: "a fractional latency", latencyMs: 1.5 },
    { name: "a latency beyond ten minutes", latencyMs: 600_001 },
  ];
  for (const bad of invalid) {
    it(`refuses ${bad.name} with 400 over the control API and at start`, async () => {
      await assert.rejects(env.emulator.control.setLatency(bad.latencyMs), rejectsWith(400, /latency.latencyMs must be an integer from 0 to 600000/));
      await assert.rejects(startEmulator({ latencyMs: bad.latencyMs }), /options.latencyMs must be an integer from 0 to 600000/);
    });
  }
});

describe("emulator: rate limit", () => {
  const env = useEmulator();

  function burst(count: number, path = qualificationsPath(GCC_CUSTOMER)): Promise<ApiResponse[]> {
    return Promise.all(Array.from({ length: count }, () => callApi(env.emulator, "GET", path)));
  }

  function statusCounts(responses: ApiResponse[]): Record<number, number> {
    const counts: Record<number, number> = {};
    for (const response of responses) counts[response.status] = (counts[response.status] ?? 0) + 1;
    return counts;
  }

  it("lets 10 of 25 requests fired at once through and answers the other 15 with 429, Retry-After and the throttling body", async () => {
    await env.emulator.control.setRateLimit({ requestsPerSecond: 10 });

    const responses = await burst(25);

    assert.deepEqual(statusCounts(responses), { 200: 10, 429: 15 });
    for (const refused of responses.filter((response) => response.status === 429)) {
      assert.equal(refused.headers.get("retry-after"), "1");
      assert.deepEqual(refused.body, THROTTLED_BODY(1));
    }
    const log = await env.emulator.control.requests();
    assert.deepEqual([log.length, log.filter((entry) => entry.status === 429).length], [25, 15]);
  });

  it("lets requests through again after waiting Retry-After", async () => {
    await env.emulator.control.setRateLimit({ requestsPerSecond: 10 });
    const first = await burst(11);
    const retryAfter = Number(first.find((response) => response.status === 429)?.headers.get("retry-after"));

    await sleep(retryAfter * 1000);
    const second = await burst(11);

    assert.deepEqual(
      [statusCounts(first), statusCounts(second)],
      [
        { 200: 10, 429: 1 },
        { 200: 10, 429: 1 },
      ],
    );
  });

  it("counts all API routes of the partner together", async () => {
    await env.emulator.control.setRateLimit({ requestsPerSecond: 2 });

    const statuses = [];
    for (const path of [customersPath({ size: "10" }), qualificationsPath(GCC_CUSTOMER), "/v1/customers/all/validations"]) {
      statuses.push((await callApi(env.emulator, "GET", path)).status);
    }

    assert.deepEqual(statuses, [200, 200, 429]);
  });

  it("changes nothing for a throttled POST", async () => {
    await env.emulator.control.setRateLimit({ requestsPerSecond: 1 });
    await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER));

    const refused = await postQualification(env.emulator, EMPTY_CUSTOMER, { qualification: "StateOwnedEntity" });

    assert.equal(refused.status, 429);
    assert.deepEqual(await storedQualifications(env.emulator, EMPTY_CUSTOMER), []);
  });

  it("sends a fixed Retry-After when retryAfterSeconds is given", async () => {
    await env.emulator.control.setRateLimit({ requestsPerSecond: 1, retryAfterSeconds: 7 });

    const [, refused] = await burst(2);

    assert.equal(refused?.headers.get("retry-after"), "7");
    assert.deepEqual(refused?.body, THROTTLED_BODY(7));
  });

  it("round-trips through the control API and is lifted with setRateLimit(undefined)", async () => {
    await env.emulator.control.setRateLimit({ requestsPerSecond: 3, retryAfterSeconds: 2 });
    const set = await env.emulator.control.rateLimit();
    await env.emulator.control.setRateLimit(undefined);

    assert.deepEqual(set, { requestsPerSecond: 3, retryAfterSeconds: 2 });
    assert.equal(await env.emulator.control.rateLimit(), undefined);
    assert.deepEqual(statusCounts(await burst(25)), { 200: 25 });
  });

  it("is lifted by reset when the emulator started without one", async () => {
    await env.emulator.control.setRateLimit({ requestsPerSecond: 1 });
    await env.emulator.control.reset();

    assert.equal(await env.emulator.control.rateLimit(), undefined);
  });

  const invalid: { name: string; limit: unknown; message: RegExp }[] = [
    { name: "requestsPerSecond 0", limit: { requestsPerSecond: 0 }, message: /requestsPerSecond must be an integer >= 1/ },
    { name: "no limit", limit: {}, message: /needs one of requestsPerSecond, or requestsPerWindow with windowSeconds/ },
    {
      name: "both kinds of limit",
      limit: { requestsPerSecond: 1, requestsPerWindow: 1, windowSeconds: 60 },
      message: /needs one of requestsPerSecond, or requestsPerWindow with windowSeconds/,
    },
    {
      name: "windowSeconds with requestsPerSecond",
      limit: { requestsPerSecond: 1, windowSeconds: 60 },
      message: /windowSeconds goes with requestsPerWindow, not requestsPerSecond/,
    },
    { name: "requestsPerWindow without windowSeconds", limit: { requestsPerWindow: 500 }, message: /windowSeconds is required/ },
    { name: "a window of 0 seconds", limit: { requestsPerWindow: 500, windowSeconds: 0 }, message: /windowSeconds must be an integer from 1 to 3600/ },
    {
      name: "a window longer than an hour",
      limit: { requestsPerWindow: 500, windowSeconds: 3601 },
      message: /windowSeconds must be an integer from 1 to 3600/,
    },
    { name: "requestsPerWindow 0", limit: { requestsPerWindow: 0, windowSeconds: 60 }, message: /requestsPerWindow must be an integer >= 1/ },
    { name: "a fractional requestsPerSecond", limit: { requestsPerSecond: 2.5 }, message: /requestsPerSecond must be an integer >= 0/ },
    { name: "a negative retryAfterSeconds", limit: { requestsPerSecond: 1, retryAfterSeconds: -1 }, message: /retryAfterSeconds must be an integer >= 0/ },
    { name: "an unknown property", limit: { requestsPerMinute: 500 }, message: /unknown property: requestsPerMinute/ },
  ];
  for (const bad of invalid) {
    it(`refuses ${bad.name} with 400 over the control API and at start`, async () => {
      await assert.rejects(env.emulator.control.setRateLimit(bad.limit as RateLimit), rejectsWith(400, bad.message));
      await assert.rejects(startEmulator({ rateLimit: bad.limit } as EmulatorOptions), bad.message);
    });
  }
});

describe("emulator: rate limit from the start options", () => {
  const env = useEmulator({ rateLimit: { requestsPerSecond: 2 } });

  it("throttles from the first request and is restored by reset after a change", async () => {
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt += 1) statuses.push((await callApi(env.emulator, "GET", qualificationsPath(GCC_CUSTOMER))).status);
    await env.emulator.control.setRateLimit(undefined);
    await env.emulator.control.reset();

    assert.deepEqual(statuses, [200, 200, 429]);
    assert.deepEqual(await env.emulator.control.rateLimit(), { requestsPerSecond: 2 });
  });
});

describe("emulator: the rate limiter's sliding window", () => {
  function limiter(limit: number | RateLimit): { conditions: ServiceConditions; at(ms: number): void } {
    let now = 0;
    const rateLimit = typeof limit === "number" ? { requestsPerSecond: limit } : limit;
    const conditions = new ServiceConditions({ latencyMs: 0, rateLimit }, () => now);
    return { conditions, at: (ms: number) => (now = ms) };
  }

  function admitted(conditions: ServiceConditions, count: number): boolean[] {
    return Array.from({ length: count }, () => conditions.admit().admitted);
  }

  it("frees each place one second after the request that took it", () => {
    const { conditions, at } = limiter(2);
    at(0);
    const atStart = admitted(conditions, 1);
    at(600);
    const later = admitted(conditions, 2);
    at(1000);
    const oneFreed = admitted(conditions, 2);
    at(1600);
    const secondFreed = admitted(conditions, 1);

    assert.deepEqual([atStart, later, oneFreed, secondFreed], [[true], [true, false], [true, false], [true]]);
  });

  it("does not let refused requests take places in the window", () => {
    const { conditions, at } = limiter(2);
    at(0);
    admitted(conditions, 2);
    at(500);
    const refused = admitted(conditions, 5);
    at(1000);

    assert.deepEqual([refused, admitted(conditions, 3)], [Array(5).fill(false), [true, true, false]]);
  });

  it("asks to retry after the window frees up, rounded up to whole seconds", () => {
    const { conditions, at } = limiter(1);
    at(0);
    conditions.admit();
    const verdicts = [1, 500, 990].map((ms) => {
      at(ms);
      return conditions.admit();
    });

    assert.deepEqual(verdicts, Array(3).fill({ admitted: false, retryAfterSeconds: 1 }));
  });

  it("a limit per window of several seconds (Partner Center publishes 500 per minute) frees each place a window after it was taken, and says so in Retry-After", () => {
    const { conditions, at } = limiter({ requestsPerWindow: 3, windowSeconds: 60 });
    at(0);
    const atStart = admitted(conditions, 3);
    at(1_000);
    const full = conditions.admit();
    at(30_500);
    const halfway = conditions.admit();
    at(60_000);
    const freed = admitted(conditions, 4);

    assert.deepEqual(
      [atStart, full, halfway, freed],
      [[true, true, true], { admitted: false, retryAfterSeconds: 59 }, { admitted: false, retryAfterSeconds: 30 }, [true, true, true, false]],
    );
  });

  it("asks for retryAfterSeconds instead when the limit fixes it", () => {
    let now = 0;
    const conditions = new ServiceConditions({ latencyMs: 0, rateLimit: { requestsPerSecond: 1, retryAfterSeconds: 30 } }, () => now);
    conditions.admit();
    now = 10;

    assert.deepEqual(conditions.admit(), { admitted: false, retryAfterSeconds: 30 });
  });
});
