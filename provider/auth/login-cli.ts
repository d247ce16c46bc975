#!/usr/bin/env node
/**
 * `npx partnercenter-login --tenant <partner tenant> --client-id <app id>`: the one-time,
 * MFA-backed consent of Microsoft's Secure Application Model. A person signs in with the device
 * code flow; the refresh token is printed once, on stdout only, for them to put into their secret
 * store. Everything else goes to stderr, so the output can be piped:
 *
 *   npx partnercenter-login --tenant contoso.onmicrosoft.com --client-id <id> \
 *     | pulumi config set --secret partnercenter:refreshToken
 */
import type * as msal from "@azure/msal-node";
import { EXIT_USAGE, UsageError, parseArgumentsStrictly, requireValue, runBin } from "../command-line";
import { CLOUDS, USER_IMPERSONATION_SCOPE, type CloudName } from "../config";
import { oneOf } from "../qualification";
import { credentialErrorFrom } from "./credential-error";

const USAGE = `Usage: partnercenter-login --tenant <partner tenant id or domain> --client-id <application id>
                           [--cloud public|usGovernment|china] [--authority-host <https url>] [--scope <scope>]

Signs a person in with the device code flow (with MFA) and prints the refresh token on stdout,
once, for the pipeline's secret store (partnercenter:refreshToken). The app registration must
allow public client flows and have the Partner Center user_impersonation permission.`;

interface LoginOptions {
  tenant: string;
  clientId: string;
  authorityHost: string;
  scope: string;
}

const OPTIONS = {
  tenant: { type: "string" },
  "client-id": { type: "string" },
  cloud: { type: "string" },
  "authority-host": { type: "string" },
  scope: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** What each option with a value takes, for messages. */
const OPTION_VALUES: Readonly<Record<string, string>> = {
  "--tenant": "the partner's tenant ID or a verified domain",
  "--client-id": "the application (client) ID of the partner's Entra app",
  "--cloud": Object.keys(CLOUDS).join(", "),
  "--authority-host": "an https URL",
  "--scope": "a token scope",
};

/** Reads the command line strictly (unknown options and stray arguments are refused). */
function parse(argv: string[]): LoginOptions | "help" {
  const { values } = parseArgumentsStrictly(argv, OPTIONS, OPTION_VALUES);
  if (values.help === true) return "help";
  for (const required of ["tenant", "client-id"] as const) {
    if (values[required] === undefined) throw new UsageError(`--${required} is required: ${OPTION_VALUES[`--${required}`]} (see --help)`);
    requireValue(`--${required}`, values[required], OPTION_VALUES[`--${required}`] ?? "a value");
  }
  const cloud = oneOf(Object.keys(CLOUDS) as CloudName[], values.cloud ?? "public");
  if (cloud === undefined) throw new UsageError(`--cloud must be one of ${Object.keys(CLOUDS).join(", ")}; got ${JSON.stringify(values.cloud)}`);
  const authorityHost = (values["authority-host"] ?? CLOUDS[cloud].authorityHost).replace(/\/+$/, "");
  if (!authorityHost.startsWith("https://")) throw new UsageError("--authority-host must be an https URL");
  return { tenant: values.tenant ?? "", clientId: values["client-id"] ?? "", authorityHost, scope: values.scope ?? USER_IMPERSONATION_SCOPE };
}

/** Runs the consent and returns the refresh token. */
export async function signInWithDeviceCode(options: LoginOptions, say: (line: string) => void): Promise<string> {
  const { PublicClientApplication, LogLevel } = require("@azure/msal-node") as typeof msal;
  const app = new PublicClientApplication({
    auth: { clientId: options.clientId, authority: `${options.authorityHost}/${options.tenant}`, knownAuthorities: [new URL(options.authorityHost).host] },
    system: { loggerOptions: { piiLoggingEnabled: false, logLevel: LogLevel.Error, loggerCallback: () => undefined } },
  });
  try {
    await app.acquireTokenByDeviceCode({ scopes: [options.scope], deviceCodeCallback: (response) => say(response.message) });
  } catch (error) {
    throw credentialErrorFrom(error, {
      mode: "device code sign-in",
      tenantId: options.tenant,
      clientId: options.clientId,
      authorityHost: options.authorityHost,
    });
  }
  const cache = JSON.parse(app.getTokenCache().serialize()) as { RefreshToken?: Record<string, { secret?: string }> };
  const refreshToken = Object.values(cache.RefreshToken ?? {})[0]?.secret;
  if (refreshToken === undefined) throw new Error("the sign-in succeeded but Microsoft Entra returned no refresh token (is offline_access allowed?)");
  return refreshToken;
}

async function main(): Promise<number> {
  let options: LoginOptions | "help";
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`partnercenter-login: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  if (options === "help") {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  const say = (line: string): void => void process.stderr.write(`${line}\n`);
  say(`Signing in to tenant ${options.tenant} as app ${options.clientId} (${options.authorityHost}); use an AdminAgents user and MFA.`);
  const refreshToken = await signInWithDeviceCode(options, say);
  process.stdout.write(`${refreshToken}\n`);
  say("Signed in. The line on stdout is the refresh token: store it as a secret now (it is not shown again), for example");
  say("  pulumi config set --secret partnercenter:refreshToken   (paste it), or your CI's secret store as PARTNERCENTER_REFRESH_TOKEN.");
  return 0;
}

if (require.main === module) runBin("partnercenter-login", main, 1);
