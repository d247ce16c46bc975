/**
 * Client authentication at the token endpoint: a client secret, or a `client_assertion` JWT
 * signed with the registered certificate's key (as MSAL Node and @azure/identity build it:
 * PS256 with `x5t#S256`, or RS256 with `x5t`). Public clients (no credentials registered)
 * must present none.
 */

import { createHash } from "node:crypto";
import { sameSecret } from "../secrets";
import { ENTRA_ERRORS, type EntraError } from "./entra-errors";
import type { ValidatedApplication } from "./identity-input";
import { ACCEPTED_ASSERTION_ALGORITHMS, decodeJws, verifySignature } from "./jws";
import type { ClientAuthenticationMethod } from "./token-issuer";

/** The only client_assertion_type Entra accepts. */
export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** Clock skew Entra tolerates on assertion times. */
const ASSERTION_SKEW_SECONDS = 300;

/** The credential parameters of a token request. */
export interface PresentedCredentials {
  clientSecret?: string;
  clientAssertion?: string;
  clientAssertionType?: string;
}

/** The result of {@link authenticateClient}. */
export type ClientAuthentication = { ok: true; method: ClientAuthenticationMethod } | { ok: false; error: EntraError };

/**
 * Checks the client's credentials. `required` is false for the device-code flow, which public
 * clients use (credentials presented anyway are still checked). `audiences` are the
 * assertion `aud` values accepted: this endpoint's token URL in its spellings.
 */
export function authenticateClient(
  application: ValidatedApplication,
  presented: PresentedCredentials,
  context: { required: boolean; audiences: readonly string[]; now: Date },
): ClientAuthentication {
  const confidential = application.clientSecret !== undefined || application.certificate !== undefined;
  const presentsSomething = presented.clientSecret !== undefined || presented.clientAssertion !== undefined;
  if (!confidential) return presentsSomething ? refuse(ENTRA_ERRORS.publicClientWithCredential()) : { ok: true, method: "none" };
  if (presented.clientAssertion !== undefined) return checkAssertion(application, presented, context);
  if (presented.clientSecret !== undefined) {
    return application.clientSecret !== undefined && sameSecret(application.clientSecret, presented.clientSecret)
      ? { ok: true, method: "secret" }
      : refuse(ENTRA_ERRORS.invalidClientSecret(application.clientId));
  }
  return context.required ? refuse(ENTRA_ERRORS.missingClientCredential()) : { ok: true, method: "none" };
}

function checkAssertion(application: ValidatedApplication, presented: PresentedCredentials, context: { audiences: readonly string[]; now: Date }): ClientAuthentication {
  if (presented.clientAssertionType !== JWT_BEARER_ASSERTION_TYPE) {
    return refuse(ENTRA_ERRORS.assertionRejected(`client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}.`));
  }
  const jws = decodeJws(presented.clientAssertion ?? "");
  if (jws === undefined) return refuse(ENTRA_ERRORS.malformedAssertion());
  const algorithm = jws.header.alg;
  if (typeof algorithm !== "string" || !(ACCEPTED_ASSERTION_ALGORITHMS as readonly string[]).includes(algorithm)) {
    return refuse(ENTRA_ERRORS.assertionSignature(`The signing algorithm is not supported; use ${ACCEPTED_ASSERTION_ALGORITHMS.join(", ")}.`));
  }
  const certificate = application.certificate;
  if (certificate === undefined) return refuse(ENTRA_ERRORS.assertionSignature(`No certificate is registered for application '${application.clientId}'.`));
  const sha256 = createHash("sha256").update(certificate.raw).digest("base64url");
  const sha1 = createHash("sha1").update(certificate.raw).digest("base64url");
  if (jws.header["x5t#S256"] !== sha256 && jws.header.x5t !== sha1) {
    const presentedThumbprint = typeof jws.header["x5t#S256"] === "string" ? jws.header["x5t#S256"] : typeof jws.header.x5t === "string" ? jws.header.x5t : "none";
    return refuse(ENTRA_ERRORS.assertionSignature(`The key was not found. Thumbprint of key used by client: '${presentedThumbprint}'.`));
  }
  if (!verifySignature(jws, certificate.publicKey)) return refuse(ENTRA_ERRORS.assertionSignature("The signature is invalid."));
  const claims = jws.payload;
  if (claims.iss !== application.clientId || claims.sub !== application.clientId) return refuse(ENTRA_ERRORS.assertionClientMismatch());
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const accepted = context.audiences.map((audience) => audience.toLowerCase());
  if (!audiences.some((audience) => typeof audience === "string" && accepted.includes(audience.toLowerCase()))) {
    return refuse(ENTRA_ERRORS.assertionRejected(`the client assertion's audience must be this token endpoint (${context.audiences[0] ?? ""}).`));
  }
  const now = context.now.getTime() / 1000;
  const expired = typeof claims.exp !== "number" || claims.exp + ASSERTION_SKEW_SECONDS <= now;
  const early = typeof claims.nbf === "number" && claims.nbf - ASSERTION_SKEW_SECONDS > now;
  if (expired || early) return refuse(ENTRA_ERRORS.assertionTimeRange());
  return { ok: true, method: "certificate" };
}

function refuse(error: EntraError): ClientAuthentication {
  return { ok: false, error };
}
