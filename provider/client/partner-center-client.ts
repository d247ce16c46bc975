/**
 * A client for the customer-qualification routes of the Partner Center REST API, on axios.
 * Usable on its own, outside Pulumi.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import axios, { type AxiosInstance, type AxiosResponse } from "axios";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { requireValidQualificationInputs, type EducationSegment, type SettableQualification } from "../qualification";
import { PartnerCenterError, defaultNextStep, type PartnerCenterErrorKind } from "./partner-center-error";
import { DEFAULT_RETRY_OPTIONS, decideRetry, isRetryableStatus, type ResolvedRetryOptions, type RetryOptions } from "./retry-policy";
import { readQualifications, readServiceError, readValidationCodes, type QualificationRecord, type ValidationCode } from "./wire-format";
import { PACKAGE_NAME, PACKAGE_VERSION } from "./package-identity";
import { readTokenFacts } from "./token-facts";

/** The public Partner Center API endpoint. */
export const DEFAULT_PARTNER_CENTER_ENDPOINT = "https://api.partnercenter.microsoft.com";

/** The delegated scope for Partner Center on the v2 token endpoint of the public cloud. */
export const DEFAULT_PARTNER_CENTER_SCOPE = "https://api.partnercenter.microsoft.com/user_impersonation";

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
  /** Time allowed for one attempt. Default 30000. */
  readonly timeoutInMs?: number;
  /** Time allowed for a whole call, retries and waits included. Default 300000. */
  readonly deadlineInMs?: number;
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
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly body?: unknown;
  readonly operation: string;
  readonly customerId?: string;
  readonly read: (body: unknown) => T;
}

const NETWORK_CODES_NOT_RETRIED = new Set(["ENOTFOUND", "ERR_INVALID_URL", "ERR_BAD_OPTION", "ERR_BAD_OPTION_VALUE", "CERT_HAS_EXPIRED", "DEPTH_ZERO_SELF_SIGNED_CERT", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "SELF_SIGNED_CERT_IN_CHAIN", "ERR_TLS_CERT_ALTNAME_INVALID"]);

/** A Partner Center API client for customer qualifications and GCC validation codes. */
export class PartnerCenterClient {
  readonly endpoint: string;
  private readonly credential: TokenCredential;
  private readonly http: AxiosInstance;
  private readonly scopes: string[];
  private readonly retry: ResolvedRetryOptions;
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
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new TypeError(`endpoint must be an absolute http(s) URL such as ${DEFAULT_PARTNER_CENTER_ENDPOINT}; got ${JSON.stringify(endpoint)}`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new TypeError(`endpoint must be an http(s) URL; got the scheme ${url.protocol}`);
    }
    this.endpoint = url.toString().replace(/\/+$/, "");
    this.credential = credential;
    this.http = options.httpClient ?? axios.create();
    this.scopes = [...(options.scopes ?? [DEFAULT_PARTNER_CENTER_SCOPE])];
    this.retry = { ...DEFAULT_RETRY_OPTIONS, ...definedOnly(options.retryOptions ?? {}) };
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
  async createQualification(
    customerId: string,
    request: CreateQualificationRequest,
    options: CreateQualificationOptions = {},
  ): Promise<QualificationRecord> {
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
    return this.send(
      { method: "GET", path: "/v1/customers/all/validations", operation: "read validation codes", read: readValidationCodes },
      options,
    );
  }

  private async send<T>(plan: RequestPlan<T>, options: OperationOptions): Promise<T> {
    const requestId = options.requestId ?? randomUUID();
    const correlationId = options.correlationId ?? randomUUID();
    const started = Date.now();
    const deadline = started + this.deadlineInMs;
    const ids = { requestId, correlationId, operation: plan.operation, ...(plan.customerId !== undefined ? { customerId: plan.customerId } : {}) };
    let attempts = 0;
    let retries = 0;
    let renewedAfter401 = false;

    for (;;) {
      if (options.abortSignal?.aborted) {
        throw new PartnerCenterError({ ...ids, kind: "aborted", retryable: false, attempts });
      }
      const token = await this.token(options.abortSignal, ids, attempts);
      attempts++;
      const attemptStarted = Date.now();
      let failure: { kind: PartnerCenterErrorKind; retryable: boolean; networkCode?: string; response?: AxiosResponse<string> };
      try {
        const response = await this.http.request<string>({
          method: plan.method,
          url: `${this.endpoint}${plan.path}`,
          ...(plan.query !== undefined ? { params: plan.query } : {}),
          ...(plan.body !== undefined ? { data: JSON.stringify(plan.body) } : {}),
          headers: this.headers(token.token, requestId, correlationId, plan.body !== undefined),
          timeout: Math.max(1, Math.min(this.timeoutInMs, deadline - Date.now())),
          responseType: "text",
          transformResponse: [(data: unknown) => data],
          validateStatus: () => true,
          maxRedirects: 0,
          ...(options.abortSignal !== undefined ? { signal: options.abortSignal } : {}),
        });
        const elapsed = Date.now() - attemptStarted;
        this.logger?.info(`${plan.method} ${plan.path} ${response.status} in ${elapsed} ms [request id ${requestId}]`);
        if (response.status >= 200 && response.status < 300) {
          return this.readBody(plan, response, ids, attempts);
        }
        if (response.status === 401 && !renewedAfter401 && isRenewable(this.credential)) {
          // A token can be revoked or expire early; one fresh token per call, never a loop.
          renewedAfter401 = true;
          this.credential.forgetToken(token.token);
          continue;
        }
        failure = { kind: "http", retryable: isRetryableStatus(response.status), response };
      } catch (error) {
        if (options.abortSignal?.aborted) {
          throw new PartnerCenterError({ ...ids, kind: "aborted", retryable: false, attempts });
        }
        const networkCode = networkCodeOf(error);
        this.logger?.info(`${plan.method} ${plan.path} failed (${networkCode ?? "network error"}) [request id ${requestId}]`);
        failure = {
          kind: "network",
          retryable: networkCode === undefined || !NETWORK_CODES_NOT_RETRIED.has(networkCode),
          ...(networkCode !== undefined ? { networkCode } : {}),
        };
      }

      const retryAfterHeader = headerOf(failure.response, "retry-after");
      const decision = decideRetry(
        {
          retriesSoFar: retries,
          retryable: failure.retryable,
          ...(retryAfterHeader !== undefined ? { retryAfterHeader } : {}),
          deadlineInMs: deadline,
          nowInMs: Date.now(),
        },
        this.retry,
      );
      if (!decision.retry) {
        throw this.failureError(failure, ids, attempts, token.token, decision.reason);
      }
      retries++;
      const what = failure.response !== undefined ? `HTTP ${failure.response.status}` : (failure.networkCode ?? "a network error");
      this.logger?.warning(
        `Partner Center ${plan.operation}${plan.customerId !== undefined ? ` for customer ${plan.customerId}` : ""}: ${what}; retrying in ${decision.delayInMs} ms (retry ${retries} of ${this.retry.maxRetries}) [request id ${requestId}]`,
      );
      try {
        await sleep(decision.delayInMs, undefined, options.abortSignal !== undefined ? { signal: options.abortSignal } : {});
      } catch {
        throw new PartnerCenterError({ ...ids, kind: "aborted", retryable: false, attempts });
      }
    }
  }

  private async token(
    abortSignal: AbortSignal | undefined,
    ids: { requestId: string; correlationId: string; operation: string; customerId?: string },
    attempts: number,
  ): Promise<AccessToken> {
    // Credential errors pass through: the credentials of this package write them for people, without secrets.
    const token = await this.credential.getToken(this.scopes, abortSignal !== undefined ? { abortSignal } : {});
    if (token === null || typeof token.token !== "string" || token.token === "") {
      throw new PartnerCenterError({ ...ids, kind: "credential", retryable: false, attempts, description: "the credential returned no token" });
    }
    return token;
  }

  private headers(token: string, requestId: string, correlationId: string, withBody: boolean): Record<string, string> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: "application/json",
      "MS-RequestId": requestId,
      "MS-CorrelationId": correlationId,
      "MS-PartnerCenter-Application": this.applicationName,
      "X-Locale": this.locale,
      "User-Agent": `${PACKAGE_NAME}/${PACKAGE_VERSION}`,
    };
    if (withBody) headers["Content-Type"] = "application/json";
    return headers;
  }

  private readBody<T>(
    plan: RequestPlan<T>,
    response: AxiosResponse<string>,
    ids: { requestId: string; correlationId: string; operation: string; customerId?: string },
    attempts: number,
  ): T {
    const text = typeof response.data === "string" ? response.data : "";
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

  private failureError(
    failure: { kind: PartnerCenterErrorKind; retryable: boolean; networkCode?: string; response?: AxiosResponse<string> },
    ids: { requestId: string; correlationId: string; operation: string; customerId?: string },
    attempts: number,
    token: string,
    retryStopReason: string,
  ): PartnerCenterError {
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
    const nextStep = defaultNextStep({ kind: "http", statusCode: response.status, serviceCode: service.code }, readTokenFacts(token));
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
      nextStep,
    });
  }
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
