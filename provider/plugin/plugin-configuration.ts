/**
 * The plugin's settings: what Configure carries. For the default provider the engine passes the
 * stack's `partnercenter:` config (secrets decrypted) as `args` without the namespace and as
 * `variables` with it; for an explicit provider resource, `args` are its inputs. Either way they
 * become the same settings the dynamic resource reads, with the same environment fallbacks.
 */
import { CONFIG_NAMESPACE, SETTING_DEFINITIONS, type ConfigSource } from "../config";

/** Inputs of a provider resource that the engine adds itself. */
const ENGINE_PROVIDER_INPUTS = ["version", "pluginDownloadURL", "pluginChecksums"];

/** A config source over Configure's arguments (`baseUrl`) and variables (`partnercenter:baseUrl`). */
export function configSourceOf(args: Readonly<Record<string, unknown>>, variables: Readonly<Record<string, string>>): ConfigSource {
  return {
    get(key: string): string | undefined {
      const name = key.startsWith(`${CONFIG_NAMESPACE}:`) ? key.slice(CONFIG_NAMESPACE.length + 1) : key;
      const value = args[name] ?? variables[`${CONFIG_NAMESPACE}:${name}`];
      if (value === undefined || value === null) return undefined;
      return typeof value === "string" ? value : JSON.stringify(value);
    },
  };
}

/** Refuses provider inputs that are not settings, naming the allowed ones. */
export function settingFailures(keys: readonly string[]): Array<{ property: string; reason: string }> {
  const allowed = Object.keys(SETTING_DEFINITIONS);
  return keys
    .filter((key) => !allowed.includes(key) && !ENGINE_PROVIDER_INPUTS.includes(key))
    .map((key) => ({ property: key, reason: `${key} is not a partnercenter setting; allowed: ${allowed.join(", ")}` }));
}
