/**
 * One circuit breaker for every call of a client (the provider process has one client): when
 * Partner Center can't be reached at all, the process finds out once and every other call fails at
 * once, instead of each one spending its own retries on the same dead address.
 *
 * The rule, so that a short blip never opens it:
 * 1. Only connection-level failures count (refused, reset before any answer, DNS, TLS, a timeout
 *    before any answer began). Any answer of the service, 4xx, 5xx and 429 included, closes it.
 * 2. A call that used up its retries on such failures, while no request sent after its first such
 *    failure came back was answered, makes the breaker *probe*: once its failures have lasted
 *    {@link DEFAULT_PROBE_DELAY_IN_MS} (retries with backoff usually have by then; a DNS or TLS
 *    failure, not retried, waits that long), that call tries once more, while every other call
 *    waits for the verdict instead of sending.
 * 3. The probe fails at connection level too: the breaker *opens*; the probe's call fails with the
 *    full cause, every waiting and later call fails at once without a request. The probe is
 *    answered (or another request is): it closes, and the waiting calls go on.
 * A call whose failures overlap answers to other requests fails on its own: the service is there.
 * Pure logic: the client tells it what happened, with the times it sent requests.
 */

/** How long a call's connection failures must have lasted before the probe that confirms an outage, by default. */
export const DEFAULT_PROBE_DELAY_IN_MS = 3_000;

/** Options of {@link ConnectionBreaker}. */
export interface ConnectionBreakerOptions {
  /** How long a call's failures must have lasted before its probe, in milliseconds. Default {@link DEFAULT_PROBE_DELAY_IN_MS}. */
  readonly probeDelayInMs?: number;
  /** The clock; a test can pass its own. */
  readonly now?: () => number;
}

/** `closed`: calls send; `probing`: one call probes, the others wait; `open`: calls fail at once. */
export type ConnectionBreakerState = "closed" | "probing" | "open";

/**
 * What a call does after using up its retries on connection-level failures: `fail` with its own
 * error (the service answered meanwhile), `probe` (pause, then one more attempt, whose outcome
 * decides for everyone), `retry` (a probe found the service: one more attempt), `refused` (open).
 */
export type ExhaustedVerdict = "fail" | "probe" | "retry" | "refused";

/** System error codes of failures that happen before any answer: the address can't be reached. */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ECONNABORTED",
  "ESOCKETTIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_FAIL",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "EPROTO",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
]);

/**
 * True for a failure at connection level: a code of {@link CONNECTION_CODES} or a TLS code
 * (`ERR_TLS_*`, `ERR_SSL_*`), with no answer begun. A reset or timeout after the answer's first
 * bytes is the service answering badly, not an unreachable one.
 */
export function isConnectionLevelFailure(networkCode: string | undefined, answerBegun: boolean): boolean {
  if (answerBegun || networkCode === undefined) return false;
  return CONNECTION_CODES.has(networkCode) || /^ERR_(TLS|SSL)_/.test(networkCode);
}

/** A circuit breaker over the connection to Partner Center; `Cause` is what opened it. */
export class ConnectionBreaker<Cause = unknown> {
  readonly probeDelayInMs: number;
  readonly #now: () => number;
  #state: ConnectionBreakerState = "closed";
  #cause: Cause | undefined;
  #refused = 0;
  /** When the latest request that got an answer was sent. */
  #lastAnsweredSentAt = Number.NEGATIVE_INFINITY;
  #verdict: { promise: Promise<"closed" | "open">; settle: (v: "closed" | "open") => void } | undefined;

  constructor(options: ConnectionBreakerOptions = {}) {
    const delay = options.probeDelayInMs ?? DEFAULT_PROBE_DELAY_IN_MS;
    if (!Number.isFinite(delay) || delay < 0) throw new RangeError(`probeDelayInMs must be a number of milliseconds, at least 0; got ${delay}`);
    this.probeDelayInMs = delay;
    this.#now = options.now ?? Date.now;
  }

  /** Where the breaker stands. */
  get state(): ConnectionBreakerState {
    return this.#state;
  }

  /** What opened the breaker, while it is open. */
  get cause(): Cause | undefined {
    return this.#state === "open" ? this.#cause : undefined;
  }

  /** Calls refused while open, since it opened last. */
  get refused(): number {
    return this.#refused;
  }

  /**
   * Before a call sends a request: `send`, or `refused` when open (counted). While a probe runs,
   * waits for its verdict first. Rejects with the signal's reason when it aborts meanwhile.
   */
  async admit(signal?: AbortSignal): Promise<"send" | "refused"> {
    if (this.#state === "probing") await this.#waitForVerdict(signal);
    return this.#state === "open" ? this.#refuse() : "send";
  }

  /** The service answered (any status) a request sent at `sentAt`: it is reachable. */
  recordAnswer(sentAt: number = this.#now()): void {
    this.#lastAnsweredSentAt = Math.max(this.#lastAnsweredSentAt, sentAt);
    this.#close();
  }

  /**
   * A call used up its retries, every attempt a connection-level failure since the first of them
   * came back at `firstFailureAt`. See {@link ExhaustedVerdict}; a `probe` is this call's to send after
   * {@link probePauseInMs}, and must end in {@link recordAnswer}, {@link open} or {@link abandonProbe}.
   */
  async exhausted(firstFailureAt: number, signal?: AbortSignal): Promise<ExhaustedVerdict> {
    if (this.#lastAnsweredSentAt >= firstFailureAt) return "fail";
    if (this.#state === "open") return this.#refuse();
    if (this.#state === "closed") {
      this.#state = "probing";
      let settle: (v: "closed" | "open") => void = () => undefined;
      const promise = new Promise<"closed" | "open">((resolve) => (settle = resolve));
      this.#verdict = { promise, settle };
      return "probe";
    }
    const verdict = await this.#waitForVerdict(signal);
    return verdict === "open" ? this.#refuse() : "retry";
  }

  /**
   * How long the probing call waits before its probe: what remains of {@link probeDelayInMs} since
   * its first connection failure came back at `firstFailureAt`.
   */
  probePauseInMs(firstFailureAt: number, now: number = this.#now()): number {
    return Math.max(0, firstFailureAt + this.probeDelayInMs - now);
  }

  /** The probe failed at connection level: open, with `cause` for every call refused from now on. */
  open(cause: Cause): void {
    if (this.#state !== "open") this.#refused = 0;
    this.#state = "open";
    this.#cause = cause;
    this.#settle("open");
  }

  /** The probe ended without a verdict (aborted, out of time, another kind of failure). */
  abandonProbe(): void {
    if (this.#state === "probing") this.#close();
  }

  #close(): void {
    this.#state = "closed";
    this.#cause = undefined;
    this.#settle("closed");
  }

  #settle(verdict: "closed" | "open"): void {
    const pending = this.#verdict;
    this.#verdict = undefined;
    pending?.settle(verdict);
  }

  #refuse(): "refused" {
    this.#refused++;
    return "refused";
  }

  async #waitForVerdict(signal: AbortSignal | undefined): Promise<"closed" | "open"> {
    const pending = this.#verdict;
    if (pending === undefined) return this.#state === "open" ? "open" : "closed";
    if (signal === undefined) return pending.promise;
    signal.throwIfAborted();
    let onAbort: () => void = () => undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([pending.promise, aborted]);
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }
}
