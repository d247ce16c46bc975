/**
 * The provider resource of CustomerQualification: Pulumi's dynamic-provider plugin
 * (`pulumi-nodejs`), configured with this package's `partnercenter:` settings and nothing else.
 *
 * Without it, Pulumi would use its default dynamic provider, which is configured with the WHOLE
 * stack configuration and stores all of it in state: every plain value of every namespace, such as
 * a validation code in a customer list or a plain `validationCode` config value, in plain text.
 */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, SETTING_DEFINITIONS, type SettingDefinition, type SettingName } from "../config";

/** The settings of a {@link PartnerCenterProvider}: those of the README's configuration table. */
export type PartnerCenterProviderArgs = { readonly [K in SettingName]?: pulumi.Input<string> };

/** The plugin that runs dynamic providers written in TypeScript and JavaScript. */
const DYNAMIC_PROVIDER_PACKAGE = "pulumi-nodejs";

/**
 * Partner Center settings for the CustomerQualification resources that name it in
 * `opts.provider`, for example a second partner tenant in one program. Settings it leaves out fall
 * back to the environment (`PARTNERCENTER_*`). Secret settings are stored as secrets.
 */
export class PartnerCenterProvider extends pulumi.ProviderResource {
  constructor(name: string, args: PartnerCenterProviderArgs = {}, opts?: pulumi.ResourceOptions) {
    // The dynamic-provider host hands these to `configure` as stack config: keys keep the namespace.
    super(
      DYNAMIC_PROVIDER_PACKAGE,
      name,
      settingsAsInputs("PartnerCenterProvider", args, (setting) => `${CONFIG_NAMESPACE}:${setting}`),
      opts,
    );
  }
}

/**
 * A provider resource's inputs from settings: each named as `keyOf` says, the secret ones as
 * secrets. Refuses a name that is not a setting, naming the allowed ones.
 */
export function settingsAsInputs(who: string, args: PartnerCenterProviderArgs, keyOf: (setting: string) => string): Record<string, pulumi.Input<string>> {
  const inputs: Record<string, pulumi.Input<string>> = {};
  for (const [name, value] of Object.entries(args) as Array<[string, pulumi.Input<string> | undefined]>) {
    const definition = (SETTING_DEFINITIONS as Record<string, SettingDefinition>)[name];
    if (definition === undefined) throw new Error(`${who}: ${name} is not a setting; allowed: ${Object.keys(SETTING_DEFINITIONS).join(", ")}`);
    if (value !== undefined) inputs[keyOf(name)] = definition.secret ? pulumi.secret(value) : value;
  }
  return inputs;
}

/** The stack's `partnercenter:` settings; secret ones (by definition or in the stack) as secrets. */
export function settingsFromStackConfig(): PartnerCenterProviderArgs {
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  const settings: Partial<Record<SettingName, pulumi.Input<string>>> = {};
  for (const name of Object.keys(SETTING_DEFINITIONS) as SettingName[]) {
    const secret = SETTING_DEFINITIONS[name].secret || isSecretInStack(`${CONFIG_NAMESPACE}:${name}`);
    const value = secret ? config.getSecret(name) : config.get(name);
    if (value !== undefined) settings[name] = value;
  }
  return settings;
}

/** Whether the stack marks a config key secret; the SDK exports this at run time, not in its types. */
function isSecretInStack(key: string): boolean {
  const runtime = pulumi.runtime as { isConfigSecret?: (key: string) => boolean };
  return runtime.isConfigSecret?.(key) ?? false;
}

// One per program, even when two copies of this package are loaded into it.
const DEFAULT_PROVIDER = Symbol.for("pulumi-partnercenter/default-provider");

/** The provider resources use when the program names none: one per program, from stack config. */
export function defaultPartnerCenterProvider(): PartnerCenterProvider {
  const registry = globalThis as { [DEFAULT_PROVIDER]?: PartnerCenterProvider };
  return (registry[DEFAULT_PROVIDER] ??= new PartnerCenterProvider(CONFIG_NAMESPACE, settingsFromStackConfig()));
}
