/**
 * The throttle at a scale no machine here can run: k processes (each with the client's own
 * `RequestThrottle` and retry policy) sharing one partner limit, on a virtual clock. Each process
 * works through its part of the requests with as many callers as the engine runs at once; a request
 * reaches the limiter after a network delay and is answered after its latency (a 429 at once).
 * Everything random comes from one seed, so a scenario always gives the same figures.
 */
import { seededRandom } from "partnercenter-emulator";
import { RequestThrottle, ThrottleDeadlineError } from "../../../provider/client/request-throttle";
import { DEFAULT_RETRY_OPTIONS, decideRetry } from "../../../provider/client/retry-policy";
import { readSettings, requestsPerMinuteOf } from "../../../provider/config";
import { limitModel, type LimitModel, type LimitSpec, type WindowKind } from "./limit-model";
import { VirtualClock } from "./virtual-clock";

/** One simulated run. */
export interface SimulationScenario {
  /** Processes (stacks) running at once, k. */
  readonly instances: number;
  /** Requests in all, split evenly between the processes. */
  readonly requests: number;
  readonly window: WindowKind;
  /** Default 500 per 60 s. */
  readonly limit?: LimitSpec;
  /** The partner budget each process is configured with (`partnercenter:requestsPerMinute`, shared by `concurrentStacks` = k); none: adaptive only. */
  readonly requestsPerMinute?: number;
  /** Calls each process runs at once (the engine's parallelism); default 16. */
  readonly callers?: number;
  /** Answer latency, drawn evenly from this range; default 100 to 800 ms. */
  readonly latencyMs?: readonly [number, number];
  /** One-way network delay before the limiter counts a request; default 10 to 50 ms. */
  readonly networkDelayMs?: readonly [number, number];
  readonly seed?: number;
  /** Called with every answer: when, which process, and whether it was a 429. */
  readonly onAnswer?: (atMs: number, throttled: boolean) => void;
}

/** What a run measured, in virtual time. */
export interface SimulationResult {
  readonly scenario: SimulationScenario;
  /** From the first request sent to the last answer, across all processes. */
  readonly seconds: number;
  /** Requests ÷ the limit's rate. */
  readonly idealSeconds: number;
  /** Requests sent, retries included. */
  readonly attempts: number;
  /** Attempts answered 429. */
  readonly throttled: number;
  /** Calls that gave up (retries or deadline exhausted). */
  readonly failedCalls: number;
}

/** The default limit: Partner Center's one published figure. */
export const PARTNER_LIMIT: LimitSpec = { requests: 500, windowSeconds: 60 };

/** What the processes share: the clock, the limit, the seeded random numbers and the tallies. */
interface World {
  readonly clock: VirtualClock;
  readonly limit: LimitModel;
  readonly random: () => number;
  readonly latencyMs: readonly [number, number];
  readonly networkDelayMs: readonly [number, number];
  readonly onAnswer: ((atMs: number, throttled: boolean) => void) | undefined;
  readonly tally: { attempts: number; throttled: number; failedCalls: number; firstSentAt: number; lastAnswerAt: number };
}

/** A number drawn evenly from `[low, high]`. */
function between(random: () => number, [low, high]: readonly [number, number]): number {
  return low + random() * (high - low);
}

/** One attempt: a turn of the throttle, the limiter's verdict on arrival, the answer. Returns the 429's Retry-After in ms, or undefined when admitted. */
async function attempt(world: World, throttle: RequestThrottle, deadline: number): Promise<number | undefined> {
  const { clock, tally } = world;
  const release = await throttle.acquire(deadline);
  const sentAt = clock.now();
  tally.attempts++;
  tally.firstSentAt = Math.min(tally.firstSentAt, sentAt);
  const delay = between(world.random, world.networkDelayMs);
  await clock.sleep(delay);
  const verdict = world.limit.admit();
  if (verdict.admitted) {
    await clock.sleep(Math.max(0, between(world.random, world.latencyMs) - delay));
    throttle.recordAdmitted(sentAt);
  } else {
    await clock.sleep(delay);
    tally.throttled++;
    throttle.recordThrottled(verdict.retryAfterSeconds * 1000, sentAt);
  }
  release();
  tally.lastAnswerAt = Math.max(tally.lastAnswerAt, clock.now());
  world.onAnswer?.(clock.now(), !verdict.admitted);
  return verdict.admitted ? undefined : verdict.retryAfterSeconds * 1000;
}

/** One call as `PartnerCenterClient.send` makes it: attempts through the throttle, 429s retried as the retry policy decides. */
async function call(world: World, throttle: RequestThrottle): Promise<void> {
  const { clock } = world;
  const deadline = clock.now() + 300_000;
  for (let attempts = 1; ; attempts++) {
    let retryAfterInMs: number | undefined;
    try {
      retryAfterInMs = await attempt(world, throttle, deadline);
    } catch (error) {
      if (!(error instanceof ThrottleDeadlineError)) throw error;
      world.tally.failedCalls++;
      return;
    }
    if (retryAfterInMs === undefined) return;
    const decision = decideRetry(
      { retriesSoFar: attempts - 1, retryable: true, retryAfterHeader: String(retryAfterInMs / 1000), deadlineInMs: deadline, nowInMs: clock.now() },
      DEFAULT_RETRY_OPTIONS,
      world.random,
    );
    if (!decision.retry) {
      world.tally.failedCalls++;
      return;
    }
    await clock.sleep(decision.delayInMs);
  }
}

/** One process: its throttle, configured from settings as the provider's is, and its callers working through `requests`. */
async function process(world: World, scenario: SimulationScenario, requests: number): Promise<void> {
  const settings = readSettings(undefined, {
    ...(scenario.requestsPerMinute !== undefined
      ? { PARTNERCENTER_REQUESTS_PER_MINUTE: String(scenario.requestsPerMinute), PARTNERCENTER_CONCURRENT_STACKS: String(scenario.instances) }
      : {}),
  });
  const requestsPerMinute = requestsPerMinuteOf(settings);
  const throttle = new RequestThrottle({
    now: world.clock.now,
    sleep: world.clock.sleep,
    random: world.random,
    ...(requestsPerMinute !== undefined ? { requestsPerMinute } : {}),
  });
  let left = requests;
  const caller = async (): Promise<void> => {
    while (left > 0) {
      left--;
      await call(world, throttle);
    }
  };
  await Promise.all(Array.from({ length: scenario.callers ?? 16 }, caller));
}

/** Runs a scenario to the end. */
export async function simulate(scenario: SimulationScenario): Promise<SimulationResult> {
  const limitSpec = scenario.limit ?? PARTNER_LIMIT;
  const clock = new VirtualClock();
  const random = seededRandom(scenario.seed ?? 1);
  const offsetMs = random() * limitSpec.windowSeconds * 1000;
  const world: World = {
    clock,
    limit: limitModel(scenario.window, limitSpec, clock.now, offsetMs),
    random,
    latencyMs: scenario.latencyMs ?? [100, 800],
    networkDelayMs: scenario.networkDelayMs ?? [10, 50],
    onAnswer: scenario.onAnswer,
    tally: { attempts: 0, throttled: 0, failedCalls: 0, firstSentAt: Infinity, lastAnswerAt: 0 },
  };
  const k = scenario.instances;
  const done = Promise.all(
    Array.from({ length: k }, (_, i) => process(world, scenario, Math.floor(scenario.requests / k) + (i < scenario.requests % k ? 1 : 0))),
  );
  await clock.run();
  await done;
  const { tally } = world;
  return {
    scenario,
    seconds: (tally.lastAnswerAt - tally.firstSentAt) / 1000,
    idealSeconds: scenario.requests / (limitSpec.requests / limitSpec.windowSeconds),
    attempts: tally.attempts,
    throttled: tally.throttled,
    failedCalls: tally.failedCalls,
  };
}
