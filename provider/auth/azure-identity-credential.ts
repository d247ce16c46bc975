/**
 * The azureIdentity mode: any `@azure/identity` credential, for teams that already sign in that way.
 * Note that service principals and managed identities get app-only tokens, which Partner Center
 * accepts for reads but refuses for creating qualifications.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type * as identity from "@azure/identity";
import { CLOUDS, SettingsError, settingSources } from "../config";
import { oneOf } from "../qualification";
import { credentialErrorFrom, type CredentialContext } from "./credential-error";

/** The credentials azureIdentity mode can use, by the name given in `partnercenter:azureIdentityCredential`. */
export const AZURE_IDENTITY_CREDENTIALS = ["default", "environment", "cli", "azureDeveloperCli", "powerShell", "managedIdentity", "workloadIdentity"] as const;

/** A name from {@link AZURE_IDENTITY_CREDENTIALS}. */
export type AzureIdentityCredentialName = (typeof AZURE_IDENTITY_CREDENTIALS)[number];

/** Builds the named `@azure/identity` credential, wrapped so that its errors are {@link CredentialError}s. */
export function azureIdentityCredential(name: string, authorityHost: string, tenantId: string | undefined): TokenCredential {
  const match = oneOf(AZURE_IDENTITY_CREDENTIALS, name);
  if (match === undefined) {
    throw new SettingsError(
      `${settingSources("azureIdentityCredential")} must be one of ${AZURE_IDENTITY_CREDENTIALS.join(", ")}; got ${JSON.stringify(name)}`,
    );
  }
  const id = require("@azure/identity") as typeof identity;
  const known = Object.values(CLOUDS).some((c) => c.authorityHost === authorityHost);
  const options = {
    authorityHost,
    // Instance discovery only knows Microsoft's own hosts (an emulator or a private one isn't).
    ...(known ? {} : { disableInstanceDiscovery: true }),
    ...(tenantId !== undefined ? { tenantId } : {}),
  };
  const credentials: Record<AzureIdentityCredentialName, () => TokenCredential> = {
    default: () => new id.DefaultAzureCredential(options),
    environment: () => new id.EnvironmentCredential(options),
    cli: () => new id.AzureCliCredential(tenantId !== undefined ? { tenantId } : {}),
    azureDeveloperCli: () => new id.AzureDeveloperCliCredential(tenantId !== undefined ? { tenantId } : {}),
    powerShell: () => new id.AzurePowerShellCredential(tenantId !== undefined ? { tenantId } : {}),
    managedIdentity: () => new id.ManagedIdentityCredential(options),
    workloadIdentity: () => new id.WorkloadIdentityCredential(options),
  };
  const inner = credentials[match]();
  const context: CredentialContext = { mode: `azureIdentity (${match})`, authorityHost, ...(tenantId !== undefined ? { tenantId } : {}) };
  return {
    async getToken(scopes: string | string[], getTokenOptions?: GetTokenOptions): Promise<AccessToken | null> {
      try {
        return await inner.getToken(scopes, getTokenOptions);
      } catch (error) {
        throw credentialErrorFrom(error, context);
      }
    },
  };
}
