import { oneOf } from "../qualification";

/**
 * Provider settings: read at run time, inside the provider process, from the stack's
 * `partnercenter:` configuration or the environment. Nothing here is captured into state.
 */

/** Where settings come from: the stack configuration, keys written `partnercenter:<name>`. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/** One setting: its stack-config key, its environment variable, and whether it is a secret. */
export interface SettingDefinition {
  /** The name after `partnercenter:`. */
  readonly name: string;
  readonly env: string;
  readonly secret: boolean;
  readonly description: string;
}

/** The stack-config namespace of this package. */
export const CONFIG_NAMESPACE = "partnercenter";

/** Every setting the provider reads. The README's configuration table lists the same. */
export const SETTING_DEFINITIONS = {
  cloud: {
    name: "cloud",
    env: "PARTNERCENTER_CLOUD",
    secret: false,
    description: "`public` (default), `usGovernment` or `china` (21Vianet): sets the defaults of baseUrl and authorityHost",
  },
  baseUrl: {
    name: "baseUrl",
    env: "PARTNERCENTER_BASE_URL",
    secret: false,
    description: "Partner Center API base URL (the emulator's URL for local runs)",
  },
  authMode: {
    name: "authMode",
    env: "PARTNERCENTER_AUTH_MODE",
    secret: false,
    description: "`accessToken`, `refreshToken` or `azureIdentity`; default: `refreshToken` when a refresh token is set, else `accessToken`",
  },
  accessToken: {
    name: "accessToken",
    env: "PARTNERCENTER_ACCESS_TOKEN",
    secret: true,
    description: "accessToken mode: a ready App+User access token (expires within the hour)",
  },
  refreshToken: {
    name: "refreshToken",
    env: "PARTNERCENTER_REFRESH_TOKEN",
    secret: true,
    description: "refreshToken mode: the refresh token of the one-time MFA consent (`npx partnercenter-login`)",
  },
  tenantId: {
    name: "tenantId",
    env: "PARTNERCENTER_TENANT_ID",
    secret: false,
    description: "refreshToken mode: the partner's tenant ID (or a verified domain)",
  },
  clientId: {
    name: "clientId",
    env: "PARTNERCENTER_CLIENT_ID",
    secret: false,
    description: "refreshToken mode: the application (client) ID of the partner's Entra app",
  },
  clientSecret: {
    name: "clientSecret",
    env: "PARTNERCENTER_CLIENT_SECRET",
    secret: true,
    description: "refreshToken mode: the app's client secret (or use a certificate)",
  },
  clientCertificate: {
    name: "clientCertificate",
    env: "PARTNERCENTER_CLIENT_CERTIFICATE",
    secret: true,
    description: "refreshToken mode: the app's certificate and private key, PEM text (instead of a secret)",
  },
  clientCertificatePath: {
    name: "clientCertificatePath",
    env: "PARTNERCENTER_CLIENT_CERTIFICATE_PATH",
    secret: false,
    description: "refreshToken mode: a PEM file with the app's certificate and private key",
  },
  azureIdentityCredential: {
    name: "azureIdentityCredential",
    env: "PARTNERCENTER_AZURE_IDENTITY_CREDENTIAL",
    secret: false,
    description:
      "azureIdentity mode: `default` (DefaultAzureCredential), `environment`, `cli`, `azureDeveloperCli`, `powerShell`, `managedIdentity`, `workloadIdentity`",
  },
  authorityHost: {
    name: "authorityHost",
    env: "PARTNERCENTER_AUTHORITY_HOST",
    secret: false,
    description: "Microsoft Entra authority host; default by cloud",
  },
  scope: {
    name: "scope",
    env: "PARTNERCENTER_SCOPE",
    secret: false,
    description: "the token scope; default `https://api.partnercenter.microsoft.com/user_impersonation` (`/.default` for azureIdentity)",
  },
  maxConcurrentRequests: {
    name: "maxConcurrentRequests",
    env: "PARTNERCENTER_MAX_CONCURRENT_REQUESTS",
    secret: false,
    description: "requests to Partner Center in flight at once per provider process, 1 to 64 (default 8); a 429's Retry-After pauses them all",
  },
  requestsPerMinute: {
    name: "requestsPerMinute",
    env: "PARTNERCENTER_REQUESTS_PER_MINUTE",
    secret: false,
    description:
      "the partner's request budget per minute, 1 to 100,000 (Partner Center publishes 500 per tenant); requests are spaced to it from the first one on (to its share, with concurrentStacks); default: none, only what 429s teach",
  },
  concurrentStacks: {
    name: "concurrentStacks",
    env: "PARTNERCENTER_CONCURRENT_STACKS",
    secret: false,
    description:
      "how many stacks (provider processes) share requestsPerMinute at the same time, 1 to 1000 (default 1): each keeps to requestsPerMinute ÷ concurrentStacks; in a CI matrix, the number of jobs",
  },
} as const satisfies Record<string, SettingDefinition>;

/** The name of a setting. */
export type SettingName = keyof typeof SETTING_DEFINITIONS;

/** Settings as read: stack config first, then the environment. Absent when neither sets one. */
export type PartnerCenterSettings = { readonly [K in SettingName]?: string };

/** A national cloud: where its API and its Microsoft Entra authority are. */
export interface CloudEndpoints {
  readonly baseUrl: string;
  readonly authorityHost: string;
}

/** The Partner Center resource (the audience of its tokens), and the API endpoint of the public and US Government clouds. */
export const PARTNER_CENTER_RESOURCE = "https://api.partnercenter.microsoft.com";

/** The delegated (App+User) scope of Partner Center on the v2 token endpoint. */
export const USER_IMPERSONATION_SCOPE = `${PARTNER_CENTER_RESOURCE}/user_impersonation`;

/** The clouds Partner Center runs in, and their defaults. */
export const CLOUDS = {
  public: { baseUrl: PARTNER_CENTER_RESOURCE, authorityHost: "https://login.microsoftonline.com" },
  usGovernment: { baseUrl: PARTNER_CENTER_RESOURCE, authorityHost: "https://login.microsoftonline.us" },
  china: { baseUrl: "https://partner.partnercenterapi.microsoftonline.cn", authorityHost: "https://login.chinacloudapi.cn" },
} as const satisfies Record<string, CloudEndpoints>;

/** The name of a cloud. */
export type CloudName = keyof typeof CLOUDS;

/** Raised when a setting is missing or malformed; names the config key and the variable, never a value of a secret. */
export class SettingsError extends Error {
  override readonly name = "SettingsError";
}

/** Reads every setting. Stack configuration wins over the environment; empty values count as absent. */
export function readSettings(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): PartnerCenterSettings {
  const out: Record<string, string> = {};
  for (const definition of Object.values(SETTING_DEFINITIONS) as SettingDefinition[]) {
    const value = nonEmpty(config?.get(`${CONFIG_NAMESPACE}:${definition.name}`)) ?? nonEmpty(env[definition.env]);
    if (value !== undefined) out[definition.name] = value;
  }
  return out;
}

/** The config key and environment variable of a setting, for messages. */
export function settingSources(name: SettingName): string {
  const d: SettingDefinition = SETTING_DEFINITIONS[name];
  return `${CONFIG_NAMESPACE}:${d.name} (or ${d.env})`;
}

/** The cloud the settings name; `public` by default. */
export function cloudOf(settings: PartnerCenterSettings): CloudEndpoints {
  const name = settings.cloud ?? "public";
  const match = oneOf(Object.keys(CLOUDS) as CloudName[], name);
  if (match === undefined) {
    throw new SettingsError(`${settingSources("cloud")} must be one of ${Object.keys(CLOUDS).join(", ")}; got ${JSON.stringify(name)}`);
  }
  return CLOUDS[match];
}

function requireHttpUrl(name: "baseUrl" | "authorityHost", value: string, https: boolean): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const schemes = https ? ["https:"] : ["https:", "http:"];
  if (url === undefined || !schemes.includes(url.protocol)) {
    throw new SettingsError(
      `${settingSources(name)} must be an ${https ? "https" : "http(s)"} URL such as ${CLOUDS.public[name]}; got ${JSON.stringify(value)}`,
    );
  }
  return value.replace(/\/+$/, "");
}

/** The API base URL: the setting, or the cloud's default. */
export function requireBaseUrl(settings: PartnerCenterSettings): string {
  return requireHttpUrl("baseUrl", settings.baseUrl ?? cloudOf(settings).baseUrl, false);
}

/** The Microsoft Entra authority host: the setting, or the cloud's default. Always https. */
export function requireAuthorityHost(settings: PartnerCenterSettings): string {
  return requireHttpUrl("authorityHost", settings.authorityHost ?? cloudOf(settings).authorityHost, true);
}

/** The cap on requests in flight, when the settings give one. */
export function maxConcurrentRequestsOf(settings: PartnerCenterSettings): number | undefined {
  const value = settings.maxConcurrentRequests;
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1 || number > MAX_CONCURRENT_REQUESTS) {
    throw new SettingsError(
      `${settingSources("maxConcurrentRequests")} must be a whole number from 1 to ${MAX_CONCURRENT_REQUESTS}; got ${JSON.stringify(value)}`,
    );
  }
  return number;
}

/** The most requests in flight the setting allows: beyond it, the partner's limit is the bottleneck. */
export const MAX_CONCURRENT_REQUESTS = 64;

/** The largest budget `requestsPerMinute` takes. */
export const MAX_REQUESTS_PER_MINUTE = 100_000;

/** The most stacks `concurrentStacks` takes (as many as a list has shards at most). */
export const MAX_CONCURRENT_STACKS = 1000;

/** A whole-number setting from 1 to `max`, when set. */
function wholeNumberSetting(settings: PartnerCenterSettings, name: "requestsPerMinute" | "concurrentStacks", max: number): number | undefined {
  const value = settings[name];
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1 || number > max) {
    throw new SettingsError(`${settingSources(name)} must be a whole number from 1 to ${max.toLocaleString("en-US")}; got ${JSON.stringify(value)}`);
  }
  return number;
}

/**
 * This process's request budget per minute: `requestsPerMinute` ÷ `concurrentStacks`, when a
 * budget is set. Throws a {@link SettingsError} naming the setting when either is malformed, or
 * when `concurrentStacks` is set without a budget to share.
 */
export function requestsPerMinuteOf(settings: PartnerCenterSettings): number | undefined {
  const budget = wholeNumberSetting(settings, "requestsPerMinute", MAX_REQUESTS_PER_MINUTE);
  const stacks = wholeNumberSetting(settings, "concurrentStacks", MAX_CONCURRENT_STACKS);
  if (budget === undefined && stacks !== undefined) {
    throw new SettingsError(
      `${settingSources("concurrentStacks")} shares ${settingSources("requestsPerMinute")} between stacks: set the partner's budget too (Partner Center publishes 500)`,
    );
  }
  return budget === undefined ? undefined : budget / (stacks ?? 1);
}

/** What the client's throttle takes from the settings, validated: a malformed one throws a {@link SettingsError} before any request. */
export interface ThrottleSettings {
  readonly maxConcurrentRequests?: number;
  readonly requestsPerMinute?: number;
}

/** The throttle's settings, validated. */
export function throttleSettingsOf(settings: PartnerCenterSettings): ThrottleSettings {
  const maxConcurrentRequests = maxConcurrentRequestsOf(settings);
  const requestsPerMinute = requestsPerMinuteOf(settings);
  return { ...(maxConcurrentRequests !== undefined ? { maxConcurrentRequests } : {}), ...(requestsPerMinute !== undefined ? { requestsPerMinute } : {}) };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value.trim() : undefined;
}
