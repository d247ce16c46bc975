/**
 * The API request log: what each request carried and how it was answered, with the bearer
 * token redacted everywhere it could appear. Not persisted.
 */

import type { IncomingHttpHeaders } from "node:http";
import { presentedBearerToken } from "./authentication";
import { tryParseJson } from "./input-validation";
import { REDACTED, withoutSecrets } from "./secrets";
import type { LoggedRequest } from "./types";

/** Oldest entries are dropped beyond this, so a long-running emulator does not grow without bound. */
const MAX_LOGGED_REQUESTS = 10_000;

/** Where a request sits in the log: its sequence number within a log generation. */
export interface LogTicket {
  seq: number;
  generation: number;
}

/** What a request carried, before its outcome is known. */
export type RequestDescription = Omit<LoggedRequest, "status" | "fault" | "replayed">;

/** Ordered log of API requests. */
export class RequestLog {
  private entries: LoggedRequest[] = [];
  private nextSeq = 1;
  private generation = 0;

  /** Numbers a request on arrival, so the log is in arrival order even when delayed requests finish late. */
  ticket(): LogTicket {
    return { seq: this.nextSeq++, generation: this.generation };
  }

  /** Adds a finished request; requests that arrived before the last {@link RequestLog.clear} are discarded. */
  add(ticket: LogTicket, entry: LoggedRequest): void {
    if (ticket.generation !== this.generation) return;
    this.entries.push(entry);
    this.entries.sort((a, b) => a.seq - b.seq);
    if (this.entries.length > MAX_LOGGED_REQUESTS) this.entries.shift();
  }

  /** Copies of the entries, in arrival order. */
  list(): LoggedRequest[] {
    return structuredClone(this.entries);
  }

  /** Empties the log and restarts numbering at 1. */
  clear(): void {
    this.entries = [];
    this.nextSeq = 1;
    this.generation += 1;
  }
}

/** Describes a request for the log, with the bearer token removed from headers, query and body. */
export function describeRequest(
  seq: number,
  arrival: Date,
  method: string,
  url: URL,
  headers: IncomingHttpHeaders,
  rawBody: string,
): RequestDescription {
  const token = presentedBearerToken(headers);
  const scrub = (text: string): string => withoutSecrets(text, [token]);

  const loggedHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(", ") : value;
    loggedHeaders[name.toLowerCase()] = name.toLowerCase() === "authorization" ? redactCredentials(text) : scrub(text);
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = scrub(value);

  const description: RequestDescription = {
    seq,
    time: arrival.toISOString(),
    method,
    path: url.pathname,
    query,
    headers: loggedHeaders,
  };
  const requestId = loggedHeaders["ms-requestid"];
  const correlationId = loggedHeaders["ms-correlationid"];
  if (requestId !== undefined) description.requestId = requestId;
  if (correlationId !== undefined) description.correlationId = correlationId;
  const body = parseLoggedBody(scrub(rawBody));
  if (body !== undefined) description.body = body;
  return description;
}

/** Keeps the scheme (useful when debugging a client) and drops the credentials. */
function redactCredentials(value: string): string {
  const scheme = /^\s*(\S+)\s+\S/.exec(value)?.[1];
  return scheme === undefined ? REDACTED : `${scheme} ${REDACTED}`;
}

function parseLoggedBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  const parsed = tryParseJson(text);
  return parsed.ok ? parsed.value : text;
}
