/**
 * The throttle's settings: the partner's budget (`partnercenter:requestsPerMinute`) and how many
 * stacks share it (`partnercenter:concurrentStacks`), read from stack config or the environment,
 * refused with a one-line message naming the setting when malformed.
 */
import { strict as assert } from "node:assert";
import { SettingsError, readSettings, requestsPerMinuteOf, throttleSettingsOf } from "../../provider/config";

const fromEnv = (env: Record<string, string>) => readSettings(undefined, env);

describe("the throttle's settings", () => {
  it("a budget alone is this process's; with concurrentStacks each process keeps to an equal share", () => {
    assert.equal(requestsPerMinuteOf(fromEnv({})), undefined);
    assert.equal(requestsPerMinuteOf(fromEnv({ PARTNERCENTER_REQUESTS_PER_MINUTE: "500" })), 500);
    assert.equal(requestsPerMinuteOf(fromEnv({ PARTNERCENTER_REQUESTS_PER_MINUTE: "500", PARTNERCENTER_CONCURRENT_STACKS: "4" })), 125);
    assert.equal(requestsPerMinuteOf(fromEnv({ PARTNERCENTER_REQUESTS_PER_MINUTE: "500", PARTNERCENTER_CONCURRENT_STACKS: "64" })), 500 / 64);
    const config = { get: (key: string) => ({ "partnercenter:requestsPerMinute": "300" })[key] };
    assert.equal(requestsPerMinuteOf(readSettings(config, { PARTNERCENTER_REQUESTS_PER_MINUTE: "500" })), 300, "stack config wins");
    assert.deepEqual(throttleSettingsOf(fromEnv({ PARTNERCENTER_MAX_CONCURRENT_REQUESTS: "4", PARTNERCENTER_REQUESTS_PER_MINUTE: "500" })), {
      maxConcurrentRequests: 4,
      requestsPerMinute: 500,
    });
  });

  const refused = [
    {
      env: { PARTNERCENTER_REQUESTS_PER_MINUTE: "0" },
      says: 'partnercenter:requestsPerMinute (or PARTNERCENTER_REQUESTS_PER_MINUTE) must be a whole number from 1 to 100,000; got "0"',
    },
    { env: { PARTNERCENTER_REQUESTS_PER_MINUTE: "100001" }, says: 'must be a whole number from 1 to 100,000; got "100001"' },
    { env: { PARTNERCENTER_REQUESTS_PER_MINUTE: "2.5" }, says: 'must be a whole number from 1 to 100,000; got "2.5"' },
    { env: { PARTNERCENTER_REQUESTS_PER_MINUTE: "500/min" }, says: 'got "500/min"' },
    {
      env: { PARTNERCENTER_REQUESTS_PER_MINUTE: "500", PARTNERCENTER_CONCURRENT_STACKS: "1001" },
      says: 'partnercenter:concurrentStacks (or PARTNERCENTER_CONCURRENT_STACKS) must be a whole number from 1 to 1,000; got "1001"',
    },
    {
      env: { PARTNERCENTER_CONCURRENT_STACKS: "4" },
      says: "partnercenter:concurrentStacks (or PARTNERCENTER_CONCURRENT_STACKS) shares partnercenter:requestsPerMinute",
    },
  ];
  for (const { env, says } of refused) {
    it(`refuses ${JSON.stringify(env)}, naming the setting`, () => {
      assert.throws(
        () => throttleSettingsOf(fromEnv(env)),
        (error: unknown) => error instanceof SettingsError && error.message.includes(says) && !error.message.includes("\n"),
      );
    });
  }
});
