import { strict as assert } from "node:assert";
import { CustomerQualification, suspendStackTraces } from "../../provider/resource";
import { native } from "../../provider";

const CUSTOMER = "11111111-1111-4111-8111-111111111111";

describe("resource registration without the SDK's per-promise stack traces", () => {
  afterEach(() => {
    Error.stackTraceLimit = 10;
  });

  it("captures no frames while suspended, and restores the limit it found", () => {
    for (const limit of [10, 3, Number.POSITIVE_INFINITY]) {
      Error.stackTraceLimit = limit;
      const restore = suspendStackTraces();
      const frames = (new Error("probe").stack ?? "").split("\n").filter((line) => line.trimStart().startsWith("at "));
      restore();
      assert.equal(frames.length, 0, `limit ${limit}: frames while suspended`);
      assert.equal(Error.stackTraceLimit, limit);
    }
  });

  const classes = [
    {
      name: "CustomerQualification (dynamic)",
      declare: (n: string) => new CustomerQualification(n, { customerId: CUSTOMER, qualification: "StateOwnedEntity" }),
    },
    {
      name: "native.CustomerQualification",
      declare: (n: string) => new native.CustomerQualification(n, { customerId: CUSTOMER, qualification: "StateOwnedEntity" }),
    },
  ];
  for (const { name, declare } of classes) {
    it(`${name}: the constructor leaves Error.stackTraceLimit as it found it, when it registers and when the SDK refuses`, () => {
      Error.stackTraceLimit = 7;
      declare(`restores-${name.length}`);
      assert.equal(Error.stackTraceLimit, 7);
      assert.throws(() => declare(""), /Missing resource name/);
      assert.equal(Error.stackTraceLimit, 7);
    });
  }
});
