/**
 * pulumi-partnercenter: Microsoft Partner Center customer qualifications as Pulumi resources.
 * @packageDocumentation
 */
export {
  CustomerQualification,
  PartnerCenterProvider,
  countByVettingStatus,
  declareCustomerQualifications,
  resourceNameOf,
  type CustomerQualificationArgs,
  type PartnerCenterProviderArgs,
} from "./resource";
export { getCustomerQualifications, getValidationCodes, type LookupOptions } from "./lookups";
export { CustomerListError, readCustomerListCsv, readCustomerListEntries, type CustomerListEntry, type CustomerListProblem } from "./customer-list";
export { MAX_SHARD_COUNT, ShardSpecError, readShardSpec, selectShard, shardOfCustomer, type ShardSpec } from "./customer-list";
export {
  PartnerCenterClient,
  PartnerCenterError,
  isPartnerCenterError,
  DEFAULT_PARTNER_CENTER_ENDPOINT,
  DEFAULT_PARTNER_CENTER_SCOPE,
  DEFAULT_RETRY_OPTIONS,
  type ConnectionBreakerOptions,
  type ConnectionBreakerState,
  type ConnectionState,
  type CreateQualificationOptions,
  type CreateQualificationRequest,
  type GetQualificationsOptions,
  type GetValidationCodesOptions,
  type OperationOptions,
  type PartnerCenterClientOptions,
  type PartnerCenterErrorKind,
  type PartnerCenterLogger,
  type QualificationRecord,
  type RenewableTokenCredential,
  type RetryOptions,
  type ValidationCode,
} from "./client";
export { AccessTokenCredential } from "./auth";
export {
  EDUCATION_SEGMENTS,
  SETTABLE_QUALIFICATIONS,
  InputValidationError,
  type EducationSegment,
  type WaitForVettingOptions,
  type InputFailure,
  type SettableQualification,
} from "./qualification";
export { SETTING_DEFINITIONS, SettingsError } from "./config";
export * as native from "./native";
