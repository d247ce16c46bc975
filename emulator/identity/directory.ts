/**
 * The identity endpoint's directory: tenants and their app registrations, plus the users a
 * simulated sign-in produces. Users need no registration: any principal name signs in.
 */

import { createHash } from "node:crypto";
import type { ValidatedApplication, ValidatedTenant } from "./identity-input";

/** A signed-in user as tokens describe them. */
export interface DirectoryUser {
  /** User principal name as given. */
  upn: string;
  /** Stable object id: the same tenant and name (any case) always give the same one. */
  objectId: string;
  /** Display name. */
  name: string;
}

/** Tenants and app registrations. */
export class IdentityDirectory {
  private tenants = new Map<string, Map<string, ValidatedApplication>>();

  constructor(private readonly seed: readonly ValidatedTenant[]) {
    this.reset();
  }

  /** Back to the seeded tenants and applications. */
  reset(): void {
    this.tenants = new Map(
      this.seed.map((tenant) => [tenant.tenantId, new Map(tenant.applications.map((application) => [application.clientId, application]))]),
    );
  }

  /** True when the tenant (any case) exists. */
  hasTenant(tenantId: string): boolean {
    return this.tenants.has(tenantId.toLowerCase());
  }

  /** Adds or overwrites an application, creating the tenant when it is new. */
  register(tenantId: string, application: ValidatedApplication): void {
    const key = tenantId.toLowerCase();
    const applications = this.tenants.get(key) ?? new Map<string, ValidatedApplication>();
    applications.set(application.clientId, application);
    this.tenants.set(key, applications);
  }

  /** A tenant's application by client id (exact; Entra compares client ids as GUIDs, which callers send in one case). */
  application(tenantId: string, clientId: string): ValidatedApplication | undefined {
    return this.tenants.get(tenantId.toLowerCase())?.get(clientId);
  }

  /** The user a sign-in with this principal name produces; default `admin@<tenantId>.example`. */
  user(tenantId: string, upn: string | undefined): DirectoryUser {
    const name = upn ?? `admin@${tenantId.toLowerCase()}.example`;
    return { upn: name, objectId: stableGuid(`user|${tenantId.toLowerCase()}|${name.toLowerCase()}`), name: name.split("@")[0] ?? name };
  }

  /** The object id of an application's service principal in a tenant (the `oid` of its app-only tokens). */
  servicePrincipalId(tenantId: string, clientId: string): string {
    return stableGuid(`servicePrincipal|${tenantId.toLowerCase()}|${clientId}`);
  }
}

/** A GUID derived from `seed`, so ids are stable across sign-ins and emulator restarts. */
function stableGuid(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  // Shaped like a version 4 / RFC 4122 variant GUID, as Entra object ids look.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
