/**
 * Where the provider tells the person running `pulumi` what happened: the engine's log inside a
 * provider process, stderr elsewhere.
 * @packageDocumentation
 */
export * from "./provider-log";
