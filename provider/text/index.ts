/**
 * How this package's text reaches a log, an error or a comment line.
 * @packageDocumentation
 */
export { oneLine } from "./one-line";
