/**
 * Local emulator of the Partner Center customer-qualifications API: a real HTTP server for
 * tests, demos and pipelines, with a control API to seed state, script vetting and inject faults.
 */

export { DEVELOPMENT_ACCESS_TOKEN } from "./authentication";
export { EmulatorControl, EmulatorControlError } from "./control-client";
export { startEmulator } from "./server";
export type {
  CustomerState,
  EmulatorOptions,
  EmulatorSeed,
  FaultKind,
  FaultSpec,
  LoggedRequest,
  ResponseStyle,
  RunningEmulator,
  SeedCustomer,
  StoredQualification,
  ValidationCodeRecord,
  VettingDecision,
  VettingScript,
  VettingStatus,
} from "./types";
