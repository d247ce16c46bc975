/**
 * The HTTP side of the control clients: one JSON call to a control route, with refusals
 * turned into {@link EmulatorControlError}. Shared by `EmulatorControl` and `IdentityControl`.
 */

/** Path prefix of every control route. */
export const CONTROL_PREFIX = "/_emulator";

/** A control call the emulator refused. */
export class EmulatorControlError extends Error {
  override readonly name = "EmulatorControlError";

  constructor(
    message: string,
    /** HTTP status of the refusal. */
    readonly status: number,
  ) {
    super(message);
  }
}

/** Strips trailing slashes so `${base}${CONTROL_PREFIX}` is well formed whichever way the URL was written. */
export function normalizeBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "");
}

/** Sends one control call to `${baseUrl}/_emulator${route}` and returns the parsed JSON answer (undefined for 204). */
export async function callControl(baseUrl: string, method: string, route: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${baseUrl}${CONTROL_PREFIX}${route}`, {
    method,
    headers: body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed: unknown = text === "" ? undefined : JSON.parse(text);
  if (!response.ok) {
    const reason = typeof parsed === "object" && parsed !== null && "error" in parsed && typeof parsed.error === "string" ? parsed.error : text;
    throw new EmulatorControlError(`emulator control ${method} ${route} failed with ${response.status}: ${reason}`, response.status);
  }
  return parsed;
}
