/**
 * The command line of this package's bins: strict options, usage errors, exit codes.
 * @packageDocumentation
 */
export { EXIT_USAGE, UsageError, parseArgumentsStrictly, requireValue, runBin } from "./command-line";
