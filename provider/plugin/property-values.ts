/**
 * Property values at the edge of the native plugin. The engine sends secrets as
 * `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": ...}` and
 * values unknown during preview as a sentinel string. The lifecycle works on plain values (it
 * already understands the sentinel, as the dynamic provider sees it too); the plugin unwraps
 * secrets on the way in and marks them again on the way out, so that what was secret stays secret
 * and a validation code is always one.
 */
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";

/** Plain values, and the top-level properties that held a secret anywhere inside. */
export interface UnwrappedProperties {
  readonly values: Record<string, unknown>;
  readonly secretKeys: ReadonlySet<string>;
}

/** Properties that are secret whatever the program gave: the lifecycle may return them as outputs only. */
export const ALWAYS_SECRET: readonly string[] = ["validationCode"];

/** Properties of the lifecycle's bookkeeping that the native plugin does not store. */
const BOOKKEEPING = ["__urn", "__provider"];

function isSecretValue(value: unknown): value is { value?: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[specialSigKey] === specialSecretSig;
}

/** Removes secret markers, deeply, and notes which top-level properties held one. */
export function unwrapSecrets(properties: Record<string, unknown> | undefined): UnwrappedProperties {
  const secretKeys = new Set<string>();
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties ?? {})) {
    let found = false;
    values[key] = plain(value, () => (found = true));
    if (found) secretKeys.add(key);
  }
  return { values, secretKeys };
}

function plain(value: unknown, sawSecret: () => void): unknown {
  if (isSecretValue(value)) {
    sawSecret();
    return plain(value.value, sawSecret);
  }
  if (Array.isArray(value)) return value.map((v) => plain(v, sawSecret));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v, sawSecret)]));
  }
  return value;
}

/**
 * What the plugin hands back to the engine: the lifecycle's properties without its bookkeeping,
 * with every property in `secretKeys` (and every {@link ALWAYS_SECRET} one) marked secret.
 */
export function toEngineProperties(properties: Record<string, unknown> | undefined, secretKeys: ReadonlySet<string> = new Set()): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties ?? {})) {
    if (BOOKKEEPING.includes(key) || value === undefined) continue;
    const secret = (secretKeys.has(key) || ALWAYS_SECRET.includes(key)) && !isSecretValue(value);
    out[key] = secret ? { [specialSigKey]: specialSecretSig, value } : value;
  }
  return out;
}
