import type { ProviderLog } from "./qualification-lifecycle";

/** How much the provider process says: `warn` (default), `info`, or `silent`. */
export type ProviderLogLevel = "silent" | "warn" | "info";

/** The environment variable that sets the provider's log level. */
export const LOG_LEVEL_ENV = "PARTNERCENTER_LOG_LEVEL";

/** Reads the log level from the environment; unknown values fall back to `warn`. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): ProviderLogLevel {
  const value = (env[LOG_LEVEL_ENV] ?? "").trim().toLowerCase();
  if (value === "silent" || value === "info") return value;
  if (value === "debug" || value === "verbose") return "info";
  return "warn";
}

/**
 * A log on the provider process's stderr, which the Pulumi engine shows in the CLI. Quiet by
 * default: a stack of thousands of qualifications prints only what needs a person's attention.
 */
export function stderrLog(level: ProviderLogLevel, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): ProviderLog {
  return {
    warn(message) {
      if (level !== "silent") write(`warning: ${message}`);
    },
    info(message) {
      if (level === "info") write(message);
    },
  };
}
