/**
 * The Partner Center /v1 routes: routing (404/405), authentication, idempotent POST replay,
 * and rendering state answers in the current response style. Faults, logging and the
 * HTTP exchange itself are the server's job.
 */

import type { IncomingHttpHeaders } from "node:http";
import { ERROR_CODES, errorBody, type ApiError } from "./api-errors";
import { authenticate, type TokenAcceptance } from "./authentication";
import { renderCreatedQualification, renderQualificationList } from "./response-style";
import type { EmulatorState } from "./state";

/** What the API routes need from a running emulator. */
export interface ApiTargets {
  state: EmulatorState;
  tokens: TokenAcceptance;
}

/** An API request with its body already read. */
export interface ApiRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** What to send back (before the common MS-* headers are added). */
export interface ApiAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** True when this is an earlier POST's answer replayed for the same `MS-RequestId`. */
  replayed?: boolean;
}

type RouteName = "validations" | "qualifications";

interface ApiRoute {
  name: RouteName;
  pattern: RegExp;
  methods: readonly string[];
}

// Literal segments match case-insensitively, as the service does.
const ROUTES: readonly ApiRoute[] = [
  { name: "validations", pattern: /^\/v1\/customers\/all\/validations$/i, methods: ["GET"] },
  { name: "qualifications", pattern: /^\/v1\/customers\/([^/]+)\/qualifications$/i, methods: ["GET", "POST"] },
];

const CUSTOMER_SEGMENT = /^\/v1\/customers\/([^/]+)(?:\/|$)/i;

/** The `{id}` of a `/v1/customers/{id}/...` path (decoded), or undefined on other paths. */
export function customerSegmentOf(path: string): string | undefined {
  const raw = CUSTOMER_SEGMENT.exec(path)?.[1];
  return raw === undefined ? undefined : decodeSegment(raw);
}

/** Handles one API request against the state. */
export function handleApiRequest(targets: ApiTargets, request: ApiRequest): ApiAnswer {
  const path = request.url.pathname;
  const route = ROUTES.find((candidate) => candidate.pattern.test(path));
  if (route === undefined) {
    return errorAnswer({ status: 404, code: ERROR_CODES.routeNotFound, description: `The resource '${path}' does not exist.` });
  }
  if (!route.methods.includes(request.method)) {
    return {
      ...errorAnswer({
        status: 405,
        code: ERROR_CODES.methodNotAllowed,
        description: `The method ${request.method} is not allowed on '${path}'; allowed: ${route.methods.join(", ")}.`,
      }),
      headers: { Allow: route.methods.join(", ") },
    };
  }

  // Creating a qualification is App+User only; reads take App-only tokens too.
  const authentication = authenticate(request.headers, targets.tokens, request.method === "POST" ? "app+user" : "app-or-user");
  if (!authentication.ok) {
    const challenge = authentication.error.status === 401 ? { headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' } } : {};
    return { ...errorAnswer(authentication.error), ...challenge };
  }

  if (route.name === "validations") return { status: 200, body: targets.state.validationCodes() };

  const customerId = decodeSegment(route.pattern.exec(path)?.[1] ?? "");
  if (request.method === "GET") {
    const listed = targets.state.listQualifications(customerId);
    return listed.ok ? { status: 200, body: renderQualificationList(listed.value, targets.state.responseStyle) } : errorAnswer(listed.error);
  }
  return createQualification(targets.state, customerId, request);
}

/** A POST, replayed when its `MS-RequestId` was already answered, otherwise run and recorded. */
function createQualification(state: EmulatorState, customerId: string, request: ApiRequest): ApiAnswer {
  const requestId = singleHeader(request.headers, "ms-requestid")?.trim();
  if (requestId !== undefined && requestId !== "") {
    const recorded = state.recordedAnswer(requestId);
    if (recorded !== undefined) return { status: recorded.status, body: recorded.body, replayed: true };
  }
  const created = state.createQualification(customerId, request.rawBody, queryParameter(request.url, "code"));
  const answer = created.ok ? renderCreatedQualification(created.value, state.responseStyle) : errorAnswer(created.error);
  if (requestId !== undefined && requestId !== "") state.recordAnswer(requestId, answer.status, answer.body);
  return answer;
}

function errorAnswer(error: ApiError): ApiAnswer {
  return { status: error.status, body: errorBody(error) };
}

/** A query parameter matched by case-insensitive name. */
function queryParameter(url: URL, name: string): string | undefined {
  for (const [key, value] of url.searchParams) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

function singleHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Decodes a path segment; a malformed escape is kept verbatim so it fails the GUID check like any other bad id. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
