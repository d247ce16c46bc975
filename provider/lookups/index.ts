/**
 * Read-only look-ups for Pulumi programs: the partner's GCC validation codes and a customer's
 * qualifications, read with the stack's `partnercenter:` settings (or the environment), in the
 * program's own process. They run during preview too; they never change anything.
 * @packageDocumentation
 */
import * as pulumi from "@pulumi/pulumi";
import type { OperationOptions, QualificationRecord, ValidationCode } from "../client";
import { readSettings, type ConfigSource } from "../config";
import { clientFromSettings } from "../auth";
import { logLevelFromEnv, stderrLog } from "../log";
import type { QualificationsApi } from "../lifecycle";

/** Options of the look-ups. */
export interface LookupOptions extends OperationOptions {
  /** Where settings come from; default the running stack's configuration. */
  readonly config?: ConfigSource;
}

const stackConfig: ConfigSource = { get: (key) => pulumi.runtime.getConfig(key) };

function clientFor(options: LookupOptions): QualificationsApi {
  const log = stderrLog(logLevelFromEnv());
  return clientFromSettings(readSettings(options.config ?? stackConfig), { info: (m) => void log.info(m), warning: (m) => void log.info(m) }).client;
}

/** The partner's GCC validation codes (`GET /v1/customers/all/validations`). */
export function getValidationCodes(options: LookupOptions = {}): Promise<ValidationCode[]> {
  return clientFor(options).getValidationCodes(options);
}

/** A customer's qualifications as Partner Center reports them; empty when it has none. */
export function getCustomerQualifications(customerId: string, options: LookupOptions = {}): Promise<QualificationRecord[]> {
  return clientFor(options).getQualifications(customerId, options);
}
