/**
 * The CustomerQualification resource, the provider object serialized with it, and helpers that
 * declare many of them from a list.
 * @packageDocumentation
 */
export * from "./customer-qualification";
export * from "./declare-customer-qualifications";
import dynamicProvider = require("./dynamic-provider");
/** The provider object serialized into state; see `dynamic-provider.ts`. */
export { dynamicProvider };
export { PartnerCenterProvider, settingsAsInputs, type PartnerCenterProviderArgs } from "./partner-center-provider";
export { guardAgainstConflicts } from "./declared-combinations";
