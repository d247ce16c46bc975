/**
 * Secrets the emulator is shown (bearer tokens, client secrets, assertions, refresh tokens):
 * compared without timing leaks, and cut out of anything it logs or echoes.
 */

import { createHash, timingSafeEqual } from "node:crypto";

/** What stands where a secret was. */
export const REDACTED = "<redacted>";

/** Shorter values are not cut out: replacing every occurrence of a few characters would garble the text. */
const MIN_REDACTED_LENGTH = 8;

/** Compares digests so the comparison time says nothing about how much of a secret matched. */
export function sameSecret(expected: string, actual: string): boolean {
  const digest = (value: string): Buffer => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(expected), digest(actual));
}

/** `text` with every occurrence of each secret replaced by {@link REDACTED}; absent and very short secrets are skipped. */
export function withoutSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  return secrets
    .filter((secret): secret is string => secret !== undefined && secret.length >= MIN_REDACTED_LENGTH)
    .reduce((scrubbed, secret) => scrubbed.split(secret).join(REDACTED), text);
}
