/**
 * The type tokens of the CustomerQualification resource in its two forms: what a program registers,
 * what state records, what the plugin serves and what an import file names. Spelled here only.
 */

/** The dynamic resource's type: Pulumi's dynamic-provider plugin, with this resource's type name. */
export const DYNAMIC_RESOURCE_TYPE = "pulumi-nodejs:dynamic/partnercenter:CustomerQualification";

/** The type the native plugin `pulumi-resource-partnercenter` serves. */
export const NATIVE_RESOURCE_TYPE = "partnercenter:index:CustomerQualification";
