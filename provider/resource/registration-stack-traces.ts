/**
 * Why resources register with V8's stack-trace limit at 0.
 *
 * While a resource registers, the Pulumi SDK captures and formats a stack trace for every promise
 * it makes (about 18 per CustomerQualification), kept only for its promise-leak report. Under
 * ts-node, which maps every frame through source maps, that took about 7 ms per resource: 1.3 s of
 * a 200-resource preview's 8 s (measured with `--cpu-prof`). The trace Pulumi stores in state is
 * not affected: the SDK captures that one with a limit of its own.
 */

/** Sets `Error.stackTraceLimit` to 0 until the returned function is called, which restores it. */
export function suspendStackTraces(): () => void {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return () => {
    Error.stackTraceLimit = limit;
  };
}
