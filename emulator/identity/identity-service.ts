/**
 * The identity endpoint's state: directory, refresh tokens, device codes, token issuer and
 * token-request log, which the OAuth endpoints and the control routes work on, with the
 * simulated interactive steps (consent, device-code approval). No HTTP here.
 */

import { InputRejectedError } from "../input-validation";
import type { IdentityDescription, SignedInUser } from "../types";
import { IdentityDirectory } from "./directory";
import { DeviceCodeStore, RefreshTokenStore } from "./grants";
import type { ValidatedTenant } from "./identity-input";
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
  readonly clock: () => Date;
  readonly directory: IdentityDirectory;
  readonly refreshTokens = new RefreshTokenStore();
  readonly deviceCodes = new DeviceCodeStore();
  /** Signs tokens, and checks the access tokens presented to the Partner Center API. */
  readonly issuer: TokenIssuer;
  readonly log = new TokenRequestLog();

  constructor(options: IdentityServiceOptions) {
    this.authorityHost = options.authorityHost;
    this.caCertificatePem = options.caCertificatePem;
    this.clock = options.clock ?? (() => new Date());
    this.directory = new IdentityDirectory(options.tenants);
    this.issuer = new TokenIssuer(options.authorityHost, options.accessTokenLifetimeInSeconds, this.clock);
  }

  /** Where the endpoint is and which CA to trust. */
  describe(): IdentityDescription {
    return { authorityHost: this.authorityHost, caCertificatePem: this.caCertificatePem };
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
