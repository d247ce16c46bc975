/**
 * Validation of the identity endpoint's inputs (options, tenant seeds, control-call bodies)
 * into normalised values: lower-case tenant ids, parsed certificates, defaults applied.
 */

import { X509Certificate } from "node:crypto";
import {
  InputRejectedError,
  expectArray,
  expectObject,
  readOptionalNonNegativeInteger,
  readOptionalString,
  readString,
  readTenantGuid,
  rejectUnknownKeys,
  type JsonObject,
} from "../input-validation";
import type {
  ApplicationRegistration,
  IdentityApplicationSeed,
  IdentityOptions,
  IdentityTenantSeed,
  IdentityTlsOptions,
  RefreshTokenFilter,
  RefreshTokenGrantRequest,
  SignedInUser,
} from "../types";

/** Default lifetime of issued access tokens, as Entra's default. */
export const DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS = 3600;

/** An app registration with its certificate parsed. */
export interface ValidatedApplication {
  clientId: string;
  clientSecret?: string;
  certificate?: X509Certificate;
}

/** A tenant with its applications validated; ids lower-case. */
export interface ValidatedTenant {
  tenantId: string;
  applications: ValidatedApplication[];
}

/** Identity options with every default applied. */
export interface ValidatedIdentityOptions {
  port: number;
  host: string;
  tls?: IdentityTlsOptions;
  accessTokenLifetimeInSeconds: number;
  tenants: ValidatedTenant[];
}

/** Validates `EmulatorOptions.identity` (already known not to be false or undefined). */
export function parseIdentityOptions(value: IdentityOptions | true): ValidatedIdentityOptions {
  const what = "options.identity";
  const options = expectObject(value === true ? {} : value, what);
  rejectUnknownKeys(options, ["port", "host", "tls", "accessTokenLifetimeInSeconds", "tenants"] satisfies (keyof IdentityOptions)[], what);
  const port = readOptionalNonNegativeInteger(options, "port", what) ?? 0;
  if (port > 65535) throw new InputRejectedError(`${what}.port must be an integer from 0 to 65535, got ${port}`);
  const tenants = options.tenants === undefined ? [] : expectArray(options.tenants, `${what}.tenants`);
  const tls = options.tls === undefined ? undefined : parseTls(options.tls, `${what}.tls`);
  return {
    port,
    host: readOptionalString(options, "host", what) ?? "127.0.0.1",
    ...(tls === undefined ? {} : { tls }),
    accessTokenLifetimeInSeconds: parseLifetime(options, "accessTokenLifetimeInSeconds", what) ?? DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS,
    tenants: mergeTenants(tenants.map((tenant, index) => parseTenantSeed(tenant, `${what}.tenants[${index}]`))),
  };
}

function parseTls(value: unknown, what: string): IdentityTlsOptions {
  const tls = expectObject(value, what);
  rejectUnknownKeys(tls, ["caCertificatePem", "caPrivateKeyPem"] satisfies (keyof IdentityTlsOptions)[], what);
  return { caCertificatePem: readString(tls, "caCertificatePem", what), caPrivateKeyPem: readString(tls, "caPrivateKeyPem", what) };
}

/** Validates one seeded tenant. */
export function parseTenantSeed(value: unknown, what = "tenant"): ValidatedTenant {
  const tenant = expectObject(value, what);
  rejectUnknownKeys(tenant, ["tenantId", "applications"] satisfies (keyof IdentityTenantSeed)[], what);
  const applications = tenant.applications === undefined ? [] : expectArray(tenant.applications, `${what}.applications`);
  return {
    tenantId: readTenantGuid(tenant, "tenantId", what),
    applications: applications.map((application, index) => parseApplication(expectObject(application, `${what}.applications[${index}]`), `${what}.applications[${index}]`)),
  };
}

/** Validates an `IdentityControl.registerApplication` body. */
export function parseApplicationRegistration(value: unknown, what = "application"): { tenantId: string; application: ValidatedApplication } {
  const registration = expectObject(value, what);
  rejectUnknownKeys(registration, ["tenantId", "clientId", "clientSecret", "certificatePem"] satisfies (keyof ApplicationRegistration)[], what);
  const { tenantId: _tenantId, ...application } = registration;
  return { tenantId: readTenantGuid(registration, "tenantId", what), application: parseApplication(application, what) };
}

function parseApplication(application: JsonObject, what: string): ValidatedApplication {
  rejectUnknownKeys(application, ["clientId", "clientSecret", "certificatePem"] satisfies (keyof IdentityApplicationSeed)[], what);
  const clientSecret = readOptionalString(application, "clientSecret", what);
  const certificatePem = readOptionalString(application, "certificatePem", what);
  let certificate: X509Certificate | undefined;
  if (certificatePem !== undefined) {
    try {
      certificate = new X509Certificate(certificatePem);
    } catch (error) {
      throw new InputRejectedError(`${what}.certificatePem is not a PEM X.509 certificate: ${(error as Error).message}`);
    }
  }
  return {
    clientId: readString(application, "clientId", what),
    ...(clientSecret === undefined ? {} : { clientSecret }),
    ...(certificate === undefined ? {} : { certificate }),
  };
}

/** Validates an `IdentityControl.issueRefreshToken` body. */
export function parseRefreshTokenGrantRequest(value: unknown, what = "request"): { tenantId: string; clientId: string; user: SignedInUser } {
  const request = expectObject(value, what);
  rejectUnknownKeys(request, ["tenantId", "clientId", "user", "mfa"] satisfies (keyof RefreshTokenGrantRequest)[], what);
  return { tenantId: readTenantGuid(request, "tenantId", what), clientId: readString(request, "clientId", what), user: readSignedInUser(request, what) };
}

/** Validates an `IdentityControl.approveDeviceCode` body (null or absent: defaults). */
export function parseSignedInUser(value: unknown, what = "user"): SignedInUser {
  const body = expectObject(value ?? {}, what);
  rejectUnknownKeys(body, ["user", "mfa"] satisfies (keyof SignedInUser)[], what);
  return readSignedInUser(body, what);
}

function readSignedInUser(source: JsonObject, what: string): SignedInUser {
  const user = readOptionalString(source, "user", what);
  if (user !== undefined && !/^[^@\s]+@[^@\s]+$/.test(user)) throw new InputRejectedError(`${what}.user must be a user principal name like admin@contoso.example, got '${user}'`);
  if (source.mfa !== undefined && source.mfa !== null && typeof source.mfa !== "boolean") throw new InputRejectedError(`${what}.mfa must be a boolean`);
  return { ...(user === undefined ? {} : { user }), ...(typeof source.mfa === "boolean" ? { mfa: source.mfa } : {}) };
}

/** Validates a revoke or expire filter (null or absent: every refresh token). */
export function parseRefreshTokenFilter(value: unknown, what = "filter"): RefreshTokenFilter {
  const filter = expectObject(value ?? {}, what);
  rejectUnknownKeys(filter, ["tenantId", "user"] satisfies (keyof RefreshTokenFilter)[], what);
  const user = readOptionalString(filter, "user", what);
  const tenantId = filter.tenantId === undefined || filter.tenantId === null ? undefined : readTenantGuid(filter, "tenantId", what);
  return { ...(tenantId === undefined ? {} : { tenantId }), ...(user === undefined ? {} : { user }) };
}

/** Validates a `setAccessTokenLifetime` body `{"seconds": n}`. */
export function parseLifetimeBody(value: unknown, what = "lifetime"): number {
  const body = expectObject(value, what);
  rejectUnknownKeys(body, ["seconds"], what);
  const seconds = parseLifetime(body, "seconds", what);
  if (seconds === undefined) throw new InputRejectedError(`${what}.seconds is required`);
  return seconds;
}

/** At least one second: a zero lifetime would hand out tokens that are already expired. */
function parseLifetime(source: JsonObject, key: string, what: string): number | undefined {
  const seconds = readOptionalNonNegativeInteger(source, key, what);
  if (seconds !== undefined && seconds < 1) throw new InputRejectedError(`${what}.${key} must be at least 1`);
  return seconds;
}

/** Tenants seeded twice are merged, later applications overwriting earlier ones with the same client id. */
function mergeTenants(tenants: ValidatedTenant[]): ValidatedTenant[] {
  const merged = new Map<string, Map<string, ValidatedApplication>>();
  for (const tenant of tenants) {
    const applications = merged.get(tenant.tenantId) ?? new Map<string, ValidatedApplication>();
    for (const application of tenant.applications) applications.set(application.clientId, application);
    merged.set(tenant.tenantId, applications);
  }
  return [...merged].map(([tenantId, applications]) => ({ tenantId, applications: [...applications.values()] }));
}
