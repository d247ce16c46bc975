#!/usr/bin/env node
/**
 * `partnercenter-emulator`: runs the Partner Center emulator until SIGINT or SIGTERM.
 * Exit codes: 0 after a signal, 1 when the emulator cannot start, 2 for bad flags or seed files.
 */

import { readFileSync } from "node:fs";
import { DEVELOPMENT_ACCESS_TOKEN } from "./authentication";
import { InputRejectedError } from "./input-validation";
import { parseSeed } from "./seed";
import { startEmulator } from "./server";
import type { EmulatorOptions } from "./types";

const USAGE = `Usage: partnercenter-emulator [--port <port>] [--host <host>] [--data-file <path>] [--seed <path>]

Runs a local emulator of the Partner Center customer-qualifications API.

  --port <port>        TCP port to listen on; 0 picks a free one (default 8443)
  --host <host>        interface to listen on (default 127.0.0.1)
  --data-file <path>   keep state in this JSON file: loaded at start, saved after every change
  --seed <path>        JSON seed ({"customers": [...], "validationCodes": [...]}) used when the
                       data file does not exist yet, and restored by POST /_emulator/reset
  --help               show this help

The API accepts the bearer token ${DEVELOPMENT_ACCESS_TOKEN}.
The control API is under /_emulator (see emulator/control-client.ts).`;

const DEFAULT_PORT = 8443;

/** A command-line mistake; reported in one line with exit code 2. */
class UsageError extends Error {}

type ParsedCommand = { help: true } | { help: false; options: EmulatorOptions };

const VALUE_FLAGS = ["--port", "--host", "--data-file", "--seed"] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

function parseCommand(args: readonly string[]): ParsedCommand {
  const values = new Map<ValueFlag, string>();
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? "";
    if (arg === "--help" || arg === "-h") return { help: true };
    const [flag, inlineValue] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (!(VALUE_FLAGS as readonly string[]).includes(flag)) throw new UsageError(`unknown flag ${flag} (see --help)`);
    const value = inlineValue ?? args[++index];
    if (value === undefined || value === "" || (inlineValue === undefined && value.startsWith("--"))) {
      throw new UsageError(`flag ${flag} needs a value`);
    }
    if (values.has(flag as ValueFlag)) throw new UsageError(`flag ${flag} is given more than once`);
    values.set(flag as ValueFlag, value);
  }

  const portText = values.get("--port");
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (!/^\d+$/.test(portText ?? String(DEFAULT_PORT)) || port > 65535) {
    throw new UsageError(`flag --port must be an integer from 0 to 65535, got '${portText}'`);
  }
  const seedPath = values.get("--seed");
  const host = values.get("--host");
  const dataFile = values.get("--data-file");
  return {
    help: false,
    options: {
      port,
      ...(host === undefined ? {} : { host }),
      ...(dataFile === undefined ? {} : { dataFile }),
      ...(seedPath === undefined ? {} : { seed: readSeedFile(seedPath) }),
    },
  };
}

function readSeedFile(path: string): EmulatorOptions["seed"] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`flag --seed: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return parseSeed(JSON.parse(text) as unknown, "seed");
  } catch (error) {
    const reason = error instanceof InputRejectedError || error instanceof SyntaxError ? error.message : String(error);
    throw new UsageError(`flag --seed: ${path} is not a valid seed: ${reason}`);
  }
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
  console.log(`Partner Center emulator listening on ${emulator.url}`);
  console.log(`Authenticate with PARTNERCENTER_ACCESS_TOKEN=${DEVELOPMENT_ACCESS_TOKEN} (a fixed development token, not a secret)`);

  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await emulator.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`partnercenter-emulator: ${(error as Error).message ?? String(error)}`);
    process.exit(1);
  },
);
