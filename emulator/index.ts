/**
 * Local emulator of the Partner Center customer-qualifications API: a real HTTP server for
 * tests, demos and pipelines, with a control API to seed state, script vetting, inject faults,
 * add latency and rate limits, and optionally an HTTPS identity endpoint that behaves like
 * Microsoft Entra ID.
 */

export { DEVELOPMENT_ACCESS_TOKEN } from "./authentication";
export { EmulatorControl, EmulatorControlError } from "./control-client";
export { IdentityControl } from "./identity/identity-control-client";
export { PARTNER_CENTER_AUDIENCE } from "./identity/partner-center-scopes";
export { createCertificateAuthority, createSelfSignedCertificate, issueServerCertificate } from "./identity/x509";
export type {
  CertificateAuthorityOptions,
  CertificateWithKey,
  ClientCertificate,
  KeyType,
  SelfSignedCertificateOptions,
  ServerCertificateOptions,
} from "./identity/x509";
export { startEmulator } from "./server";
/** The rate limit and the seeded randomness the emulator applies, for simulations that must agree with it. */
export { ServiceConditions, type Admission } from "./service-conditions";
export { seededRandom } from "./chaos";
export type { RunningEmulator, RunningIdentity } from "./server";
export type {
  ApiRouteName,
  ApplicationRegistration,
  ChaosKind,
  ChaosOptions,
  ChaosSettings,
  CustomerState,
  EmulatorOptions,
  EmulatorSeed,
  FaultKind,
  FaultSpec,
  IdentityApplicationSeed,
  IdentityDescription,
  IdentityOptions,
  IdentityTenantSeed,
  IdentityTlsOptions,
  LoggedRequest,
  LoggedTokenRequest,
  RateLimit,
  RequestsPerSecondLimit,
  RequestsPerWindowLimit,
  RefreshTokenFilter,
  RefreshTokenGrantRequest,
  RelationshipToPartner,
  ResponseStyle,
  SeedCustomer,
  SignedInUser,
  StoredQualification,
  ValidationCodeRecord,
  VettingDecision,
  VettingScript,
  VettingStatus,
} from "./types";
