/**
 * Compact JSON Web Signatures: signing the emulator's tokens (RS256) and checking client
 * assertions (RS256, PS256 as MSAL Node signs them with a SHA-256 thumbprint, ES256).
 * Only the parts of RFC 7515/7518 those two jobs need.
 */

import { constants, sign, verify, type KeyObject } from "node:crypto";
import { isJsonObject, tryParseJson, type JsonObject } from "../input-validation";

/** Base64url without padding (RFC 7515 section 2). */
export function base64Url(value: Buffer | string): string {
  return Buffer.from(value).toString("base64url");
}

/** A compact JWS split into its parts, header and payload parsed, nothing verified yet. */
export interface DecodedJws {
  header: JsonObject;
  payload: JsonObject;
  /** `header.payload`, the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

/** Signs `payload` with RS256 under `header` (which gets `alg` and `typ` added). */
export function signRs256(header: JsonObject, payload: JsonObject, privateKey: KeyObject): string {
  const signingInput = `${base64Url(JSON.stringify({ typ: "JWT", alg: "RS256", ...header }))}.${base64Url(JSON.stringify(payload))}`;
  return `${signingInput}.${base64Url(sign("sha256", Buffer.from(signingInput), privateKey))}`;
}

/** Splits and parses a compact JWS; undefined when it is not one (wrong part count, bad base64url, non-object JSON). */
export function decodeJws(token: string): DecodedJws | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const [headerPart = "", payloadPart = "", signaturePart = ""] = parts;
  const base64UrlPattern = /^[A-Za-z0-9_-]*$/;
  if (!parts.every((part) => base64UrlPattern.test(part)) || headerPart === "" || payloadPart === "") return undefined;
  const header = parseJsonPart(headerPart);
  const payload = parseJsonPart(payloadPart);
  if (header === undefined || payload === undefined) return undefined;
  return { header, payload, signingInput: `${headerPart}.${payloadPart}`, signature: Buffer.from(signaturePart, "base64url") };
}

function parseJsonPart(part: string): JsonObject | undefined {
  const parsed = tryParseJson(Buffer.from(part, "base64url").toString("utf8"));
  return parsed.ok && isJsonObject(parsed.value) ? parsed.value : undefined;
}

/** Signature algorithms accepted on client assertions. */
export const ACCEPTED_ASSERTION_ALGORITHMS = ["RS256", "PS256", "ES256"] as const;

/** True when the JWS's signature, under the algorithm its header names, verifies with `publicKey`. */
export function verifySignature(jws: DecodedJws, publicKey: KeyObject): boolean {
  const data = Buffer.from(jws.signingInput);
  try {
    switch (jws.header.alg) {
      case "RS256":
        return publicKey.asymmetricKeyType === "rsa" && verify("sha256", data, publicKey, jws.signature);
      case "PS256":
        // Signers use a salt as long as the digest; AUTO accepts that and any other valid length.
        return (
          publicKey.asymmetricKeyType === "rsa" &&
          verify("sha256", data, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, jws.signature)
        );
      case "ES256":
        // JWS carries ECDSA signatures as raw r||s, not DER.
        return publicKey.asymmetricKeyType === "ec" && verify("sha256", data, { key: publicKey, dsaEncoding: "ieee-p1363" }, jws.signature);
      default:
        return false;
    }
  } catch {
    // A malformed signature is simply not a valid one.
    return false;
  }
}
