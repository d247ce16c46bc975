import { strict as assert } from "node:assert";
import { PartnerCenterError, type QualificationRecord } from "../../provider/client";
import { DEFAULT_VETTING_WAIT, resolveVettingWait, waitForVettingDecision, type VettingWaitHooks } from "../../provider/lifecycle";

/** A clock that only moves when the wait sleeps, and a scripted sequence of reads. */
function scripted(reads: Array<QualificationRecord | Error | undefined>): VettingWaitHooks & { sleeps: number[]; lines: string[] } {
  let now = 0;
  const sleeps: number[] = [];
  const lines: string[] = [];
  return {
    sleeps,
    lines,
    progress: (m) => void lines.push(m),
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    read: async () => {
      const next = reads.shift();
      if (next instanceof Error) throw next;
      return next;
    },
    isTransient: (e) => e instanceof PartnerCenterError && e.retryable,
  };
}

const inReview: QualificationRecord = { qualification: "Education", vettingStatus: "InReview" };
const limits = { timeoutInMs: 60_000, pollIntervalInMs: 5_000, maxPollIntervalInMs: 20_000 };

describe("waiting for vetting", () => {
  it("returns at once when the first record already shows a decision", async () => {
    const hooks = scripted([]);
    const result = await waitForVettingDecision({ qualification: "Education", vettingStatus: "Approved" }, limits, hooks);
    assert.equal(result.kind, "decided");
    assert.deepEqual(hooks.sleeps, []);
  });

  it("polls with doubling waits, capped, until Approved, showing progress each time", async () => {
    const hooks = scripted([inReview, inReview, inReview, { qualification: "Education", vettingStatus: "Approved" }]);
    const result = await waitForVettingDecision(inReview, limits, hooks);
    assert.equal(result.kind, "decided");
    assert.equal(result.record.vettingStatus, "Approved");
    assert.deepEqual(hooks.sleeps, [5_000, 10_000, 20_000, 20_000]);
    assert.equal(result.waitedInMs, 55_000);
    assert.equal(hooks.lines.length, 4);
    assert.match(hooks.lines[0]!, /^waiting for vetting: InReview after 0s, next check in 5s \(gives up after 1m00s\)$/);
  });

  it("ends with Denied as a decision", async () => {
    const hooks = scripted([{ qualification: "Education", vettingStatus: "Denied", vettingReason: "Not an Academic Domain" }]);
    const result = await waitForVettingDecision(inReview, limits, hooks);
    assert.equal(result.kind, "decided");
    assert.equal(result.record.vettingReason, "Not an Academic Domain");
  });

  it("times out at the deadline, never sleeping past it", async () => {
    const hooks = scripted(Array.from({ length: 20 }, () => inReview));
    const result = await waitForVettingDecision(inReview, limits, hooks);
    assert.equal(result.kind, "timedOut");
    assert.equal(result.waitedInMs, 60_000);
    assert.equal(
      hooks.sleeps.reduce((a, b) => a + b, 0),
      60_000,
    );
  });

  it("keeps waiting through a throttled read, and stops on a read that can't succeed", async () => {
    const throttled = new PartnerCenterError({ kind: "http", operation: "read qualifications", statusCode: 429, retryable: true, attempts: 5 });
    const hooks = scripted([throttled, { qualification: "Education", vettingStatus: "Approved" }]);
    assert.equal((await waitForVettingDecision(inReview, limits, hooks)).kind, "decided");
    assert.match(hooks.lines.join("\n"), /did not answer \(PartnerCenterError\); trying again/);

    const forbidden = new PartnerCenterError({ kind: "http", operation: "read qualifications", statusCode: 403, retryable: false, attempts: 1 });
    await assert.rejects(waitForVettingDecision(inReview, limits, scripted([forbidden])), /HTTP 403/);
  });

  it("fails when the qualification disappears while waiting", async () => {
    await assert.rejects(waitForVettingDecision(inReview, limits, scripted([undefined])), /disappeared from the customer/);
  });

  it("fills in defaults: true waits 30 minutes from a 15 s first interval; false and absent do not wait", () => {
    assert.deepEqual(resolveVettingWait(true), DEFAULT_VETTING_WAIT);
    assert.deepEqual(resolveVettingWait({ timeoutInMs: 5000 }), { ...DEFAULT_VETTING_WAIT, timeoutInMs: 5000 });
    assert.equal(resolveVettingWait(false), undefined);
    assert.equal(resolveVettingWait(undefined), undefined);
  });
});
