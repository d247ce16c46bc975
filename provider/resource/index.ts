/**
 * The CustomerQualification resource, the provider object serialized with it, and helpers that
 * declare many of them from a list.
 * @packageDocumentation
 */
export * from "./customer-qualification";
export * from "./declare-customer-qualifications";
export { leanProvider } from "./lean-provider";
export { PartnerCenterProvider, type PartnerCenterProviderArgs } from "./partner-center-provider";
