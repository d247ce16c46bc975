/**
 * The command line of this package's bins: strict options, usage errors, exit codes, and the
 * `pulumi` CLI they call.
 * @packageDocumentation
 */
export { EXIT_USAGE, UsageError, parseArgumentsStrictly, requireValue, runBin } from "./command-line";
export { pulumiFailure, runCommand, type RunCommand } from "./pulumi-cli";
