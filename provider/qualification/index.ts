/**
 * The qualification vocabulary and input rules, shared by the client, the resource and the bulk list.
 * @packageDocumentation
 */
export * from "./names";
export * from "./resource-types";
export * from "./validation";
