/**
 * The provider's implementation, loaded by name inside the Pulumi provider process. The object
 * serialized into state only forwards to the functions here, so state holds no code of ours and
 * no secret, and refresh and destroy always run the installed version.
 * @packageDocumentation
 */
import { signInFromSettings } from "../auth";
import { PartnerCenterClient } from "../client";
import { maxConcurrentRequestsOf, readSettings, requireBaseUrl, type ConfigSource, type PartnerCenterSettings } from "../config";
import { QualificationLifecycle, type QualificationsApi } from "./qualification-lifecycle";
import { engineLog, logLevelFromEnv, type ProviderLog } from "./provider-log";

export * from "./qualification-lifecycle";
export * from "./state";
export * from "./provider-log";
export * from "./validation-code-choice";
export * from "./vetting-wait";

let configSource: ConfigSource | undefined;
let lifecycle: QualificationLifecycle | undefined;

/**
 * Keeps the stack configuration for the calls that follow. Synchronous on purpose: the Pulumi
 * host may run a method before an asynchronous configure has finished.
 */
export function configure(config: ConfigSource | undefined): void {
  configSource = config;
  lifecycle = undefined;
}

/**
 * The Partner Center API as the settings describe it: one client and one shared credential, so a
 * process makes one token request however many resources it handles. Request lines go to the log
 * at `info` level.
 */
export function apiFromSettings(settings: PartnerCenterSettings, log: ProviderLog): QualificationsApi {
  const signIn = signInFromSettings(settings);
  const maxConcurrentRequests = maxConcurrentRequestsOf(settings);
  return new PartnerCenterClient(requireBaseUrl(settings), signIn.credential, {
    scopes: signIn.scopes,
    ...(maxConcurrentRequests !== undefined ? { maxConcurrentRequests } : {}),
    logger: { info: (m) => void log.info(m), warning: (m) => void log.info(m) },
  });
}

/** The process-wide lifecycle: created on first use, with the API connected on the first call. */
function current(): QualificationLifecycle {
  if (lifecycle === undefined) {
    // The Pulumi host starts this process with the engine's address as its first argument.
    const log = engineLog(logLevelFromEnv(), process.argv[2]);
    let api: QualificationsApi | undefined;
    lifecycle = new QualificationLifecycle({
      log,
      api: () => (api ??= apiFromSettings(readSettings(configSource), log)),
    });
  }
  return lifecycle;
}

/** See {@link QualificationLifecycle.check}. */
export const check: QualificationLifecycle["check"] = (olds, news) => current().check(olds, news);
/** See {@link QualificationLifecycle.diff}. */
export const diff: QualificationLifecycle["diff"] = (id, olds, news) => current().diff(id, olds, news);
/** See {@link QualificationLifecycle.create}. */
export const create: QualificationLifecycle["create"] = (inputs) => current().create(inputs);
/** See {@link QualificationLifecycle.read}. */
export const read: QualificationLifecycle["read"] = (id, props, storedInputs) => current().read(id, props, storedInputs);
/** See {@link QualificationLifecycle.update}. */
export const update: QualificationLifecycle["update"] = (id, olds, news) => current().update(id, olds, news);
/** See {@link QualificationLifecycle.delete}. */
export const remove: QualificationLifecycle["delete"] = (id, props) => current().delete(id, props);
