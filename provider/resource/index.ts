/**
 * The CustomerQualification resource, the provider object and loader stored with it, and helpers that
 * declare many of them from a list.
 * @packageDocumentation
 */
export * from "./customer-qualification";
export * from "./declare-customer-qualifications";
import dynamicProvider = require("./dynamic-provider");
/** The provider object the dynamic-provider host loads for CustomerQualification; see `dynamic-provider.ts`. */
export { dynamicProvider };
export { PROVIDER_LOADER } from "./provider-loader";
export { PartnerCenterProvider, settingsAsInputs, type PartnerCenterProviderArgs } from "./partner-center-provider";
export { guardAgainstConflicts } from "./declared-combinations";
export { suspendStackTraces } from "./registration-stack-traces";
