/**
 * Splitting one customer list across several stacks: each stack keeps the entries whose customer
 * falls into its shard, by a stable hash of the customer's tenant ID, so that all the entries of
 * a customer land in the same stack and a customer never moves while `count` stays the same.
 */
import { createHash } from "node:crypto";

/** The part of a list one stack applies: shard `index` (0 to `count` - 1) of `count`. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/** The most shards a list can be split into. */
export const MAX_SHARD_COUNT = 1000;

/** A shard setting that can't be used; the message names the setting and what is allowed. */
export class ShardSpecError extends Error {
  override readonly name = "ShardSpecError";
}

/**
 * Reads a shard setting such as `{ index: 0, count: 4 }` (numbers, or digit strings as
 * `pulumi config set --path` may store them). `key` names the setting in errors, such as
 * `partnercenter-qualifications:shard`.
 */
export function readShardSpec(value: unknown, key: string): ShardSpec {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ShardSpecError(`${key} must be an object { index, count } such as { index: 0, count: 4 }, got ${describe(value)}`);
  }
  const unknown = Object.keys(value).filter((name) => name !== "index" && name !== "count");
  if (unknown.length > 0) throw new ShardSpecError(`${key} has unknown key ${JSON.stringify(unknown[0])}; allowed: index, count`);
  const { index, count } = value as { index?: unknown; count?: unknown };
  const shardCount = wholeNumber(count);
  if (shardCount === undefined || shardCount < 1 || shardCount > MAX_SHARD_COUNT) {
    throw new ShardSpecError(`${key}.count must be a whole number from 1 to ${MAX_SHARD_COUNT}, got ${describe(count)}`);
  }
  const shardIndex = wholeNumber(index);
  if (shardIndex === undefined || shardIndex >= shardCount) {
    throw new ShardSpecError(`${key}.index must be a whole number from 0 to ${shardCount - 1} (count - 1), got ${describe(index)}`);
  }
  return { index: shardIndex, count: shardCount };
}

/** A non-negative whole number given as a number or a digit string; undefined otherwise. */
function wholeNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === "string" && /^\d{1,9}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

function describe(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

/**
 * The shard (0 to `count` - 1) a customer falls into: the first 32 bits of the SHA-256 of its
 * lower-case tenant ID, modulo `count`. Stable across runs, machines and versions.
 */
export function shardOfCustomer(customerId: string, count: number): number {
  const digest = createHash("sha256").update(customerId.trim().toLowerCase()).digest();
  return digest.readUInt32BE(0) % count;
}

/** The entries of one shard, in list order; every entry of a customer goes to the same shard. */
export function selectShard<Entry extends { readonly customerId: string }>(entries: readonly Entry[], shard: ShardSpec): Entry[] {
  return entries.filter((entry) => shardOfCustomer(entry.customerId, shard.count) === shard.index);
}
