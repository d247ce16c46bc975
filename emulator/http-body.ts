/**
 * Reading request bodies with a size limit, for the API server and the identity endpoint.
 */

import type { IncomingMessage } from "node:http";

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
