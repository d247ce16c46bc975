/**
 * The command line of this package's bins (`partnercenter-export`, `partnercenter-report`,
 * `partnercenter-login`): strict parsing with `node:util`'s `parseArgs`, its refusals rewritten
 * once into one line naming the option and what it takes, the exit code of a bad command line,
 * and how a bin ends.
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { oneLine } from "../text";

/** Bad options, settings or input, reported before any request. */
export const EXIT_USAGE = 2;

/** A bad command line; the message is one line naming the option and what is allowed. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * Reads a command line strictly with `options`: an unknown option, a stray argument or a missing
 * value is a {@link UsageError} naming the option and what it takes (`optionValues`, by `--name`).
 */
export function parseArgumentsStrictly<T extends ParseArgsOptionsConfig>(
  argv: readonly string[],
  options: T,
  optionValues: Readonly<Record<string, string>>,
): ReturnType<typeof parseArgs<{ options: T; strict: true; allowPositionals: false }>> {
  const names = Object.keys(options)
    .map((name) => `--${name}`)
    .join(", ");
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const named = /'(-[^' ]*)/.exec(text)?.[1] ?? "";
    const code = (error as { code?: unknown }).code;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError(`unknown option ${named}; the options are ${names} (see --help)`);
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
      throw new UsageError(
        `unexpected argument ${JSON.stringify(/'([^']*)'/.exec(text)?.[1] ?? "")}: every value follows its option; the options are ${names}`,
      );
    }
    if (/does not take an argument/.test(text)) throw new UsageError(`${named} takes no value (see --help)`);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      throw new UsageError(`${named} needs a value: ${optionValues[named] ?? "see --help"} (write ${named}=<value> for a value that starts with "-")`);
    }
    throw new UsageError(text.split("\n")[0] ?? text);
  }
}

/** The option's value, refused when empty: `what` says what it takes. */
export function requireValue(option: string, value: string, what: string): string {
  if (value.trim() === "") throw new UsageError(`${option} needs ${what}; got an empty value`);
  return value;
}

/**
 * Runs a bin's `main` and exits with its code; an error nobody expected is one line on stderr,
 * named by the bin, with `crashCode`.
 */
export function runBin(name: string, main: () => Promise<number>, crashCode: number): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${name}: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
      process.exit(crashCode);
    },
  );
}
