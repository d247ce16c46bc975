#!/usr/bin/env node
/**
 * `partnercenter-emulator`: runs the Partner Center emulator (and, with --identity, its
 * Entra ID identity endpoint) until SIGINT or SIGTERM.
 * Exit codes: 0 after a signal, 1 when the emulator cannot start, 2 for bad flags or input files.
 */

import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { DEVELOPMENT_ACCESS_TOKEN } from "./authentication";
import { CHAOS_KINDS } from "./chaos";
import { InputRejectedError } from "./input-validation";
import { parseSeed } from "./seed";
import { startEmulator, type RunningIdentity } from "./server";
import { MAX_LATENCY_MS } from "./service-conditions";
import type { ChaosKind, ChaosOptions, EmulatorOptions } from "./types";

const USAGE = `Usage: partnercenter-emulator [--port <port>] [--host <host>] [--data-file <path>] [--seed <path>]
                             [--latency-ms <ms>] [--rate-limit <requests per second>]
                             [--chaos <rate> [--chaos-seed <n>] [--chaos-kinds <kind,...>]]
                             [--identity [--identity-port <port>] [--ca-cert-out <path>]
                              [--identity-ca-cert <path> --identity-ca-key <path>]]

Runs a local emulator of the Partner Center customer-qualifications API.

  --port <port>               TCP port to listen on; 0 picks a free one (default 8443)
  --host <host>               interface to listen on (default 127.0.0.1)
  --data-file <path>          keep state in this JSON file: loaded at start, saved after every change
  --seed <path>               JSON seed ({"customers": [...], "validationCodes": [...]}) used when the
                              data file does not exist yet, and restored by POST /_emulator/reset
  --latency-ms <ms>           make every API answer wait this long, like a remote service (default 0)
  --rate-limit <n>            answer API requests beyond n per sliding second with 429 and Retry-After,
                              as Partner Center throttles a partner (default: no limit)
  --chaos <rate>              random faults on this share of the API requests, 0 to 1 (e.g. 0.2)
  --chaos-seed <n>            seed of their pseudo-random sequence (default: a random one)
  --chaos-kinds <list>        faults to draw from, comma-separated: 429, 503, drop, slow,
                              lostResponse (default all)
  --identity                  also run an HTTPS identity endpoint that behaves like Entra ID for
                              MSAL Node and @azure/identity (the API then accepts its tokens)
  --identity-port <port>      its TCP port; 0 picks a free one (default 0); implies --identity
  --ca-cert-out <path>        write the CA that signed its TLS certificate here (default: next to
                              the data file, else in the temp directory); implies --identity
  --identity-ca-cert <path>   sign its TLS certificate with this CA (PEM) instead of a fresh one,
  --identity-ca-key <path>    whose key (PEM) this is; both or neither; implies --identity
  --help                      show this help

The API accepts the bearer token ${DEVELOPMENT_ACCESS_TOKEN}.
The control API is under /_emulator (see emulator/control-client.ts); the identity endpoint's
controls (app registrations, simulated sign-ins) under /_emulator/identity.`;

const DEFAULT_PORT = 8443;

/** A command-line mistake; reported in one line with exit code 2. */
class UsageError extends Error {}

/** Where to write the identity endpoint's CA certificate, or the given CA file that already holds it. */
type CaCertificateTarget = { write: true; path: string | undefined } | { write: false; path: string };

type ParsedCommand = { help: true } | { help: false; options: EmulatorOptions; caCertificate?: CaCertificateTarget };

const VALUE_FLAGS = [
  "--port",
  "--host",
  "--data-file",
  "--seed",
  "--latency-ms",
  "--rate-limit",
  "--chaos",
  "--chaos-seed",
  "--chaos-kinds",
  "--identity-port",
  "--ca-cert-out",
  "--identity-ca-cert",
  "--identity-ca-key",
] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

function parseCommand(args: readonly string[]): ParsedCommand {
  const values = new Map<ValueFlag, string>();
  let identity = false;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? "";
    if (arg === "--help" || arg === "-h") return { help: true };
    if (arg === "--identity") {
      identity = true;
      continue;
    }
    const [flag, inlineValue] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (!(VALUE_FLAGS as readonly string[]).includes(flag)) throw new UsageError(`unknown flag ${flag} (see --help)`);
    const value = inlineValue ?? args[++index];
    if (value === undefined || value === "" || (inlineValue === undefined && value.startsWith("--"))) {
      throw new UsageError(`flag ${flag} needs a value`);
    }
    if (values.has(flag as ValueFlag)) throw new UsageError(`flag ${flag} is given more than once`);
    values.set(flag as ValueFlag, value);
  }

  const port = parsePort("--port", values.get("--port"), DEFAULT_PORT);
  const seedPath = values.get("--seed");
  const host = values.get("--host");
  const dataFile = values.get("--data-file");
  const latencyMs = parseIntegerFlag("--latency-ms", values.get("--latency-ms"), 0, MAX_LATENCY_MS);
  const requestsPerSecond = parseIntegerFlag("--rate-limit", values.get("--rate-limit"), 1, Number.MAX_SAFE_INTEGER);
  const chaos = parseChaosFlags(values);
  const options: EmulatorOptions = {
    port,
    ...(host === undefined ? {} : { host }),
    ...(dataFile === undefined ? {} : { dataFile }),
    ...(seedPath === undefined ? {} : { seed: readSeedFile(seedPath) }),
    ...(latencyMs === undefined ? {} : { latencyMs }),
    ...(requestsPerSecond === undefined ? {} : { rateLimit: { requestsPerSecond } }),
    ...(chaos === undefined ? {} : { chaos }),
  };
  const identityFlags = ["--identity-port", "--ca-cert-out", "--identity-ca-cert", "--identity-ca-key"] as const;
  if (!identity && !identityFlags.some((flag) => values.has(flag))) return { help: false, options };

  const caCertPath = values.get("--identity-ca-cert");
  const caKeyPath = values.get("--identity-ca-key");
  if ((caCertPath === undefined) !== (caKeyPath === undefined)) throw new UsageError("flags --identity-ca-cert and --identity-ca-key go together");
  const tls =
    caCertPath === undefined || caKeyPath === undefined
      ? undefined
      : { caCertificatePem: readTextFile("--identity-ca-cert", caCertPath), caPrivateKeyPem: readTextFile("--identity-ca-key", caKeyPath) };
  const caCertOut = values.get("--ca-cert-out");
  return {
    help: false,
    options: {
      ...options,
      identity: {
        port: parsePort("--identity-port", values.get("--identity-port"), 0),
        ...(host === undefined ? {} : { host }),
        ...(tls === undefined ? {} : { tls }),
      },
    },
    // A given CA file already holds the certificate to trust, unless a copy is asked for.
    caCertificate: caCertPath !== undefined && caCertOut === undefined ? { write: false, path: resolve(caCertPath) } : { write: true, path: caCertOut },
  };
}

function parsePort(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`flag ${flag} must be an integer from 0 to 65535, got '${text}'`);
  return port;
}

function parseIntegerFlag(flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    throw new UsageError(`flag ${flag} must be ${range}, got '${text}'`);
  }
  return value;
}

/** `--chaos`, `--chaos-seed` and `--chaos-kinds` as chaos options; the seed and kinds need a rate. */
function parseChaosFlags(values: ReadonlyMap<ValueFlag, string>): ChaosOptions | undefined {
  const rateText = values.get("--chaos");
  if (rateText === undefined) {
    const stray = (["--chaos-seed", "--chaos-kinds"] as const).find((flag) => values.has(flag));
    if (stray !== undefined) throw new UsageError(`flag ${stray} needs --chaos <rate>`);
    return undefined;
  }
  const rate = Number(rateText);
  if (!/^\d*\.?\d+$/.test(rateText) || rate > 1) throw new UsageError(`flag --chaos must be a number from 0 to 1, got '${rateText}'`);
  const seed = parseIntegerFlag("--chaos-seed", values.get("--chaos-seed"), 0, 0xffff_ffff);
  const kindsText = values.get("--chaos-kinds");
  const kinds = kindsText?.split(",").map((kind) => kind.trim());
  const unknown = kinds?.find((kind) => !(CHAOS_KINDS as readonly string[]).includes(kind));
  if (unknown !== undefined) throw new UsageError(`flag --chaos-kinds takes ${CHAOS_KINDS.join(", ")}; got '${unknown}'`);
  return { rate, ...(seed === undefined ? {} : { seed }), ...(kinds === undefined ? {} : { kinds: kinds as ChaosKind[] }) };
}

function readTextFile(flag: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`flag ${flag}: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function readSeedFile(path: string): EmulatorOptions["seed"] {
  const text = readTextFile("--seed", path);
  try {
    return parseSeed(JSON.parse(text) as unknown, "seed");
  } catch (error) {
    const reason = error instanceof InputRejectedError || error instanceof SyntaxError ? error.message : String(error);
    throw new UsageError(`flag --seed: ${path} is not a valid seed: ${reason}`);
  }
}

/**
 * The CA file to trust: written where asked or by default next to the data file, else in the
 * temp directory (then `temporary`, removed at exit); or the CA file the user gave.
 */
function trustedCaFile(target: CaCertificateTarget, identity: RunningIdentity, dataFile: string | undefined): { path: string; temporary: boolean } {
  if (!target.write) return { path: target.path, temporary: false };
  const port = new URL(identity.authorityHost).port;
  const path = resolve(target.path ?? join(dataFile === undefined ? tmpdir() : dirname(dataFile), `partnercenter-emulator-ca-${port}.pem`));
  try {
    writeFileSync(path, identity.caCertificatePem);
  } catch (error) {
    throw new Error(`cannot write the identity CA certificate to ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return { path, temporary: target.path === undefined && dataFile === undefined };
}

async function main(): Promise<number> {
  let command: ParsedCommand;
  try {
    command = parseCommand(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`partnercenter-emulator: ${error.message}`);
    return 2;
  }
  if (command.help) {
    console.log(USAGE);
    return 0;
  }

  const emulator = await startEmulator(command.options);
  // Listen for the stop signals before printing anything: a caller that reads the output and
  // stops the emulator right away must get a clean shutdown, not the default signal death.
  const stopped = new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  console.log(`Partner Center emulator listening on ${emulator.url}`);
  console.log(`Authenticate with PARTNERCENTER_ACCESS_TOKEN=${DEVELOPMENT_ACCESS_TOKEN} (a fixed development token, not a secret)`);
  let temporaryCaFile: string | undefined;
  if (emulator.identity !== undefined && command.caCertificate !== undefined) {
    let ca: { path: string; temporary: boolean };
    try {
      ca = trustedCaFile(command.caCertificate, emulator.identity, command.options.dataFile);
    } catch (error) {
      await emulator.close();
      throw error;
    }
    if (ca.temporary) temporaryCaFile = ca.path;
    console.log(`Identity endpoint (Entra ID emulation) listening on ${emulator.identity.authorityHost}`);
    console.log(`Its TLS certificate is signed by the CA in ${ca.path}; Node processes must trust it from their start:`);
    console.log(`export NODE_EXTRA_CA_CERTS=${ca.path}`);
  }
  const chaos = await emulator.control.chaos();
  if (chaos !== undefined) console.log(`Random faults (${chaos.kinds.join(", ")}) on ${Number((chaos.rate * 100).toFixed(2))}% of API requests, seed ${chaos.seed}`);

  await stopped;
  await emulator.close();
  // A CA file the emulator chose the place of is meaningless once it stops; one the user named stays.
  if (temporaryCaFile !== undefined) rmSync(temporaryCaFile, { force: true });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`partnercenter-emulator: ${(error as Error).message ?? String(error)}`);
    process.exit(1);
  },
);
