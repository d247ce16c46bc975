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
  readonly defaultValue?: string;
}

/** The stack-config namespace of this package. */
export const CONFIG_NAMESPACE = "partnercenter";

/** Every setting the provider reads. The README's configuration table lists the same. */
export const SETTING_DEFINITIONS = {
  baseUrl: {
    name: "baseUrl",
    env: "PARTNERCENTER_BASE_URL",
    secret: false,
    description: "Partner Center API base URL (the emulator's URL for local runs)",
    defaultValue: "https://api.partnercenter.microsoft.com",
  },
  accessToken: {
    name: "accessToken",
    env: "PARTNERCENTER_ACCESS_TOKEN",
    secret: true,
    description: "A ready App+User access token for Partner Center",
  },
} as const satisfies Record<string, SettingDefinition>;

/** The name of a setting. */
export type SettingName = keyof typeof SETTING_DEFINITIONS;

/** Settings as read: stack config first, then the environment, then the default. */
export type PartnerCenterSettings = { readonly [K in SettingName]?: string };

/** Raised when a setting is missing or malformed; names the config key and the variable. */
export class SettingsError extends Error {
  override readonly name = "SettingsError";
}

/** Reads every setting. Stack configuration wins over the environment; empty values count as absent. */
export function readSettings(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): PartnerCenterSettings {
  const out: Record<string, string> = {};
  for (const definition of Object.values(SETTING_DEFINITIONS) as SettingDefinition[]) {
    const fromConfig = config?.get(`${CONFIG_NAMESPACE}:${definition.name}`);
    const value = nonEmpty(fromConfig) ?? nonEmpty(env[definition.env]) ?? definition.defaultValue;
    if (value !== undefined) out[definition.name] = value;
  }
  return out;
}

/** The config key and environment variable of a setting, for messages. */
export function settingSources(name: SettingName): string {
  const d: SettingDefinition = SETTING_DEFINITIONS[name];
  return `${CONFIG_NAMESPACE}:${d.name} (or ${d.env})`;
}

/** Returns the base URL, refusing anything that is not an absolute http(s) URL. */
export function requireBaseUrl(settings: PartnerCenterSettings): string {
  const value = settings.baseUrl ?? SETTING_DEFINITIONS.baseUrl.defaultValue;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new SettingsError(
      `${settingSources("baseUrl")} must be an http(s) URL such as ${SETTING_DEFINITIONS.baseUrl.defaultValue}; got ${JSON.stringify(value)}`,
    );
  }
  return value.replace(/\/+$/, "");
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value.trim() : undefined;
}
