/**
 * Client for the identity endpoint's control routes, so tests, demos and pipelines can
 * simulate sign-ins and drive token lifetimes on an emulator in this process or another one.
 *
 * The routes live on the emulator's API server (plain HTTP, like the other control routes),
 * not on the HTTPS identity endpoint, so a control client needs no CA. JSON bodies, no
 * authentication; without an identity endpoint they all answer 404.
 *
 * | method | route | body | answer |
 * |---|---|---|---|
 * | GET | `/_emulator/identity` | | 200 {@link IdentityDescription} |
 * | POST | `/_emulator/identity/applications` | {@link ApplicationRegistration} | 204: adds or overwrites; creates the tenant |
 * | POST | `/_emulator/identity/refresh-tokens` | {@link RefreshTokenGrantRequest} | 200 `{"refreshToken": "..."}`; 404 unknown tenant or application |
 * | POST | `/_emulator/identity/refresh-tokens/revoke` | {@link RefreshTokenFilter} or nothing | 200 `{"count": n}` |
 * | POST | `/_emulator/identity/refresh-tokens/expire` | {@link RefreshTokenFilter} or nothing | 200 `{"count": n}` |
 * | POST | `/_emulator/identity/device-codes/{userCode}/approve` | {@link SignedInUser} or nothing | 204; 404 no pending code |
 * | POST | `/_emulator/identity/access-tokens/expire` | | 204 |
 * | PUT | `/_emulator/identity/access-token-lifetime` | `{"seconds": n}` | 204 |
 * | GET, DELETE | `/_emulator/identity/token-requests` | | 200 {@link LoggedTokenRequest}[] / 204 |
 *
 * `POST /_emulator/reset` also puts the identity endpoint back to its seed.
 */

import { callControl, normalizeBaseUrl } from "../control-transport";
import type { ApplicationRegistration, IdentityDescription, LoggedTokenRequest, RefreshTokenFilter, RefreshTokenGrantRequest, SignedInUser } from "../types";

/** Drives an emulator's identity endpoint over the control API. */
export class IdentityControl {
  private readonly baseUrl: string;

  /** @param baseUrl the emulator's API base URL (`RunningEmulator.url`, e.g. `http://127.0.0.1:8443`), not the authority host. */
  constructor(baseUrl: string) {
    this.baseUrl = normalizeBaseUrl(baseUrl);
  }

  /** The authority host and the CA to trust, for a process that did not start the emulator. */
  async describe(): Promise<IdentityDescription> {
    return (await this.call("GET", "")) as IdentityDescription;
  }

  /** Adds or overwrites an app registration (creating its tenant when new). */
  async registerApplication(registration: ApplicationRegistration): Promise<void> {
    await this.call("POST", "/applications", registration);
  }

  /**
   * Simulates the one-time interactive consent of the Secure Application Model: returns the
   * refresh token it yields (opaque, not a JWT). The user defaults to `admin@<tenantId>.example`,
   * `mfa` to true.
   */
  async issueRefreshToken(request: RefreshTokenGrantRequest): Promise<string> {
    const answer = (await this.call("POST", "/refresh-tokens", request)) as { refreshToken: string };
    return answer.refreshToken;
  }

  /** Completes a pending device-code sign-in, as the user entering `userCode` would. */
  async approveDeviceCode(userCode: string, user: SignedInUser = {}): Promise<void> {
    await this.call("POST", `/device-codes/${encodeURIComponent(userCode)}/approve`, user);
  }

  /** Revokes matching refresh tokens: redeeming them then fails with invalid_grant AADSTS50173. Returns how many. */
  async revokeRefreshTokens(filter: RefreshTokenFilter = {}): Promise<number> {
    return ((await this.call("POST", "/refresh-tokens/revoke", filter)) as { count: number }).count;
  }

  /** Expires matching refresh tokens: redeeming them then fails with invalid_grant AADSTS700082. Returns how many. */
  async expireRefreshTokens(filter: RefreshTokenFilter = {}): Promise<number> {
    return ((await this.call("POST", "/refresh-tokens/expire", filter)) as { count: number }).count;
  }

  /** Every access token issued so far is refused (401, expired) by the Partner Center API; newer ones are fine. */
  async expireAccessTokens(): Promise<void> {
    await this.call("POST", "/access-tokens/expire");
  }

  /** Lifetime, in whole seconds (at least 1), of access tokens issued from now on. */
  async setAccessTokenLifetime(seconds: number): Promise<void> {
    await this.call("PUT", "/access-token-lifetime", { seconds });
  }

  /** The token-endpoint requests seen since the last clear, in arrival order. */
  async tokenRequests(): Promise<LoggedTokenRequest[]> {
    return (await this.call("GET", "/token-requests")) as LoggedTokenRequest[];
  }

  /** Empties the token-request log. */
  async clearTokenRequests(): Promise<void> {
    await this.call("DELETE", "/token-requests");
  }

  private call(method: string, route: string, body?: unknown): Promise<unknown> {
    return callControl(this.baseUrl, method, `/identity${route}`, body);
  }
}
