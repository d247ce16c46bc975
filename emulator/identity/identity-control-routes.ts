/**
 * The identity endpoint's control routes (under `/_emulator/identity`, listed in
 * identity-control-client.ts), mapped onto the identity service. Takes and returns plain
 * values; the API server does the HTTP.
 */

import { dispatchControlRequest, type ControlAnswer, type ControlRequest, type ControlRoute } from "../control-route-table";
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
  { method: "GET", pattern: /^$/, handle: (identity) => identity.describe() },
  {
    method: "POST",
    pattern: /^\/applications$/,
    handle: ({ directory }, _params, body) => {
      const { tenantId, application } = parseInput(applicationRegistrationSchema, body(), "application");
      directory.register(tenantId, application);
    },
  },
  {
    method: "POST",
    pattern: /^\/refresh-tokens$/,
    handle: (identity, _params, body) => {
      const { tenantId, clientId, ...user } = parseInput(refreshTokenGrantRequestSchema, body(), "request");
      return { refreshToken: identity.issueRefreshToken(tenantId, clientId, user) };
    },
  },
  {
    method: "POST",
    pattern: /^\/refresh-tokens\/revoke$/,
    handle: ({ refreshTokens, clock }, _params, body) => ({
      count: refreshTokens.revoke(parseControlBody(refreshTokenFilterSchema, body(), "filter"), clock()),
    }),
  },
  {
    method: "POST",
    pattern: /^\/refresh-tokens\/expire$/,
    handle: ({ refreshTokens }, _params, body) => ({ count: refreshTokens.expire(parseControlBody(refreshTokenFilterSchema, body(), "filter")) }),
  },
  {
    method: "POST",
    pattern: /^\/device-codes\/([^/]+)\/approve$/,
    handle: (identity, [userCode], body) => identity.approveDeviceCode(userCode ?? "", parseControlBody(signedInUserSchema, body(), "user")),
  },
  { method: "POST", pattern: /^\/access-tokens\/expire$/, handle: ({ issuer }) => issuer.expireAccessTokens() },
  {
    method: "PUT",
    pattern: /^\/access-token-lifetime$/,
    handle: ({ issuer }, _params, body) => {
      issuer.accessTokenLifetimeSeconds = parseInput(lifetimeSchema, body(), "lifetime").seconds;
    },
  },
  { method: "GET", pattern: /^\/token-requests$/, handle: ({ log }) => log.list() },
  { method: "DELETE", pattern: /^\/token-requests$/, handle: ({ log }) => log.clear() },
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
