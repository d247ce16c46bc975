/**
 * How a set of control routes is dispatched, shared by the emulator's routes and the identity
 * endpoint's: a route is a method and a path pattern; a path no pattern matches answers 404, a
 * known path with another method 405 naming the allowed ones, and a refused input 400 or 404.
 */

import { decodeSegment } from "./http-messages";
import { InputRejectedError } from "./input-validation";

/** What a control route answers: a status and, unless 204, a JSON body. */
export interface ControlAnswer {
  status: number;
  body?: unknown;
}

/** One control route over `Targets`, the parts of the emulator it drives. */
export interface ControlRoute<Targets> {
  method: string;
  /** Matches the path below the route set's prefix; its groups are the path parameters. */
  pattern: RegExp;
  /**
   * Gets the decoded path parameters and the request body, parsed only when a route reads it.
   * What it returns is the 200 answer's body; nothing (undefined) answers 204.
   */
  handle(targets: Targets, params: string[], body: () => unknown): unknown;
}

/** One control request as a route set sees it. */
export interface ControlRequest {
  method: string;
  /** The path below the route set's prefix. */
  route: string;
  /** The whole path, for messages. */
  path: string;
  body: () => unknown;
}

/** Runs the route `request` asks for. */
export function dispatchControlRequest<Targets>(routes: readonly ControlRoute<Targets>[], targets: Targets, request: ControlRequest): ControlAnswer {
  const matching = routes.filter((candidate) => candidate.pattern.test(request.route));
  if (matching.length === 0) return { status: 404, body: { error: `no control route ${request.path}` } };
  const handler = matching.find((candidate) => candidate.method === request.method);
  if (handler === undefined) {
    return { status: 405, body: { error: `${request.method} is not allowed on ${request.path}; use ${matching.map((r) => r.method).join(", ")}` } };
  }
  return refusalsAsAnswers(() => {
    const params = (handler.pattern.exec(request.route) ?? []).slice(1).map(decodeParameter);
    const body = handler.handle(targets, params, request.body);
    return body === undefined ? { status: 204 } : { status: 200, body };
  });
}

/** Runs a handler, turning refused inputs into 400/404 answers. */
function refusalsAsAnswers(handle: () => ControlAnswer): ControlAnswer {
  try {
    return handle();
  } catch (error) {
    if (error instanceof InputRejectedError) return { status: error.status, body: { error: error.message } };
    throw error;
  }
}

/** Unlike the API, the control API refuses a malformed escape: a control call names things exactly. */
function decodeParameter(segment: string): string {
  const decoded = decodeSegment(segment);
  if (decoded === undefined) throw new InputRejectedError(`malformed percent-encoding in path segment '${segment}'`);
  return decoded;
}
