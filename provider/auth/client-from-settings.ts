/**
 * From settings to a signed-in Partner Center client: the one way this package connects, used by
 * the provider process, the program-side look-ups and partnercenter-export alike.
 */
import { PartnerCenterClient, type PartnerCenterLogger } from "../client";
import { requireBaseUrl, throttleSettingsOf, type PartnerCenterSettings } from "../config";
import { signInFromSettings, type SignIn } from "./credential-from-settings";

/** A client for the settings' endpoint, and the sign-in behind it. */
export interface SignedInClient {
  readonly client: PartnerCenterClient;
  readonly signIn: SignIn;
  readonly baseUrl: string;
}

/**
 * One client and one shared credential, so a process makes one token request however many calls
 * it makes. Throws a `SettingsError` naming what is missing; sends nothing.
 */
export function clientFromSettings(settings: PartnerCenterSettings, logger?: PartnerCenterLogger): SignedInClient {
  const baseUrl = requireBaseUrl(settings);
  const signIn = signInFromSettings(settings);
  const client = new PartnerCenterClient(baseUrl, signIn.credential, {
    scopes: signIn.scopes,
    ...throttleSettingsOf(settings),
    ...(logger !== undefined ? { logger } : {}),
  });
  return { client, signIn, baseUrl };
}
