/**
 * The emulator a workload runs against, fresh for every program run: the workload's customers,
 * one validation code with creates for all of them, its latency and rate limit, and for the
 * refreshToken workload an Entra ID endpoint with a partner app and a refresh token.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEVELOPMENT_ACCESS_TOKEN, type RunningEmulator } from "partnercenter-emulator";
import { startEmulatorProcess } from "./emulator-process";
import { VALIDATION_CODE, customerId, type Workload } from "./workloads";

const PARTNER_TENANT = "c0ffee00-5555-4666-8777-888899990000";
const PARTNER_APP = { clientId: "a11ce000-cccc-4ddd-8eee-ffff00000003", clientSecret: "bench-app-secret-not-a-real-one" };

/** A started emulator, the environment that points the provider at it, and its token log. */
export interface BenchEmulator {
  readonly emulator: RunningEmulator;
  /** PARTNERCENTER_* settings (and NODE_EXTRA_CA_CERTS for sign-in) for the CLI and the provider. */
  readonly env: Readonly<Record<string, string>>;
  /** Empties the API and token logs. */
  clearLogs(): Promise<void>;
  /** Token requests answered with a token since the last clear; undefined in accessToken mode. */
  issuedTokens(): Promise<number | undefined>;
}

/** Starts the emulator for one run of `workload`; `workDir` receives the identity endpoint's CA certificate. */
export async function startBenchEmulator(workload: Workload, workDir: string): Promise<BenchEmulator> {
  const signIn = workload.signIn === "refreshToken";
  const emulator = await startEmulatorProcess({
    seed: {
      customers: Array.from({ length: workload.customers }, (_, i) => ({ id: customerId(i), ...heldQualifications(workload, i) })),
      validationCodes: [
        { partnerId: "bench", organizationName: "Bench Agency", validationId: VALIDATION_CODE, maxCreates: 100_000, remainingCreates: 100_000 },
      ],
    },
    latencyMs: workload.latencyMs,
    ...(workload.rateLimit !== undefined ? { rateLimit: workload.rateLimit } : {}),
    ...(workload.windowLimit !== undefined ? { rateLimit: workload.windowLimit } : {}),
    ...(signIn ? { identity: { tenants: [{ tenantId: PARTNER_TENANT, applications: [PARTNER_APP] }] } } : {}),
  });
  const env = signIn
    ? await refreshTokenEnv(emulator, workDir)
    : { PARTNERCENTER_BASE_URL: emulator.url, PARTNERCENTER_ACCESS_TOKEN: DEVELOPMENT_ACCESS_TOKEN };
  const identity = emulator.identity;
  return {
    emulator,
    env: { ...env, ...workload.env },
    clearLogs: async () => {
      await emulator.control.clearRequests();
      await identity?.control.clearTokenRequests();
    },
    issuedTokens: async () => (identity === undefined ? undefined : (await identity.control.tokenRequests()).filter((r) => r.outcome === "issued").length),
  };
}

/** For the shards workload, the qualification customer `n` already holds (the first `held` customers): adopted with one read. */
function heldQualifications(workload: Workload, n: number): { qualifications?: Array<{ qualification: string; vettingStatus?: string }> } {
  const item = workload.packageItems[n];
  if (workload.shards === undefined || n >= workload.shards.held || item === undefined) return {};
  return { qualifications: [{ qualification: item.qualification, ...(item.qualification === "StateOwnedEntity" ? {} : { vettingStatus: "Approved" }) }] };
}

/** refreshToken-mode settings; the provider process trusts the endpoint's CA from its start. */
async function refreshTokenEnv(emulator: RunningEmulator, workDir: string): Promise<Record<string, string>> {
  const identity = emulator.identity;
  if (identity === undefined) throw new Error("the emulator started without its identity endpoint");
  const caFile = join(workDir, "identity-ca.pem");
  writeFileSync(caFile, identity.caCertificatePem);
  const refreshToken = await identity.control.issueRefreshToken({ tenantId: PARTNER_TENANT, clientId: PARTNER_APP.clientId });
  return {
    NODE_EXTRA_CA_CERTS: caFile,
    PARTNERCENTER_BASE_URL: emulator.url,
    PARTNERCENTER_AUTHORITY_HOST: identity.authorityHost,
    PARTNERCENTER_TENANT_ID: PARTNER_TENANT,
    PARTNERCENTER_CLIENT_ID: PARTNER_APP.clientId,
    PARTNERCENTER_CLIENT_SECRET: PARTNER_APP.clientSecret,
    PARTNERCENTER_REFRESH_TOKEN: refreshToken,
  };
}
