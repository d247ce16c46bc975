import type { TokenCredential } from "@azure/core-auth";
import { SettingsError, settingSources, type PartnerCenterSettings } from "../config";
import { AccessTokenCredential } from "./access-token-credential";

/**
 * Builds the credential the settings ask for. Throws a {@link SettingsError} that names the
 * missing settings when there is none.
 */
export function credentialFromSettings(settings: PartnerCenterSettings): TokenCredential {
  if (settings.accessToken !== undefined) return new AccessTokenCredential(settings.accessToken);
  throw new SettingsError(
    `No Partner Center credential: set ${settingSources("accessToken")}, for example: pulumi config set --secret partnercenter:accessToken <token>`,
  );
}
