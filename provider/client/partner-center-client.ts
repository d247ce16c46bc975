/**
 * A client for the customer-qualification routes of the Partner Center REST API, on axios.
 * Usable on its own, outside Pulumi.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { AxiosInstance, AxiosResponse } from "axios";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { CLOUDS, USER_IMPERSONATION_SCOPE } from "../config";
import { requireValidQualificationInputs, type EducationSegment, type SettableQualification } from "../qualification";
import { PartnerCenterError, defaultNextStep } from "./partner-center-error";
import {
  DEFAULT_RETRY_OPTIONS,
  decideRetry,
  isRetryableStatus,
  parseRetryAfter,
  type ResolvedRetryOptions,
  type RetryDecision,
  type RetryOptions,
} from "./retry-policy";
import { RequestThrottle } from "./request-throttle";
import { ConnectionBreaker, isConnectionLevelFailure, type ConnectionBreakerOptions, type ConnectionBreakerState } from "./connection-breaker";
import {
  readCustomerPage,
  readQualifications,
  readServiceError,
  readValidationCodes,
  type CustomerPage,
  type NextPageLink,
  type PartnerCustomer,
  type QualificationRecord,
  type ValidationCode,
} from "./wire-format";
import { PACKAGE_NAME, PACKAGE_VERSION } from "./package-identity";
import { readTokenFacts } from "./token-facts";

/** The public Partner Center API endpoint. */
export const DEFAULT_PARTNER_CENTER_ENDPOINT = CLOUDS.public.baseUrl;

/** The delegated scope for Partner Center on the v2 token endpoint of the public cloud. */
export const DEFAULT_PARTNER_CENTER_SCOPE = USER_IMPERSONATION_SCOPE;

/** Where the client reports what it does. Lines hold method, path, status and IDs, never headers. */
export interface PartnerCenterLogger {
  /** One line per completed request. */
  info(message: string): void;
  /** Retries and other things a person may want to know about. */
  warning(message: string): void;
}

/**
 * A credential that can be told that the service refused one of its tokens (HTTP 401), so that
 * its next `getToken` fetches a new one instead of returning the cached token.
 */
export interface RenewableTokenCredential extends TokenCredential {
  /** Drops the given token from the cache, if it is still the cached one. */
  forgetToken(token: string): void;
}

/** Options of {@link PartnerCenterClient}. */
export interface PartnerCenterClientOptions {
  /** Sent as `MS-PartnerCenter-Application`. Default: `pulumi-partnercenter/<version>`. */
  readonly applicationName?: string;
  /** Sent as `X-Locale`. Default `en-US`. */
  readonly locale?: string;
  /** Scopes asked of the credential. Default: the public cloud's `user_impersonation` scope. */
  readonly scopes?: readonly string[];
  readonly retryOptions?: RetryOptions;
  /**
   * Requests in flight at once, across every call of this client; a 429's Retry-After also pauses
   * them all. Default 8.
   */
  readonly maxConcurrentRequests?: number;
  /**
   * This client's budget in requests per minute: requests are spaced to it from the first one on.
   * Default: none, only what 429s teach.
   */
  readonly requestsPerMinute?: number;
  /** Time allowed for one attempt. Default 30000. */
  readonly timeoutInMs?: number;
  /** Time allowed for a whole call, retries and waits included. Default 300000. */
  readonly deadlineInMs?: number;
  /**
   * The circuit breaker shared by every call of this client: once Partner Center proves
   * unreachable (see {@link ConnectionBreaker}), every call fails at once without a request.
   */
  readonly connectionBreaker?: ConnectionBreakerOptions;
  readonly logger?: PartnerCenterLogger;
  /** The outbound HTTP seam: an axios instance to send requests with. Default: a new one. */
  readonly httpClient?: AxiosInstance;
}

/** Options common to every operation. */
export interface OperationOptions {
  readonly abortSignal?: AbortSignal;
  /** The `MS-RequestId` to send; default a new GUID. Reuse one only to repeat the same call. */
  readonly requestId?: string;
  /** The `MS-CorrelationId` to send; default a new GUID. */
  readonly correlationId?: string;
}

/** Options of {@link PartnerCenterClient.getQualifications}. */
export type GetQualificationsOptions = OperationOptions;
/** Options of {@link PartnerCenterClient.createQualification}. */
export type CreateQualificationOptions = OperationOptions;
/** Options of {@link PartnerCenterClient.getValidationCodes}. */
export type GetValidationCodesOptions = OperationOptions;

/** The largest page of customers Partner Center is known to hand out. */
export const MAX_CUSTOMER_PAGE_SIZE = 500;
/** The page size {@link PartnerCenterClient.listCustomers} asks for by default. */
export const DEFAULT_CUSTOMER_PAGE_SIZE = 500;

/** A prefix filter on the customer list, as Partner Center offers it (case-insensitive). */
export interface CustomerFilter {
  /** `companyName`, `domain`, or `indirectReseller` (the indirect reseller's tenant ID). */
  readonly field: "companyName" | "domain" | "indirectReseller";
  /** The prefix to match. */
  readonly startsWith: string;
}

/** Options of {@link PartnerCenterClient.listCustomers}. */
export interface ListCustomersOptions extends Omit<OperationOptions, "requestId"> {
  /** Customers per page, 1 to 500. Default 500. */
  readonly pageSize?: number;
  readonly filter?: CustomerFilter;
}

/** The customers of a partner: iterate for customers, or `byPage()` for pages. */
export interface CustomerIterator extends AsyncIterable<PartnerCustomer> {
  byPage(): AsyncIterableIterator<CustomerPage>;
}

const FILTER_FIELDS = { companyName: "CompanyName", domain: "Domain", indirectReseller: "IndirectReseller" } as const;

/** The filter as the service reads it: `{"Field","Value","Operator"}`. */
function customerFilterOf(filter: CustomerFilter): { Field: string; Value: string; Operator: "starts_with" } {
  const field = FILTER_FIELDS[filter.field];
  if (field === undefined) throw new RangeError(`filter.field must be one of ${Object.keys(FILTER_FIELDS).join(", ")}; got ${JSON.stringify(filter.field)}`);
  if (typeof filter.startsWith !== "string" || filter.startsWith.trim() === "") throw new RangeError("filter.startsWith must be a non-empty prefix");
  return { Field: field, Value: filter.startsWith.trim(), Operator: "starts_with" };
}

/** The body of a create-qualification request. */
export interface CreateQualificationRequest {
  readonly qualification: SettableQualification;
  /** Required for Education. */
  readonly educationSegment?: EducationSegment;
  /** Optional, Education only. */
  readonly website?: string;
  /** Required for GovernmentCommunityCloud: the `validationId` of one of the partner's codes. */
  readonly validationCode?: string;
}

interface RequestPlan<T> {
  readonly method: "GET" | "POST";
  /** A path under the endpoint, such as `/v1/customers`; it may carry a query. */
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly operation: string;
  readonly customerId?: string;
  readonly read: (body: unknown) => T;
}

/** The IDs and subject of one call, carried into its errors. */
interface CallIds {
  readonly requestId: string;
  readonly correlationId: string;
  readonly operation: string;
  readonly method: "GET" | "POST";
  readonly customerId?: string;
}

/** Where one call stands between its attempts. */
interface CallProgress {
  readonly ids: CallIds;
  readonly deadline: number;
  readonly abortSignal: AbortSignal | undefined;
  attempts: number;
  renewedAfter401: boolean;
  /**
   * When the first of the call's latest unbroken run of connection-level failures came back. (Not
   * when it was sent: a request sent just before an outage began may still have been answered.)
   */
  connectionFailingSince: number | undefined;
  /** The next attempt is the breaker's probe: it is sent whatever the breaker's state. */
  probe: boolean;
}

/** Partner Center's connection as a client sees it, through its breaker. */
export interface ConnectionState {
  /** `closed`: calls are sent; `probing`: one call checks whether the service is gone; `open`: it is. */
  readonly state: ConnectionBreakerState;
  /** While open: the error of the call that found Partner Center unreachable. */
  readonly cause?: PartnerCenterError;
  /** Calls that failed without a request since the breaker opened. */
  readonly refused: number;
}

/** One attempt of a call: what to send, with which token, by when, and how many went before. */
interface Attempt {
  readonly plan: RequestPlan<unknown>;
  readonly token: string;
  readonly ids: CallIds;
  readonly deadline: number;
  readonly abortSignal: AbortSignal | undefined;
  readonly attempts: number;
  /** The breaker's probe: sent even though the breaker is not closed. */
  readonly probe: boolean;
}

/** How one attempt ended, and when its request was sent. */
type AttemptOutcome =
  | { readonly kind: "answered"; readonly sentAt: number; readonly response: AxiosResponse<string> }
  | { readonly kind: "noAnswer"; readonly sentAt: number; readonly networkCode?: string; readonly answerBegun: boolean };

/** A failed attempt, classified for the retry policy. */
interface AttemptFailure {
  readonly kind: "http" | "network";
  readonly retryable: boolean;
  readonly networkCode?: string;
  readonly response?: AxiosResponse<string>;
}

const NETWORK_CODES_NOT_RETRIED = new Set([
  "ENOTFOUND",
  "ERR_INVALID_URL",
  "ERR_BAD_OPTION",
  "ERR_BAD_OPTION_VALUE",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/**
 * A new axios instance. axios is loaded with the first client rather than with the package: a
 * program that only declares resources never sends a request, and its start-up is the engine's wait.
 */
function newAxiosInstance(): AxiosInstance {
  const axios = require("axios") as typeof import("axios");
  return axios.create();
}

/** A Partner Center API client for customers, their qualifications and GCC validation codes. */
export class PartnerCenterClient {
  readonly endpoint: string;
  private readonly credential: TokenCredential;
  private readonly http: AxiosInstance;
  private readonly scopes: string[];
  private readonly retry: ResolvedRetryOptions;
  private readonly throttle: RequestThrottle;
  private readonly breaker: ConnectionBreaker<PartnerCenterError>;
  private readonly timeoutInMs: number;
  private readonly deadlineInMs: number;
  private readonly applicationName: string;
  private readonly locale: string;
  private readonly logger: PartnerCenterLogger | undefined;

  /**
   * @param endpoint - The API base URL, such as https://api.partnercenter.microsoft.com.
   * @param credential - Supplies App+User access tokens.
   */
  constructor(endpoint: string, credential: TokenCredential, options: PartnerCenterClientOptions = {}) {
    this.endpoint = normalisedEndpoint(endpoint);
    this.credential = credential;
    this.http = options.httpClient ?? newAxiosInstance();
    this.scopes = [...(options.scopes ?? [DEFAULT_PARTNER_CENTER_SCOPE])];
    this.retry = { ...DEFAULT_RETRY_OPTIONS, ...definedOnly(options.retryOptions ?? {}) };
    this.throttle = new RequestThrottle({
      ...(options.maxConcurrentRequests !== undefined ? { maxConcurrentRequests: options.maxConcurrentRequests } : {}),
      ...(options.requestsPerMinute !== undefined ? { requestsPerMinute: options.requestsPerMinute } : {}),
    });
    this.breaker = new ConnectionBreaker(options.connectionBreaker);
    this.timeoutInMs = options.timeoutInMs ?? 30_000;
    this.deadlineInMs = options.deadlineInMs ?? 300_000;
    this.applicationName = options.applicationName ?? `${PACKAGE_NAME}/${PACKAGE_VERSION}`;
    this.locale = options.locale ?? "en-US";
    this.logger = options.logger;
  }

  /** Reads a customer's qualifications. A customer with none reads as an empty list. */
  async getQualifications(customerId: string, options: GetQualificationsOptions = {}): Promise<QualificationRecord[]> {
    const id = requireCustomerId(customerId);
    return this.send(
      {
        method: "GET",
        path: `/v1/customers/${id}/qualifications`,
        operation: "read qualifications",
        customerId: id,
        read: readQualifications,
      },
      options,
    );
  }

  /**
   * Creates a qualification on a customer: one POST, retried with the same `MS-RequestId` so that
   * the service can recognise a repeat. Qualifications are irreversible: there is no delete.
   */
  async createQualification(customerId: string, request: CreateQualificationRequest, options: CreateQualificationOptions = {}): Promise<QualificationRecord> {
    const inputs = requireValidQualificationInputs("Refused to create a qualification", { ...request, customerId }, { requireValidationCode: true });
    const body: Record<string, string> = { qualification: inputs.qualification };
    if (inputs.educationSegment !== undefined) body.educationSegment = inputs.educationSegment;
    if (inputs.website !== undefined) body.website = inputs.website;
    if (inputs.validationCode !== undefined) body.validationCode = inputs.validationCode;
    // The 2021 contract carried the GCC code as ?code=; the 2023 one in the body. Send both.
    const query = inputs.validationCode !== undefined ? { code: inputs.validationCode } : undefined;
    return this.send(
      {
        method: "POST",
        path: `/v1/customers/${inputs.customerId}/qualifications`,
        ...(query !== undefined ? { query } : {}),
        body,
        operation: `create ${inputs.qualification} qualification`,
        customerId: inputs.customerId,
        read: (responseBody) => {
          const records = readQualifications(responseBody);
          const match = records.find((r) => r.qualification === inputs.qualification);
          return match ?? { qualification: inputs.qualification };
        },
      },
      options,
    );
  }

  /** Reads the partner's GCC validation codes. */
  async getValidationCodes(options: GetValidationCodesOptions = {}): Promise<ValidationCode[]> {
    return this.send({ method: "GET", path: "/v1/customers/all/validations", operation: "read validation codes", read: readValidationCodes }, options);
  }

  /**
   * Lists the partner's customers, page by page as Partner Center hands them out: iterate it for
   * customers, or call `byPage()` for pages. Each page is one request through the same retries and
   * throttle as every other call.
   */
  listCustomers(options: ListCustomersOptions = {}): CustomerIterator {
    const pageSize = options.pageSize ?? DEFAULT_CUSTOMER_PAGE_SIZE;
    if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > MAX_CUSTOMER_PAGE_SIZE) {
      throw new RangeError(`pageSize must be a whole number from 1 to ${MAX_CUSTOMER_PAGE_SIZE}; got ${pageSize}`);
    }
    const pages = (): AsyncIterableIterator<CustomerPage> => this.customerPages(pageSize, options);
    return {
      [Symbol.asyncIterator]: async function* () {
        for await (const page of pages()) yield* page.items;
      },
      byPage: pages,
    };
  }

  private async *customerPages(pageSize: number, options: ListCustomersOptions): AsyncIterableIterator<CustomerPage> {
    const query: Record<string, string> = { size: String(pageSize) };
    if (options.filter !== undefined) query.filter = JSON.stringify(customerFilterOf(options.filter));
    let request: { path: string; query?: Record<string, string>; headers?: Record<string, string> } | undefined = { path: "/v1/customers", query };
    while (request !== undefined) {
      const page: CustomerPage = await this.send({ method: "GET", ...request, operation: "list customers", read: readCustomerPage }, options);
      yield page;
      request = page.next !== undefined ? this.nextPageRequest(page.next) : undefined;
    }
  }

  /** The request of a `links.next`: its URI under this endpoint (with `/v1` added when missing) and its headers. */
  private nextPageRequest(next: NextPageLink): { path: string; headers: Record<string, string> } {
    const url = new URL(next.uri, `${this.endpoint}/`);
    if (url.origin !== new URL(this.endpoint).origin) {
      // The token must not go to another host, whatever a response says.
      throw new PartnerCenterError({
        kind: "invalidResponse",
        operation: "list customers",
        retryable: false,
        attempts: 1,
        description: "the next page's link points to another host",
      });
    }
    const path = /^\/v\d+\//i.test(url.pathname) ? url.pathname : `/v1${url.pathname.startsWith("/") ? "" : "/"}${url.pathname}`;
    return { path: `${path}${url.search}`, headers: next.headers };
  }

  /** Partner Center's connection as this client sees it: its breaker's state, cause and count. */
  get connection(): ConnectionState {
    const cause = this.breaker.cause;
    return { state: this.breaker.state, ...(cause !== undefined ? { cause } : {}), refused: this.breaker.refused };
  }

  /** One call: attempts through the breaker and the throttle, each classified, retried as the policy decides. */
  private async send<T>(plan: RequestPlan<T>, options: OperationOptions): Promise<T> {
    const call: CallProgress = {
      ids: {
        requestId: options.requestId ?? randomUUID(),
        correlationId: options.correlationId ?? randomUUID(),
        operation: plan.operation,
        method: plan.method,
        ...(plan.customerId !== undefined ? { customerId: plan.customerId } : {}),
      },
      deadline: Date.now() + this.deadlineInMs,
      abortSignal: options.abortSignal,
      attempts: 0,
      renewedAfter401: false,
      connectionFailingSince: undefined,
      probe: false,
    };
    for (;;) {
      const probe = call.probe;
      call.probe = false;
      if (!probe) await this.admit(call.ids, call.attempts, call.abortSignal);
      const token = await this.token(call.abortSignal, call.ids, call.attempts);
      const outcome = await this.throttledAttempt({
        plan,
        token: token.token,
        ids: call.ids,
        deadline: call.deadline,
        abortSignal: call.abortSignal,
        attempts: call.attempts,
        probe,
      });
      call.attempts++;
      if (outcome.kind === "answered" && outcome.response.status >= 200 && outcome.response.status < 300) {
        return this.readBody(plan, outcome.response, call.ids, call.attempts);
      }
      if (outcome.kind === "answered" && outcome.response.status === 401 && !call.renewedAfter401 && isRenewable(this.credential)) {
        // A token can be revoked or expire early; one fresh token per call, never a loop.
        call.renewedAfter401 = true;
        this.credential.forgetToken(token.token);
        continue;
      }
      const connectionLevel = outcome.kind === "noAnswer" && isConnectionLevelFailure(outcome.networkCode, outcome.answerBegun);
      call.connectionFailingSince = connectionLevel ? (call.connectionFailingSince ?? Date.now()) : undefined;
      const failure = classify(outcome);
      if (probe && outcome.kind === "noAnswer") throw this.probeFailed(failure, call, connectionLevel);
      const decision = this.decide(failure, call.ids, call.attempts, call.deadline);
      if (decision.retry) await this.pause(decision.delayInMs, call.abortSignal, call.ids, call.attempts);
      else if (call.connectionFailingSince === undefined) throw this.failureError(failure, call.ids, call.attempts, token.token, decision.reason);
      else await this.afterConnectionFailures(failure, call, decision.reason);
    }
  }

  /** Before an attempt: waits while the breaker probes; throws at once while it is open. */
  private async admit(ids: CallIds, attempts: number, abortSignal: AbortSignal | undefined): Promise<void> {
    let admitted: "send" | "refused";
    try {
      admitted = await this.breaker.admit(abortSignal);
    } catch {
      throw new PartnerCenterError({ ...ids, kind: "aborted", retryable: false, attempts });
    }
    if (admitted === "refused") throw this.refusedError(ids, attempts);
  }

  /**
   * A call used up its retries on connection-level failures only: the breaker says whether the
   * failure is the call's own (the service answered others meanwhile), whether this call probes
   * (after a pause, one more attempt), or whether it tries again or fails without a request.
   */
  private async afterConnectionFailures(failure: AttemptFailure, call: CallProgress, retryStopReason: string): Promise<void> {
    const since = call.connectionFailingSince ?? Date.now();
    let verdict: Awaited<ReturnType<ConnectionBreaker["exhausted"]>>;
    try {
      verdict = await this.breaker.exhausted(since, call.abortSignal);
    } catch {
      throw new PartnerCenterError({ ...call.ids, kind: "aborted", retryable: false, attempts: call.attempts });
    }
    if (verdict === "fail") throw this.failureError(failure, call.ids, call.attempts, "", retryStopReason);
    if (verdict === "refused") throw this.refusedError(call.ids, call.attempts);
    if (verdict === "retry") return;
    const delay = this.breaker.probePauseInMs(since);
    if (Date.now() + delay >= call.deadline) {
      this.breaker.abandonProbe();
      throw this.failureError(failure, call.ids, call.attempts, "", "no time is left for a probe before the call's deadline");
    }
    this.logger?.warning(
      `Partner Center at ${this.endpoint}: no answer to any request since ${new Date(since).toISOString()} (${failure.networkCode ?? "no answer"}); one more attempt in ${delay} ms, the other calls wait for it [request id ${call.ids.requestId}]`,
    );
    try {
      await this.pause(delay, call.abortSignal, call.ids, call.attempts);
    } catch (error) {
      this.breaker.abandonProbe();
      throw error;
    }
    call.probe = true;
  }

  /** The probe got no answer: at connection level, Partner Center is unreachable; otherwise the call fails on its own. */
  private probeFailed(failure: AttemptFailure, call: CallProgress, connectionLevel: boolean): PartnerCenterError {
    if (!connectionLevel) {
      this.breaker.abandonProbe();
      return this.failureError(failure, call.ids, call.attempts, "", "the probe failed another way");
    }
    // Not retryable: every later call of this client fails at once, so a caller must not swallow it as transient.
    const error = new PartnerCenterError({
      ...call.ids,
      kind: "unreachable",
      retryable: false,
      attempts: call.attempts,
      endpoint: this.endpoint,
      ...(failure.networkCode !== undefined ? { networkCode: failure.networkCode } : {}),
    });
    this.breaker.open(error);
    // info, not warning: it is no retry, and the error itself says it.
    this.logger?.info(`Partner Center at ${this.endpoint} is unreachable (${failure.networkCode ?? "no answer"}): every call of this client now fails at once`);
    return error;
  }

  /** A call that fails without a request of its own: the breaker is open. */
  private refusedError(ids: CallIds, attempts: number): PartnerCenterError {
    const cause = this.breaker.cause;
    return new PartnerCenterError({
      ...ids,
      kind: "unreachable",
      retryable: false,
      attempts,
      endpoint: this.endpoint,
      refusedSoFar: this.breaker.refused,
      ...(cause !== undefined ? { cause, ...(cause.networkCode !== undefined ? { networkCode: cause.networkCode } : {}) } : {}),
    });
  }

  /** One attempt in its turn of the throttle; the outcome is logged, never the headers. */
  private async throttledAttempt(attempt: Attempt): Promise<AttemptOutcome> {
    const release = await this.turn(attempt);
    try {
      if (attempt.abortSignal?.aborted) throw new PartnerCenterError({ ...attempt.ids, kind: "aborted", retryable: false, attempts: attempt.attempts });
      return await this.attempt(attempt);
    } finally {
      release();
    }
  }

  /**
   * A turn of the throttle to send in. The breaker may have left `closed` during the wait for it:
   * while it probes, the turn goes back (the probe may need the slot) and the call waits for the
   * verdict; once it is open, the call fails without a request.
   */
  private async turn(attempt: Attempt): Promise<() => void> {
    const { ids, deadline, abortSignal, attempts } = attempt;
    for (;;) {
      let release: () => void;
      try {
        release = await this.throttle.acquire(deadline, abortSignal);
      } catch (error) {
        const description = error instanceof Error ? error.message : String(error);
        throw new PartnerCenterError({ ...ids, kind: "deadline", retryable: true, attempts, description, nextStep: throttledNextStep(ids.method) });
      }
      if (attempt.probe || this.breaker.state === "closed") return release;
      release();
      await this.admit(ids, attempts, abortSignal);
    }
  }

  private async attempt({ plan, token, ids, deadline, abortSignal, attempts }: Attempt): Promise<AttemptOutcome> {
    const started = Date.now();
    try {
      const response = await this.http.request<string>({
        method: plan.method,
        url: `${this.endpoint}${plan.path}`,
        ...(plan.query !== undefined ? { params: plan.query } : {}),
        ...(plan.body !== undefined ? { data: JSON.stringify(plan.body) } : {}),
        headers: { ...plan.headers, ...this.headers(token, ids, plan.body !== undefined) },
        timeout: Math.max(1, Math.min(this.timeoutInMs, deadline - Date.now())),
        responseType: "text",
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
        maxRedirects: 0,
        ...(abortSignal !== undefined ? { signal: abortSignal } : {}),
      });
      this.logger?.info(`${plan.method} ${pathOnly(plan.path)} ${response.status} in ${Date.now() - started} ms [request id ${ids.requestId}]`);
      if (response.status === 429) this.throttle.recordThrottled(retryAfterOf(response) ?? this.retry.retryDelayInMs, started);
      else this.throttle.recordAdmitted(started);
      this.breaker.recordAnswer(started);
      return { kind: "answered", sentAt: started, response };
    } catch (error) {
      if (abortSignal?.aborted) throw new PartnerCenterError({ ...ids, kind: "aborted", retryable: false, attempts: attempts + 1 });
      const networkCode = networkCodeOf(error);
      this.logger?.info(`${plan.method} ${pathOnly(plan.path)} failed (${networkCode ?? "network error"}) [request id ${ids.requestId}]`);
      return { kind: "noAnswer", sentAt: started, answerBegun: answerBegun(error), ...(networkCode !== undefined ? { networkCode } : {}) };
    }
  }

  /** Whether to wait and try again (logged), per the retry policy. */
  private decide(failure: AttemptFailure, ids: CallIds, attempts: number, deadline: number): RetryDecision {
    const retryAfterHeader = headerOf(failure.response, "retry-after");
    const decision = decideRetry(
      {
        retriesSoFar: attempts - 1,
        retryable: failure.retryable,
        ...(retryAfterHeader !== undefined ? { retryAfterHeader } : {}),
        deadlineInMs: deadline,
        nowInMs: Date.now(),
      },
      this.retry,
    );
    if (!decision.retry) return decision;
    const what = failure.response !== undefined ? `HTTP ${failure.response.status}` : (failure.networkCode ?? "a network error");
    const customer = ids.customerId !== undefined ? ` for customer ${ids.customerId}` : "";
    this.logger?.warning(
      `Partner Center ${ids.operation}${customer}: ${what}; retrying in ${decision.delayInMs} ms (retry ${attempts} of ${this.retry.maxRetries}) [request id ${ids.requestId}]`,
    );
    return decision;
  }

  private async pause(ms: number, abortSignal: AbortSignal | undefined, ids: CallIds, attempts: number): Promise<void> {
    try {
      await sleep(ms, undefined, abortSignal !== undefined ? { signal: abortSignal } : {});
    } catch {
      throw new PartnerCenterError({ ...ids, kind: "aborted", retryable: false, attempts });
    }
  }

  private async token(abortSignal: AbortSignal | undefined, ids: CallIds, attempts: number): Promise<AccessToken> {
    if (abortSignal?.aborted) throw new PartnerCenterError({ ...ids, kind: "aborted", retryable: false, attempts });
    // Credential errors pass through: the credentials of this package write them for people, without secrets.
    const token = await this.credential.getToken(this.scopes, abortSignal !== undefined ? { abortSignal } : {});
    if (token === null || typeof token.token !== "string" || token.token === "") {
      throw new PartnerCenterError({ ...ids, kind: "credential", retryable: false, attempts, description: "the credential returned no token" });
    }
    return token;
  }

  private headers(token: string, ids: CallIds, withBody: boolean): Record<string, string> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: "application/json",
      "MS-RequestId": ids.requestId,
      "MS-CorrelationId": ids.correlationId,
      "MS-PartnerCenter-Application": this.applicationName,
      "X-Locale": this.locale,
      "User-Agent": `${PACKAGE_NAME}/${PACKAGE_VERSION}`,
    };
    if (withBody) headers["Content-Type"] = "application/json";
    return headers;
  }

  private readBody<T>(plan: RequestPlan<T>, response: AxiosResponse<string>, ids: CallIds, attempts: number): T {
    // Some Partner Center answers start with a byte-order mark.
    const text = typeof response.data === "string" ? response.data.replace(/^\uFEFF/, "") : "";
    let body: unknown = undefined;
    if (text.trim() !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        throw new PartnerCenterError({
          ...ids,
          kind: "invalidResponse",
          statusCode: response.status,
          retryable: false,
          attempts,
          description: `HTTP ${response.status} with a body that is not JSON`,
        });
      }
    }
    return plan.read(body);
  }

  private failureError(failure: AttemptFailure, ids: CallIds, attempts: number, token: string, retryStopReason: string): PartnerCenterError {
    const response = failure.response;
    if (response === undefined) {
      return new PartnerCenterError({
        ...ids,
        kind: "network",
        retryable: failure.retryable,
        attempts,
        retryStopReason,
        ...(failure.networkCode !== undefined ? { networkCode: failure.networkCode } : {}),
      });
    }
    const service = readServiceError(response.data);
    const description = service.description !== undefined ? withoutSecret(service.description, token) : undefined;
    const subject = { kind: "http" as const, statusCode: response.status, serviceCode: service.code, customerId: ids.customerId, method: ids.method };
    return new PartnerCenterError({
      ...ids,
      // The service's IDs win: they are what Microsoft support asks for.
      requestId: headerOf(response, "ms-requestid") ?? ids.requestId,
      correlationId: headerOf(response, "ms-correlationid") ?? ids.correlationId,
      kind: "http",
      statusCode: response.status,
      retryable: failure.retryable,
      attempts,
      retryStopReason,
      ...(service.code !== undefined ? { serviceCode: service.code } : {}),
      ...(description !== undefined ? { description } : {}),
      nextStep: defaultNextStep(subject, readTokenFacts(token)),
    });
  }
}

/** The next step of a call that ran out of time waiting for its turn: nothing was sent. */
function throttledNextStep(method: "GET" | "POST"): string {
  const creates = method === "POST" ? "; the next `pulumi up` reads the customer first and adopts what exists, so nothing is POSTed twice" : "";
  return `Partner Center is throttling this partner and the call ran out of time waiting: lower partnercenter:maxConcurrentRequests or run again later${creates}.`;
}

/** Sorts a failed attempt into what the retry policy needs to know. */
function classify(outcome: AttemptOutcome): AttemptFailure {
  if (outcome.kind === "answered") {
    return { kind: "http", retryable: isRetryableStatus(outcome.response.status), response: outcome.response };
  }
  const retryable = outcome.networkCode === undefined || !NETWORK_CODES_NOT_RETRIED.has(outcome.networkCode);
  return { kind: "network", retryable, ...(outcome.networkCode !== undefined ? { networkCode: outcome.networkCode } : {}) };
}

function retryAfterOf(response: AxiosResponse): number | undefined {
  return parseRetryAfter(headerOf(response, "retry-after"), Date.now());
}

/** A request's path without its query, for log lines: a query may hold a validation code. */
function pathOnly(path: string): string {
  const query = path.indexOf("?");
  return query < 0 ? path : path.slice(0, query);
}

function normalisedEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TypeError(`endpoint must be an absolute http(s) URL such as ${DEFAULT_PARTNER_CENTER_ENDPOINT}; got ${JSON.stringify(endpoint)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`endpoint must be an http(s) URL; got the scheme ${url.protocol}`);
  }
  return url.toString().replace(/\/+$/, "");
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function requireCustomerId(customerId: string): string {
  requireValidQualificationInputs("Refused to call Partner Center", { customerId, qualification: "StateOwnedEntity" });
  return customerId.trim().toLowerCase();
}

function isRenewable(credential: TokenCredential): credential is RenewableTokenCredential {
  return typeof (credential as Partial<RenewableTokenCredential>).forgetToken === "function";
}

function headerOf(response: AxiosResponse | undefined, name: string): string | undefined {
  if (response === undefined) return undefined;
  const value: unknown = response.headers[name];
  if (typeof value === "string" && value !== "") return value;
  if (Array.isArray(value) && typeof value[0] === "string") return value[0];
  return undefined;
}

/**
 * Whether the failed attempt had begun to receive an answer: response headers came (Node's request
 * then holds its response). A reset or timeout after that is not a connection-level failure.
 */
function answerBegun(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const request = (error as { request?: { res?: unknown } }).request;
  return typeof request === "object" && request !== null && request.res !== undefined && request.res !== null;
}

function networkCodeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && code !== "") {
    // axios reports its own timeout as ECONNABORTED; call it what it is.
    return code === "ECONNABORTED" ? "ETIMEDOUT" : code;
  }
  return undefined;
}

function withoutSecret(text: string, secret: string): string {
  return secret.length >= 8 ? text.split(secret).join("[redacted]") : text;
}
