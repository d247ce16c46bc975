import { strict as assert } from "node:assert";
import { MAX_SHARD_COUNT, ShardSpecError, readShardSpec, selectShard, shardOfCustomer, type ShardSpec } from "../../provider/customer-list";

const KEY = "partnercenter-qualifications:shard";

/** The n-th customer: tenant IDs that differ only in their last digits, as generated IDs often do. */
const customer = (n: number): string => `22222222-bbbb-4bbb-8bbb-${String(n).padStart(12, "0")}`;

/** A list of `customers` customers, every third one with a second qualification. */
function list(customers: number): Array<{ customerId: string; qualification: string }> {
  const entries: Array<{ customerId: string; qualification: string }> = [];
  for (let n = 1; n <= customers; n += 1) {
    entries.push({ customerId: customer(n), qualification: n % 2 === 0 ? "Education" : "GovernmentCommunityCloud" });
    if (n % 3 === 0) entries.push({ customerId: customer(n), qualification: "StateOwnedEntity" });
  }
  return entries;
}

describe("splitting a customer list into shards", () => {
  for (const count of [1, 2, 3, 4, 7, 16, MAX_SHARD_COUNT]) {
    it(`count ${count}: every entry lands in exactly one shard, in list order, with its customer's other entries`, () => {
      const entries = list(300);
      const shards = Array.from({ length: count }, (_, index) => selectShard(entries, { index, count }));

      const landed = new Map<object, number>();
      for (const entry of shards.flat()) landed.set(entry, (landed.get(entry) ?? 0) + 1);
      assert.equal(landed.size, entries.length, "every entry is in some shard");
      assert.ok(
        [...landed.values()].every((times) => times === 1),
        "no entry is in two shards",
      );
      for (const shard of shards)
        assert.deepEqual(
          shard,
          entries.filter((e) => shard.includes(e)),
          "list order is kept",
        );
      const shardOf = new Map<string, number>();
      shards.forEach((shard, index) =>
        shard.forEach((entry) => {
          assert.equal(shardOf.get(entry.customerId) ?? index, index, `customer ${entry.customerId} is in one shard`);
          shardOf.set(entry.customerId, index);
        }),
      );
    });
  }

  it("spreads customers evenly: 4 shards of 2000 customers hold 400 to 600 each", () => {
    const sizes = [0, 0, 0, 0];
    for (let n = 1; n <= 2000; n += 1) sizes[shardOfCustomer(customer(n), 4)] += 1;
    assert.ok(
      sizes.every((size) => size >= 400 && size <= 600),
      `sizes ${sizes.join(", ")}`,
    );
  });

  it("is stable: the same shards on every machine and version, whatever the letter case", () => {
    const known: Array<[string, number, number]> = [
      ["3f2a9c14-7b1e-4d5a-9c3e-5a1b2c3d4e01", 4, 3],
      ["3F2A9C14-7B1E-4D5A-9C3E-5A1B2C3D4E01", 4, 3],
      ["22222222-bbbb-4bbb-8bbb-000000000001", 7, 1],
      ["5d1c1a0e-2b3c-4d5e-8f90-a1b2c3d4e5f6", 1000, 560],
    ];
    for (const [id, count, shard] of known) assert.equal(shardOfCustomer(id, count), shard, `${id} of ${count}`);
  });

  it("reads a shard setting given as numbers or as digit strings", () => {
    const good: Array<[unknown, ShardSpec]> = [
      [
        { index: 0, count: 1 },
        { index: 0, count: 1 },
      ],
      [
        { index: 3, count: 4 },
        { index: 3, count: 4 },
      ],
      [
        { index: "2", count: "1000" },
        { index: 2, count: 1000 },
      ],
    ];
    for (const [value, spec] of good) assert.deepEqual(readShardSpec(value, KEY), spec);
  });

  const bad: Array<{ value: unknown; says: string }> = [
    { value: 2, says: `${KEY} must be an object { index, count } such as { index: 0, count: 4 }, got 2` },
    { value: [0, 4], says: `${KEY} must be an object { index, count } such as { index: 0, count: 4 }, got [0,4]` },
    { value: { index: 0, count: 4, of: 4 }, says: `${KEY} has unknown key "of"; allowed: index, count` },
    { value: { index: 0 }, says: `${KEY}.count must be a whole number from 1 to 1000, got nothing` },
    { value: { index: 0, count: 0 }, says: `${KEY}.count must be a whole number from 1 to 1000, got 0` },
    { value: { index: 0, count: 1001 }, says: `${KEY}.count must be a whole number from 1 to 1000, got 1001` },
    { value: { index: 0, count: 2.5 }, says: `${KEY}.count must be a whole number from 1 to 1000, got 2.5` },
    { value: { count: 4 }, says: `${KEY}.index must be a whole number from 0 to 3 (count - 1), got nothing` },
    { value: { index: 4, count: 4 }, says: `${KEY}.index must be a whole number from 0 to 3 (count - 1), got 4` },
    { value: { index: -1, count: 4 }, says: `${KEY}.index must be a whole number from 0 to 3 (count - 1), got -1` },
    { value: { index: "one", count: 4 }, says: `${KEY}.index must be a whole number from 0 to 3 (count - 1), got "one"` },
  ];
  for (const { value, says } of bad) {
    it(`refuses ${JSON.stringify(value)} naming the key and what is allowed`, () => {
      assert.throws(
        () => readShardSpec(value, KEY),
        (error: unknown) => error instanceof ShardSpecError && error.message === says,
      );
    });
  }
});
