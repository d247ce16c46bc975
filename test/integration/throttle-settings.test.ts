/**
 * Both faces of the lifecycle refuse a malformed throttle setting when Pulumi configures them
 * (which `preview` does too), naming the setting, before any request; and a good budget is taken.
 */
import { strict as assert } from "node:assert";
import { startEmulator, type RunningEmulator } from "partnercenter-emulator";
import { dynamicAdapter, nativeAdapter } from "../fixtures/provider-adapters";

const TOKEN = "throttle-settings-token";

describe("throttle settings, as Pulumi configures the provider", function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ accessTokens: [TOKEN], seed: { customers: [{ id: "77777777-aaaa-4aaa-8aaa-000000000001" }] } });
  });
  after(async () => emulator?.close());

  for (const make of [dynamicAdapter, nativeAdapter]) {
    const name = make === dynamicAdapter ? "the dynamic provider" : "the native plugin";
    it(`${name} refuses requestsPerMinute "0" and concurrentStacks without a budget at configure, naming the setting; nothing is sent`, async () => {
      await emulator.control.clearRequests();
      await assert.rejects(
        make({ baseUrl: emulator.url, accessToken: TOKEN, more: { requestsPerMinute: "0" } }),
        /partnercenter:requestsPerMinute \(or PARTNERCENTER_REQUESTS_PER_MINUTE\) must be a whole number from 1 to 100,000; got "0"/,
      );
      await assert.rejects(
        make({ baseUrl: emulator.url, accessToken: TOKEN, more: { concurrentStacks: "4" } }),
        /partnercenter:concurrentStacks .* shares partnercenter:requestsPerMinute/,
      );
      assert.equal((await emulator.control.requests()).length, 0);
    });

    it(`${name} takes a good budget and applies qualifications under it`, async () => {
      const adapter = await make({ baseUrl: emulator.url, accessToken: TOKEN, more: { requestsPerMinute: "600", concurrentStacks: "2" } });
      try {
        const created = await adapter.create({ customerId: "77777777-aaaa-4aaa-8aaa-000000000001", qualification: "StateOwnedEntity" });
        assert.equal(created.id, "77777777-aaaa-4aaa-8aaa-000000000001/StateOwnedEntity");
      } finally {
        await adapter.close();
      }
    });
  }
});
