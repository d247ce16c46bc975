/**
 * Reading a partner's list of customers' qualifications from stack config or a CSV file.
 * @packageDocumentation
 */
export { CustomerListError, readCustomerListCsv, readCustomerListEntries, type CustomerListEntry, type CustomerListProblem } from "./customer-list";
export { CsvSyntaxError } from "./csv";
export { MAX_SHARD_COUNT, ShardSpecError, readShardSpec, selectShard, shardOfCustomer, type ShardSpec } from "./shard";
