/**
 * The CustomerQualification resource and the provider object serialized with it.
 * @packageDocumentation
 */
export * from "./customer-qualification";
export { leanProvider } from "./lean-provider";
