/**
 * The API request log: what each request carried and how it was answered, with the bearer
 * token redacted everywhere it could appear. Not persisted.
 */

import type { IncomingHttpHeaders } from "node:http";
import { presentedBearerToken } from "./authentication";
import { tryParseJson } from "./input-validation";
import { NumberedLog } from "./numbered-log";
import { REDACTED, withoutSecrets } from "./secrets";
import type { LoggedRequest } from "./types";

/** Where a request sits in the log: its sequence number within a log generation. */
export interface LogTicket {
  seq: number;
  generation: number;
}

/** What a request carried, before its outcome is known. */
export type RequestDescription = Omit<LoggedRequest, "status" | "fault" | "replayed">;

/** Ordered log of API requests, numbered on arrival so that delayed requests that finish late keep their place. */
export class RequestLog extends NumberedLog<LoggedRequest> {
  private generation = 0;

  /** Numbers a request on arrival. */
  ticket(): LogTicket {
    return { seq: this.takeSeq(), generation: this.generation };
  }

  /** Adds a finished request; requests that arrived before the last {@link RequestLog.clear} are discarded. */
  add(ticket: LogTicket, entry: LoggedRequest): void {
    if (ticket.generation === this.generation) this.keep(entry);
  }

  /** Empties the log and restarts numbering at 1; requests still under way are not logged. */
  override clear(): void {
    super.clear();
    this.generation += 1;
  }
}

/** Describes a request for the log, with the bearer token removed from headers, query and body. */
export function describeRequest(seq: number, arrival: Date, method: string, url: URL, headers: IncomingHttpHeaders, rawBody: string): RequestDescription {
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
