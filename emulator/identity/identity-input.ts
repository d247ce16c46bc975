/**
 * The identity endpoint's inputs (options, tenant seeds, control-call bodies) as zod schemas
 * that validate and normalise them: lower-case tenant ids, parsed certificates, defaults applied.
 */

import { X509Certificate } from "node:crypto";
import { z } from "zod";
import { integerFrom, parseInput, tenantGuid, text, unlessMissing } from "../input-validation";

/** Default lifetime of issued access tokens, as Entra's default. */
export const DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS = 3600;

/** At least one second: a zero lifetime would hand out tokens that are already expired. */
const lifetime = integerFrom(0).min(1, "must be at least 1");

/**
 * An app registration. With neither secret nor certificate it is a public client (device code
 * flow, no client authentication); with either, token requests must authenticate with it.
 */
const applicationFields = {
  /** Application (client) id. */
  clientId: text,
  clientSecret: text.optional(),
  /** Public certificate (PEM) whose key signs `client_assertion` JWTs; parsed. */
  certificatePem: text.optional(),
};

/** An app registration with its certificate parsed. */
function withCertificate<T extends { certificatePem?: string | undefined }>(
  application: T,
  context: z.RefinementCtx,
): Omit<T, "certificatePem"> & { certificate?: X509Certificate } {
  const { certificatePem, ...rest } = application;
  if (certificatePem === undefined) return rest;
  try {
    return { ...rest, certificate: new X509Certificate(certificatePem) };
  } catch (error) {
    context.addIssue({ code: "custom", path: ["certificatePem"], message: `is not a PEM X.509 certificate: ${(error as Error).message}` });
    return z.NEVER;
  }
}

const applicationSchema = z.strictObject(applicationFields).transform(withCertificate);

/** An app registration as the directory holds it. */
export type ValidatedApplication = z.output<typeof applicationSchema>;

/** An Entra tenant as seeded. */
export const tenantSeedSchema = z.strictObject({
  /** Tenant id (a GUID). */
  tenantId: tenantGuid,
  applications: z.array(applicationSchema).default([]),
});

/** A tenant with its applications validated; ids lower-case. */
export type ValidatedTenant = z.output<typeof tenantSeedSchema>;

/** How the identity endpoint is configured. */
export const identityOptionsSchema = z.strictObject({
  /** TCP port of the HTTPS endpoint; 0 (the default) picks a free ephemeral port. */
  port: integerFrom(0, 65535).default(0),
  /** Interface to listen on; default 127.0.0.1. */
  host: text.default("127.0.0.1"),
  /** The CA that signs the endpoint's server certificate (both PEM); default: a CA generated at start. */
  tls: z.strictObject({ caCertificatePem: text, caPrivateKeyPem: text }).optional(),
  /** Lifetime of issued access tokens; default 3600. */
  accessTokenLifetimeInSeconds: lifetime.default(DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS),
  /** Tenants and app registrations (a tenant seeded twice is merged); restored by `reset()`. */
  tenants: z.array(tenantSeedSchema).default([]).transform(mergeTenants),
});

/** Identity options with every default applied. */
export type ValidatedIdentityOptions = z.output<typeof identityOptionsSchema>;

/** An app registration in a tenant, for `IdentityControl.registerApplication`; an unknown tenant is created. */
export const applicationRegistrationSchema = z
  .strictObject({ tenantId: tenantGuid, ...applicationFields })
  .transform(({ tenantId, ...application }, context) => ({ tenantId, application: withCertificate(application, context) }));

/** Who completes a simulated interactive sign-in. */
export const signedInUserFields = {
  /** User principal name; default `admin@<tenantId>.example`. */
  user: text
    .regex(/^[^@\s]+@[^@\s]+$/, { error: (issue) => `must be a user principal name like admin@contoso.example, got '${String(issue.input)}'` })
    .optional(),
  /** Whether the sign-in used MFA (the tokens' `amr` then holds "mfa"); default true. */
  mfa: z.boolean({ error: unlessMissing("must be a boolean") }).optional(),
};

/** The one-time consent `IdentityControl.issueRefreshToken` simulates. */
export const refreshTokenGrantRequestSchema = z.strictObject({
  tenantId: tenantGuid,
  /** A registered application of that tenant. */
  clientId: text,
  ...signedInUserFields,
});

/** An `approveDeviceCode` body (absent: defaults). */
export const signedInUserSchema = z.strictObject(signedInUserFields);

/** Which refresh tokens a revoke or expire call hits; both absent: all of them. */
export const refreshTokenFilterSchema = z.strictObject({
  tenantId: tenantGuid.optional(),
  /** User principal name, any case. */
  user: text.optional(),
});

/** A `setAccessTokenLifetime` body. */
export const lifetimeSchema = z.strictObject({ seconds: lifetime });

/** Validates `EmulatorOptions.identity` (already known not to be false or undefined). */
export function parseIdentityOptions(value: unknown): ValidatedIdentityOptions {
  return parseInput(identityOptionsSchema, value === true ? {} : value, "options.identity");
}

/** Validates a control body with `schema`; an absent body counts as `{}`. */
export function parseControlBody<Schema extends z.ZodType>(schema: Schema, value: unknown, what: string): z.output<Schema> {
  return parseInput(schema, value ?? {}, what);
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
