/**
 * The native provider plugin `pulumi-resource-partnercenter`: the same lifecycle as the dynamic
 * resource, served over Pulumi's provider protocol, for Pulumi YAML, Python and `pulumi import`.
 * @packageDocumentation
 */
export { servePlugin } from "./plugin-server";
export { pluginSchema } from "./plugin-schema";
