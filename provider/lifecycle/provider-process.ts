/**
 * The provider process's lifecycle: one per process, configured once, shared by every resource
 * the process handles. Both adapters call it: the dynamic provider object loads it by name
 * (`pulumi-partnercenter/handlers`, a path stored in state since 0.1.0, so it never changes), and
 * the native plugin imports it. It exports the provider's methods and nothing else: that subpath
 * is what state written by 0.1.0 loads (`configure`, `check`, `diff`, `create`, `read`, `update`,
 * `remove`), not an API for programs.
 * @packageDocumentation
 */
import { clientFromSettings } from "../auth";
import { readSettings, throttleSettingsOf, type ConfigSource } from "../config";
import { engineLog, logLevelFromEnv } from "../log";
import { QualificationLifecycle, type QualificationsApi } from "./qualification-lifecycle";

let configSource: ConfigSource | undefined;
let lifecycle: QualificationLifecycle | undefined;

let settingsError: Error | undefined;

/**
 * Keeps the stack configuration for the calls that follow. Synchronous on purpose: the Pulumi
 * host may run a method before an asynchronous configure has finished. Refuses a malformed
 * throttle setting here, before any request (preview configures too), and every call after it
 * fails the same way: the dynamic-provider host configures once, on the first resource's check.
 */
export function configure(config: ConfigSource | undefined): void {
  configSource = config;
  lifecycle = undefined;
  settingsError = undefined;
  try {
    throttleSettingsOf(readSettings(config));
  } catch (error) {
    settingsError = error instanceof Error ? error : new Error(String(error));
    throw settingsError;
  }
}

/** The process-wide lifecycle: created on first use, with the API connected on the first call. */
function current(): QualificationLifecycle {
  if (settingsError !== undefined) throw settingsError;
  if (lifecycle === undefined) {
    // The Pulumi host starts this process with the engine's address as its first argument.
    const log = engineLog(logLevelFromEnv(), process.argv[2]);
    let api: QualificationsApi | undefined;
    lifecycle = new QualificationLifecycle({
      log,
      api: () => (api ??= clientFromSettings(readSettings(configSource), { info: (m) => void log.info(m), warning: (m) => void log.info(m) }).client),
    });
  }
  return lifecycle;
}

/** See `QualificationLifecycle.check`. */
export const check: QualificationLifecycle["check"] = (olds, news) => current().check(olds, news);
/** See `QualificationLifecycle.diff`. */
export const diff: QualificationLifecycle["diff"] = (id, olds, news) => current().diff(id, olds, news);
/** See `QualificationLifecycle.create`. */
export const create: QualificationLifecycle["create"] = (inputs) => current().create(inputs);
/** See `QualificationLifecycle.read`. */
export const read: QualificationLifecycle["read"] = (id, props, storedInputs) => current().read(id, props, storedInputs);
/** See `QualificationLifecycle.update`. */
export const update: QualificationLifecycle["update"] = (id, olds, news) => current().update(id, olds, news);
/** See `QualificationLifecycle.delete`. */
export const remove: QualificationLifecycle["delete"] = (id, props) => current().delete(id, props);
