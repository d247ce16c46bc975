/**
 * The emulator's tokens: access tokens for Partner Center (RS256 JWTs shaped like the v1
 * tokens Entra issues for that resource), ID tokens, client_info, the signing key and its
 * JWKS, and the check the Partner Center API runs on a presented access token, including
 * `expireAccessTokens()`.
 */

import type { JWTPayload } from "jose" with { "resolution-mode": "import" };
import { createHash, generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from "node:crypto";
import type { AccessTokenCheck, AccessTokenVerifier } from "../authentication";
import type { JsonObject } from "../input-validation";
import type { DirectoryUser } from "./directory";
import { DELEGATED_PERMISSION, PARTNER_CENTER_AUDIENCE } from "./partner-center-scopes";

/** How the client authenticated; access tokens record it in `appidacr` (0 public, 1 secret, 2 certificate). */
export type ClientAuthenticationMethod = "none" | "secret" | "certificate";

/** Lifetime of ID tokens, as Entra's. */
const ID_TOKEN_LIFETIME_SECONDS = 3600;

/** Who a delegated access token is for. */
export interface DelegatedSubject {
  tenantId: string;
  clientId: string;
  user: DirectoryUser;
  mfa: boolean;
  clientAuthentication: ClientAuthenticationMethod;
}

/** Who an app-only access token is for. */
export interface AppSubject {
  tenantId: string;
  clientId: string;
  servicePrincipalId: string;
  clientAuthentication: ClientAuthenticationMethod;
}

/** A JSON Web Key Set document. */
export interface JsonWebKeySet {
  keys: JsonObject[];
}

/** Signs the emulator's tokens and checks access tokens presented to the API. */
export class TokenIssuer implements AccessTokenVerifier {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  /** Identifies the signing key in token headers and the JWKS. */
  readonly keyId: string;
  /** Lifetime of access tokens issued from now on; tokens already issued keep theirs. */
  accessTokenLifetimeSeconds: number;
  /**
   * `expireAccessTokens()` expires every token issued up to a moment. Token times are whole
   * seconds, so tokens issued later within that same second are remembered by `jti` here;
   * without this a token fetched right after the call would count as expired too.
   */
  private expiredThrough?: { second: number; laterInSameSecond: Set<string> };

  constructor(
    private readonly authorityHost: string,
    private readonly defaultLifetimeSeconds: number,
    private readonly clock: () => Date,
  ) {
    const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.privateKey = keys.privateKey;
    this.publicKey = keys.publicKey;
    // Shaped like Entra's key ids (a base64url SHA-1 thumbprint); the key lives as long as this issuer.
    this.keyId = randomBytes(20).toString("base64url");
    this.accessTokenLifetimeSeconds = defaultLifetimeSeconds;
  }

  /** Back to the configured lifetime; tokens already expired stay expired. */
  reset(): void {
    this.accessTokenLifetimeSeconds = this.defaultLifetimeSeconds;
  }

  /** `iss` of this emulator's v1-shaped access tokens for a tenant. */
  accessTokenIssuer(tenantId: string): string {
    return `${this.authorityHost}/${tenantId}/`;
  }

  /** `issuer` of the v2 endpoints and ID tokens for a tenant. */
  v2Issuer(tenantId: string): string {
    return `${this.authorityHost}/${tenantId}/v2.0`;
  }

  /** A delegated (App+User) access token for Partner Center. */
  delegatedAccessToken(subject: DelegatedSubject): Promise<string> {
    return this.accessToken(subject.tenantId, subject.clientId, subject.clientAuthentication, {
      idtyp: "user",
      amr: subject.mfa ? ["pwd", "mfa"] : ["pwd"],
      acr: "1",
      oid: subject.user.objectId,
      sub: pairwiseSubject(subject.user.objectId, subject.clientId),
      upn: subject.user.upn,
      unique_name: subject.user.upn,
      name: subject.user.name,
      scp: DELEGATED_PERMISSION,
    });
  }

  /** An app-only access token for Partner Center (no `scp`; the Partner Center app defines no app roles, so no `roles` either). */
  appAccessToken(subject: AppSubject): Promise<string> {
    return this.accessToken(subject.tenantId, subject.clientId, subject.clientAuthentication, {
      idtyp: "app",
      oid: subject.servicePrincipalId,
      sub: subject.servicePrincipalId,
    });
  }

  private accessToken(tenantId: string, clientId: string, clientAuthentication: ClientAuthenticationMethod, claims: JsonObject): Promise<string> {
    const now = this.clock();
    const issuedAt = Math.floor(now.getTime() / 1000);
    const jti = randomUUID();
    if (this.expiredThrough?.second === issuedAt) this.expiredThrough.laterInSameSecond.add(jti);
    return this.sign({
      aud: PARTNER_CENTER_AUDIENCE,
      iss: this.accessTokenIssuer(tenantId),
      iat: issuedAt,
      nbf: issuedAt,
      exp: issuedAt + this.accessTokenLifetimeSeconds,
      appid: clientId,
      azp: clientId,
      appidacr: APPIDACR[clientAuthentication],
      tid: tenantId,
      ver: "1.0",
      jti,
      ...claims,
    });
  }

  /** An ID token (v2) for the client. */
  idToken(tenantId: string, clientId: string, user: DirectoryUser): Promise<string> {
    const issuedAt = Math.floor(this.clock().getTime() / 1000);
    return this.sign({
      aud: clientId,
      iss: this.v2Issuer(tenantId),
      iat: issuedAt,
      nbf: issuedAt,
      exp: issuedAt + ID_TOKEN_LIFETIME_SECONDS,
      name: user.name,
      oid: user.objectId,
      preferred_username: user.upn,
      sub: pairwiseSubject(user.objectId, clientId),
      tid: tenantId,
      ver: "2.0",
    });
  }

  /** `client_info`: base64url JSON of the user's object id and home tenant, from which MSAL builds the account's home id. */
  clientInfo(tenantId: string, user: DirectoryUser): string {
    return Buffer.from(JSON.stringify({ uid: user.objectId, utid: tenantId })).toString("base64url");
  }

  /** Every access token issued so far counts as expired from now on. */
  expireAccessTokens(): void {
    this.expiredThrough = { second: Math.floor(this.clock().getTime() / 1000), laterInSameSecond: new Set() };
  }

  /** The signing key as a JWKS document. */
  jwks(tenantIssuer: string): JsonWebKeySet {
    const jwk = this.publicKey.export({ format: "jwk" });
    return { keys: [{ kty: jwk.kty ?? "RSA", use: "sig", alg: "RS256", kid: this.keyId, n: jwk.n ?? "", e: jwk.e ?? "", issuer: tenantIssuer }] };
  }

  /** Checks an access token presented to the Partner Center API: signature, audience and times by jose, then `expireAccessTokens()`. */
  async verify(token: string): Promise<AccessTokenCheck> {
    const { jwtVerify, errors } = await import("jose");
    let claims: JWTPayload;
    try {
      const options = { algorithms: ["RS256"], audience: PARTNER_CENTER_AUDIENCE, requiredClaims: ["exp", "iat"], currentDate: this.clock() };
      claims = (await jwtVerify(token, this.publicKey, options)).payload;
    } catch (error) {
      return { valid: false, reason: error instanceof errors.JWTExpired ? "expired" : "invalid" };
    }
    if (this.expiredByControl(claims.iat ?? 0, claims.jti)) return { valid: false, reason: "expired" };
    const [tenantId, clientId, user] = [textClaim(claims, "tid"), textClaim(claims, "appid"), textClaim(claims, "upn")];
    const caller = { ...(tenantId === undefined ? {} : { tenantId }), ...(clientId === undefined ? {} : { clientId }) };
    if (claims.idtyp === "app") return { valid: true, caller: { grant: "app", mfa: false, ...caller } };
    const mfa = Array.isArray(claims.amr) && claims.amr.includes("mfa");
    return { valid: true, caller: { grant: "app+user", mfa, ...caller, ...(user === undefined ? {} : { user }) } };
  }

  private expiredByControl(issuedAt: number, jti: unknown): boolean {
    const marker = this.expiredThrough;
    if (marker === undefined || issuedAt > marker.second) return false;
    return issuedAt < marker.second || typeof jti !== "string" || !marker.laterInSameSecond.has(jti);
  }

  private async sign(payload: JsonObject): Promise<string> {
    const { SignJWT } = await import("jose");
    return new SignJWT(payload).setProtectedHeader({ typ: "JWT", alg: "RS256", kid: this.keyId, x5t: this.keyId }).sign(this.privateKey);
  }
}

const APPIDACR: Record<ClientAuthenticationMethod, string> = { none: "0", secret: "1", certificate: "2" };

function textClaim(claims: JWTPayload, name: string): string | undefined {
  const value = claims[name];
  return typeof value === "string" ? value : undefined;
}

/** Entra's `sub` is pairwise: the same user gets a different subject in each application. */
function pairwiseSubject(objectId: string, clientId: string): string {
  return createHash("sha256").update(`${objectId}|${clientId}`).digest("base64url").slice(0, 43);
}
