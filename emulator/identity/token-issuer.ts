/**
 * The emulator's tokens: access tokens for Partner Center (RS256 JWTs shaped like the v1
 * tokens Entra issues for that resource), ID tokens, client_info, the signing key and its
 * JWKS, and the check the Partner Center API runs on a presented access token, including
 * `expireAccessTokens()`.
 */

import { createHash, generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import type { AccessTokenCheck, AccessTokenVerifier } from "../authentication";
import type { JsonObject } from "../input-validation";
import type { DirectoryUser } from "./directory";
import { base64Url, decodeJws, signRs256, verifySignature } from "./jws";
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
  private lifetimeSeconds: number;
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
    this.keyId = base64Url(createHash("sha1").update(this.publicKey.export({ type: "spki", format: "der" })).digest());
    this.lifetimeSeconds = defaultLifetimeSeconds;
  }

  /** Back to the configured lifetime; tokens already expired stay expired. */
  reset(): void {
    this.lifetimeSeconds = this.defaultLifetimeSeconds;
  }

  /** Lifetime of access tokens issued from now on. */
  get accessTokenLifetimeSeconds(): number {
    return this.lifetimeSeconds;
  }

  /** Sets the lifetime of access tokens issued from now on; tokens already issued keep theirs. */
  set accessTokenLifetimeSeconds(seconds: number) {
    this.lifetimeSeconds = seconds;
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
  delegatedAccessToken(subject: DelegatedSubject): string {
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
  appAccessToken(subject: AppSubject): string {
    return this.accessToken(subject.tenantId, subject.clientId, subject.clientAuthentication, {
      idtyp: "app",
      oid: subject.servicePrincipalId,
      sub: subject.servicePrincipalId,
    });
  }

  private accessToken(tenantId: string, clientId: string, clientAuthentication: ClientAuthenticationMethod, claims: JsonObject): string {
    const now = this.clock();
    const issuedAt = Math.floor(now.getTime() / 1000);
    const jti = randomUUID();
    if (this.expiredThrough?.second === issuedAt) this.expiredThrough.laterInSameSecond.add(jti);
    return this.sign({
      aud: PARTNER_CENTER_AUDIENCE,
      iss: this.accessTokenIssuer(tenantId),
      iat: issuedAt,
      nbf: issuedAt,
      exp: issuedAt + this.lifetimeSeconds,
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
  idToken(tenantId: string, clientId: string, user: DirectoryUser): string {
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
    return base64Url(JSON.stringify({ uid: user.objectId, utid: tenantId }));
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

  /** Checks an access token presented to the Partner Center API. */
  verify(token: string): AccessTokenCheck {
    const jws = decodeJws(token);
    if (jws === undefined || jws.header.alg !== "RS256" || jws.header.kid !== this.keyId || !verifySignature(jws, this.publicKey)) {
      return { valid: false, reason: "invalid" };
    }
    const claims = jws.payload;
    if (claims.aud !== PARTNER_CENTER_AUDIENCE || typeof claims.exp !== "number" || typeof claims.iat !== "number") return { valid: false, reason: "invalid" };
    const now = this.clock().getTime() / 1000;
    if (typeof claims.nbf === "number" && claims.nbf > now) return { valid: false, reason: "invalid" };
    if (claims.exp <= now || this.expiredByControl(claims.iat, claims.jti)) return { valid: false, reason: "expired" };
    const tenantId = typeof claims.tid === "string" ? claims.tid : undefined;
    const clientId = typeof claims.appid === "string" ? claims.appid : undefined;
    if (claims.idtyp === "app") return { valid: true, caller: { grant: "app", mfa: false, ...(tenantId === undefined ? {} : { tenantId }), ...(clientId === undefined ? {} : { clientId }) } };
    const mfa = Array.isArray(claims.amr) && claims.amr.includes("mfa");
    const user = typeof claims.upn === "string" ? claims.upn : undefined;
    return {
      valid: true,
      caller: {
        grant: "app+user",
        mfa,
        ...(tenantId === undefined ? {} : { tenantId }),
        ...(clientId === undefined ? {} : { clientId }),
        ...(user === undefined ? {} : { user }),
      },
    };
  }

  private expiredByControl(issuedAt: number, jti: unknown): boolean {
    const marker = this.expiredThrough;
    if (marker === undefined || issuedAt > marker.second) return false;
    return issuedAt < marker.second || typeof jti !== "string" || !marker.laterInSameSecond.has(jti);
  }

  private sign(payload: JsonObject): string {
    return signRs256({ kid: this.keyId, x5t: this.keyId }, payload, this.privateKey);
  }
}

const APPIDACR: Record<ClientAuthenticationMethod, string> = { none: "0", secret: "1", certificate: "2" };

/** Entra's `sub` is pairwise: the same user gets a different subject in each application. */
function pairwiseSubject(objectId: string, clientId: string): string {
  return base64Url(createHash("sha256").update(`${objectId}|${clientId}`).digest()).slice(0, 43);
}
