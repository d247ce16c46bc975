/**
 * Resources for TypeScript programs that use the native plugin `pulumi-resource-partnercenter`
 * (see the README's "Dynamic resource or native plugin"). Exported from the package as `native`.
 * @packageDocumentation
 */
export { CustomerQualification, NATIVE_CUSTOMER_QUALIFICATION_TYPE, Provider, declareCustomerQualifications } from "./native-resources";
