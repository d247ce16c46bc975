import { strict as assert } from "node:assert";
import { DEFAULT_RETRY_OPTIONS, backoffDelay, decideRetry, isRetryableStatus, parseRetryAfter } from "../../provider/client/retry-policy";

const NOW = Date.parse("2026-11-28T12:00:00Z");

describe("retry policy", () => {
  const statuses: ReadonlyArray<[number, boolean]> = [
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [409, false],
    [417, false],
    [408, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [501, false],
    [505, false],
    [599, true],
  ];
  for (const [status, retryable] of statuses) {
    it(`${retryable ? "retries" : "does not retry"} HTTP ${status}`, () => {
      assert.equal(isRetryableStatus(status), retryable);
    });
  }

  const retryAfter: ReadonlyArray<[string | undefined, number | undefined]> = [
    [undefined, undefined],
    ["", undefined],
    ["7", 7000],
    ["1.5", 1500],
    ["Sat, 28 Nov 2026 12:00:30 GMT", 30_000],
    ["Sat, 28 Nov 2026 11:00:00 GMT", 0],
    ["soon", undefined],
  ];
  for (const [header, ms] of retryAfter) {
    it(`reads Retry-After ${JSON.stringify(header)} as ${ms} ms`, () => {
      assert.equal(parseRetryAfter(header, NOW), ms);
    });
  }

  it("grows the backoff exponentially within [half, whole] of base * 2^n and caps it", () => {
    const options = { ...DEFAULT_RETRY_OPTIONS, retryDelayInMs: 100, maxRetryDelayInMs: 1000 };
    assert.equal(
      backoffDelay(0, options, () => 0),
      50,
    );
    assert.equal(
      backoffDelay(0, options, () => 1),
      100,
    );
    assert.equal(
      backoffDelay(3, options, () => 1),
      800,
    );
    assert.equal(
      backoffDelay(10, options, () => 1),
      1000,
    );
    assert.equal(
      backoffDelay(10, options, () => 0),
      500,
    );
  });

  it("waits at least what Retry-After asks", () => {
    const d = decideRetry(
      { retriesSoFar: 0, retryable: true, retryAfterHeader: "3", deadlineInMs: NOW + 60_000, nowInMs: NOW },
      DEFAULT_RETRY_OPTIONS,
      () => 0,
    );
    assert.deepEqual(d, { retry: true, delayInMs: 3000 });
  });

  it("gives up when Retry-After is longer than the cap, and says so", () => {
    const d = decideRetry({ retriesSoFar: 0, retryable: true, retryAfterHeader: "3600", deadlineInMs: NOW + 7_200_000, nowInMs: NOW }, DEFAULT_RETRY_OPTIONS);
    assert.equal(d.retry, false);
    assert.match(!d.retry ? d.reason : "", /3600 s, longer than maxRetryAfterInMs/);
  });

  it("gives up when the wait would pass the deadline", () => {
    const d = decideRetry({ retriesSoFar: 0, retryable: true, retryAfterHeader: "10", deadlineInMs: NOW + 5_000, nowInMs: NOW }, DEFAULT_RETRY_OPTIONS);
    assert.deepEqual(d, { retry: false, reason: "the next attempt would pass the call's deadline" });
  });

  it("stops after maxRetries", () => {
    const d = decideRetry({ retriesSoFar: 4, retryable: true, deadlineInMs: NOW + 600_000, nowInMs: NOW }, DEFAULT_RETRY_OPTIONS);
    assert.deepEqual(d, { retry: false, reason: "maxRetries is 4" });
  });

  it("never retries what is not retryable", () => {
    const d = decideRetry({ retriesSoFar: 0, retryable: false, deadlineInMs: NOW + 600_000, nowInMs: NOW }, DEFAULT_RETRY_OPTIONS);
    assert.equal(d.retry, false);
  });
});
