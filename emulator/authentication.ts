/**
 * Bearer-token checks for the /v1 API. All token logic lives here: the fixed development
 * tokens, the identity endpoint's JWTs, telling App-only from App+User tokens, MFA from
 * no-MFA ones, and which routes need what.
 *
 * Policy, following the Partner Center contract: every App+User call must carry MFA (401 with
 * the documented code 900421 otherwise); creating a qualification needs App+User, so an
 * App-only token gets 403 there (code 403 is the emulator's choice: Microsoft documents none).
 */

import type { IncomingHttpHeaders } from "node:http";
import { ERROR_CODES, type ApiError } from "./api-errors";
import { sameSecret } from "./secrets";

/** The fixed token the emulator accepts by default. Not a secret: it only opens a local emulator. */
export const DEVELOPMENT_ACCESS_TOKEN = "partnercenter-emulator-development-token";

/**
 * Who is calling. The fixed tokens count as App+User with MFA; identity-endpoint tokens say
 * what they are.
 */
export interface Caller {
  /** `app`: App-only (client credentials); `app+user`: delegated. */
  grant: "app" | "app+user";
  /** Whether the user's sign-in used MFA (always false for App-only). */
  mfa: boolean;
  tenantId?: string;
  clientId?: string;
  /** User principal name, for App+User tokens from the identity endpoint. */
  user?: string;
}

/** The verdict on a JWT presented to the API. */
export type AccessTokenCheck = { valid: true; caller: Caller } | { valid: false; reason: "invalid" | "expired" };

/** Checks tokens the identity endpoint issued. */
export interface AccessTokenVerifier {
  verify(token: string): Promise<AccessTokenCheck>;
}

/** Which tokens the API accepts. */
export interface TokenAcceptance {
  /** Fixed tokens (the development token by default). */
  acceptedTokens: readonly string[];
  /** The identity endpoint's verifier, when the emulator runs one. */
  verifier?: AccessTokenVerifier;
}

/** What a route needs: any accepted caller, or App+User (delegated) only. */
export type RequiredGrant = "app-or-user" | "app+user";

/** The result of {@link authenticate}. */
export type Authentication = { ok: true; caller: Caller } | { ok: false; error: ApiError };

/** The bearer token in an `Authorization` header, if the header uses the Bearer scheme. */
export function presentedBearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? "");
  return match?.[1];
}

/** Checks the request's bearer token and whether its caller may use a route that needs `required`. */
export async function authenticate(headers: IncomingHttpHeaders, acceptance: TokenAcceptance, required: RequiredGrant): Promise<Authentication> {
  if (headers.authorization === undefined || headers.authorization.trim() === "") {
    return unauthorized("Authorization failed: the request has no Authorization header; send 'Authorization: Bearer <access token>'.");
  }
  const token = presentedBearerToken(headers);
  if (token === undefined) {
    return unauthorized("Authorization failed: the Authorization header must use the Bearer scheme.");
  }
  const identified = await identify(token, acceptance);
  if (!identified.valid) {
    return unauthorized(
      identified.reason === "expired"
        ? "Authorization failed: the access token has expired; acquire a new one."
        : "Authorization failed: the bearer token is invalid or expired.",
    );
  }
  const caller = identified.caller;
  if (caller.grant === "app+user" && !caller.mfa) {
    return {
      ok: false,
      error: {
        status: 401,
        code: ERROR_CODES.mfaRequired,
        description: "Multi-factor authentication is required: this App+User access token was issued without MFA (its 'amr' claim has no 'mfa').",
      },
    };
  }
  if (required === "app+user" && caller.grant === "app") {
    return {
      ok: false,
      error: {
        status: 403,
        code: ERROR_CODES.appPlusUserRequired,
        description: "This operation requires App+User (delegated) authentication; App-only access tokens are not accepted.",
      },
    };
  }
  return { ok: true, caller };
}

/** The caller behind a token: a fixed token, else whatever the identity endpoint's verifier says. */
async function identify(token: string, acceptance: TokenAcceptance): Promise<AccessTokenCheck> {
  if (acceptance.acceptedTokens.some((accepted) => sameSecret(accepted, token))) return { valid: true, caller: { grant: "app+user", mfa: true } };
  return (await acceptance.verifier?.verify(token)) ?? { valid: false, reason: "invalid" };
}

function unauthorized(description: string): Authentication {
  return { ok: false, error: { status: 401, code: ERROR_CODES.unauthorized, description } };
}
