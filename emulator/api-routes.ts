/**
 * The Partner Center /v1 routes: routing (404/405), authentication, idempotent POST replay,
 * and rendering state answers in the current response style. Faults, logging and the
 * HTTP exchange itself are the server's job.
 */

import type { IncomingHttpHeaders } from "node:http";
import { ERROR_CODES, errorBody, type ApiError } from "./api-errors";
import { authenticate, type TokenAcceptance } from "./authentication";
import type { ContinuationTokens } from "./continuation-tokens";
import { listCustomers } from "./customer-list";
import { decodeSegmentLeniently, headerValue, queryParameter } from "./http-messages";
import { renderCreatedQualification, renderQualificationList } from "./response-style";
import type { EmulatorState } from "./state";
import type { ApiRouteName } from "./types";

/** What the API routes need from a running emulator. */
export interface ApiTargets {
  state: EmulatorState;
  tokens: TokenAcceptance;
  /** Signs and reads the customer list's continuation tokens. */
  continuationTokens: ContinuationTokens;
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

interface ApiRoute {
  name: ApiRouteName;
  pattern: RegExp;
  methods: readonly string[];
}

// Literal segments match case-insensitively, as the service does.
const ROUTES: readonly ApiRoute[] = [
  { name: "customers", pattern: /^\/v1\/customers$/i, methods: ["GET"] },
  { name: "validations", pattern: /^\/v1\/customers\/all\/validations$/i, methods: ["GET"] },
  { name: "qualifications", pattern: /^\/v1\/customers\/([^/]+)\/qualifications$/i, methods: ["GET", "POST"] },
];

const CUSTOMER_SEGMENT = /^\/v1\/customers\/([^/]+)(?:\/|$)/i;

/** The `{id}` of a `/v1/customers/{id}/...` path (decoded), or undefined on other paths. */
export function customerSegmentOf(path: string): string | undefined {
  const raw = CUSTOMER_SEGMENT.exec(path)?.[1];
  return raw === undefined ? undefined : decodeSegmentLeniently(raw);
}

/** The API route a path belongs to, or undefined when it is none. */
export function apiRouteOf(path: string): ApiRouteName | undefined {
  return ROUTES.find((candidate) => candidate.pattern.test(path))?.name;
}

/** Handles one API request against the state. */
export async function handleApiRequest(targets: ApiTargets, request: ApiRequest): Promise<ApiAnswer> {
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
  const authentication = await authenticate(request.headers, targets.tokens, request.method === "POST" ? "app+user" : "app-or-user");
  if (!authentication.ok) {
    const challenge = authentication.error.status === 401 ? { headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' } } : {};
    return { ...errorAnswer(authentication.error), ...challenge };
  }

  if (route.name === "validations") return { status: 200, body: targets.state.validationCodes() };
  if (route.name === "customers") {
    const listed = await listCustomers(targets.state, targets.continuationTokens, request.url, request.headers);
    return listed.ok ? { status: 200, body: listed.value } : errorAnswer(listed.error);
  }

  const customerId = decodeSegmentLeniently(route.pattern.exec(path)?.[1] ?? "");
  if (request.method === "GET") {
    const listed = targets.state.listQualifications(customerId);
    return listed.ok ? { status: 200, body: renderQualificationList(listed.value, targets.state.responseStyle) } : errorAnswer(listed.error);
  }
  return createQualification(targets.state, customerId, request);
}

/** A POST, replayed when its `MS-RequestId` was already answered, otherwise run and recorded. */
function createQualification(state: EmulatorState, customerId: string, request: ApiRequest): ApiAnswer {
  const requestId = headerValue(request.headers, "ms-requestid")?.trim();
  if (requestId !== undefined) {
    const recorded = state.recordedAnswer(requestId);
    if (recorded !== undefined) return { status: recorded.status, body: recorded.body, replayed: true };
  }
  const created = state.createQualification(customerId, request.rawBody, queryParameter(request.url, "code"));
  const answer = created.ok ? renderCreatedQualification(created.value, state.responseStyle) : errorAnswer(created.error);
  if (requestId !== undefined) state.recordAnswer(requestId, answer.status, answer.body);
  return answer;
}

function errorAnswer(error: ApiError): ApiAnswer {
  return { status: error.status, body: errorBody(error) };
}
