/**
 * The emulator's public data shapes. Inputs (options, seeds, faults, response styles, vetting,
 * service conditions, the identity endpoint's registrations and sign-ins) are inferred from the
 * zod schemas that validate them; outputs (stored state, request-log entries) are declared here.
 * All of it is plain JSON, so it crosses the control API unchanged; the running handles, which
 * hold control clients, live with `startEmulator` in server.ts.
 */

import type { z } from "zod";
import type { ChaosKind, ChaosSettings, chaosSchema } from "./chaos";
import type { API_ROUTE_NAMES, faultSpecSchema } from "./faults";
import type {
  applicationRegistrationSchema,
  identityOptionsSchema,
  refreshTokenFilterSchema,
  refreshTokenGrantRequestSchema,
  signedInUserSchema,
  tenantSeedSchema,
} from "./identity/identity-input";
import type { ResponseStyle } from "./response-style";
import type { RELATIONSHIPS, ValidatedCustomer, seedCustomerSchema, seedSchema, storedQualificationSchema, validationCodeSchema } from "./seed";
import type { RateLimit, perSecondLimitSchema, perWindowLimitSchema } from "./service-conditions";
import type { vettingDecisionSchema, vettingScriptSchema } from "./vetting-input";

export type { ChaosKind, ChaosSettings, RateLimit, ResponseStyle };

/** How {@link startEmulator} is configured. */
export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free ephemeral port. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** JSON file holding the state: loaded at start when it exists, rewritten after every change. */
  dataFile?: string;
  /** Bearer tokens the API accepts; default `[DEVELOPMENT_ACCESS_TOKEN]`. */
  accessTokens?: string[];
  /** Initial state, applied when no data file exists yet, and restored by `reset()`. */
  seed?: EmulatorSeed;
  /**
   * Also start an HTTPS identity endpoint that behaves like Microsoft Entra ID for MSAL Node and
   * @azure/identity, whose access tokens the API then accepts; `true` means all defaults.
   */
  identity?: IdentityOptions | boolean;
  /** Milliseconds every API answer waits, as if the service were remote; default 0. Control routes never wait. */
  latencyMs?: number;
  /** Throttle the partner's API requests as Partner Center does; default: no limit. */
  rateLimit?: RateLimit;
  /** Random faults on a share of the API requests; default: none. */
  chaos?: ChaosOptions;
}

/**
 * Random faults: each API request, with probability `rate`, meets one fault drawn from `kinds`,
 * by a pseudo-random sequence that `seed` fixes. Injected faults are served first.
 */
export type ChaosOptions = z.input<typeof chaosSchema>;

/** A limit over a sliding one-second window. */
export type RequestsPerSecondLimit = z.input<typeof perSecondLimitSchema>;

/** A limit over a sliding window of `windowSeconds`. */
export type RequestsPerWindowLimit = z.input<typeof perWindowLimitSchema>;

/** Customers and validation codes to put into the emulator. */
export type EmulatorSeed = z.input<typeof seedSchema>;

/** How a customer relates to the partner, as `GET /v1/customers` reports it. */
export type RelationshipToPartner = (typeof RELATIONSHIPS)[number];

/** One qualification as the emulator stores it (a seed may spell the name in any case). */
export type StoredQualification = z.input<typeof storedQualificationSchema>;

/** A customer tenant as seeded. */
export type SeedCustomer = z.input<typeof seedCustomerSchema>;

/** A customer's stored state, as `EmulatorControl.customer()` returns it. */
export type CustomerState = ValidatedCustomer;

/** A partner's GovernmentCommunityCloud validation code, as `GET /v1/customers/all/validations` returns it. */
export type ValidationCodeRecord = z.output<typeof validationCodeSchema>;

/** One API request as the emulator saw it (control calls are not logged). */
export interface LoggedRequest {
  /** Arrival order, starting at 1 after each clear. */
  seq: number;
  /** Arrival time, ISO 8601 UTC. */
  time: string;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** `MS-RequestId` as the client sent it (absent when it sent none). */
  requestId?: string;
  /** `MS-CorrelationId` as the client sent it (absent when it sent none). */
  correlationId?: string;
  /** Lower-case names; the authorization value is replaced by `Bearer <redacted>`. */
  headers: Record<string, string>;
  /** Parsed JSON body, the raw text when it is not JSON, absent when empty. */
  body?: unknown;
  /** Status sent, or computed and then lost (`lostResponse`); `"dropped"` when nothing ran. */
  status: number | "dropped";
  fault?: FaultKind;
  /** True when the fault was a random one (chaos) rather than an injected one. */
  chaos?: true;
  /** True when the answer was replayed from an earlier request with the same `MS-RequestId`. */
  replayed?: boolean;
}

/** The API's routes: `GET /v1/customers`, `/v1/customers/{id}/qualifications` and `GET /v1/customers/all/validations`. */
export type ApiRouteName = (typeof API_ROUTE_NAMES)[number];

/** A fault to inject into upcoming API requests. */
export type FaultSpec = z.input<typeof faultSpecSchema>;

/** What an injected fault does to a matching API request. */
export type FaultKind = FaultSpec["kind"];

/** A vetting decision scheduled for a customer's vetted qualification. */
export type VettingScript = z.input<typeof vettingScriptSchema>;

/** A vetting status; Microsoft documents InReview, Approved and Denied "etc.". */
export type VettingStatus = "InReview" | "Approved" | "Denied" | (string & {});

/** An immediate vetting outcome for `EmulatorControl.setVetting`. */
export type VettingDecision = z.input<typeof vettingDecisionSchema>;

/** How the identity endpoint is configured. */
export type IdentityOptions = z.input<typeof identityOptionsSchema>;

/** A CA certificate and its private key, both PEM. */
export type IdentityTlsOptions = NonNullable<IdentityOptions["tls"]>;

/** An Entra tenant as seeded. */
export type IdentityTenantSeed = z.input<typeof tenantSeedSchema>;

/**
 * An app registration. With neither secret nor certificate it is a public client (device code
 * flow, no client authentication); with either, token requests must authenticate with it.
 */
export type IdentityApplicationSeed = NonNullable<IdentityTenantSeed["applications"]>[number];

/** An app registration in a tenant, for `IdentityControl.registerApplication`; an unknown tenant is created. */
export type ApplicationRegistration = z.input<typeof applicationRegistrationSchema>;

/** Who completes a simulated interactive sign-in. */
export type SignedInUser = z.input<typeof signedInUserSchema>;

/** The one-time consent `IdentityControl.issueRefreshToken` simulates. */
export type RefreshTokenGrantRequest = z.input<typeof refreshTokenGrantRequestSchema>;

/** Which refresh tokens a revoke or expire call hits; both absent: all of them. */
export type RefreshTokenFilter = z.input<typeof refreshTokenFilterSchema>;

/**
 * One token-endpoint request as the identity endpoint saw it. It never holds a secret, token,
 * code or assertion.
 */
export interface LoggedTokenRequest {
  /** Arrival order, starting at 1 after each clear. */
  seq: number;
  /** Arrival time, ISO 8601 UTC. */
  time: string;
  /** The tenant segment of the request path, as sent. */
  tenantId: string;
  /** `grant_type` as sent (empty when absent). */
  grantType: string;
  clientId?: string;
  /** How the client authenticated, once that was checked. */
  clientAuthentication?: "secret" | "certificate" | "none";
  /** The `scope` parameter split on spaces. */
  scopes?: string[];
  /** The signed-in user of an issued delegated token. */
  user?: string;
  /** `"issued"`, or the OAuth error code answered (`invalid_grant`, `authorization_pending`, ...). */
  outcome: "issued" | (string & {});
  /** Entra's numeric AADSTS codes of an error answer. */
  errorCodes?: number[];
}

/** What `IdentityControl.describe()` tells another process about a running identity endpoint. */
export interface IdentityDescription {
  /** E.g. `https://127.0.0.1:45123` (no trailing slash). */
  authorityHost: string;
  /** The CA that signed the endpoint's server certificate. */
  caCertificatePem: string;
}
