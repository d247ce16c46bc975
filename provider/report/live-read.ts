/**
 * The report's entries read from Partner Center now, through the export's reader and the shared
 * client (its throttle, retries and Retry-After): the customer list (for company names and
 * domains) and one read of qualifications per customer. GET requests only.
 */
import type { PartnerCenterError } from "../client";
import { exportCustomerQualifications, type ExportApi, type ExportProgressEvent, type ExportedQualification } from "../export";
import type { ReportEntry } from "./report-model";

/** Options of {@link readLiveEntries}. */
export interface LiveReadOptions {
  /** Only these customers (tenant IDs in lower case); default every customer of the partner. */
  readonly customerIds?: ReadonlySet<string>;
  /** Customers read at once. */
  readonly concurrency: number;
  readonly onProgress?: (event: ExportProgressEvent) => void;
}

/** What a live read found. */
export interface LiveEntries {
  readonly entries: ReportEntry[];
  readonly customersListed: number;
  readonly customersRead: number;
  /** What could not be read, one sentence each; empty when the read is whole. */
  readonly problems: string[];
  /** Set when Partner Center proved unreachable: the one error with the cause. */
  readonly unreachable?: PartnerCenterError;
}

/** Reads every qualification of the partner's customers (or of `customerIds`), Denied ones included. */
export async function readLiveEntries(api: ExportApi, options: LiveReadOptions): Promise<LiveEntries> {
  // The customers whose qualifications were asked for: those listed (and wanted).
  const asked = new Set<string>();
  const observed: ExportApi = {
    listCustomers: (o) => api.listCustomers(o),
    getQualifications: (id, o) => {
      asked.add(id);
      return api.getQualifications(id, o);
    },
  };
  const result = await exportCustomerQualifications(observed, {
    includeDenied: true,
    keepConflictingDenied: true,
    concurrency: options.concurrency,
    ...(options.customerIds !== undefined ? { customerIds: options.customerIds } : {}),
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
  });
  const problems: string[] = result.failures.map((f) => `customer ${f.customer.id} could not be read: ${f.message}`);
  if (result.stoppedBy !== undefined) problems.push(`the read stopped after ${result.customersRead} customers: ${result.stoppedBy}`);
  const unlisted = result.stoppedBy === undefined ? [...(options.customerIds ?? [])].filter((id) => !asked.has(id)) : [];
  if (unlisted.length > 0) {
    const more = unlisted.length > 10 ? ` and ${unlisted.length - 10} more` : "";
    problems.push(
      `${unlisted.length} customer${unlisted.length === 1 ? " is" : "s are"} not among the partner's customers: ${unlisted.slice(0, 10).join(", ")}${more}`,
    );
  }
  return {
    entries: result.entries.map(reportEntryOf),
    customersListed: result.customersListed,
    customersRead: result.customersRead,
    problems,
    ...(result.unreachable !== undefined ? { unreachable: result.unreachable } : {}),
  };
}

function reportEntryOf(e: ExportedQualification): ReportEntry {
  return {
    customerId: e.customerId,
    qualification: e.qualification,
    ...(e.vettingStatus !== undefined ? { vettingStatus: e.vettingStatus } : {}),
    ...(e.vettingReason !== undefined ? { vettingReason: e.vettingReason } : {}),
    ...(e.vettingCreateDate !== undefined ? { vettingCreateDate: e.vettingCreateDate } : {}),
    ...(e.companyName !== undefined ? { companyName: e.companyName } : {}),
    ...(e.domain !== undefined ? { domain: e.domain } : {}),
  };
}
