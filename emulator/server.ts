/**
 * The HTTP server: reads each request, sends control calls to the control routes and API
 * calls through the rate limit, latency, fault injection (injected, then random), the API
 * routes and the request log, saves the data file after every change, and writes the
 * response with Partner Center's common headers. Starts the HTTPS identity endpoint
 * alongside when asked to.
 */

import { randomBytes, randomUUID } from "node:crypto";
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { ERROR_CODES, errorBody, rateLimitBody } from "./api-errors";
import { apiRouteOf, customerSegmentOf, handleApiRequest, type ApiAnswer } from "./api-routes";
import { DEVELOPMENT_ACCESS_TOKEN, type TokenAcceptance } from "./authentication";
import { Chaos, parseChaos } from "./chaos";
import { EmulatorControl } from "./control-client";
import { handleControlRequest, isControlPath, type ControlTargets } from "./control-routes";
import { ContinuationTokens } from "./continuation-tokens";
import { FaultQueue, type ActiveFault } from "./faults";
import { closeNow, listen, urlHost } from "./http-listener";
import { answerFailure, headerValue, readBody, writeJson, type RequestBody } from "./http-messages";
import { IdentityControl } from "./identity/identity-control-client";
import { parseIdentityOptions, type ValidatedIdentityOptions } from "./identity/identity-input";
import { startIdentityServer } from "./identity/identity-server";
import { StateFile } from "./persistence";
import { RequestLog, describeRequest, type LogTicket, type RequestDescription } from "./request-log";
import { parseSeed, type ValidatedSeed } from "./seed";
import { ServiceConditions, parseLatency, parseRateLimit, type ServiceConditionSettings } from "./service-conditions";
import { EmulatorState } from "./state";
import type { ChaosSettings, EmulatorOptions, IdentityDescription, LoggedRequest } from "./types";

/** Request bodies beyond this are refused with 413; real qualification bodies are a few hundred bytes. */
const MAX_BODY_BYTES = 1024 * 1024;

/** A running emulator. */
export interface RunningEmulator {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:43123`. */
  url: string;
  port: number;
  /** Control client bound to this emulator. */
  control: EmulatorControl;
  /** The identity endpoint, when {@link EmulatorOptions.identity} asked for one. */
  identity?: RunningIdentity;
  /** Stops listening (API and identity endpoint), drops open connections and cancels delayed requests. */
  close(): Promise<void>;
}

/** A running identity endpoint. */
export interface RunningIdentity extends IdentityDescription {
  /** Control client for the identity endpoint (it talks to the API server's control routes). */
  control: IdentityControl;
}

/** Starts an emulator and resolves once it is listening. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const settings = validateOptions(options);
  const { state, persist } = openState(settings.startupSeed, options.dataFile);
  const identity = settings.identity === undefined ? undefined : await startIdentityServer(settings.identity);
  const targets: ControlTargets = {
    state,
    faults: new FaultQueue(),
    log: new RequestLog(),
    conditions: new ServiceConditions(settings.conditions),
    chaos: new Chaos(settings.chaos),
    startupSeed: settings.startupSeed,
    ...(identity === undefined ? {} : { identity: identity.service }),
  };
  const tokens: TokenAcceptance = { acceptedTokens: settings.acceptedTokens, ...(identity === undefined ? {} : { verifier: identity.service.issuer }) };
  const exchange = new Exchange(targets, tokens, persist);
  const server = createServer((request, response) => {
    void exchange.serve(request, response);
  });
  let port: number;
  try {
    port = await listen(server, settings.port, settings.host);
  } catch (error) {
    // The API port is taken (or the like): do not leave the identity endpoint listening.
    await identity?.close();
    throw error;
  }
  const url = `http://${urlHost(settings.host)}:${port}`;
  return {
    url,
    port,
    control: new EmulatorControl(url),
    ...(identity === undefined ? {} : { identity: { ...identity.service.describe(), control: new IdentityControl(url) } }),
    close: async () => {
      exchange.shutdown();
      await Promise.all([closeNow(server), identity?.close()]);
    },
  };
}

/** The options with defaults applied, every one checked before anything starts. */
interface ValidatedOptions {
  host: string;
  port: number;
  acceptedTokens: string[];
  startupSeed: ValidatedSeed;
  conditions: ServiceConditionSettings;
  chaos: ChaosSettings | undefined;
  identity: ValidatedIdentityOptions | undefined;
}

function validateOptions(options: EmulatorOptions): ValidatedOptions {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`);
  const acceptedTokens = options.accessTokens ?? [DEVELOPMENT_ACCESS_TOKEN];
  if (acceptedTokens.some((token) => typeof token !== "string" || token.trim() === "")) {
    throw new TypeError("accessTokens must be non-empty strings");
  }
  return {
    host: options.host ?? "127.0.0.1",
    port,
    acceptedTokens,
    startupSeed: parseSeed(options.seed ?? {}, "options.seed"),
    conditions: parseServiceConditions(options),
    chaos: options.chaos === undefined ? undefined : parseChaos(options.chaos, "options.chaos"),
    identity: options.identity === undefined || options.identity === false ? undefined : parseIdentityOptions(options.identity),
  };
}

/** The state, restored from the data file when there is one yet, else seeded; `persist` saves it whenever it changed. */
function openState(startupSeed: ValidatedSeed, dataFile: string | undefined): { state: EmulatorState; persist: () => void } {
  const state = new EmulatorState();
  const stateFile = dataFile === undefined ? undefined : new StateFile(dataFile);
  const saved = stateFile?.load();
  if (saved === undefined) state.applySeed(startupSeed);
  else state.restore(saved);
  let savedRevision = Number.NaN;
  const persist = (): void => {
    if (stateFile === undefined || state.revision === savedRevision) return;
    stateFile.save(state.snapshot());
    savedRevision = state.revision;
  };
  persist();
  return { state, persist };
}

/** The latency and rate limit the options ask for, validated. */
function parseServiceConditions(options: EmulatorOptions): ServiceConditionSettings {
  const latencyMs = options.latencyMs === undefined ? 0 : parseLatency(options.latencyMs, "options.latencyMs");
  return options.rateLimit === undefined ? { latencyMs } : { latencyMs, rateLimit: parseRateLimit(options.rateLimit, "options.rateLimit") };
}

/** Handles the HTTP exchanges of a running emulator. */
class Exchange {
  private readonly stopping = new AbortController();
  /** Its key lives as long as this emulator, so continuation tokens do not survive a restart. */
  private readonly continuationTokens = new ContinuationTokens();

  constructor(
    private readonly targets: ControlTargets,
    private readonly tokens: TokenAcceptance,
    private readonly persist: () => void,
  ) {}

  /** Cancels delayed requests, whose connections are then dropped. */
  shutdown(): void {
    this.stopping.abort();
  }

  /** Answers one request: a control call, or an API request; a failure is Partner Center's 500. */
  async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const arrival = new Date();
    const method = (request.method ?? "GET").toUpperCase();
    const url = new URL(request.url ?? "/", "http://emulator.invalid");
    try {
      const body = await readBody(request, MAX_BODY_BYTES);
      if (isControlPath(url.pathname)) this.serveControl(method, url, body.text, response);
      else await this.serveApi(request, response, { method, url, arrival, body });
    } catch (error) {
      const description = `The emulator failed: ${(error as Error).message}`;
      answerFailure(request, response, () => writeJson(response, 500, {}, errorBody({ status: 500, code: ERROR_CODES.internalError, description })));
    }
  }

  private serveControl(method: string, url: URL, rawBody: string, response: ServerResponse): void {
    const answer = handleControlRequest(this.targets, method, url.pathname, rawBody);
    this.persist();
    writeJson(response, answer.status, {}, answer.body);
  }

  /**
   * The rate limit sees every API request on arrival; admitted ones may meet a fault (an injected
   * one first, else a random one); every answer waits the latency (plus a `delay` fault's time)
   * before the request is handled.
   */
  private async serveApi(
    request: IncomingMessage,
    response: ServerResponse,
    incoming: { method: string; url: URL; arrival: Date; body: RequestBody },
  ): Promise<void> {
    const { method, url, arrival, body } = incoming;
    const ticket = this.targets.log.ticket();
    const reply = new ApiReply(this.targets, ticket, describeRequest(ticket.seq, arrival, method, url, request.headers, body.text), request, response);

    const admission = this.targets.conditions.admit();
    const { fault, random } = admission.admitted ? this.faultFor(method, url) : { fault: undefined, random: false };
    const faulted = { ...(fault === undefined ? {} : { fault: fault.kind }), ...(random ? { chaos: true as const } : {}) };
    if (fault?.kind === "drop") return reply.drop(faulted);
    const waitMs = this.targets.conditions.latencyMs + (fault?.kind === "delay" ? (fault.delayMs ?? 0) : 0);
    if (!(await this.waitUnlessStopping(waitMs))) return reply.drop(faulted);
    if (!admission.admitted) return reply.send(throttledAnswer(admission.retryAfterSeconds), {});
    if (fault?.kind === "status") return reply.send(faultAnswer(fault, arrival), faulted);

    const answer = await this.answer(method, url, request, body);
    const outcome = { ...faulted, ...(answer.replayed === true ? { replayed: true } : {}) };
    // A lost response: the write happened and its answer is recorded; only the response goes missing.
    if (fault?.kind === "lostResponse") return reply.lose(answer.status, outcome);
    reply.send(answer, outcome);
  }

  /** The fault an admitted request meets: the first matching injected one, else a random one (chaos), else none. */
  private faultFor(method: string, url: URL): { fault: ActiveFault | undefined; random: boolean } {
    const injected = this.targets.faults.take({ method, customerSegment: customerSegmentOf(url.pathname), route: apiRouteOf(url.pathname) });
    if (injected !== undefined) return { fault: injected, random: false };
    const drawn = this.targets.chaos.draw(method);
    return { fault: drawn, random: drawn !== undefined };
  }

  /** Runs the API route and saves the change; a failed save turns the answer into a 500. */
  private async answer(method: string, url: URL, request: IncomingMessage, body: RequestBody): Promise<ApiAnswer> {
    if (body.tooLarge) {
      return {
        status: 413,
        body: errorBody({ status: 413, code: ERROR_CODES.payloadTooLarge, description: `The request body exceeds ${MAX_BODY_BYTES} bytes.` }),
      };
    }
    const targets = { state: this.targets.state, tokens: this.tokens, continuationTokens: this.continuationTokens };
    const answer = await handleApiRequest(targets, { method, url, headers: request.headers, rawBody: body.text });
    try {
      this.persist();
      return answer;
    } catch (error) {
      const description = `The change was made but could not be saved: ${(error as Error).message}`;
      return { status: 500, body: errorBody({ status: 500, code: ERROR_CODES.internalError, description }) };
    }
  }

  /** Waits `ms` (not at all for 0, so undelayed requests are handled in arrival order); false when the emulator closes meanwhile. */
  private async waitUnlessStopping(ms: number): Promise<boolean> {
    if (ms <= 0) return true;
    try {
      await sleep(ms, undefined, { signal: this.stopping.signal });
      return true;
    } catch {
      return false;
    }
  }
}

/** How a request went, besides its status: the fault it met (random or not) and whether its answer was replayed. */
type Outcome = Pick<LoggedRequest, "fault" | "chaos" | "replayed">;

/**
 * One API request's way out: its log entry, completed exactly once before the response goes
 * out (so a client reading the log after its response always finds it), and the response.
 */
class ApiReply {
  private readonly commonHeaders: Record<string, string>;

  constructor(
    private readonly targets: Pick<ControlTargets, "log" | "state">,
    private readonly ticket: LogTicket,
    private readonly description: RequestDescription,
    private readonly request: IncomingMessage,
    private readonly response: ServerResponse,
  ) {
    this.commonHeaders = {
      "MS-RequestId": headerValue(request.headers, "ms-requestid") ?? randomUUID(),
      "MS-CorrelationId": headerValue(request.headers, "ms-correlationid") ?? randomUUID(),
      "MS-CV": `${randomBytes(12).toString("base64")}.0`,
    };
  }

  /** Logs and sends the answer, with a byte-order mark when the response style asks for one. */
  send(answer: ApiAnswer, outcome: Outcome): void {
    this.log(answer.status, outcome);
    const byteOrderMark = this.targets.state.responseStyle.bom;
    writeJson(this.response, answer.status, { ...this.commonHeaders, ...answer.headers }, answer.body, { byteOrderMark });
  }

  /** Logs the request as dropped and closes the connection without an answer. */
  drop(outcome: Outcome): void {
    this.log("dropped", outcome);
    this.request.socket.destroy();
  }

  /** Logs the answer that was computed, then closes the connection without sending it. */
  lose(status: number, outcome: Outcome): void {
    this.log(status, outcome);
    this.request.socket.destroy();
  }

  private log(status: LoggedRequest["status"], outcome: Outcome): void {
    this.targets.log.add(this.ticket, { ...this.description, status, ...outcome });
  }
}

/** The rate limit's refusal: Partner Center's throttling body and `Retry-After`. */
function throttledAnswer(retryAfterSeconds: number): ApiAnswer {
  return { status: 429, body: rateLimitBody(retryAfterSeconds), headers: { "Retry-After": String(retryAfterSeconds) } };
}

/** The answer a `status` fault sends: its body, or the shape Partner Center uses for that status. */
function faultAnswer(fault: ActiveFault, now: Date): ApiAnswer {
  const status = fault.status ?? 500;
  const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { "Retry-After": fault.retryAfter };
  if (fault.body !== undefined) return { status, body: fault.body, headers };
  if (status === 429) return { status, body: rateLimitBody(retryAfterSeconds(fault.retryAfter, now)), headers };
  const description = STATUS_CODES[status] ?? `HTTP ${status}`;
  return { status, body: errorBody({ status, code: status, description }), headers };
}

/** Seconds a Retry-After value asks for (it may be seconds or an HTTP-date); 1 when absent or unreadable. */
function retryAfterSeconds(retryAfter: string | undefined, now: Date): number {
  if (retryAfter === undefined) return 1;
  if (/^\d+$/.test(retryAfter.trim())) return Number(retryAfter.trim());
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? 1 : Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}
