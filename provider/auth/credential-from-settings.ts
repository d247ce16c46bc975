import { readFileSync } from "node:fs";
import {
  PARTNER_CENTER_RESOURCE,
  USER_IMPERSONATION_SCOPE,
  SettingsError,
  requireAuthorityHost,
  settingSources,
  type PartnerCenterSettings,
  type SettingName,
} from "../config";
import { oneOf } from "../qualification";
import { AccessTokenCredential } from "./access-token-credential";
import { azureIdentityCredential } from "./azure-identity-credential";
import { RefreshTokenCredential } from "./refresh-token-credential";
import { SharedTokenCredential } from "./shared-token-credential";

/** How the provider signs in. */
export type AuthMode = "accessToken" | "refreshToken" | "azureIdentity";

/** The sign-in the settings ask for: one shared credential and the scopes to ask it for. */
export interface SignIn {
  readonly mode: AuthMode;
  readonly credential: SharedTokenCredential;
  readonly scopes: string[];
}

const MODES: readonly AuthMode[] = ["accessToken", "refreshToken", "azureIdentity"];

/**
 * Builds the credential the settings ask for, shared so that a process makes one token request
 * however many resources it handles. Throws a {@link SettingsError} naming every missing setting;
 * messages never hold a setting's value.
 */
export function signInFromSettings(settings: PartnerCenterSettings): SignIn {
  const mode = modeOf(settings);
  const require = (...names: SettingName[]): void => {
    const missing = names.filter((n) => settings[n] === undefined);
    if (missing.length > 0) {
      throw new SettingsError(
        `${mode} sign-in needs ${missing.map(settingSources).join(", ")}: set them with pulumi config set${missing.some((m) => m === "refreshToken" || m === "accessToken") ? " --secret" : ""}`,
      );
    }
  };
  const scope = (fallback: string): string[] => [settings.scope ?? fallback];
  switch (mode) {
    case "accessToken":
      require("accessToken");
      return { mode, credential: new SharedTokenCredential(new AccessTokenCredential(settings.accessToken ?? "")), scopes: scope(USER_IMPERSONATION_SCOPE) };
    case "refreshToken": {
      require("refreshToken", "tenantId", "clientId");
      const certificate = settings.clientCertificate ?? readCertificateFile(settings.clientCertificatePath);
      if (settings.clientSecret === undefined && certificate === undefined) {
        throw new SettingsError(
          `refreshToken sign-in needs the app's credential: ${settingSources("clientSecret")}, ${settingSources("clientCertificate")} or ${settingSources("clientCertificatePath")}`,
        );
      }
      const inner = new RefreshTokenCredential({
        tenantId: settings.tenantId ?? "",
        clientId: settings.clientId ?? "",
        refreshToken: settings.refreshToken ?? "",
        authorityHost: requireAuthorityHost(settings),
        ...(certificate !== undefined ? { clientCertificatePem: certificate } : { clientSecret: settings.clientSecret ?? "" }),
      });
      return { mode, credential: new SharedTokenCredential(inner), scopes: scope(USER_IMPERSONATION_SCOPE) };
    }
    case "azureIdentity": {
      const inner = azureIdentityCredential(settings.azureIdentityCredential ?? "default", requireAuthorityHost(settings), settings.tenantId);
      return { mode, credential: new SharedTokenCredential(inner), scopes: scope(`${PARTNER_CENTER_RESOURCE}/.default`) };
    }
  }
}

function modeOf(settings: PartnerCenterSettings): AuthMode {
  if (settings.authMode !== undefined) {
    const match = oneOf(MODES, settings.authMode);
    if (match === undefined)
      throw new SettingsError(`${settingSources("authMode")} must be one of ${MODES.join(", ")}; got ${JSON.stringify(settings.authMode)}`);
    return match;
  }
  if (settings.refreshToken !== undefined) return "refreshToken";
  if (settings.accessToken !== undefined) return "accessToken";
  throw new SettingsError(
    `No Partner Center credential: set ${settingSources("refreshToken")} with tenantId, clientId and clientSecret (pipelines), or ${settingSources("accessToken")}, or ${settingSources("authMode")} azureIdentity; for example: pulumi config set --secret partnercenter:refreshToken <token>`,
  );
}

function readCertificateFile(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, "utf8");
  } catch {
    throw new SettingsError(`${settingSources("clientCertificatePath")} names a file that can't be read: ${JSON.stringify(path)}`);
  }
}
