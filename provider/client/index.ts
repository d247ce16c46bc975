/**
 * The Partner Center client: one class, one error type, one retry policy, one throttle and one
 * connection breaker per client.
 * @packageDocumentation
 */
export * from "./partner-center-client";
export * from "./partner-center-error";
export { DEFAULT_RETRY_OPTIONS, type RetryOptions } from "./retry-policy";
export type { CustomerPage, NextPageLink, PartnerCustomer, QualificationRecord, ValidationCode } from "./wire-format";
export { DEFAULT_MAX_CONCURRENT_REQUESTS, RequestThrottle, type RequestThrottleOptions } from "./request-throttle";
export {
  ConnectionBreaker,
  DEFAULT_PROBE_DELAY_IN_MS,
  isConnectionLevelFailure,
  type ConnectionBreakerOptions,
  type ConnectionBreakerState,
  type ExhaustedVerdict,
} from "./connection-breaker";
export { readTokenFacts, type TokenFacts } from "./token-facts";
export { PACKAGE_NAME, PACKAGE_VERSION } from "./package-identity";
