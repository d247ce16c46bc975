/**
 * Provider settings from stack configuration and the environment.
 * @packageDocumentation
 */
export * from "./settings";
