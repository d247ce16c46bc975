/**
 * The control API's routes (listed in control-client.ts), mapped onto the state, the fault
 * queue, the random faults (chaos), the request log, the service conditions (latency, rate
 * limit) and (under `/identity`) the identity endpoint. Takes and returns plain values; the
 * server does the HTTP.
 */

import { parseChaos, type Chaos } from "./chaos";
import { NO_CONTENT, dispatchControlRequest, type ControlAnswer, type ControlRoute } from "./control-route-table";
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
  { method: "GET", pattern: /^\/status$/, handle: () => ({ status: 200, body: { ok: true } }) },
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
      return NO_CONTENT;
    },
  },
  {
    method: "POST",
    pattern: /^\/seed$/,
    handle: ({ state }, _params, body) => {
      state.applySeed(parseSeed(body()));
      return NO_CONTENT;
    },
  },
  {
    method: "POST",
    pattern: /^\/customers$/,
    handle: ({ state }, _params, body) => {
      state.addCustomer(parseSeedCustomer(body()));
      return NO_CONTENT;
    },
  },
  {
    method: "GET",
    pattern: /^\/customers\/([^/]+)$/,
    handle: ({ state }, [id]) => {
      const customer = state.customer(id);
      if (customer === undefined) throw new InputRejectedError(`no customer ${id}`, 404);
      return { status: 200, body: customer };
    },
  },
  {
    method: "PUT",
    pattern: /^\/customers\/([^/]+)\/qualifications\/([^/]+)\/vetting$/,
    handle: ({ state }, [id, qualification], body) => {
      state.setVetting(id, qualification, parseInput(vettingDecisionSchema, body(), "vetting decision"));
      return NO_CONTENT;
    },
  },
  {
    method: "DELETE",
    pattern: /^\/customers\/([^/]+)\/qualifications\/([^/]+)$/,
    handle: ({ state }, [id, qualification]) => {
      state.forgetQualification(id, qualification);
      return NO_CONTENT;
    },
  },
  {
    method: "POST",
    pattern: /^\/customers\/([^/]+)\/vetting-scripts$/,
    handle: ({ state }, [id], body) => {
      state.scriptVetting(id, parseInput(vettingScriptSchema, body(), "vetting script"));
      return NO_CONTENT;
    },
  },
  { method: "GET", pattern: /^\/validation-codes$/, handle: ({ state }) => ({ status: 200, body: state.validationCodes() }) },
  { method: "GET", pattern: /^\/faults$/, handle: ({ faults }) => ({ status: 200, body: faults.list() }) },
  {
    method: "POST",
    pattern: /^\/faults$/,
    handle: ({ faults }, _params, body) => {
      faults.add(parseFaultSpec(body()));
      return NO_CONTENT;
    },
  },
  {
    method: "DELETE",
    pattern: /^\/faults$/,
    handle: ({ faults }) => {
      faults.clear();
      return NO_CONTENT;
    },
  },
  { method: "GET", pattern: /^\/chaos$/, handle: ({ chaos }) => (chaos.current === undefined ? NO_CONTENT : { status: 200, body: chaos.current }) },
  {
    method: "PUT",
    pattern: /^\/chaos$/,
    handle: ({ chaos }, _params, body) => {
      chaos.set(parseChaos(body(), "chaos"));
      return { status: 200, body: chaos.current };
    },
  },
  {
    method: "DELETE",
    pattern: /^\/chaos$/,
    handle: ({ chaos }) => {
      chaos.set(undefined);
      return NO_CONTENT;
    },
  },
  { method: "GET", pattern: /^\/requests$/, handle: ({ log }) => ({ status: 200, body: log.list() }) },
  {
    method: "DELETE",
    pattern: /^\/requests$/,
    handle: ({ log }) => {
      log.clear();
      return NO_CONTENT;
    },
  },
  { method: "GET", pattern: /^\/latency$/, handle: ({ conditions }) => ({ status: 200, body: { latencyMs: conditions.latencyMs } }) },
  {
    method: "PUT",
    pattern: /^\/latency$/,
    handle: ({ conditions }, _params, body) => {
      conditions.setLatency(parseInput(z.strictObject({ latencyMs: latencySchema }), body(), "latency").latencyMs);
      return NO_CONTENT;
    },
  },
  {
    method: "GET",
    pattern: /^\/rate-limit$/,
    handle: ({ conditions }) => (conditions.rateLimit === undefined ? NO_CONTENT : { status: 200, body: conditions.rateLimit }),
  },
  {
    method: "PUT",
    pattern: /^\/rate-limit$/,
    handle: ({ conditions }, _params, body) => {
      conditions.setRateLimit(parseRateLimit(body(), "rate limit"));
      return NO_CONTENT;
    },
  },
  {
    method: "DELETE",
    pattern: /^\/rate-limit$/,
    handle: ({ conditions }) => {
      conditions.setRateLimit(undefined);
      return NO_CONTENT;
    },
  },
  { method: "GET", pattern: /^\/response-style$/, handle: ({ state }) => ({ status: 200, body: state.responseStyle }) },
  {
    method: "PATCH",
    pattern: /^\/response-style$/,
    handle: ({ state }, _params, body) => ({ status: 200, body: state.updateResponseStyle(parseResponseStylePatch(body())) }),
  },
];

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
