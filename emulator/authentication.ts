/**
 * Bearer-token checks for the /v1 API. All token logic lives here so that telling App-only
 * from App+User tokens, and MFA from no-MFA ones, later changes this file only.
 */

import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { ERROR_CODES, type ApiError } from "./api-errors";

/** The fixed token the emulator accepts by default. Not a secret: it only opens a local emulator. */
export const DEVELOPMENT_ACCESS_TOKEN = "partnercenter-emulator-development-token";

/**
 * Who is calling. Every accepted token currently counts as an App+User token issued with MFA,
 * which Partner Center accepts on every qualification route.
 */
export interface Caller {
  grant: "app+user";
  mfa: boolean;
}

/** The result of {@link authenticate}. */
export type Authentication = { ok: true; caller: Caller } | { ok: false; error: ApiError };

/** The bearer token in an `Authorization` header, if the header uses the Bearer scheme. */
export function presentedBearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? "");
  return match?.[1];
}

/** Checks the request's bearer token against the accepted ones. */
export function authenticate(headers: IncomingHttpHeaders, acceptedTokens: readonly string[]): Authentication {
  if (headers.authorization === undefined || headers.authorization.trim() === "") {
    return unauthorized("Authorization failed: the request has no Authorization header; send 'Authorization: Bearer <access token>'.");
  }
  const token = presentedBearerToken(headers);
  if (token === undefined) {
    return unauthorized("Authorization failed: the Authorization header must use the Bearer scheme.");
  }
  if (!acceptedTokens.some((accepted) => sameSecret(accepted, token))) {
    return unauthorized("Authorization failed: the bearer token is invalid or expired.");
  }
  return { ok: true, caller: { grant: "app+user", mfa: true } };
}

function unauthorized(description: string): Authentication {
  return { ok: false, error: { status: 401, code: ERROR_CODES.unauthorized, description } };
}

/** Compares digests so the comparison time says nothing about how much of a token matched. */
function sameSecret(expected: string, actual: string): boolean {
  const digest = (value: string): Buffer => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(expected), digest(actual));
}
