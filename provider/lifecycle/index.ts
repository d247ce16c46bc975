/**
 * The lifecycle of a CustomerQualification (check, diff, create, read, update, delete), written
 * once and driven by both adapters: the dynamic provider and the native plugin.
 * @packageDocumentation
 */
export * from "./qualification-lifecycle";
export * from "./state";
export * from "./validation-code-choice";
export * from "./vetting-wait";
