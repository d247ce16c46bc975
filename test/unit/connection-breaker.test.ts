import { strict as assert } from "node:assert";
import { ConnectionBreaker, isConnectionLevelFailure } from "../../provider/client";

/** A clock that moves only when told. */
function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => number } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

/** Lets pending promise callbacks run. */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("the connection breaker", () => {
  it("sends while closed, and a call whose failures overlap answers to later requests fails on its own", async () => {
    const c = clock();
    const breaker = new ConnectionBreaker({ now: c.now });
    assert.equal(await breaker.admit(), "send");
    const since = c.now();
    c.advance(100);
    breaker.recordAnswer(c.now()); // another call's request, sent after this call's first failure, was answered
    c.advance(5_000);
    assert.equal(await breaker.exhausted(since), "fail");
    assert.equal(breaker.state, "closed");
  });

  it("an answer to a request sent before the failures began says nothing about them: the call probes", async () => {
    const c = clock();
    const breaker = new ConnectionBreaker({ now: c.now });
    const sentEarlier = c.now();
    const since = c.advance(50);
    breaker.recordAnswer(sentEarlier); // answered late, but sent before the outage
    assert.equal(await breaker.exhausted(since), "probe");
    assert.equal(breaker.state, "probing");
  });

  it("while one call probes, the others wait instead of sending; the probe fails: all of them fail at once, counted", async () => {
    const breaker = new ConnectionBreaker<string>({ probeDelayInMs: 2_000 });
    assert.equal(await breaker.exhausted(0), "probe");
    const waiting = [breaker.admit(), breaker.admit(), breaker.exhausted(0)];
    let done = false;
    void Promise.all(waiting).then(() => (done = true));
    await settled();
    assert.equal(done, false, "they wait for the probe");
    breaker.open("ECONNREFUSED at http://127.0.0.1:9");
    assert.deepEqual(await Promise.all(waiting), ["refused", "refused", "refused"]);
    assert.equal(breaker.state, "open");
    assert.equal(breaker.cause, "ECONNREFUSED at http://127.0.0.1:9");
    assert.equal(await breaker.admit(), "refused", "a later call fails without a request");
    assert.equal(breaker.refused, 4);
  });

  it("the probe (or any request) is answered: it closes, and the waiting calls go on", async () => {
    const breaker = new ConnectionBreaker();
    assert.equal(await breaker.exhausted(0), "probe");
    const admitted = breaker.admit();
    const exhausted = breaker.exhausted(0);
    breaker.recordAnswer(10);
    assert.equal(await admitted, "send");
    assert.equal(await exhausted, "retry", "a call that used up its retries gets one more attempt");
    assert.equal(breaker.state, "closed");
    assert.equal(await breaker.exhausted(0), "fail", "after that attempt its failure is its own: the service answered");
  });

  it("an answer to a request still in flight when it opened closes it again (any answer resets it)", async () => {
    const breaker = new ConnectionBreaker<string>();
    await breaker.exhausted(0);
    breaker.open("down");
    assert.equal(await breaker.admit(), "refused");
    breaker.recordAnswer(5);
    assert.equal(breaker.state, "closed");
    assert.equal(breaker.cause, undefined);
    assert.equal(await breaker.admit(), "send");
  });

  it("a probe abandoned (aborted, no time left) lets the waiting calls try again", async () => {
    const breaker = new ConnectionBreaker();
    await breaker.exhausted(0);
    const waiting = breaker.exhausted(0);
    breaker.abandonProbe();
    assert.equal(await waiting, "retry");
    assert.equal(breaker.state, "closed");
  });

  it("a caller that aborts while waiting for the verdict stops waiting", async () => {
    const breaker = new ConnectionBreaker();
    await breaker.exhausted(0);
    const controller = new AbortController();
    const waiting = breaker.admit(controller.signal);
    controller.abort(new Error("stop"));
    await assert.rejects(waiting, /stop/);
    assert.equal(breaker.state, "probing", "the probe goes on for the others");
  });

  it("counts refusals from the last time it opened", async () => {
    const breaker = new ConnectionBreaker<string>();
    await breaker.exhausted(0);
    breaker.open("first");
    await breaker.admit();
    await breaker.admit();
    breaker.recordAnswer(1);
    await breaker.exhausted(2);
    breaker.open("second");
    await breaker.admit();
    assert.equal(breaker.refused, 1);
  });

  it("probes once the failures have lasted the probe delay: at once after long retries, after a pause after one quick failure", () => {
    const c = clock();
    const breaker = new ConnectionBreaker({ probeDelayInMs: 3_000, now: c.now });
    const firstFailureAt = c.now();
    assert.equal(breaker.probePauseInMs(firstFailureAt), 3_000, "a DNS failure, not retried: the whole pause");
    c.advance(1_200);
    assert.equal(breaker.probePauseInMs(firstFailureAt), 1_800);
    c.advance(5_000);
    assert.equal(breaker.probePauseInMs(firstFailureAt), 0, "retries with backoff already spanned it");
  });

  it("refuses a negative probe delay", () => {
    assert.throws(() => new ConnectionBreaker({ probeDelayInMs: -1 }), /probeDelayInMs must be a number of milliseconds, at least 0; got -1/);
  });
});

describe("connection-level failures", () => {
  const cases: ReadonlyArray<[string | undefined, boolean, boolean, string]> = [
    ["ECONNREFUSED", false, true, "refused"],
    ["ECONNRESET", false, true, "reset before any answer"],
    ["ECONNRESET", true, false, "reset after the answer began"],
    ["ENOTFOUND", false, true, "DNS"],
    ["EAI_AGAIN", false, true, "DNS, temporary"],
    ["ETIMEDOUT", false, true, "a timeout before any byte"],
    ["ETIMEDOUT", true, false, "a timeout after the headers"],
    ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", false, true, "TLS, untrusted CA"],
    ["ERR_TLS_CERT_ALTNAME_INVALID", false, true, "TLS, wrong host name"],
    ["ERR_SSL_WRONG_VERSION_NUMBER", false, true, "TLS spoken to a plain HTTP port"],
    ["ERR_BAD_RESPONSE", false, false, "an answer axios could not read"],
    [undefined, false, false, "an error without a code"],
  ];
  for (const [code, answerBegun, expected, why] of cases) {
    it(`${code ?? "no code"}${answerBegun ? " after the answer began" : ""}: ${expected ? "counts" : "does not count"} (${why})`, () => {
      assert.equal(isConnectionLevelFailure(code, answerBegun), expected);
    });
  }
});
