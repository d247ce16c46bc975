/**
 * The HTTP plumbing the API server and the identity endpoint share: reading bodies with a size
 * limit, single header and query values, path decoding, and writing JSON and failure answers.
 */

import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";

const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

/** Clients must tolerate it; the emulator can send it to prove they do. */
const BYTE_ORDER_MARK = "\uFEFF";

/** A request body as read. */
export interface RequestBody {
  text: string;
  /** True when the body exceeded the limit; `text` is then empty. */
  tooLarge: boolean;
}

/** Reads the whole body; beyond `maxBytes` it keeps draining (so a 413 can still be sent) but stops storing. */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<RequestBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= maxBytes) chunks.push(buffer);
  }
  return size > maxBytes ? { text: "", tooLarge: true } : { text: Buffer.concat(chunks).toString("utf8"), tooLarge: false };
}

/** The first value of a header (lower-case `name`); undefined when absent or blank. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const single = Array.isArray(value) ? value[0] : value;
  return single === undefined || single.trim() === "" ? undefined : single;
}

/** A query parameter matched by case-insensitive name (lower-case `name`). */
export function queryParameter(url: URL, name: string): string | undefined {
  for (const [key, value] of url.searchParams) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

/** A percent-decoded path segment, or undefined when an escape in it is malformed. */
export function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Decodes a path segment; a malformed escape is kept verbatim so it fails whatever check follows like any other bad value. */
export function decodeSegmentLeniently(segment: string): string {
  return decodeSegment(segment) ?? segment;
}

/**
 * Answers a request whose handling failed, with `writeError`, unless a response is already
 * under way or the client went away (a socket a fault destroyed included): then nobody is
 * left to answer, and the connection is dropped.
 */
export function answerFailure(request: IncomingMessage, response: ServerResponse, writeError: () => void): void {
  if (response.headersSent || request.socket.destroyed) response.destroy();
  else writeError();
}

/** Writes a JSON answer with `Content-Type` set; 204 or an undefined body sends no body and no content type. */
export function writeJson(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: unknown,
  options: { byteOrderMark?: boolean } = {},
): void {
  if (status === 204 || body === undefined) {
    response.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, { "Content-Type": JSON_CONTENT_TYPE, ...headers }).end(options.byteOrderMark === true ? `${BYTE_ORDER_MARK}${text}` : text);
}
