/**
 * The control API's routes (listed in control-client.ts), mapped onto the state, the fault
 * queue, the random faults (chaos), the request log, the service conditions (latency, rate
 * limit) and (under `/identity`) the identity endpoint. Takes and returns plain values; the
 * server does the HTTP.
 */

import { parseChaos, type Chaos } from "./chaos";
import { dispatchControlRequest, type ControlAnswer, type ControlRoute } from "./control-route-table";
import { CONTROL_PREFIX } from "./control-transport";
import { parseFaultSpec, type FaultQueue } from "./faults";
import { IDENTITY_CONTROL_ROUTE, handleIdentityControlRequest } from "./identity/identity-control-routes";
import type { IdentityService } from "./identity/identity-service";
import { z } from "zod";
import { InputRejectedError, parseInput, parseJsonText } from "./input-validation";
import type { RequestLog } from "./request-log";
import { parseResponseStylePatch } from "./response-style";
import { parseSeed, parseSeedCustomer, type ValidatedSeed } from "./seed";
import { latencySchema, parseRateLimit, type ServiceConditions } from "./service-conditions";
import type { EmulatorState } from "./state";
import { vettingDecisionSchema, vettingScriptSchema } from "./vetting-input";

/** The parts of a running emulator the control API drives. */
export interface ControlTargets {
  state: EmulatorState;
  faults: FaultQueue;
  log: RequestLog;
  conditions: ServiceConditions;
  /** Random faults. */
  chaos: Chaos;
  /** What `reset` restores. */
  startupSeed: ValidatedSeed;
  /** The identity endpoint, when the emulator runs one. */
  identity?: IdentityService;
}

const ROUTES: readonly ControlRoute<ControlTargets>[] = [
  { method: "GET", pattern: /^\/status$/, handle: () => ({ ok: true }) },
  {
    method: "POST",
    pattern: /^\/reset$/,
    handle: ({ state, faults, log, conditions, chaos, startupSeed, identity }) => {
      state.reset(startupSeed);
      faults.clear();
      log.clear();
      conditions.reset();
      chaos.reset();
      identity?.reset();
    },
  },
  { method: "POST", pattern: /^\/seed$/, handle: ({ state }, _params, body) => state.applySeed(parseSeed(body())) },
  { method: "POST", pattern: /^\/customers$/, handle: ({ state }, _params, body) => state.addCustomer(parseSeedCustomer(body())) },
  {
    method: "GET",
    pattern: /^\/customers\/([^/]+)$/,
    handle: ({ state }, [id]) => state.customer(id) ?? rejected(`no customer ${id}`),
  },
  {
    method: "PUT",
    pattern: /^\/customers\/([^/]+)\/qualifications\/([^/]+)\/vetting$/,
    handle: ({ state }, [id, name], body) => state.setVetting(id, name, parseInput(vettingDecisionSchema, body(), "vetting decision")),
  },
  {
    method: "DELETE",
    pattern: /^\/customers\/([^/]+)\/qualifications\/([^/]+)$/,
    handle: ({ state }, [id, name]) => state.forgetQualification(id, name),
  },
  {
    method: "POST",
    pattern: /^\/customers\/([^/]+)\/vetting-scripts$/,
    handle: ({ state }, [id], body) => state.scriptVetting(id, parseInput(vettingScriptSchema, body(), "vetting script")),
  },
  { method: "GET", pattern: /^\/validation-codes$/, handle: ({ state }) => state.validationCodes() },
  { method: "GET", pattern: /^\/faults$/, handle: ({ faults }) => faults.list() },
  { method: "POST", pattern: /^\/faults$/, handle: ({ faults }, _params, body) => faults.add(parseFaultSpec(body())) },
  { method: "DELETE", pattern: /^\/faults$/, handle: ({ faults }) => faults.clear() },
  { method: "GET", pattern: /^\/chaos$/, handle: ({ chaos }) => chaos.current },
  {
    method: "PUT",
    pattern: /^\/chaos$/,
    handle: ({ chaos }, _params, body) => {
      chaos.set(parseChaos(body(), "chaos"));
      return chaos.current;
    },
  },
  { method: "DELETE", pattern: /^\/chaos$/, handle: ({ chaos }) => chaos.set(undefined) },
  { method: "GET", pattern: /^\/requests$/, handle: ({ log }) => log.list() },
  { method: "DELETE", pattern: /^\/requests$/, handle: ({ log }) => log.clear() },
  { method: "GET", pattern: /^\/latency$/, handle: ({ conditions }) => ({ latencyMs: conditions.latencyMs }) },
  {
    method: "PUT",
    pattern: /^\/latency$/,
    handle: ({ conditions }, _params, body) => conditions.setLatency(parseInput(z.strictObject({ latencyMs: latencySchema }), body(), "latency").latencyMs),
  },
  { method: "GET", pattern: /^\/rate-limit$/, handle: ({ conditions }) => conditions.rateLimit },
  { method: "PUT", pattern: /^\/rate-limit$/, handle: ({ conditions }, _params, body) => conditions.setRateLimit(parseRateLimit(body(), "rate limit")) },
  { method: "DELETE", pattern: /^\/rate-limit$/, handle: ({ conditions }) => conditions.setRateLimit(undefined) },
  { method: "GET", pattern: /^\/response-style$/, handle: ({ state }) => state.responseStyle },
  { method: "PATCH", pattern: /^\/response-style$/, handle: ({ state }, _params, body) => state.updateResponseStyle(parseResponseStylePatch(body())) },
];

/** Refuses a control call about something that does not exist (404). */
function rejected(message: string): never {
  throw new InputRejectedError(message, 404);
}

/** True when `path` belongs to the control API. */
export function isControlPath(path: string): boolean {
  return path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);
}

/** Handles one control request; refused inputs become 400/404 answers with `{"error": ...}`. */
export function handleControlRequest(targets: ControlTargets, method: string, path: string, rawBody: string): ControlAnswer {
  const route = path.slice(CONTROL_PREFIX.length);
  const body = (): unknown => parseJsonText(rawBody === "" ? "null" : rawBody, "request body");
  if (route === IDENTITY_CONTROL_ROUTE || route.startsWith(`${IDENTITY_CONTROL_ROUTE}/`)) {
    return handleIdentityControlRequest(targets.identity, { method, route: route.slice(IDENTITY_CONTROL_ROUTE.length), path, body });
  }
  return dispatchControlRequest(ROUTES, targets, { method, route, path, body });
}
