/**
 * Where the provider tells the person running `pulumi` what happened. Inside the Pulumi provider
 * process it talks to the engine's Log service, so messages appear on the resource's own line
 * and progress is ephemeral (replaced, never repeated in the summary); elsewhere it writes stderr.
 */
import { dirname } from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";

/** The provider's messages. `urn` attaches a message to one resource when known. */
export interface ProviderLog {
  /** Needs a person's attention; always shown. */
  warn(message: string, urn?: string): Promise<void>;
  /** An outcome worth keeping in the run's summary, such as a vetting decision; always shown. */
  notice(message: string, urn?: string): Promise<void>;
  /** Routine detail (each request, each retry); shown only at log level `info`. */
  info(message: string, urn?: string): Promise<void>;
  /** Progress that replaces itself, such as "waiting for vetting"; not kept in the summary. */
  progress(message: string, urn?: string): void;
}

/** How much the provider says: `warn` (default: warnings and outcomes), `info`, or `silent`. */
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

type Severity = "info" | "warning";
type Sink = (severity: Severity, message: string, urn: string | undefined, ephemeral: boolean) => Promise<void>;

function leveled(level: ProviderLogLevel, sink: Sink): ProviderLog {
  const loud = level !== "silent";
  return {
    warn: (message, urn) => (loud ? sink("warning", message, urn, false) : Promise.resolve()),
    notice: (message, urn) => (loud ? sink("info", message, urn, false) : Promise.resolve()),
    info: (message, urn) => (level === "info" ? sink("info", message, urn, false) : Promise.resolve()),
    progress: (message, urn) => {
      if (loud) void sink("info", message, urn, true);
    },
  };
}

/** A log on stderr (progress is dropped: without the engine it would be a wall of lines). */
export function stderrLog(level: ProviderLogLevel, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): ProviderLog {
  return leveled(level, async (severity, message, _urn, ephemeral) => {
    if (!ephemeral) write(severity === "warning" ? `warning: ${message}` : message);
  });
}

/**
 * A log through the Pulumi engine at `engineAddress` (the provider process's first argument);
 * falls back to stderr when the engine can't be reached.
 */
export function engineLog(level: ProviderLogLevel, engineAddress: string | undefined): ProviderLog {
  const fallback = stderrLog(level);
  if (engineAddress === undefined || !/^[\w.-]+:\d+$/.test(engineAddress)) return fallback;
  let send: ((severity: Severity, message: string, urn: string | undefined, ephemeral: boolean) => Promise<void>) | undefined;
  const connect = () => {
    // The engine client must use the very grpc-js that @pulumi/pulumi's generated stubs use.
    const pulumiDir = dirname(require.resolve("@pulumi/pulumi/package.json"));
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] })) as typeof grpcTypes;
    const engineGrpc = require("@pulumi/pulumi/proto/engine_grpc_pb") as typeof import("@pulumi/pulumi/proto/engine_grpc_pb");
    const engineProto = require("@pulumi/pulumi/proto/engine_pb") as typeof import("@pulumi/pulumi/proto/engine_pb");
    const client = new engineGrpc.EngineClient(engineAddress, grpc.credentials.createInsecure());
    return (severity: Severity, message: string, urn: string | undefined, ephemeral: boolean) =>
      new Promise<void>((resolve) => {
        const request = new engineProto.LogRequest();
        request.setSeverity(severity === "warning" ? engineProto.LogSeverity.WARNING : engineProto.LogSeverity.INFO);
        request.setMessage(message);
        request.setUrn(urn ?? "");
        request.setEphemeral(ephemeral);
        client.log(request, (error) => {
          if (error !== null && !ephemeral) process.stderr.write(`${severity === "warning" ? "warning: " : ""}${message}\n`);
          resolve();
        });
      });
  };
  return leveled(level, (severity, message, urn, ephemeral) => {
    try {
      send ??= connect();
    } catch {
      if (ephemeral) return Promise.resolve();
      return severity === "warning" ? fallback.warn(message, urn) : fallback.notice(message, urn);
    }
    return send(severity, message, urn, ephemeral);
  });
}
