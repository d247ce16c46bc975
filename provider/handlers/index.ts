/**
 * The provider's implementation, loaded by name inside the Pulumi provider process. The object
 * serialized into state only forwards to the functions here, so state holds no code of ours and
 * no secret, and refresh and destroy always run the installed version.
 * @packageDocumentation
 */
import { credentialFromSettings } from "../auth";
import { PartnerCenterClient } from "../client";
import { readSettings, requireBaseUrl, type ConfigSource } from "../config";
import { QualificationLifecycle, type QualificationsApi } from "./qualification-lifecycle";
import { engineLog, logLevelFromEnv } from "./provider-log";

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

/** The process-wide lifecycle: one client, hence one token cache, however many resources. */
function current(): QualificationLifecycle {
  if (lifecycle === undefined) {
    // The Pulumi host starts this process with the engine's address as its first argument.
    const log = engineLog(logLevelFromEnv(), process.argv[2]);
    let api: QualificationsApi | undefined;
    lifecycle = new QualificationLifecycle({
      log,
      api: () => {
        if (api === undefined) {
          const settings = readSettings(configSource);
          api = new PartnerCenterClient(requireBaseUrl(settings), credentialFromSettings(settings), {
            logger: { info: (m) => void log.info(m), warning: (m) => void log.info(m) },
          });
        }
        return api;
      },
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
export const read: QualificationLifecycle["read"] = (id, props) => current().read(id, props);
/** See {@link QualificationLifecycle.update}. */
export const update: QualificationLifecycle["update"] = (id, olds, news) => current().update(id, olds, news);
/** See {@link QualificationLifecycle.delete}. */
export const remove: QualificationLifecycle["delete"] = (id, props) => current().delete(id, props);
