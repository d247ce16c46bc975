/**
 * Starting and stopping the emulator's two servers (the API's HTTP one and the identity
 * endpoint's HTTPS one) the same way.
 */

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Listens on `host`:`port` and resolves with the port bound (0 picks a free one); a refused listen rejects. */
export async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Stops listening and drops open connections (a test's close must not wait for keep-alive sockets). */
export function closeNow(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    // The callback's error only says the server was already closed, which is fine here.
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** `host` as it goes into a URL: an IPv6 address in brackets. */
export function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
