/**
 * The Secure Application Model credential: a refresh token from a one-time, MFA-backed consent,
 * exchanged with MSAL (confidential client: the app's secret or certificate) for App+User access
 * tokens to Partner Center.
 */
import { X509Certificate, createPrivateKey } from "node:crypto";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import type * as msal from "@azure/msal-node";
import { credentialErrorFrom, type CredentialContext } from "./credential-error";

/** What the refresh-token credential needs. */
export interface RefreshTokenCredentialOptions {
  readonly tenantId: string;
  readonly clientId: string;
  readonly refreshToken: string;
  /** The app's client secret; or give `clientCertificatePem`. */
  readonly clientSecret?: string;
  /** PEM text holding the app's certificate and its private key. */
  readonly clientCertificatePem?: string;
  /** Such as https://login.microsoftonline.com. */
  readonly authorityHost: string;
}

/** Reads a PEM bundle (certificate and private key) into what MSAL asks for. */
export function certificateForMsal(pem: string): { thumbprintSha256: string; privateKey: string; x5c: string } {
  const certificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  const key = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.exec(pem)?.[0];
  if (certificate === undefined || key === undefined) {
    throw new TypeError("the client certificate must be PEM text with both a CERTIFICATE and a PRIVATE KEY block");
  }
  const x509 = new X509Certificate(certificate);
  return {
    thumbprintSha256: x509.fingerprint256.replace(/:/g, "").toLowerCase(),
    // MSAL wants PKCS#8 ("BEGIN PRIVATE KEY").
    privateKey: createPrivateKey(key).export({ format: "pem", type: "pkcs8" }).toString(),
    x5c: x509.raw.toString("base64"),
  };
}

/** Exchanges a refresh token for access tokens with MSAL. Errors are {@link CredentialError}s. */
export class RefreshTokenCredential implements TokenCredential {
  readonly #app: msal.ConfidentialClientApplication;
  readonly #refreshToken: string;
  readonly #context: CredentialContext;

  constructor(options: RefreshTokenCredentialOptions) {
    this.#context = { mode: "refreshToken", tenantId: options.tenantId, clientId: options.clientId, authorityHost: options.authorityHost };
    this.#refreshToken = options.refreshToken;
    // Loaded here, not at module load: other modes never pay for MSAL.
    const { ConfidentialClientApplication, LogLevel } = require("@azure/msal-node") as typeof msal;
    this.#app = new ConfidentialClientApplication({
      auth: {
        clientId: options.clientId,
        authority: `${options.authorityHost}/${options.tenantId}`,
        // Trusting the configured host skips instance discovery, which only knows Microsoft's hosts.
        knownAuthorities: [new URL(options.authorityHost).host],
        ...(options.clientCertificatePem !== undefined
          ? { clientCertificate: certificateForMsal(options.clientCertificatePem) }
          : { clientSecret: options.clientSecret ?? "" }),
      },
      // MSAL's own log lines may quote request details: keep them out of every log.
      system: { loggerOptions: { piiLoggingEnabled: false, logLevel: LogLevel.Error, loggerCallback: () => undefined } },
    });
  }

  async getToken(scopes: string | string[]): Promise<AccessToken> {
    let result: msal.AuthenticationResult | null;
    try {
      result = await this.#app.acquireTokenByRefreshToken({
        refreshToken: this.#refreshToken,
        scopes: Array.isArray(scopes) ? scopes : [scopes],
      });
    } catch (error) {
      throw credentialErrorFrom(error, this.#context);
    }
    if (result === null || result.accessToken === "") {
      throw credentialErrorFrom(new Error("no access token in the answer"), this.#context);
    }
    return {
      token: result.accessToken,
      expiresOnTimestamp: result.expiresOn?.getTime() ?? Date.now() + 60 * 60 * 1000,
      tokenType: "Bearer",
    };
  }
}
