/**
 * The emulator's public data shapes: options, seeds, stored state, faults, response styles,
 * request-log entries, service conditions (latency, rate limit) and the identity endpoint's
 * shapes. All of it is plain JSON, so it crosses the control API unchanged; the running
 * handles, which hold control clients, live with `startEmulator` in server.ts.
 */

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

/** A random fault: `429` (with `Retry-After: 1`), `503`, `drop` (connection reset), `slow` (answer 1 to 3 s late), `lostResponse` (POST only). */
export type ChaosKind = "429" | "503" | "drop" | "slow" | "lostResponse";

/**
 * Random faults: each API request, with probability `rate`, meets one fault drawn from `kinds`,
 * by a pseudo-random sequence that `seed` fixes. Injected faults are served first.
 */
export interface ChaosOptions {
  /** Share of the API requests that meet a fault, from 0 to 1. */
  rate: number;
  /** Seed of the pseudo-random sequence, an integer from 0 to 4294967295; default: a random one (see `EmulatorControl.chaos()`). */
  seed?: number;
  /** The faults to draw from; default all of them. */
  kinds?: ChaosKind[];
}

/** The random faults in force, with the seed and kinds resolved. */
export interface ChaosSettings {
  rate: number;
  seed: number;
  kinds: ChaosKind[];
}

/**
 * A per-partner request limit: API requests (all routes together) beyond it within a sliding
 * window are answered 429 and change nothing. Per second, or per window of several seconds: the
 * one limit Microsoft publishes is 500 requests per minute, which is `{ requestsPerWindow: 500,
 * windowSeconds: 60 }`.
 */
export type RateLimit = RequestsPerSecondLimit | RequestsPerWindowLimit;

/** A limit over a sliding one-second window. */
export interface RequestsPerSecondLimit {
  /** Requests admitted per sliding second; an integer of at least 1. */
  requestsPerSecond: number;
  /** Fixed `Retry-After` seconds; default: when the window frees up, rounded up, at least 1. */
  retryAfterSeconds?: number;
}

/** A limit over a sliding window of `windowSeconds`. */
export interface RequestsPerWindowLimit {
  /** Requests admitted per sliding window; an integer of at least 1. */
  requestsPerWindow: number;
  /** The window's length in seconds; an integer from 1 to 3600. */
  windowSeconds: number;
  /** Fixed `Retry-After` seconds; default: when the window frees up, rounded up, at least 1. */
  retryAfterSeconds?: number;
}

/** Customers and validation codes to put into the emulator. */
export interface EmulatorSeed {
  customers?: SeedCustomer[];
  validationCodes?: ValidationCodeRecord[];
}

/** How a customer relates to the partner, as `GET /v1/customers` reports it. */
export type RelationshipToPartner = "none" | "reseller" | "advisor" | "syndication" | "microsoft_support";

/** A customer tenant as seeded. */
export interface SeedCustomer {
  /** Customer tenant id (a GUID). */
  id: string;
  companyName?: string;
  /** The customer's primary domain, e.g. `contoso.onmicrosoft.com`. */
  domain?: string;
  /** Default `reseller`. */
  relationshipToPartner?: RelationshipToPartner;
  /** Tenant id (a GUID) of the indirect reseller serving the customer; only the `IndirectReseller` list filter reads it. */
  indirectResellerId?: string;
  qualifications?: StoredQualification[];
}

/** One qualification as the emulator stores it. */
export interface StoredQualification {
  /** Education, GovernmentCommunityCloud or StateOwnedEntity. */
  qualification: string;
  /** InReview, Approved, Denied (absent for StateOwnedEntity). */
  vettingStatus?: string;
  vettingReason?: string;
  /** ISO 8601 UTC. */
  vettingCreateDate?: string;
}

/** A customer's stored state, as `EmulatorControl.customer()` returns it. */
export interface CustomerState {
  id: string;
  companyName?: string;
  domain?: string;
  relationshipToPartner: RelationshipToPartner;
  indirectResellerId?: string;
  qualifications: StoredQualification[];
}

/** A partner's GovernmentCommunityCloud validation code, as `GET /v1/customers/all/validations` returns it. */
export interface ValidationCodeRecord {
  partnerId: string;
  organizationName: string;
  /** The value a GCC create passes as `validationCode` / `?code=`. */
  validationId: string;
  maxCreates: number;
  remainingCreates: number;
  /** Generated when absent; changes whenever remainingCreates does. */
  eTag?: string;
}

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
export type ApiRouteName = "customers" | "qualifications" | "validations";

/** What an injected fault does to a matching API request. */
export type FaultKind = "status" | "drop" | "lostResponse" | "delay";

/** A fault to inject into upcoming API requests. */
export interface FaultSpec {
  kind: FaultKind;
  /** Only requests with this HTTP method (any case). */
  method?: string;
  /** Only requests whose `/v1/customers/{id}/...` segment equals this (any case); `"all"` targets the validations route. */
  customerId?: string;
  /** Only requests to this route (unknown paths match no route). */
  route?: ApiRouteName;
  /** For `status`: the status to answer with. */
  status?: number;
  /** For `status`: `Retry-After` header value (seconds or HTTP-date). */
  retryAfter?: string;
  /** For `status`: response body; default depends on the status. */
  body?: unknown;
  /** For `delay`: milliseconds to wait before handling normally. */
  delayMs?: number;
  /** How many matching API requests it hits; default 1. */
  times?: number;
}

/** Which of the documented response shapes the API answers with. */
export interface ResponseStyle {
  /** POST success status; the docs say 201, the 2020 Swagger 200. */
  postStatus: 200 | 201;
  /** POST success body: the created object, or `{"qualifications":[obj]}`. */
  postShape: "object" | "wrapper";
  /** GET body: a bare array, or `{"qualifications":[...]}`. */
  getShape: "array" | "wrapper";
  /** Spelling of the date property. */
  dateField: "vettingCreateDate" | "vettingCreatedDate";
  /** `Education` or `education`. */
  nameCase: "pascal" | "lower";
  /** A customer without qualifications: `[]` or `[{"qualification":"None"}]`. */
  noneAs: "empty" | "none";
  /** Customer-list links without the `/v1` prefix (`/customers?...`), as the service sometimes sends them; default false. */
  customerLinksWithoutV1Prefix: boolean;
  /** Start every API JSON body with a UTF-8 byte-order mark, which clients must tolerate; default false. */
  bom: boolean;
}

/** A vetting decision scheduled for a customer's vetted qualification. */
export interface VettingScript {
  /** Education or GovernmentCommunityCloud; default: whichever vetted one the customer gets. */
  qualification?: string;
  status: "Approved" | "Denied";
  reason?: string;
  /** Delay after creation (or after now, when already in review); default 0. */
  afterMs?: number;
}

/** A vetting status; Microsoft documents InReview, Approved and Denied "etc.". */
export type VettingStatus = "InReview" | "Approved" | "Denied" | (string & {});

/** An immediate vetting outcome for `EmulatorControl.setVetting`. */
export interface VettingDecision {
  status: VettingStatus;
  reason?: string;
}

/** How the identity endpoint is configured. */
export interface IdentityOptions {
  /** TCP port of the HTTPS endpoint; 0 (the default) picks a free ephemeral port. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** The CA that signs the endpoint's server certificate; default: a CA generated at start. */
  tls?: IdentityTlsOptions;
  /** Lifetime of issued access tokens; default 3600. */
  accessTokenLifetimeInSeconds?: number;
  /** Tenants and app registrations; restored by `reset()`. */
  tenants?: IdentityTenantSeed[];
}

/** A CA certificate and its private key, both PEM. */
export interface IdentityTlsOptions {
  caCertificatePem: string;
  caPrivateKeyPem: string;
}

/** An Entra tenant as seeded. */
export interface IdentityTenantSeed {
  /** Tenant id (a GUID). */
  tenantId: string;
  applications?: IdentityApplicationSeed[];
}

/**
 * An app registration. With neither secret nor certificate it is a public client (device code
 * flow, no client authentication); with either, token requests must authenticate with it.
 */
export interface IdentityApplicationSeed {
  /** Application (client) id. */
  clientId: string;
  clientSecret?: string;
  /** Public certificate (PEM) whose key signs `client_assertion` JWTs. */
  certificatePem?: string;
}

/** An app registration in a tenant, for `IdentityControl.registerApplication`; an unknown tenant is created. */
export interface ApplicationRegistration extends IdentityApplicationSeed {
  tenantId: string;
}

/** Who completes a simulated interactive sign-in. */
export interface SignedInUser {
  /** User principal name; default `admin@<tenantId>.example`. */
  user?: string;
  /** Whether the sign-in used MFA (the tokens' `amr` then holds "mfa"); default true. */
  mfa?: boolean;
}

/** The one-time consent `IdentityControl.issueRefreshToken` simulates. */
export interface RefreshTokenGrantRequest extends SignedInUser {
  tenantId: string;
  /** A registered application of that tenant. */
  clientId: string;
}

/** Which refresh tokens a revoke or expire call hits; both absent: all of them. */
export interface RefreshTokenFilter {
  tenantId?: string;
  /** User principal name, any case. */
  user?: string;
}

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
