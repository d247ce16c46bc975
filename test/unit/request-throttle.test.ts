import { strict as assert } from "node:assert";
import { RequestThrottle, ThrottleDeadlineError } from "../../provider/client/request-throttle";

/** A clock that moves only when the throttle sleeps; each sleep ends `lateInMs` late, as timers do. */
function fakeClock(lateInMs = 0): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let time = 1_000_000;
  const slept: number[] = [];
  return {
    now: () => time,
    sleep: async (ms) => {
      slept.push(ms);
      time += ms + lateInMs;
    },
    slept,
  };
}

/** The spacing learned from `admitted` requests in a second, rounded, as the throttle keeps a margin of 3%. */
const spacingFor = (admitted: number): number => Math.round(1000 / (admitted * 0.97));

describe("the request throttle", () => {
  it("lets at most maxConcurrentRequests requests be in flight; a released slot goes to the next caller", async () => {
    const throttle = new RequestThrottle({ maxConcurrentRequests: 2, ...fakeClock() });
    const first = await throttle.acquire(Infinity);
    await throttle.acquire(Infinity);
    let thirdStarted = false;
    const third = throttle.acquire(Infinity).then(() => (thirdStarted = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(thirdStarted, false, "the third waits");
    first();
    await third;
    assert.equal(thirdStarted, true);
  });

  it("a 429 pauses every caller until its Retry-After has passed", async () => {
    const clock = fakeClock();
    const throttle = new RequestThrottle({ maxConcurrentRequests: 8, ...clock });
    const pausedAt = clock.now();
    throttle.recordThrottled(2_000);
    for (let i = 0; i < 3; i++) (await throttle.acquire(Infinity))();
    assert.ok(clock.now() >= pausedAt + 2_000, `the callers started after the pause (${clock.now() - pausedAt} ms)`);
  });

  it("after a 429, starts are spaced at the rate the service allowed in the second before it", async () => {
    const clock = fakeClock();
    const throttle = new RequestThrottle({ maxConcurrentRequests: 8, ...clock });
    for (let i = 0; i < 10; i++) throttle.recordAdmitted();
    throttle.recordThrottled(1_000);
    assert.equal(Math.round(throttle.spacingInMs), spacingFor(10));
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) {
      (await throttle.acquire(Infinity))();
      starts.push(clock.now());
    }
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] ?? 0));
    assert.ok(
      gaps.every((gap) => gap >= throttle.spacingInMs - 1),
      `gaps ${gaps.join(", ")}`,
    );
  });

  const lateWakeCases = [
    {
      lateInMs: 2,
      why: "a timer a little late: later turns keep to their times, so the rate kept is the rate learned",
      span: (spacing: number) => [10 * spacing, 10 * spacing + 2],
    },
    {
      lateInMs: 300,
      why: "a long stall: the spacing starts again from then, with no burst to catch up",
      span: (spacing: number) => [10 * (spacing + 300), Infinity],
    },
  ];
  for (const { lateInMs, why, span } of lateWakeCases) {
    it(`turns kept at a learned spacing, each wake-up ${lateInMs} ms late: ${why}`, async () => {
      const clock = fakeClock(lateInMs);
      const throttle = new RequestThrottle({ maxConcurrentRequests: 8, ...clock });
      for (let i = 0; i < 10; i++) throttle.recordAdmitted();
      throttle.recordThrottled(1_000);
      const spacing = throttle.spacingInMs;
      const starts: number[] = [];
      for (let i = 0; i < 11; i++) {
        (await throttle.acquire(Infinity))();
        starts.push(clock.now());
      }
      const [least, most] = span(spacing);
      const took = (starts[10] ?? 0) - (starts[0] ?? 0);
      assert.ok(took >= least - 0.01 && took <= most + 0.01, `11 turns took ${took} ms; spacing ${spacing.toFixed(1)} ms`);
      const gaps = starts.slice(1).map((t, i) => t - (starts[i] ?? 0));
      assert.ok(
        gaps.every((gap) => gap >= spacing - 5),
        `no turn came early: gaps ${gaps.map((g) => g.toFixed(1)).join(", ")}`,
      );
    });
  }

  it("requests still in flight when a 429 comes count once answered: the spacing is taken again when the pause is over", async () => {
    const clock = fakeClock();
    const throttle = new RequestThrottle({ maxConcurrentRequests: 8, ...clock });
    const burstAt = clock.now();
    for (let i = 0; i < 7; i++) throttle.recordAdmitted(burstAt);
    await clock.sleep(60);
    throttle.recordThrottled(1_000, burstAt + 50);
    assert.equal(Math.round(throttle.spacingInMs), spacingFor(7), "from the 7 answered so far");
    // Three sent before the refused one are answered after it.
    for (let i = 0; i < 3; i++) throttle.recordAdmitted(burstAt + 40);
    (await throttle.acquire(Infinity))();
    assert.equal(Math.round(throttle.spacingInMs), spacingFor(10), "from all 10 the service admitted");
  });

  it("requests sent at the same time as the refused one count: they reach the service in any order", async () => {
    const clock = fakeClock();
    const throttle = new RequestThrottle({ maxConcurrentRequests: 8, ...clock });
    const burstAt = clock.now();
    for (let i = 0; i < 8; i++) throttle.recordAdmitted(burstAt);
    await clock.sleep(10);
    // Sent 5 ms after the refused one, answered before its 429 came back.
    for (let i = 0; i < 2; i++) throttle.recordAdmitted(burstAt + 5);
    throttle.recordThrottled(1_000, burstAt);
    assert.equal(Math.round(throttle.spacingInMs), spacingFor(10));
  });

  it("a 429 with no admitted request in the second before it only pauses: there is no rate to learn", () => {
    const throttle = new RequestThrottle({ ...fakeClock() });
    throttle.recordThrottled(1_000);
    assert.equal(throttle.spacingInMs, 0);
  });

  it("a second 429 whose second before reaches into the first one's pause slows down by a twentieth, counting nothing", () => {
    const throttle = new RequestThrottle({ ...fakeClock() });
    for (let i = 0; i < 10; i++) throttle.recordAdmitted();
    throttle.recordThrottled(1_000);
    const first = throttle.spacingInMs;
    throttle.recordThrottled(1_000);
    assert.equal(throttle.spacingInMs.toFixed(3), (first * 1.05).toFixed(3));
  });

  /**
   * Learns a spacing from 10 admitted requests, waits out the pause, then sends at that spacing:
   * `admittedBefore429` requests admitted, then one refused. Returns the spacing kept before the 429.
   */
  async function refusedWhileKeepingTheRate(throttle: RequestThrottle, clock: ReturnType<typeof fakeClock>, admittedBefore429: number): Promise<number> {
    for (let i = 0; i < 10; i++) throttle.recordAdmitted();
    throttle.recordThrottled(1_000);
    await clock.sleep(3_000);
    const kept = throttle.spacingInMs;
    for (let i = 0; i < admittedBefore429; i++) {
      (await throttle.acquire(Infinity))();
      throttle.recordAdmitted(clock.now());
    }
    (await throttle.acquire(Infinity))();
    assert.equal(throttle.spacingInMs, kept, "no 429 yet");
    throttle.recordThrottled(1_000, clock.now());
    return kept;
  }

  const refusedCases = [
    { admitted: 9, expected: "bunched", why: "one fewer than the kept rate sends in a second: a bunched arrival, slower by a twentieth" },
    { admitted: 10, expected: "bunched", why: "as many as the kept rate sends: a bunched arrival, slower by a twentieth" },
    { admitted: 6, expected: "counted", why: "clearly fewer than the kept rate sends: the limit fell or is shared, so the count wins" },
  ] as const;
  for (const { admitted, expected, why } of refusedCases) {
    it(`a 429 while keeping the learned rate, with ${admitted} admitted in the second before it: ${why}`, async () => {
      const clock = fakeClock();
      const throttle = new RequestThrottle({ ...clock });
      const kept = await refusedWhileKeepingTheRate(throttle, clock, admitted);
      const want = expected === "bunched" ? kept * 1.05 : 1000 / (admitted * 0.97);
      assert.equal(throttle.spacingInMs.toFixed(3), want.toFixed(3));
    });
  }

  it("a 429 after a probe learns from the count: the probe found the limit", async () => {
    const clock = fakeClock();
    const throttle = new RequestThrottle({ ...clock });
    for (let i = 0; i < 10; i++) throttle.recordAdmitted();
    throttle.recordThrottled(1_000);
    await clock.sleep(60_000);
    throttle.recordAdmitted();
    const probed = throttle.spacingInMs;
    await clock.sleep(1_000);
    for (let i = 0; i < 10; i++) {
      (await throttle.acquire(Infinity))();
      throttle.recordAdmitted(clock.now());
    }
    assert.equal(throttle.spacingInMs, probed, "no 429 yet");
    (await throttle.acquire(Infinity))();
    throttle.recordThrottled(1_000, clock.now());
    assert.equal(Math.round(throttle.spacingInMs), spacingFor(10));
  });

  const probeCases = [
    { retryAfterInMs: 0, probeAfterInMs: 60_000, why: "a minute at least" },
    { retryAfterInMs: 1_000, probeAfterInMs: 60_000, why: "a short Retry-After: still a minute" },
    { retryAfterInMs: 57_000, probeAfterInMs: 20 * 57_000, why: "a probe costs a pause of every call as long as the Retry-After: twenty of them" },
  ];
  for (const { retryAfterInMs, probeAfterInMs, why } of probeCases) {
    it(`probes for a higher rate after ${probeAfterInMs / 1000} s without a 429 when the Retry-After was ${retryAfterInMs / 1000} s, not before (${why})`, async () => {
      const clock = fakeClock();
      const throttle = new RequestThrottle({ ...clock });
      for (let i = 0; i < 10; i++) throttle.recordAdmitted();
      throttle.recordThrottled(retryAfterInMs);
      const learned = throttle.spacingInMs;
      await clock.sleep(probeAfterInMs - 1_000);
      throttle.recordAdmitted();
      assert.equal(throttle.spacingInMs, learned, "no probe yet");
      await clock.sleep(1_000);
      throttle.recordAdmitted();
      assert.ok(throttle.spacingInMs < learned, `${throttle.spacingInMs} < ${learned}`);
    });
  }

  it("refuses a turn that would come after the caller's deadline, and frees its slot", async () => {
    const clock = fakeClock();
    const throttle = new RequestThrottle({ maxConcurrentRequests: 1, ...clock });
    throttle.recordThrottled(60_000);
    await assert.rejects(throttle.acquire(clock.now() + 10_000), ThrottleDeadlineError);
    assert.deepEqual(clock.slept, [], "it did not wait for a turn it could not use");
    const release = await throttle.acquire(Infinity);
    release();
  });

  it("with a budget, spaces turns to it (2 % below) from the first request on, the first at a random point of one turn", async () => {
    const clock = fakeClock();
    const startedAt = clock.now();
    const throttle = new RequestThrottle({ requestsPerMinute: 120, random: () => 0.5, ...clock });
    const spacing = 60_000 / (120 * 0.98);
    assert.equal(throttle.spacingInMs, spacing);
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) {
      (await throttle.acquire(Infinity))();
      starts.push(clock.now());
    }
    assert.equal(starts[0], startedAt + 0.5 * spacing, "the first turn half a turn in");
    assert.deepEqual(
      starts.slice(1).map((t, i) => Math.round(t - (starts[i] ?? 0))),
      [1, 2, 3, 4].map(() => Math.round(spacing)),
    );
  });

  it("with a budget, a 429 can slow the turns down but a probe never speeds them up past the budget", async () => {
    const clock = fakeClock();
    const throttle = new RequestThrottle({ requestsPerMinute: 600, random: () => 0, ...clock });
    const budgetSpacing = throttle.spacingInMs;
    for (let i = 0; i < 2; i++) throttle.recordAdmitted();
    throttle.recordThrottled(1_000);
    assert.equal(Math.round(throttle.spacingInMs), spacingFor(2), "slower than the budget: the count of the second before");
    await clock.sleep(60_000);
    // A probe a minute, each a tenth faster: 20 of them would reach a fifth of the budget's spacing.
    for (let i = 0; i < 20; i++) {
      throttle.recordAdmitted();
      await clock.sleep(60_000);
    }
    assert.equal(throttle.spacingInMs, budgetSpacing, "back to the budget, not faster");
  });

  it("a 429 pauses until its Retry-After and a random part of one turn, so that processes paused together resume apart", async () => {
    const resumes = [];
    for (const random of [0, 0.5, 0.99]) {
      const clock = fakeClock();
      const throttle = new RequestThrottle({ requestsPerMinute: 60, random: () => random, ...clock });
      (await throttle.acquire(Infinity))();
      const at = clock.now();
      throttle.recordThrottled(10_000, at);
      const spacing = throttle.spacingInMs;
      (await throttle.acquire(Infinity))();
      resumes.push(Math.round(clock.now() - at - random * spacing));
    }
    assert.deepEqual(resumes, [10_000, 10_000, 10_000]);
  });

  it("a long Retry-After (a window of a minute) learns the rate over the cycle: what was admitted since the last pause, until the window frees", async () => {
    const clock = fakeClock();
    const throttle = new RequestThrottle({ random: () => 0, ...clock });
    const first = clock.now();
    // 40 admitted in the first 2 s, then refused with 58 s to wait: 40 per minute is what the service allows.
    for (let i = 0; i < 40; i++) throttle.recordAdmitted(first + i * 50);
    await clock.sleep(2_000);
    throttle.recordThrottled(58_000, clock.now());
    const expected = 60_000 / (40 * 0.97);
    assert.equal(Math.round(throttle.spacingInMs), Math.round(expected), "not the 20 per second of the second before");
    (await throttle.acquire(Infinity))();
    assert.equal(clock.now() - first, 60_000, "after the pause");
    assert.equal(Math.round(throttle.spacingInMs), Math.round(expected), "the same count once the pause is over");
  });

  it("callers holding a slot wait for their turn one at a time: each turn wakes one sleeper", async () => {
    const clock = fakeClock();
    const throttle = new RequestThrottle({ maxConcurrentRequests: 8, requestsPerMinute: 60, random: () => 0, ...clock });
    await Promise.all(Array.from({ length: 8 }, async () => (await throttle.acquire(Infinity))()));
    assert.equal(clock.slept.length, 7, `one sleep per turn after the first: ${clock.slept.map(Math.round).join(", ")}`);
  });

  it("refuses a budget that is not a number above 0", () => {
    for (const budget of [0, -1, Number.NaN, Infinity])
      assert.throws(() => new RequestThrottle({ requestsPerMinute: budget }), /requestsPerMinute must be a number above 0/);
  });

  it("refuses a cap that is not a whole number of at least 1", () => {
    for (const cap of [0, -1, 1.5, Number.NaN])
      assert.throws(() => new RequestThrottle({ maxConcurrentRequests: cap }), /maxConcurrentRequests must be a whole number of at least 1/);
  });
});
