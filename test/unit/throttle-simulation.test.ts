/**
 * The throttle at scale, simulated: k processes, each with the client's own RequestThrottle and
 * retry policy, against Partner Center's published limit (500 requests per 60 s) counted over a
 * fixed or a sliding window, on a virtual clock (scripts/bench/throttle-simulation). Deterministic:
 * one seed for latencies, network delays and jitter. BENCHMARKS.md has the whole table (10,000 and
 * 100,000 requests, every k); this test runs the 10,000-request rows and the largest k at 100,000.
 * Time is virtual: these are figures of the algorithm, not of this machine.
 */
import { strict as assert } from "node:assert";
import { simulate, type SimulationResult, type SimulationScenario } from "../../scripts/bench/throttle-simulation/simulation";

function judge(result: SimulationResult, maxRatio: number, maxShare: number): void {
  const ratio = result.seconds / result.idealSeconds;
  const share = result.throttled / result.attempts;
  const what = `${result.seconds.toFixed(0)} s against an ideal of ${result.idealSeconds.toFixed(0)} s (${ratio.toFixed(3)}×), ${result.throttled} 429s of ${result.attempts} requests (${(100 * share).toFixed(2)} %)`;
  assert.equal(result.failedCalls, 0, `no call gave up: ${what}`);
  assert.ok(ratio <= maxRatio, `time ≤ ${maxRatio}× the ideal: ${what}`);
  assert.ok(share <= maxShare, `429s ≤ ${100 * maxShare} % of requests: ${what}`);
}

describe("the throttle, simulated: k processes sharing 500 requests per minute", function () {
  this.timeout(300_000);

  for (const window of ["fixed", "sliding"] as const) {
    for (const instances of [1, 4, 16, 64]) {
      const scenario: SimulationScenario = { instances, requests: 10_000, window, requestsPerMinute: 500 };
      it(`with the declared budget (500, concurrentStacks ${instances}), ${window} window, 10,000 requests: ≤ 1.05× the ideal, ≤ 1 % 429s`, async () => {
        judge(await simulate(scenario), 1.05, 0.01);
      });
    }
  }

  it("with the declared budget, 64 processes, sliding window, 100,000 requests: ≤ 1.05× the ideal, ≤ 1 % 429s", async () => {
    judge(await simulate({ instances: 64, requests: 100_000, window: "sliding", requestsPerMinute: 500 }), 1.05, 0.01);
  });

  for (const window of ["fixed", "sliding"] as const) {
    for (const instances of [1, 4, 16]) {
      it(`adaptive only (no budget), ${instances} process${instances === 1 ? "" : "es"}, ${window} window, 10,000 requests: ≤ 1.2× the ideal, ≤ 5 % 429s`, async () => {
        judge(await simulate({ instances, requests: 10_000, window }), 1.2, 0.05);
      });
    }
  }

  it("is deterministic: the same scenario gives the same figures", async () => {
    const scenario: SimulationScenario = { instances: 4, requests: 2_000, window: "fixed", seed: 7 };
    const [a, b] = [await simulate(scenario), await simulate(scenario)];
    assert.deepEqual({ ...a, scenario: undefined }, { ...b, scenario: undefined });
  });
});
