/**
 * The identity endpoint's control routes (under `/_emulator/identity`, listed in
 * identity-control-client.ts), mapped onto the identity service. Takes and returns plain
 * values; the API server does the HTTP.
 */

import { NO_CONTENT, dispatchControlRequest, type ControlAnswer, type ControlRequest, type ControlRoute } from "../control-route-table";
import { parseInput } from "../input-validation";
import {
  applicationRegistrationSchema,
  lifetimeSchema,
  parseControlBody,
  refreshTokenFilterSchema,
  refreshTokenGrantRequestSchema,
  signedInUserSchema,
} from "./identity-input";
import type { IdentityService } from "./identity-service";

/** Path of the identity routes below the control prefix. */
export const IDENTITY_CONTROL_ROUTE = "/identity";

const ROUTES: readonly ControlRoute<IdentityService>[] = [
  { method: "GET", pattern: /^$/, handle: (identity) => ({ status: 200, body: identity.describe() }) },
  {
    method: "POST",
    pattern: /^\/applications$/,
    handle: (identity, _params, body) => {
      const { tenantId, application } = parseInput(applicationRegistrationSchema, body(), "application");
      identity.registerApplication(tenantId, application);
      return NO_CONTENT;
    },
  },
  {
    method: "POST",
    pattern: /^\/refresh-tokens$/,
    handle: (identity, _params, body) => {
      const { tenantId, clientId, ...user } = parseInput(refreshTokenGrantRequestSchema, body(), "request");
      return { status: 200, body: { refreshToken: identity.issueRefreshToken(tenantId, clientId, user) } };
    },
  },
  {
    method: "POST",
    pattern: /^\/refresh-tokens\/revoke$/,
    handle: (identity, _params, body) => ({ status: 200, body: { count: identity.revokeRefreshTokens(parseControlBody(refreshTokenFilterSchema, body(), "filter")) } }),
  },
  {
    method: "POST",
    pattern: /^\/refresh-tokens\/expire$/,
    handle: (identity, _params, body) => ({ status: 200, body: { count: identity.expireRefreshTokens(parseControlBody(refreshTokenFilterSchema, body(), "filter")) } }),
  },
  {
    method: "POST",
    pattern: /^\/device-codes\/([^/]+)\/approve$/,
    handle: (identity, [userCode], body) => {
      identity.approveDeviceCode(userCode ?? "", parseControlBody(signedInUserSchema, body(), "user"));
      return NO_CONTENT;
    },
  },
  {
    method: "POST",
    pattern: /^\/access-tokens\/expire$/,
    handle: (identity) => {
      identity.expireAccessTokens();
      return NO_CONTENT;
    },
  },
  {
    method: "PUT",
    pattern: /^\/access-token-lifetime$/,
    handle: (identity, _params, body) => {
      identity.setAccessTokenLifetime(parseInput(lifetimeSchema, body(), "lifetime").seconds);
      return NO_CONTENT;
    },
  },
  { method: "GET", pattern: /^\/token-requests$/, handle: (identity) => ({ status: 200, body: identity.tokenRequests() }) },
  {
    method: "DELETE",
    pattern: /^\/token-requests$/,
    handle: (identity) => {
      identity.clearTokenRequests();
      return NO_CONTENT;
    },
  },
];

/**
 * Handles one identity control request; `request.route` is the path below `/_emulator/identity`.
 * Without an identity endpoint every identity route answers 404.
 */
export function handleIdentityControlRequest(identity: IdentityService | undefined, request: ControlRequest): ControlAnswer {
  if (identity === undefined) {
    return { status: 404, body: { error: "this emulator runs without an identity endpoint; start it with the identity option (CLI: --identity)" } };
  }
  return dispatchControlRequest(ROUTES, identity, request);
}
