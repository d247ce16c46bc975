/**
 * The OAuth 2.0 endpoints of the v2 protocol: the token endpoint (refresh_token,
 * client_credentials and device_code grants) and the device authorization endpoint. Takes
 * parsed form parameters and returns the JSON answer; every token request is logged.
 */

import { authenticateClient, type PresentedCredentials } from "./client-authentication";
import { ENTRA_ERRORS, entraErrorBody, type EntraError } from "./entra-errors";
import { DEVICE_CODE_LIFETIME_SECONDS, type GrantSubject } from "./grants";
import type { IdentityService } from "./identity-service";
import { DELEGATED_SCOPE, checkAppOnlyScope, checkDelegatedScopes, splitScopes, type DelegatedScopes } from "./partner-center-scopes";
import type { ClientAuthenticationMethod } from "./token-issuer";
import type { TokenRequestOutcome } from "./token-request-log";
import { withoutSecrets } from "../secrets";

/** Grant types the token endpoint supports. */
const GRANT_TYPES = {
  refreshToken: "refresh_token",
  clientCredentials: "client_credentials",
  deviceCode: "urn:ietf:params:oauth:grant-type:device_code",
} as const;

/** MSAL Node sends the short `device_code`, which Entra accepts for the RFC 8628 name. */
const DEVICE_CODE_ALIAS = "device_code";

/** Seconds a device-code client waits between polls; 1 keeps tests fast (Entra says 5). */
const DEVICE_CODE_POLL_INTERVAL_SECONDS = 1;

/** An endpoint's answer. */
export interface OAuthAnswer {
  status: number;
  body: unknown;
}

/** A token-endpoint request: the tenant path segment, the form parameters and the client's correlation id. */
export interface OAuthRequest {
  tenant: string;
  form: URLSearchParams;
  correlationId?: string;
}

/** The form fields a successful delegated or app-only token response carries. */
interface TokenResponse {
  token_type: "Bearer";
  scope?: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  client_info?: string;
}

/** Handles `POST /{tenant}/oauth2/v2.0/token`. */
export function handleTokenRequest(identity: IdentityService, request: OAuthRequest): Promise<OAuthAnswer> {
  return new TokenRequest(identity, request).answer();
}

/** One token request, from parameters to answer and log entry. */
class TokenRequest {
  private readonly now: Date;
  private readonly grantType: string;
  private readonly deviceCodeGrant: boolean;
  private readonly clientId: string | undefined;
  private readonly entry: TokenRequestOutcome;

  constructor(
    private readonly identity: IdentityService,
    private readonly request: OAuthRequest,
  ) {
    this.now = identity.clock();
    this.grantType = this.parameter("grant_type") ?? "";
    this.deviceCodeGrant = this.grantType === GRANT_TYPES.deviceCode || this.grantType === DEVICE_CODE_ALIAS;
    this.clientId = this.parameter("client_id");
    const scope = this.parameter("scope");
    this.entry = {
      time: this.now.toISOString(),
      tenantId: request.tenant,
      grantType: this.grantType,
      ...(this.clientId === undefined ? {} : { clientId: this.clientId }),
      ...(scope === undefined ? {} : { scopes: splitScopes(scope) }),
      outcome: "issued",
    };
  }

  async answer(): Promise<OAuthAnswer> {
    const { directory } = this.identity;
    if (!directory.hasTenant(this.request.tenant)) return this.fail(ENTRA_ERRORS.tenantNotFound(this.request.tenant));
    const tenantId = this.request.tenant.toLowerCase();
    if (this.grantType === "") return this.fail(ENTRA_ERRORS.missingParameter("grant_type"));
    if (!this.deviceCodeGrant && !(Object.values(GRANT_TYPES) as string[]).includes(this.grantType))
      return this.fail(ENTRA_ERRORS.unsupportedGrantType(this.grantType));
    if (this.clientId === undefined) return this.fail(ENTRA_ERRORS.missingParameter("client_id"));
    const application = directory.application(tenantId, this.clientId);
    if (application === undefined) return this.fail(ENTRA_ERRORS.applicationNotFound(this.clientId, this.request.tenant));

    const authentication = await authenticateClient(application, this.credentials(), {
      required: !this.deviceCodeGrant,
      audiences: this.assertionAudiences(tenantId),
      now: this.now,
    });
    if (!authentication.ok) return this.fail(authentication.error);
    this.entry.clientAuthentication = authentication.method;

    switch (this.grantType) {
      case GRANT_TYPES.clientCredentials:
        return this.clientCredentials(tenantId, this.clientId, authentication.method);
      case GRANT_TYPES.refreshToken:
        return this.refreshToken(tenantId, this.clientId, authentication.method);
      default:
        return this.deviceCode(tenantId, this.clientId, authentication.method);
    }
  }

  private async clientCredentials(tenantId: string, clientId: string, method: ClientAuthenticationMethod): Promise<OAuthAnswer> {
    const scope = checkAppOnlyScope(this.parameter("scope"));
    if (!scope.ok) {
      if (scope.kind === "missing") return this.fail(ENTRA_ERRORS.missingParameter("scope"));
      return this.fail(scope.kind === "notDefault" ? ENTRA_ERRORS.clientCredentialsScope(scope.scope) : ENTRA_ERRORS.invalidScope(scope.scope));
    }
    const { issuer, directory } = this.identity;
    const accessToken = await issuer.appAccessToken({
      tenantId,
      clientId,
      servicePrincipalId: directory.servicePrincipalId(tenantId, clientId),
      clientAuthentication: method,
    });
    return this.succeed({ token_type: "Bearer", ...this.lifetimes(), access_token: accessToken });
  }

  private async refreshToken(tenantId: string, clientId: string, method: ClientAuthenticationMethod): Promise<OAuthAnswer> {
    const scopes = this.delegatedScopes();
    if (!scopes.ok) return this.fail(scopes.error);
    const token = this.parameter("refresh_token");
    if (token === undefined) return this.fail(ENTRA_ERRORS.missingParameter("refresh_token"));
    const record = this.identity.refreshTokens.find(token);
    if (record === undefined) return this.fail(ENTRA_ERRORS.unknownGrant("refresh token"));
    if (record.tenantId !== tenantId) return this.fail(ENTRA_ERRORS.grantForOtherClient("refresh token", "tenant"));
    if (record.clientId !== clientId) return this.fail(ENTRA_ERRORS.grantForOtherClient("refresh token", "client"));
    if (record.revokedAt !== undefined) return this.fail(ENTRA_ERRORS.refreshTokenRevoked(record.issuedAt, record.revokedAt));
    if (record.expired === true) return this.fail(ENTRA_ERRORS.refreshTokenExpired(record.issuedAt));
    // Entra rotates: the answer carries a new refresh token and the presented one keeps working.
    return this.delegated({ tenantId, clientId, user: record.user, mfa: record.mfa }, method, scopes.value);
  }

  private async deviceCode(tenantId: string, clientId: string, method: ClientAuthenticationMethod): Promise<OAuthAnswer> {
    const code = this.parameter("device_code");
    if (code === undefined) return this.fail(ENTRA_ERRORS.missingParameter("device_code"));
    const record = this.identity.deviceCodes.find(code);
    if (record === undefined || record.redeemed === true) return this.fail(ENTRA_ERRORS.unknownGrant("device code"));
    if (record.tenantId !== tenantId) return this.fail(ENTRA_ERRORS.grantForOtherClient("device code", "tenant"));
    if (record.clientId !== clientId) return this.fail(ENTRA_ERRORS.grantForOtherClient("device code", "client"));
    if (record.expiresAt <= this.now) return this.fail(ENTRA_ERRORS.deviceCodeExpired());
    if (record.approvedBy === undefined) return this.fail(ENTRA_ERRORS.authorizationPending());
    const scopes = this.delegatedScopes(record.scope);
    if (!scopes.ok) return this.fail(scopes.error);
    this.identity.deviceCodes.redeem(code);
    return this.delegated({ tenantId, clientId, ...record.approvedBy }, method, scopes.value);
  }

  /** Issues a delegated access token, plus refresh token, ID token and client_info as the request asked. */
  private async delegated(subject: GrantSubject, method: ClientAuthenticationMethod, scopes: DelegatedScopes): Promise<OAuthAnswer> {
    const { issuer, directory, refreshTokens } = this.identity;
    const user = directory.user(subject.tenantId, subject.user);
    const response: TokenResponse = {
      token_type: "Bearer",
      scope: DELEGATED_SCOPE,
      ...this.lifetimes(),
      access_token: await issuer.delegatedAccessToken({
        tenantId: subject.tenantId,
        clientId: subject.clientId,
        user,
        mfa: subject.mfa,
        clientAuthentication: method,
      }),
    };
    if (scopes.offlineAccess) response.refresh_token = refreshTokens.issue(subject, this.now);
    if (scopes.openid) response.id_token = await issuer.idToken(subject.tenantId, subject.clientId, user);
    if (this.parameter("client_info") === "1") response.client_info = issuer.clientInfo(subject.tenantId, user);
    this.entry.user = user.upn;
    return this.succeed(response);
  }

  /** The request's delegated scopes; a device-code redemption without `scope` falls back to the authorization request's. */
  private delegatedScopes(fallback?: string): { ok: true; value: DelegatedScopes } | { ok: false; error: EntraError } {
    const parameter = this.parameter("scope") ?? fallback;
    const scopes = checkDelegatedScopes(parameter);
    if (scopes.ok) return scopes;
    return { ok: false, error: parameter === undefined ? ENTRA_ERRORS.missingParameter("scope") : ENTRA_ERRORS.invalidScope(scopes.scope) };
  }

  private lifetimes(): { expires_in: number; ext_expires_in: number } {
    const seconds = this.identity.issuer.accessTokenLifetimeSeconds;
    return { expires_in: seconds, ext_expires_in: seconds };
  }

  private credentials(): PresentedCredentials {
    const clientSecret = this.parameter("client_secret");
    const clientAssertion = this.parameter("client_assertion");
    const clientAssertionType = this.parameter("client_assertion_type");
    return {
      ...(clientSecret === undefined ? {} : { clientSecret }),
      ...(clientAssertion === undefined ? {} : { clientAssertion }),
      ...(clientAssertionType === undefined ? {} : { clientAssertionType }),
    };
  }

  /** The `aud` values a client assertion may carry: this token endpoint, as requested and with the tenant id; the v1 token endpoint; the issuer. */
  private assertionAudiences(tenantId: string): string[] {
    const host = this.identity.authorityHost;
    return [
      `${host}/${this.request.tenant}/oauth2/v2.0/token`,
      `${host}/${tenantId}/oauth2/v2.0/token`,
      `${host}/${tenantId}/oauth2/token`,
      this.identity.issuer.v2Issuer(tenantId),
    ];
  }

  /** A form parameter; empty values count as absent, as Entra treats them. */
  private parameter(name: string): string | undefined {
    const value = this.request.form.get(name);
    return value === null || value === "" ? undefined : value;
  }

  private succeed(response: TokenResponse): OAuthAnswer {
    this.identity.log.add({ ...this.entry, outcome: "issued" });
    return { status: 200, body: response };
  }

  private fail(error: EntraError): OAuthAnswer {
    this.identity.log.add({ ...this.entry, outcome: error.error, errorCodes: [error.code] });
    return {
      status: error.status,
      body: renderError(this.identity, { ...error, message: this.withoutCredentials(error.message) }, this.request.correlationId),
    };
  }

  /**
   * Descriptions quote a few request values (client id, scope, grant type); a client that put
   * a credential into one of those must not get it echoed, so every presented credential is cut out.
   */
  private withoutCredentials(message: string): string {
    return withoutSecrets(
      message,
      ["client_secret", "client_assertion", "refresh_token", "device_code"].map((name) => this.parameter(name)),
    );
  }
}

/** Handles `POST /{tenant}/oauth2/v2.0/devicecode`: starts a device-code sign-in. Not a token request, so not logged. */
export function handleDeviceAuthorizationRequest(identity: IdentityService, request: OAuthRequest): OAuthAnswer {
  const fail = (error: EntraError): OAuthAnswer => ({ status: error.status, body: renderError(identity, error, request.correlationId) });
  if (!identity.directory.hasTenant(request.tenant)) return fail(ENTRA_ERRORS.tenantNotFound(request.tenant));
  const tenantId = request.tenant.toLowerCase();
  const clientId = request.form.get("client_id") ?? "";
  if (clientId === "") return fail(ENTRA_ERRORS.missingParameter("client_id"));
  if (identity.directory.application(tenantId, clientId) === undefined) return fail(ENTRA_ERRORS.applicationNotFound(clientId, request.tenant));
  const scope = request.form.get("scope") ?? "";
  const scopes = checkDelegatedScopes(scope);
  if (!scopes.ok) return fail(scope === "" ? ENTRA_ERRORS.missingParameter("scope") : ENTRA_ERRORS.invalidScope(scopes.scope));

  const { deviceCode, userCode } = identity.deviceCodes.start({ tenantId, clientId, scope }, identity.clock());
  const verificationUri = `${identity.authorityHost}/devicelogin`;
  return {
    status: 200,
    body: {
      user_code: userCode,
      device_code: deviceCode,
      verification_uri: verificationUri,
      expires_in: DEVICE_CODE_LIFETIME_SECONDS,
      interval: DEVICE_CODE_POLL_INTERVAL_SECONDS,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
    },
  };
}

/** Renders an error with this endpoint's host and the client's correlation id. */
export function renderError(identity: Pick<IdentityService, "authorityHost" | "clock">, error: EntraError, correlationId: string | undefined): unknown {
  return entraErrorBody(error, { authorityHost: identity.authorityHost, now: identity.clock(), ...(correlationId === undefined ? {} : { correlationId }) });
}
