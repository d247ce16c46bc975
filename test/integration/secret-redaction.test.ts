/**
 * Property test: across every error path of sign-in and of the API, with at least 200 random
 * secrets each, no secret appears in an error's message, stack, JSON form or inspection, nor in
 * any line the provider logs.
 */
import { strict as assert } from "node:assert";
import { randomBytes, randomUUID } from "node:crypto";
import { inspect } from "node:util";
import type { PartnerCenterSettings } from "../../provider/config";
import { QualificationLifecycle } from "../../provider/lifecycle";
import { signInFromSettings } from "../../provider/auth";
import { CUSTOMERS, recordingLog, type RecordingLog } from "../fixtures/emulated-partner-center";
import { PARTNER, apiFor, identityOf, useIdentityEmulator } from "../fixtures/emulated-identity";

const RUNS = 200;

/** A secret in one of the shapes real ones take: Entra client secrets, opaque tokens, JWT-like text. */
function randomSecret(i: number): string {
  const shapes = [
    () => `${randomBytes(3).toString("base64url")}8Q~${randomBytes(28).toString("base64url")}`,
    () => randomBytes(48).toString("base64"),
    () => `0.A${randomBytes(90).toString("base64url")}`,
    () => `eyJ${randomBytes(20).toString("base64url")}.${randomBytes(60).toString("base64url")}.${randomBytes(30).toString("base64url")}`,
    () => randomBytes(32).toString("hex"),
  ];
  return shapes[i % shapes.length]!();
}

/** Everything a person or a log could see of a failure. */
function everythingSeen(error: unknown, log: RecordingLog): string {
  const e = error as Error;
  return [
    String(e),
    e?.message,
    e?.stack,
    JSON.stringify(e),
    inspect(e, { depth: 10, showHidden: true }),
    ...log.warnings,
    ...log.notices,
    ...log.infos,
    ...log.progress.lines,
  ].join("\n");
}

function assertNoSecret(seen: string, secrets: readonly string[], path: string): void {
  for (const secret of secrets) {
    assert.ok(!seen.includes(secret), `${path}: a secret of ${secret.length} characters appeared`);
    // A leaked fragment is a leak too: no 16-character window of the secret may appear.
    for (let at = 0; at + 16 <= secret.length; at += 8) {
      assert.ok(!seen.includes(secret.slice(at, at + 16)), `${path}: part of a secret appeared`);
    }
  }
}

describe(`no secret reaches an error or a log line (${RUNS} random secrets per path)`, function () {
  this.timeout(10 * 60 * 1000);
  const env = useIdentityEmulator();

  /** Registers a new app with a random secret and signs a user in; returns settings and every secret involved. */
  async function freshPartnerApp(i: number, mfa = true): Promise<{ settings: PartnerCenterSettings; secrets: string[] }> {
    const identity = identityOf(env.emulator);
    const clientId = randomUUID();
    const clientSecret = randomSecret(i);
    await identity.control.registerApplication({ tenantId: PARTNER.tenantId, clientId, clientSecret });
    const refreshToken = await identity.control.issueRefreshToken({ tenantId: PARTNER.tenantId, clientId, mfa });
    const settings = { baseUrl: env.emulator.url, authorityHost: identity.authorityHost, tenantId: PARTNER.tenantId, clientId, clientSecret, refreshToken };
    return { settings, secrets: [clientSecret, refreshToken] };
  }

  /** Runs one create through the lifecycle, as the provider does, and returns what failed. */
  async function failedCreate(settings: PartnerCenterSettings, log: RecordingLog, customerId: string = CUSTOMERS.school): Promise<unknown> {
    // As in the provider process: the API (and its credential) is built on the first call.
    const lifecycle = new QualificationLifecycle({ api: () => apiFor(settings, log), log });
    return lifecycle.create({ customerId, qualification: "StateOwnedEntity" }).then(
      () => assert.fail("expected the create to fail"),
      (e: unknown) => e,
    );
  }

  const paths: ReadonlyArray<{ name: string; run: (i: number) => Promise<{ error: unknown; log: RecordingLog; secrets: string[] }> }> = [
    {
      name: "a wrong client secret",
      run: async (i) => {
        const { settings, secrets } = await freshPartnerApp(i);
        const wrong = randomSecret(i + 1);
        const log = recordingLog();
        return { error: await failedCreate({ ...settings, clientSecret: wrong }, log), log, secrets: [...secrets, wrong] };
      },
    },
    {
      name: "an expired refresh token",
      run: async (i) => {
        const { settings, secrets } = await freshPartnerApp(i);
        await identityOf(env.emulator).control.expireRefreshTokens({});
        const log = recordingLog();
        return { error: await failedCreate(settings, log), log, secrets };
      },
    },
    {
      name: "a revoked refresh token",
      run: async (i) => {
        const { settings, secrets } = await freshPartnerApp(i);
        await identityOf(env.emulator).control.revokeRefreshTokens({});
        const log = recordingLog();
        return { error: await failedCreate(settings, log), log, secrets };
      },
    },
    {
      name: "a refresh token without MFA (POST refused with 900421)",
      run: async (i) => {
        const { settings, secrets } = await freshPartnerApp(i, false);
        const token = await signInFromSettings(settings).credential.getToken(["https://api.partnercenter.microsoft.com/user_impersonation"]);
        const log = recordingLog();
        return { error: await failedCreate(settings, log), log, secrets: [...secrets, token?.token ?? ""] };
      },
    },
    {
      name: "an access token that was never valid (401)",
      run: async (i) => {
        const accessToken = randomSecret(i);
        const log = recordingLog();
        return { error: await failedCreate({ baseUrl: env.emulator.url, accessToken }, log), log, secrets: [accessToken] };
      },
    },
    {
      name: "no relationship with the customer (403) after throttling retries",
      run: async (i) => {
        const { settings, secrets } = await freshPartnerApp(i);
        // Every tenth run is throttled first, so the retry log lines are checked too.
        if (i % 10 === 0) await env.emulator.control.injectFault({ kind: "status", status: 429, retryAfter: "0" });
        await env.emulator.control.injectFault({ kind: "status", status: 403, body: { code: 20002, description: "no relationship" } });
        const log = recordingLog();
        return { error: await failedCreate(settings, log), log, secrets };
      },
    },
    {
      name: "incomplete settings",
      run: async (i) => {
        const refreshToken = randomSecret(i);
        const clientSecret = randomSecret(i + 2);
        const log = recordingLog();
        return { error: await failedCreate({ baseUrl: env.emulator.url, refreshToken, clientSecret }, log), log, secrets: [refreshToken, clientSecret] };
      },
    },
  ];

  for (const path of paths) {
    it(`${path.name}: message, stack, JSON, inspection and log lines`, async () => {
      const kinds = new Set<string>();
      for (let i = 0; i < RUNS; i++) {
        const { error, log, secrets } = await path.run(i);
        assert.ok(error instanceof Error, `run ${i} failed with an Error`);
        kinds.add(error.name);
        assertNoSecret(
          everythingSeen(error, log),
          secrets.filter((s) => s !== ""),
          `${path.name}, run ${i}`,
        );
        await identityOf(env.emulator).control.clearTokenRequests();
        await env.emulator.control.clearFaults();
      }
      assert.equal(kinds.size, 1, `always the same kind of error: ${[...kinds].join(", ")}`);
    });
  }
});
