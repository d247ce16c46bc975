/**
 * Why resources register with V8's stack-trace limit at 0.
 *
 * While a resource registers, the Pulumi SDK captures and formats a stack trace for every promise
 * it makes (about 18 per CustomerQualification), kept only for its promise-leak report. Under
 * ts-node, which maps every frame through source maps, that took about 7 ms per resource: 1.3 s of
 * a 200-resource preview's 8 s (measured with `--cpu-prof`).
 *
 * The stack trace and source position Pulumi stores in state are not affected where the SDK
 * captures them with a limit of its own (`Resource.callsites`, since 3.195). Older SDKs, which
 * the peer range still admits, look for the source position under the current limit, so with them
 * the limit is left alone.
 */
import * as pulumi from "@pulumi/pulumi";

/** Whether the program's SDK sets its own stack-trace limit to record a resource's position. */
const SDK_SETS_ITS_OWN_LIMIT = typeof (pulumi.Resource as unknown as { callsites?: unknown }).callsites === "function";

/**
 * Sets `Error.stackTraceLimit` to 0 until the returned function is called, which restores it;
 * with an SDK older than 3.195, changes nothing.
 */
export function suspendStackTraces(): () => void {
  if (!SDK_SETS_ITS_OWN_LIMIT) return () => undefined;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return () => {
    Error.stackTraceLimit = limit;
  };
}
