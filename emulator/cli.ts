#!/usr/bin/env node
/**
 * `partnercenter-emulator`: runs the Partner Center emulator (and, with --identity, its
 * Entra ID identity endpoint) until SIGINT or SIGTERM.
 * Exit codes: 0 after a signal, 1 when the emulator cannot start, 2 for bad flags or input files.
 */

import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { DEVELOPMENT_ACCESS_TOKEN } from "./authentication";
import { CHAOS_KINDS } from "./chaos";
import { InputRejectedError, tryParseJson } from "./input-validation";
import { parseSeed } from "./seed";
import { startEmulator, type RunningEmulator, type RunningIdentity } from "./server";
import { MAX_LATENCY_MS, MAX_WINDOW_SECONDS } from "./service-conditions";
import type { ChaosKind, ChaosOptions, EmulatorOptions, EmulatorSeed, RateLimit } from "./types";

const USAGE = `Usage: partnercenter-emulator [--port <port>] [--host <host>] [--data-file <path>] [--seed <path>]
                             [--latency-ms <ms>] [--rate-limit <n>[/<seconds>]]
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
  --rate-limit <n>[/<s>]      answer API requests beyond n per sliding second (or per sliding s seconds:
                              500/60 is the limit Microsoft publishes) with 429 and Retry-After, as
                              Partner Center throttles a partner (default: no limit)
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

/** Every flag, for `node:util` parseArgs; the help text above describes them. */
const FLAGS = {
  port: { type: "string" },
  host: { type: "string" },
  "data-file": { type: "string" },
  seed: { type: "string" },
  "latency-ms": { type: "string" },
  "rate-limit": { type: "string" },
  chaos: { type: "string" },
  "chaos-seed": { type: "string" },
  "chaos-kinds": { type: "string" },
  identity: { type: "boolean" },
  "identity-port": { type: "string" },
  "ca-cert-out": { type: "string" },
  "identity-ca-cert": { type: "string" },
  "identity-ca-key": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsOptionsConfig;

/** The flags that imply --identity. */
const IDENTITY_FLAGS = ["identity-port", "ca-cert-out", "identity-ca-cert", "identity-ca-key"] as const;

/** A command-line mistake; reported in one line with exit code 2. */
class UsageError extends Error {}

/** Where to write the identity endpoint's CA certificate, or the given CA file that already holds it. */
type CaCertificateTarget = { write: true; path: string | undefined } | { write: false; path: string };

type ParsedCommand = { help: true } | { help: false; options: EmulatorOptions; caCertificate?: CaCertificateTarget };

function parseCommand(args: readonly string[]): ParsedCommand {
  const flags = parseFlags(args);
  if (flags.help === true) return { help: true };
  const options = emulatorOptions(flags);
  if (flags.identity !== true && !IDENTITY_FLAGS.some((flag) => flags[flag] !== undefined)) return { help: false, options };
  return { help: false, ...withIdentity(options, flags) };
}

/** What the flags say, parsed strictly; a flag parseArgs refuses becomes a one-line {@link UsageError}. */
type Flags = ReturnType<typeof parseStrictly>["values"];

function parseStrictly(args: readonly string[]) {
  return parseArgs({ args: [...args], options: FLAGS, strict: true, allowPositionals: false, tokens: true });
}

/** The flags; beyond what parseArgs refuses, an empty value or a value flag given twice is a mistake too. */
function parseFlags(args: readonly string[]): Flags {
  let parsed: ReturnType<typeof parseStrictly>;
  try {
    parsed = parseStrictly(args);
  } catch (error) {
    throw new UsageError(refusalMessage(error as NodeJS.ErrnoException));
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== "option" || FLAGS[token.name as keyof typeof FLAGS]?.type !== "string") continue;
    if (token.value === "") throw new UsageError(`flag --${token.name} needs a value`);
    if (seen.has(token.name)) throw new UsageError(`flag --${token.name} is given more than once`);
    seen.add(token.name);
  }
  return parsed.values;
}

/** parseArgs's refusals spread over several lines; this says the same in one, naming the flag. */
function refusalMessage(error: NodeJS.ErrnoException): string {
  const quoted = /'([^' ]*)/.exec(error.message)?.[1] ?? "";
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown flag ${quoted} (see --help)`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument '${quoted}': every value follows its flag (see --help)`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      if (/does not take an argument/.test(error.message)) return `flag ${quoted} takes no value`;
      // parseArgs refuses a value that starts with a dash as likely a forgotten one.
      if (/ambiguous/.test(error.message)) return `flag ${quoted} needs a value; write ${quoted}=<value> for one that starts with '-'`;
      return `flag ${quoted} needs a value`;
    default:
      return error.message.split("\n")[0] ?? String(error);
  }
}

/** The emulator's options from the flags that are not the identity endpoint's. */
function emulatorOptions(flags: Flags): EmulatorOptions {
  const { host, "data-file": dataFile, seed: seedPath } = flags;
  const latencyMs = parseIntegerFlag("--latency-ms", flags["latency-ms"], 0, MAX_LATENCY_MS);
  const rateLimit = parseRateLimitFlag(flags["rate-limit"]);
  const chaos = parseChaosFlags(flags);
  return {
    port: parsePort("--port", flags.port, DEFAULT_PORT),
    ...(host === undefined ? {} : { host }),
    ...(dataFile === undefined ? {} : { dataFile }),
    ...(seedPath === undefined ? {} : { seed: readSeedFile(seedPath) }),
    ...(latencyMs === undefined ? {} : { latencyMs }),
    ...(rateLimit === undefined ? {} : { rateLimit }),
    ...(chaos === undefined ? {} : { chaos }),
  };
}

/** `options` with the identity endpoint the flags ask for, and where its CA certificate goes. */
function withIdentity(options: EmulatorOptions, flags: Flags): { options: EmulatorOptions; caCertificate: CaCertificateTarget } {
  const { "identity-ca-cert": caCertPath, "identity-ca-key": caKeyPath, "ca-cert-out": caCertOut } = flags;
  if ((caCertPath === undefined) !== (caKeyPath === undefined)) throw new UsageError("flags --identity-ca-cert and --identity-ca-key go together");
  const tls =
    caCertPath === undefined || caKeyPath === undefined
      ? undefined
      : { caCertificatePem: readTextFile("--identity-ca-cert", caCertPath), caPrivateKeyPem: readTextFile("--identity-ca-key", caKeyPath) };
  const identity = {
    port: parsePort("--identity-port", flags["identity-port"], 0),
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(tls === undefined ? {} : { tls }),
  };
  return {
    options: { ...options, identity },
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

/** An optional integer flag: undefined when absent, else as {@link parseInteger} reads it. */
function parseIntegerFlag(flag: string, text: string | undefined, min: number, max: number): number | undefined {
  return text === undefined ? undefined : parseInteger(flag, text, min, max);
}

/** `text` as an integer from `min` to `max`, or a usage error naming `flag`. */
function parseInteger(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    throw new UsageError(`flag ${flag} must be ${range}, got '${text}'`);
  }
  return value;
}

/** `--rate-limit <n>` (per second) or `--rate-limit <n>/<seconds>` (per window). */
function parseRateLimitFlag(text: string | undefined): RateLimit | undefined {
  if (text === undefined) return undefined;
  const [requestsText = "", windowText, ...rest] = text.split("/");
  if (windowText === undefined) return { requestsPerSecond: parseInteger("--rate-limit", requestsText, 1, Number.MAX_SAFE_INTEGER) };
  const requests = Number(requestsText);
  const windowSeconds = Number(windowText);
  if (rest.length > 0 || !/^\d+$/.test(requestsText) || requests < 1 || !/^\d+$/.test(windowText) || windowSeconds < 1 || windowSeconds > MAX_WINDOW_SECONDS) {
    throw new UsageError(`flag --rate-limit must be <requests> or <requests>/<seconds>, integers >= 1 (seconds at most ${MAX_WINDOW_SECONDS}), got '${text}'`);
  }
  return { requestsPerWindow: requests, windowSeconds };
}

/** `--chaos`, `--chaos-seed` and `--chaos-kinds` as chaos options; the seed and kinds need a rate. */
function parseChaosFlags(flags: Flags): ChaosOptions | undefined {
  const { chaos: rateText, "chaos-seed": seedText, "chaos-kinds": kindsText } = flags;
  if (rateText === undefined) {
    const stray = (["chaos-seed", "chaos-kinds"] as const).find((flag) => flags[flag] !== undefined);
    if (stray !== undefined) throw new UsageError(`flag --${stray} needs --chaos <rate>`);
    return undefined;
  }
  const rate = Number(rateText);
  if (!/^\d*\.?\d+$/.test(rateText) || rate > 1) throw new UsageError(`flag --chaos must be a number from 0 to 1, got '${rateText}'`);
  const seed = parseIntegerFlag("--chaos-seed", seedText, 0, 0xffff_ffff);
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

function readSeedFile(path: string): EmulatorSeed {
  const json = tryParseJson(readTextFile("--seed", path));
  try {
    if (!json.ok) throw new InputRejectedError(json.reason);
    return parseSeed(json.value, "seed");
  } catch (error) {
    const reason = error instanceof InputRejectedError ? error.message : String(error);
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
  await run(command.options, command.caCertificate);
  return 0;
}

/** Runs the emulator until SIGINT or SIGTERM, saying where it listens and how to use it. */
async function run(options: EmulatorOptions, caCertificate: CaCertificateTarget | undefined): Promise<void> {
  const emulator = await startEmulator(options);
  // Listen for the stop signals before printing anything: a caller that reads the output and
  // stops the emulator right away must get a clean shutdown, not the default signal death.
  const stopped = new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  console.log(`Partner Center emulator listening on ${emulator.url}`);
  console.log(`Authenticate with PARTNERCENTER_ACCESS_TOKEN=${DEVELOPMENT_ACCESS_TOKEN} (a fixed development token, not a secret)`);
  const temporaryCaFile =
    emulator.identity === undefined || caCertificate === undefined
      ? undefined
      : await announceIdentity(emulator, emulator.identity, caCertificate, options.dataFile);
  const chaos = await emulator.control.chaos();
  if (chaos !== undefined)
    console.log(`Random faults (${chaos.kinds.join(", ")}) on ${Number((chaos.rate * 100).toFixed(2))}% of API requests, seed ${chaos.seed}`);

  await stopped;
  await emulator.close();
  // A CA file the emulator chose the place of is meaningless once it stops; one the user named stays.
  if (temporaryCaFile !== undefined) rmSync(temporaryCaFile, { force: true });
}

/**
 * Writes the CA file to trust and says where the identity endpoint listens; returns the CA
 * file when it is a temporary one. An unwritable CA file stops the emulator.
 */
async function announceIdentity(
  emulator: RunningEmulator,
  identity: RunningIdentity,
  target: CaCertificateTarget,
  dataFile: string | undefined,
): Promise<string | undefined> {
  let ca: { path: string; temporary: boolean };
  try {
    ca = trustedCaFile(target, identity, dataFile);
  } catch (error) {
    await emulator.close();
    throw error;
  }
  console.log(`Identity endpoint (Entra ID emulation) listening on ${identity.authorityHost}`);
  console.log(`Its TLS certificate is signed by the CA in ${ca.path}; Node processes must trust it from their start:`);
  console.log(`export NODE_EXTRA_CA_CERTS=${ca.path}`);
  return ca.temporary ? ca.path : undefined;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`partnercenter-emulator: ${(error as Error).message ?? String(error)}`);
    process.exit(1);
  },
);
