/**
 * Refresh tokens and pending device codes. Both are opaque random strings handed to clients;
 * only their SHA-256 digests are kept, so nothing the emulator stores or logs can be replayed.
 */

import { createHash, randomBytes, randomInt } from "node:crypto";
import type { RefreshTokenFilter } from "../types";

/** Oldest refresh tokens are forgotten beyond this, so a long-running emulator does not grow without bound. */
const MAX_REFRESH_TOKENS = 100_000;

/** Lifetime of a device code, as Entra's 15 minutes. */
export const DEVICE_CODE_LIFETIME_SECONDS = 900;

/** Who a delegated grant is for. */
export interface GrantSubject {
  tenantId: string;
  clientId: string;
  /** User principal name. */
  user: string;
  mfa: boolean;
}

/** A refresh token's record. */
export interface RefreshTokenRecord extends GrantSubject {
  issuedAt: Date;
  /** Set by `revokeRefreshTokens`: redemption then fails with AADSTS50173. */
  revokedAt?: Date;
  /** Set by `expireRefreshTokens`: redemption then fails with AADSTS700082. */
  expired?: boolean;
}

/** Issued refresh tokens, by digest. */
export class RefreshTokenStore {
  private records = new Map<string, RefreshTokenRecord>();

  /** Issues a new refresh token for `subject`. */
  issue(subject: GrantSubject, now: Date): string {
    const token = opaque(96);
    this.records.set(digest(token), { ...subject, issuedAt: now });
    if (this.records.size > MAX_REFRESH_TOKENS) {
      const oldest = this.records.keys().next();
      if (oldest.done !== true) this.records.delete(oldest.value);
    }
    return token;
  }

  /** The record of a presented refresh token, or undefined when it is not one the emulator issued. */
  find(token: string): RefreshTokenRecord | undefined {
    const record = this.records.get(digest(token));
    return record === undefined ? undefined : { ...record };
  }

  /** Revokes every matching token that is not already revoked; returns how many. */
  revoke(filter: RefreshTokenFilter, now: Date): number {
    return this.update(filter, (record) => (record.revokedAt === undefined ? { ...record, revokedAt: now } : undefined));
  }

  /** Marks every matching token expired; returns how many changed. */
  expire(filter: RefreshTokenFilter): number {
    return this.update(filter, (record) => (record.expired === true ? undefined : { ...record, expired: true }));
  }

  /** Forgets every refresh token. */
  clear(): void {
    this.records.clear();
  }

  private update(filter: RefreshTokenFilter, change: (record: RefreshTokenRecord) => RefreshTokenRecord | undefined): number {
    let count = 0;
    for (const [key, record] of this.records) {
      if (filter.tenantId !== undefined && record.tenantId !== filter.tenantId.toLowerCase()) continue;
      if (filter.user !== undefined && record.user.toLowerCase() !== filter.user.toLowerCase()) continue;
      const changed = change(record);
      if (changed === undefined) continue;
      this.records.set(key, changed);
      count += 1;
    }
    return count;
  }
}

/** A pending device-code sign-in. */
export interface DeviceCodeRecord {
  tenantId: string;
  clientId: string;
  /** Shown to the user; what `approveDeviceCode` takes. */
  userCode: string;
  expiresAt: Date;
  /** The `scope` the authorization request asked for. */
  scope: string;
  /** Set once the user signs in. */
  approvedBy?: { user: string; mfa: boolean };
  /** Set once a token request redeemed it; a second redemption fails. */
  redeemed?: boolean;
}

/** Device codes issued by the device authorization endpoint. */
export class DeviceCodeStore {
  private records = new Map<string, DeviceCodeRecord>();

  /** Starts a device-code sign-in; returns the device code (for the client) and the user code (for the user). */
  start(request: { tenantId: string; clientId: string; scope: string }, now: Date): { deviceCode: string; userCode: string } {
    this.dropExpired(now);
    const deviceCode = opaque(48);
    const userCode = userCodeText();
    this.records.set(digest(deviceCode), { ...request, userCode, expiresAt: new Date(now.getTime() + DEVICE_CODE_LIFETIME_SECONDS * 1000) });
    return { deviceCode, userCode };
  }

  /** The record of a presented device code. */
  find(deviceCode: string): DeviceCodeRecord | undefined {
    const record = this.records.get(digest(deviceCode));
    return record === undefined ? undefined : { ...record };
  }

  /**
   * Completes the sign-in for a user code (any case); `approver` names the user from the
   * pending record (the default user depends on its tenant). Undefined when no unexpired,
   * unapproved code matches.
   */
  approve(userCode: string, now: Date, approver: (pending: DeviceCodeRecord) => { user: string; mfa: boolean }): DeviceCodeRecord | undefined {
    for (const [key, record] of this.records) {
      if (record.userCode !== userCode.toUpperCase() || record.approvedBy !== undefined || record.expiresAt <= now) continue;
      const approved = { ...record, approvedBy: approver(record) };
      this.records.set(key, approved);
      return { ...approved };
    }
    return undefined;
  }

  /** Marks a device code redeemed. */
  redeem(deviceCode: string): void {
    const key = digest(deviceCode);
    const record = this.records.get(key);
    if (record !== undefined) this.records.set(key, { ...record, redeemed: true });
  }

  /** Forgets every device code. */
  clear(): void {
    this.records.clear();
  }

  private dropExpired(now: Date): void {
    for (const [key, record] of this.records) if (record.expiresAt <= now) this.records.delete(key);
  }
}

function digest(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** A random base64url string from `bytes` random bytes. */
function opaque(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}

/** Nine characters from an alphabet without look-alikes (0/O, 1/I), as Entra's user codes look. */
function userCodeText(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return Array.from({ length: 9 }, () => alphabet[randomInt(alphabet.length)]).join("");
}
