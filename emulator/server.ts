/**
 * The HTTP server: reads each request, sends control calls to the control routes and API
 * calls through fault injection, the API routes and the request log, saves the data file
 * after every change, and writes the response with Partner Center's common headers. Starts
 * the HTTPS identity endpoint alongside when asked to.
 */

import { randomBytes, randomUUID } from "node:crypto";
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { ERROR_CODES, errorBody, rateLimitBody } from "./api-errors";
import { customerSegmentOf, handleApiRequest, type ApiAnswer } from "./api-routes";
import { DEVELOPMENT_ACCESS_TOKEN, type TokenAcceptance } from "./authentication";
import { EmulatorControl } from "./control-client";
import { handleControlRequest, isControlPath, type ControlTargets } from "./control-routes";
import { FaultQueue, type ActiveFault } from "./faults";
import { readBody, type RequestBody } from "./http-body";
import { IdentityControl } from "./identity/identity-control-client";
import { parseIdentityOptions } from "./identity/identity-input";
import { startIdentityServer, type RunningIdentityServer } from "./identity/identity-server";
import { StateFile } from "./persistence";
import { RequestLog, describeRequest, type LogTicket, type RequestDescription } from "./request-log";
import { parseSeed } from "./seed";
import { EmulatorState } from "./state";
import type { EmulatorOptions, LoggedRequest, RunningEmulator } from "./types";

/** Request bodies beyond this are refused with 413; real qualification bodies are a few hundred bytes. */
const MAX_BODY_BYTES = 1024 * 1024;

const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

/** Starts an emulator and resolves once it is listening. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`);
  const acceptedTokens = options.accessTokens ?? [DEVELOPMENT_ACCESS_TOKEN];
  if (acceptedTokens.some((token) => typeof token !== "string" || token.trim() === "")) {
    throw new TypeError("accessTokens must be non-empty strings");
  }

  const startupSeed = parseSeed(options.seed ?? {}, "options.seed");
  const identityOptions = options.identity === undefined || options.identity === false ? undefined : parseIdentityOptions(options.identity);
  const state = new EmulatorState();
  const stateFile = options.dataFile === undefined ? undefined : new StateFile(options.dataFile);
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

  const identity: RunningIdentityServer | undefined = identityOptions === undefined ? undefined : await startIdentityServer(identityOptions);
  const tokens: TokenAcceptance = { acceptedTokens, ...(identity === undefined ? {} : { verifier: identity.service.verifier }) };
  const targets: ControlTargets = { state, faults: new FaultQueue(), log: new RequestLog(), startupSeed, ...(identity === undefined ? {} : { identity: identity.service }) };
  const exchange = new Exchange(targets, tokens, persist);
  const server = createServer((request, response) => {
    void exchange.serve(request, response);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    // The API port is taken (or the like): do not leave the identity endpoint listening.
    await identity?.close();
    throw error;
  }

  const actualPort = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${actualPort}`;
  return {
    url,
    port: actualPort,
    control: new EmulatorControl(url),
    ...(identity === undefined ? {} : { identity: { ...identity.service.describe(), control: new IdentityControl(url) } }),
    close: async () => {
      await Promise.all([
        new Promise<void>((resolve) => {
          exchange.shutdown();
          // The callback's error only says the server was already closed, which is fine for close().
          server.close(() => resolve());
          server.closeAllConnections();
        }),
        identity?.close(),
      ]);
    },
  };
}

/** Handles one HTTP exchange at a time for a running emulator. */
class Exchange {
  private readonly stopping = new AbortController();

  constructor(
    private readonly targets: ControlTargets,
    private readonly tokens: TokenAcceptance,
    private readonly persist: () => void,
  ) {}

  /** Cancels delayed requests, whose connections are then dropped. */
  shutdown(): void {
    this.stopping.abort();
  }

  async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const arrival = new Date();
    const method = (request.method ?? "GET").toUpperCase();
    const url = new URL(request.url ?? "/", "http://emulator.invalid");
    try {
      const body = await readBody(request, MAX_BODY_BYTES);
      if (isControlPath(url.pathname)) this.serveControl(method, url, body.text, response);
      else await this.serveApi(request, response, { method, url, arrival, body });
    } catch (error) {
      // A client that went away mid-request (or a socket a fault destroyed) has nobody to answer.
      if (response.headersSent || request.socket.destroyed) {
        response.destroy();
        return;
      }
      const description = `The emulator failed: ${(error as Error).message}`;
      writeJson(response, 500, { "Content-Type": JSON_CONTENT_TYPE }, errorBody({ status: 500, code: ERROR_CODES.internalError, description }));
    }
  }

  private serveControl(method: string, url: URL, rawBody: string, response: ServerResponse): void {
    const answer = handleControlRequest(this.targets, method, url.pathname, rawBody);
    this.persist();
    writeJson(response, answer.status, { "Content-Type": JSON_CONTENT_TYPE }, answer.body);
  }

  private async serveApi(
    request: IncomingMessage,
    response: ServerResponse,
    incoming: { method: string; url: URL; arrival: Date; body: RequestBody },
  ): Promise<void> {
    const { method, url, arrival, body } = incoming;
    const ticket = this.targets.log.ticket();
    const logged = new LogEntryWriter(this.targets.log, ticket, describeRequest(ticket.seq, arrival, method, url, request.headers, body.text));
    const commonHeaders = {
      "Content-Type": JSON_CONTENT_TYPE,
      "MS-RequestId": headerValue(request, "ms-requestid") ?? randomUUID(),
      "MS-CorrelationId": headerValue(request, "ms-correlationid") ?? randomUUID(),
      "MS-CV": `${randomBytes(12).toString("base64")}.0`,
    };

    const fault = this.targets.faults.take(method, customerSegmentOf(url.pathname));
    if (fault?.kind === "drop") {
      logged.write("dropped", { fault: "drop" });
      request.socket.destroy();
      return;
    }
    if (fault?.kind === "status") {
      const answer = faultAnswer(fault, arrival);
      logged.write(answer.status, { fault: "status" });
      writeJson(response, answer.status, { ...commonHeaders, ...answer.headers }, answer.body);
      return;
    }
    if (fault?.kind === "delay") {
      try {
        await sleep(fault.delayMs ?? 0, undefined, { signal: this.stopping.signal });
      } catch {
        logged.write("dropped", { fault: "delay" });
        request.socket.destroy();
        return;
      }
    }

    let answer: ApiAnswer = body.tooLarge
      ? {
          status: 413,
          body: errorBody({ status: 413, code: ERROR_CODES.payloadTooLarge, description: `The request body exceeds ${MAX_BODY_BYTES} bytes.` }),
        }
      : handleApiRequest({ state: this.targets.state, tokens: this.tokens }, { method, url, headers: request.headers, rawBody: body.text });
    try {
      this.persist();
    } catch (error) {
      const description = `The change was made but could not be saved: ${(error as Error).message}`;
      answer = { status: 500, body: errorBody({ status: 500, code: ERROR_CODES.internalError, description }) };
    }

    const outcome = {
      ...(fault === undefined ? {} : { fault: fault.kind }),
      ...(answer.replayed === true ? { replayed: true } : {}),
    };
    logged.write(answer.status, outcome);
    if (fault?.kind === "lostResponse") {
      // The write happened and its answer is recorded; only the response goes missing.
      request.socket.destroy();
      return;
    }
    writeJson(response, answer.status, { ...commonHeaders, ...answer.headers }, answer.body);
  }
}

/** Completes a request's log entry exactly once, before the response goes out, so a client reading the log after its response always finds it. */
class LogEntryWriter {
  constructor(
    private readonly log: RequestLog,
    private readonly ticket: LogTicket,
    private readonly description: RequestDescription,
  ) {}

  write(status: LoggedRequest["status"], outcome: Pick<LoggedRequest, "fault" | "replayed">): void {
    this.log.add(this.ticket, { ...this.description, status, ...outcome });
  }
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

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  const single = Array.isArray(value) ? value[0] : value;
  return single === undefined || single.trim() === "" ? undefined : single;
}

function writeJson(response: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  if (status === 204 || body === undefined) {
    const { "Content-Type": _contentType, ...rest } = headers;
    response.writeHead(status, rest).end();
    return;
  }
  response.writeHead(status, headers).end(JSON.stringify(body));
}
