/**
 * The identity endpoint's state and operations: directory, refresh tokens, device codes,
 * token issuer and token-request log, with the simulated interactive steps (consent,
 * device-code approval) and the control operations. No HTTP here.
 */

import type { AccessTokenVerifier } from "../authentication";
import { InputRejectedError } from "../input-validation";
import type { IdentityDescription, LoggedTokenRequest, RefreshTokenFilter, SignedInUser } from "../types";
import { IdentityDirectory } from "./directory";
import { DeviceCodeStore, RefreshTokenStore } from "./grants";
import type { ValidatedApplication, ValidatedTenant } from "./identity-input";
import type { OAuthTargets } from "./oauth-endpoints";
import { TokenIssuer } from "./token-issuer";
import { TokenRequestLog } from "./token-request-log";

/** What an identity service is built from. */
export interface IdentityServiceOptions {
  /** E.g. `https://127.0.0.1:45123`. */
  authorityHost: string;
  caCertificatePem: string;
  accessTokenLifetimeInSeconds: number;
  /** The seed `reset()` restores. */
  tenants: readonly ValidatedTenant[];
  clock?: () => Date;
}

/** A running identity endpoint's state. */
export class IdentityService {
  /** E.g. `https://127.0.0.1:45123`: the issuer's and the endpoints' base. */
  readonly authorityHost: string;
  /** The CA that signed the endpoint's server certificate, for clients to trust. */
  readonly caCertificatePem: string;
  private readonly clock: () => Date;
  private readonly directory: IdentityDirectory;
  private readonly refreshTokens = new RefreshTokenStore();
  private readonly deviceCodes = new DeviceCodeStore();
  private readonly issuer: TokenIssuer;
  private readonly log = new TokenRequestLog();

  constructor(options: IdentityServiceOptions) {
    this.authorityHost = options.authorityHost;
    this.caCertificatePem = options.caCertificatePem;
    this.clock = options.clock ?? (() => new Date());
    this.directory = new IdentityDirectory(options.tenants);
    this.issuer = new TokenIssuer(options.authorityHost, options.accessTokenLifetimeInSeconds, this.clock);
  }

  /** Checks access tokens presented to the Partner Center API. */
  get verifier(): AccessTokenVerifier {
    return this.issuer;
  }

  /** What the OAuth endpoints work on. */
  get oauthTargets(): OAuthTargets {
    return {
      directory: this.directory,
      refreshTokens: this.refreshTokens,
      deviceCodes: this.deviceCodes,
      issuer: this.issuer,
      log: this.log,
      authorityHost: this.authorityHost,
      clock: this.clock,
    };
  }

  /** The signing key's JWKS document, as served for a tenant. */
  jwks(tenant: string): ReturnType<TokenIssuer["jwks"]> {
    return this.issuer.jwks(this.issuer.v2Issuer(tenant.toLowerCase()));
  }

  /** True when the tenant exists. */
  hasTenant(tenant: string): boolean {
    return this.directory.hasTenant(tenant);
  }

  /** Where the endpoint is and which CA to trust. */
  describe(): IdentityDescription {
    return { authorityHost: this.authorityHost, caCertificatePem: this.caCertificatePem };
  }

  /** Adds or overwrites an app registration. */
  registerApplication(tenantId: string, application: ValidatedApplication): void {
    this.directory.register(tenantId, application);
  }

  /** Simulates the one-time interactive, consenting sign-in: returns the refresh token it yields. */
  issueRefreshToken(tenantId: string, clientId: string, signedIn: SignedInUser): string {
    if (!this.directory.hasTenant(tenantId)) throw new InputRejectedError(`no tenant ${tenantId}`, 404);
    if (this.directory.application(tenantId, clientId) === undefined) throw new InputRejectedError(`no application ${clientId} in tenant ${tenantId}`, 404);
    const user = this.directory.user(tenantId, signedIn.user);
    return this.refreshTokens.issue({ tenantId: tenantId.toLowerCase(), clientId, user: user.upn, mfa: signedIn.mfa ?? true }, this.clock());
  }

  /** Completes a pending device-code sign-in as `signedIn`. */
  approveDeviceCode(userCode: string, signedIn: SignedInUser): void {
    const approved = this.deviceCodes.approve(userCode, this.clock(), (pending) => ({
      user: this.directory.user(pending.tenantId, signedIn.user).upn,
      mfa: signedIn.mfa ?? true,
    }));
    if (approved === undefined) throw new InputRejectedError(`no pending device code with user code ${userCode}`, 404);
  }

  /** Revokes matching refresh tokens (AADSTS50173 from now on); returns how many. */
  revokeRefreshTokens(filter: RefreshTokenFilter): number {
    return this.refreshTokens.revoke(filter, this.clock());
  }

  /** Expires matching refresh tokens (AADSTS700082 from now on); returns how many. */
  expireRefreshTokens(filter: RefreshTokenFilter): number {
    return this.refreshTokens.expire(filter);
  }

  /** Every access token issued so far is refused as expired by the API. */
  expireAccessTokens(): void {
    this.issuer.expireAccessTokens();
  }

  /** Lifetime of access tokens issued from now on. */
  setAccessTokenLifetime(seconds: number): void {
    this.issuer.accessTokenLifetimeSeconds = seconds;
  }

  /** The token requests seen since the last clear. */
  tokenRequests(): LoggedTokenRequest[] {
    return this.log.list();
  }

  /** Empties the token-request log. */
  clearTokenRequests(): void {
    this.log.clear();
  }

  /**
   * Back to the seed: seeded tenants and applications only, no refresh tokens or device codes,
   * the configured lifetime, an empty log. The signing key stays, so access tokens issued
   * before keep their signature (and their expiry).
   */
  reset(): void {
    this.directory.reset();
    this.refreshTokens.clear();
    this.deviceCodes.clear();
    this.issuer.reset();
    this.log.clear();
  }
}
