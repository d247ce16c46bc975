/**
 * The repository's own stack: declares the qualifications listed in its stack configuration.
 *
 *   config:
 *     partnercenter-qualifications:qualifications:      # a YAML list ...
 *       - { customerId: <guid>, qualification: StateOwnedEntity }
 *     partnercenter-qualifications:qualificationsFile: customers.csv   # ... or a CSV file
 *     partnercenter-qualifications:waitForVetting: true   # default for Education and GCC entries
 *     partnercenter-qualifications:shard: { index: 0, count: 4 }   # this stack applies a quarter of the list
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  countByVettingStatus,
  declareCustomerQualifications,
  readCustomerListCsv,
  readCustomerListEntries,
  type CustomerListEntry,
  type WaitForVettingOptions,
} from "../provider";
import { readShardSpec, selectShard } from "../provider/customer-list";

const config = new pulumi.Config();

function customerList(): CustomerListEntry[] {
  const file = config.get("qualificationsFile");
  const list = config.getObject<unknown>("qualifications");
  if (file !== undefined && list !== undefined) {
    throw new Error(`Set either ${config.name}:qualifications or ${config.name}:qualificationsFile, not both`);
  }
  if (file !== undefined) {
    const path = resolve(file);
    return readCustomerListCsv(readFileSync(path, "utf8"), `${config.name}:qualificationsFile (${file})`);
  }
  return readCustomerListEntries(list ?? [], `${config.name}:qualifications`);
}

/** A stack-wide `waitForVetting` for the vetted entries that don't set their own. */
function withStackDefaults(entries: CustomerListEntry[]): CustomerListEntry[] {
  const wait = config.getObject<boolean | WaitForVettingOptions>("waitForVetting");
  if (wait === undefined) return entries;
  return entries.map((e) => (e.qualification === "StateOwnedEntity" || e.waitForVetting !== undefined ? e : { ...e, waitForVetting: wait }));
}

/**
 * With `shard: { index, count }`, only the entries whose customer falls into that shard (a stable
 * hash of the customer ID); the whole list has been validated before.
 */
function thisStacksShard(entries: CustomerListEntry[]): CustomerListEntry[] {
  const shard = config.getObject<unknown>("shard");
  return shard === undefined ? entries : selectShard(entries, readShardSpec(shard, `${config.name}:shard`));
}

const resources = declareCustomerQualifications(withStackDefaults(thisStacksShard(customerList())));

/** Each qualification's vetting, keyed by resource ID. */
export const qualifications = pulumi
  .all(resources.map((r) => pulumi.all([r.id, r.vettingStatus, r.vettingReason])))
  .apply((rows) =>
    Object.fromEntries(
      rows.map(([id, status, reason]) => [id, { vettingStatus: status ?? "NotVetted", ...(reason !== undefined ? { vettingReason: reason } : {}) }]),
    ),
  );

/** How many qualifications are in each vetting status. */
export const vettingSummary = countByVettingStatus(resources);
