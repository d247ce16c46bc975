/**
 * The Partner Center client: one class, one error type, one retry policy.
 * @packageDocumentation
 */
export * from "./partner-center-client";
export * from "./partner-center-error";
export { DEFAULT_RETRY_OPTIONS, type RetryOptions } from "./retry-policy";
export type { QualificationRecord, ValidationCode } from "./wire-format";
export { readTokenFacts, type TokenFacts } from "./token-facts";
