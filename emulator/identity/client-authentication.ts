/**
 * Client authentication at the token endpoint: a client secret, or a `client_assertion` JWT
 * signed with the registered certificate's key (as MSAL Node and @azure/identity build it:
 * PS256 with `x5t#S256`, or RS256 with `x5t`), verified by jose. Public clients (no
 * credentials registered) must present none.
 */

import type { errors as JoseErrors } from "jose" with { "resolution-mode": "import" };
import { createHash } from "node:crypto";
import { sameSecret } from "../secrets";
import { ENTRA_ERRORS, type EntraError } from "./entra-errors";
import type { ValidatedApplication } from "./identity-input";
import type { ClientAuthenticationMethod } from "./token-issuer";

/** The only client_assertion_type Entra accepts. */
export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** Signature algorithms accepted on client assertions. */
const ACCEPTED_ASSERTION_ALGORITHMS = ["RS256", "PS256", "ES256"];

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
export async function authenticateClient(
  application: ValidatedApplication,
  presented: PresentedCredentials,
  context: { required: boolean; audiences: string[]; now: Date },
): Promise<ClientAuthentication> {
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

/** The assertion's type, shape, algorithm and certificate thumbprint first; then jose checks signature, `iss`, `sub`, `aud` and times, in that order. */
async function checkAssertion(
  application: ValidatedApplication,
  presented: PresentedCredentials,
  context: { audiences: string[]; now: Date },
): Promise<ClientAuthentication> {
  if (presented.clientAssertionType !== JWT_BEARER_ASSERTION_TYPE) {
    return refuse(ENTRA_ERRORS.assertionRejected(`client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}.`));
  }
  const { decodeJwt, decodeProtectedHeader, jwtVerify, errors } = await import("jose");
  const assertion = presented.clientAssertion ?? "";
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
    decodeJwt(assertion);
  } catch {
    return refuse(ENTRA_ERRORS.malformedAssertion());
  }
  if (header.alg === undefined || !ACCEPTED_ASSERTION_ALGORITHMS.includes(header.alg)) {
    return refuse(ENTRA_ERRORS.assertionSignature(`The signing algorithm is not supported; use ${ACCEPTED_ASSERTION_ALGORITHMS.join(", ")}.`));
  }
  const certificate = application.certificate;
  if (certificate === undefined) return refuse(ENTRA_ERRORS.assertionSignature(`No certificate is registered for application '${application.clientId}'.`));
  const sha256 = createHash("sha256").update(certificate.raw).digest("base64url");
  const sha1 = createHash("sha1").update(certificate.raw).digest("base64url");
  if (header["x5t#S256"] !== sha256 && header.x5t !== sha1) {
    return refuse(ENTRA_ERRORS.assertionSignature(`The key was not found. Thumbprint of key used by client: '${header["x5t#S256"] ?? header.x5t ?? "none"}'.`));
  }
  try {
    await jwtVerify(assertion, certificate.publicKey, {
      algorithms: ACCEPTED_ASSERTION_ALGORITHMS,
      issuer: application.clientId,
      subject: application.clientId,
      audience: context.audiences,
      requiredClaims: ["exp"],
      clockTolerance: ASSERTION_SKEW_SECONDS,
      currentDate: context.now,
    });
  } catch (error) {
    return refuse(assertionFailure(error, errors, context.audiences[0] ?? ""));
  }
  return { ok: true, method: "certificate" };
}

/** Entra's error for what jose found wrong with a well-formed assertion. */
function assertionFailure(error: unknown, errors: typeof JoseErrors, tokenEndpoint: string): EntraError {
  if (error instanceof errors.JWTExpired) return ENTRA_ERRORS.assertionTimeRange();
  if (!(error instanceof errors.JWTClaimValidationFailed)) return ENTRA_ERRORS.assertionSignature("The signature is invalid.");
  if (error.claim === "iss" || error.claim === "sub") return ENTRA_ERRORS.assertionClientMismatch();
  if (error.claim === "aud") return ENTRA_ERRORS.assertionRejected(`the client assertion's audience must be this token endpoint (${tokenEndpoint}).`);
  return ENTRA_ERRORS.assertionTimeRange(); // nbf, iat, a missing exp
}

function refuse(error: EntraError): ClientAuthentication {
  return { ok: false, error };
}
