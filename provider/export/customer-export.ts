/**
 * What a partner's customers already hold: every customer of the partner, page by page, and each
 * one's qualifications, a bounded number of customers at a time through one client, so that the
 * client's throttle, retries and Retry-After govern every call. A customer that can't be read is a
 * failure of its own and the export goes on; a refused sign-in (HTTP 401) stops it, and so does
 * Partner Center proving unreachable (the client's breaker): then the result holds that one error,
 * not one failure per customer.
 */
import { CredentialError } from "../auth";
import { oneLine } from "../text";
import { PartnerCenterError, type CustomerFilter, type PartnerCenterClient, type PartnerCustomer, type QualificationRecord } from "../client";
import { canonicalQualification, conflictsOf, type EducationSegment, type SettableQualification } from "../qualification";

/** The calls the export makes; {@link PartnerCenterClient} provides them. */
export type ExportApi = Pick<PartnerCenterClient, "listCustomers" | "getQualifications">;

/** An input the stack needs that Partner Center did not report: a person fills it in. */
export type MissingInput = "educationSegment";

/** One qualification a customer holds, as the export lists it: one entry of the stack's list. */
export interface ExportedQualification {
  /** The customer's tenant ID, in lower case. */
  readonly customerId: string;
  readonly qualification: SettableQualification;
  /** Education's segment, when Partner Center reports it. */
  readonly educationSegment?: EducationSegment;
  readonly companyName?: string;
  readonly domain?: string;
  /** Absent for StateOwnedEntity, which is not vetted. */
  readonly vettingStatus?: string;
  readonly vettingReason?: string;
  /** When vetting started (ISO 8601), as the service wrote it. */
  readonly vettingCreateDate?: string;
  /** Inputs the stack requires that the service did not report. */
  readonly missing: readonly MissingInput[];
}

/** A customer whose qualifications could not be read. */
export interface CustomerReadFailure {
  readonly customer: PartnerCustomer;
  /** The client's one-line error message. */
  readonly message: string;
}

/** How far an export has come, for progress lines. */
export interface ExportProgressEvent {
  /** Customers listed so far (each once). */
  readonly listed: number;
  /** Customers whose qualifications were read or failed for good. */
  readonly done: number;
  readonly failed: number;
  readonly pages: number;
  /** True once the last page was read (or the listing stopped). */
  readonly listingDone: boolean;
}

/** Options of {@link exportCustomerQualifications}. */
export interface CustomerExportOptions {
  /** Keep only these qualifications; default all settable ones. */
  readonly qualifications?: readonly SettableQualification[];
  /** The service's prefix filter on the customer list. */
  readonly filter?: CustomerFilter;
  /** List Denied qualifications too; default false (they are counted, not listed). */
  readonly includeDenied?: boolean;
  /**
   * With includeDenied, also list a Denied qualification beside the one it can't be combined with
   * (a Denied Education beside GCC); a stack's list can't hold both, a report can. Default false.
   */
  readonly keepConflictingDenied?: boolean;
  /** Read only these customers' qualifications (tenant IDs in lower case); the list is still paged through, for names. */
  readonly customerIds?: ReadonlySet<string>;
  /** Customers read at once; default 8. The client's throttle caps requests in flight anyway. */
  readonly concurrency?: number;
  /** Customers per page, 1 to 500; default 500. */
  readonly pageSize?: number;
  readonly onProgress?: (event: ExportProgressEvent) => void;
  readonly abortSignal?: AbortSignal;
}

/** The result of an export. */
export interface CustomerExport {
  /** One per (customer, qualification) kept, in the order Partner Center lists customers. */
  readonly entries: ExportedQualification[];
  /** Customers the listing returned (each once), read or not. */
  readonly customersListed: number;
  /** Customers whose qualifications were read. */
  readonly customersRead: number;
  readonly pages: number;
  /** Customers whose read failed, after the client's retries and one more round. */
  readonly failures: CustomerReadFailure[];
  /** Why the export stopped early (the listing failed, sign-in was refused, Partner Center unreachable), when it did. */
  readonly stoppedBy?: string;
  /**
   * When Partner Center could not be reached: the one error with the cause (the URL, the code, the
   * setting to check). Print it once and exit non-zero; no customer failure is listed for it.
   */
  readonly unreachable?: PartnerCenterError;
  /** Qualifications held but not listed: Denied ones (without includeDenied), and other kinds (with a qualifications filter). */
  readonly leftOut: { readonly denied: number; readonly otherKinds: number };
  /** True when every customer was listed and read. */
  readonly complete: boolean;
}

/** The default number of customers read at once. */
export const DEFAULT_EXPORT_CONCURRENCY = 8;

interface Tally {
  listed: number;
  done: number;
  pages: number;
  listingDone: boolean;
  stoppedBy?: string;
  unreachable?: PartnerCenterError;
  readonly failures: CustomerReadFailure[];
  readonly leftOut: { denied: number; otherKinds: number };
}

/**
 * Lists the partner's customers and reads each one's qualifications: pages plus one read per
 * customer. A customer whose read fails for a retryable reason is tried once more after the others.
 */
export async function exportCustomerQualifications(api: ExportApi, options: CustomerExportOptions = {}): Promise<CustomerExport> {
  const concurrency = options.concurrency ?? DEFAULT_EXPORT_CONCURRENCY;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a whole number of at least 1; got ${concurrency}`);
  const stop = new AbortController();
  const signal = options.abortSignal !== undefined ? AbortSignal.any([options.abortSignal, stop.signal]) : stop.signal;
  const tally: Tally = { listed: 0, done: 0, pages: 0, listingDone: false, failures: [], leftOut: { denied: 0, otherKinds: 0 } };
  const report = (): void =>
    options.onProgress?.({ listed: tally.listed, done: tally.done, failed: tally.failures.length, pages: tally.pages, listingDone: tally.listingDone });
  const held: QualificationRecord[][] = [];
  const customers: PartnerCustomer[] = [];
  const retryLater: number[] = [];

  const read = async (index: number, lastTry: boolean): Promise<void> => {
    const customer = customers[index] as PartnerCustomer;
    try {
      held[index] = await api.getQualifications(customer.id, { abortSignal: signal });
    } catch (error) {
      if (stopsTheExport(error)) {
        noteStop(tally, error);
        stop.abort();
      } else if (!lastTry && isRetryable(error)) {
        retryLater.push(index);
        return;
      } else {
        tally.failures.push({ customer, message: messageOf(error) });
      }
    }
    tally.done++;
    report();
  };

  const listed = listedCustomers(api, options, signal, tally, customers, report);
  await forEachBounded(
    listed,
    concurrency,
    (index) => read(index, false),
    () => tally.stoppedBy !== undefined,
  );
  tally.listingDone = true;
  await forEachBounded(
    toAsync(retryLater.splice(0)),
    concurrency,
    (index) => read(index, true),
    () => tally.stoppedBy !== undefined,
  );
  report();
  return resultOf(customers, held, tally, options);
}

/** The listing as indices into `customers`: each customer once, in the order listed. */
async function* listedCustomers(
  api: ExportApi,
  options: CustomerExportOptions,
  signal: AbortSignal,
  tally: Tally,
  customers: PartnerCustomer[],
  report: () => void,
): AsyncGenerator<number> {
  const seen = new Set<string>();
  const pages = api
    .listCustomers({
      ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
      ...(options.filter !== undefined ? { filter: options.filter } : {}),
      abortSignal: signal,
    })
    .byPage();
  try {
    for await (const page of pages) {
      tally.pages++;
      const fresh = page.items.filter((c) => !seen.has(c.id) && (options.customerIds?.has(c.id) ?? true));
      for (const customer of fresh) seen.add(customer.id);
      tally.listed += fresh.length;
      report();
      for (const customer of fresh) yield customers.push(customer) - 1;
    }
  } catch (error) {
    // A stop asked for by a failed read explains itself; anything else is the listing's own failure.
    const where = tally.pages === 0 ? "the customer list could not be read" : `the customer list could not be read past page ${tally.pages}`;
    noteStop(tally, error, `${where}: `);
  }
  tally.listingDone = true;
  report();
}

/** Runs `work` on each item with at most `limit` running; stops starting new ones once `stopped()`. */
async function forEachBounded<T>(items: AsyncIterable<T>, limit: number, work: (item: T) => Promise<void>, stopped: () => boolean): Promise<void> {
  const running = new Set<Promise<void>>();
  try {
    for await (const item of items) {
      if (stopped()) break;
      const task: Promise<void> = work(item).finally(() => running.delete(task));
      running.add(task);
      if (running.size >= limit) await Promise.race(running);
    }
  } finally {
    await Promise.all(running);
  }
}

async function* toAsync<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

function resultOf(
  customers: readonly PartnerCustomer[],
  held: ReadonlyArray<QualificationRecord[] | undefined>,
  tally: Tally,
  options: CustomerExportOptions,
): CustomerExport {
  const entries: ExportedQualification[] = [];
  let customersRead = 0;
  customers.forEach((customer, index) => {
    const records = held[index];
    if (records === undefined) return;
    customersRead++;
    entries.push(...entriesOf(customer, records, options, tally.leftOut));
  });
  const complete = tally.stoppedBy === undefined && tally.failures.length === 0 && customersRead === customers.length;
  return {
    entries,
    // The listing can run ahead of the reads: a stop leaves listed customers never taken to read.
    customersListed: tally.listed,
    customersRead,
    pages: tally.pages,
    failures: tally.failures,
    ...(tally.stoppedBy !== undefined ? { stoppedBy: tally.stoppedBy } : {}),
    ...(tally.unreachable !== undefined ? { unreachable: tally.unreachable } : {}),
    leftOut: tally.leftOut,
    complete,
  };
}

/**
 * The entries of one customer: one per settable qualification held (None and Nonprofit can't be
 * set and are skipped), Denied ones only when asked for. A Denied qualification that the list
 * could not hold beside another (Education with GCC) is left out.
 */
export function entriesOf(
  customer: PartnerCustomer,
  records: readonly QualificationRecord[],
  options: Pick<CustomerExportOptions, "qualifications" | "includeDenied" | "keepConflictingDenied">,
  leftOut: { denied: number; otherKinds: number } = { denied: 0, otherKinds: 0 },
): ExportedQualification[] {
  const byKind = new Map<SettableQualification, QualificationRecord>();
  for (const record of records) {
    const kind = canonicalQualification(record.qualification);
    if (kind === undefined) continue;
    const earlier = byKind.get(kind);
    // Two records of one kind (a re-submission): the one that is not Denied speaks for the customer.
    if (earlier === undefined || (earlier.vettingStatus === "Denied" && record.vettingStatus !== "Denied")) byKind.set(kind, record);
  }
  const out: ExportedQualification[] = [];
  for (const [kind, record] of byKind) {
    if (options.qualifications !== undefined && !options.qualifications.includes(kind)) {
      leftOut.otherKinds++;
    } else if (
      record.vettingStatus === "Denied" &&
      (options.includeDenied !== true || (options.keepConflictingDenied !== true && clashesWithAnother(kind, byKind)))
    ) {
      leftOut.denied++;
    } else {
      out.push(entryOf(customer, kind, record));
    }
  }
  return out;
}

function clashesWithAnother(kind: SettableQualification, byKind: ReadonlyMap<SettableQualification, QualificationRecord>): boolean {
  return conflictsOf(kind).some((other) => byKind.has(other));
}

function entryOf(customer: PartnerCustomer, qualification: SettableQualification, record: QualificationRecord): ExportedQualification {
  return {
    customerId: customer.id.toLowerCase(),
    qualification,
    ...(customer.companyName !== undefined ? { companyName: customer.companyName } : {}),
    ...(customer.domain !== undefined ? { domain: customer.domain } : {}),
    ...(record.vettingStatus !== undefined ? { vettingStatus: record.vettingStatus } : {}),
    ...(record.vettingReason !== undefined ? { vettingReason: record.vettingReason } : {}),
    ...(record.vettingCreateDate !== undefined ? { vettingCreateDate: record.vettingCreateDate } : {}),
    // Partner Center's read of qualifications does not report Education's segment.
    missing: qualification === "Education" ? ["educationSegment"] : [],
  };
}

/** A refused sign-in or an unreachable Partner Center fails every later call the same way: the export stops instead. */
function stopsTheExport(error: unknown): boolean {
  if (error instanceof CredentialError) return true;
  return (
    error instanceof PartnerCenterError && (error.statusCode === 401 || error.kind === "credential" || error.kind === "aborted" || error.kind === "unreachable")
  );
}

/** Records why the export stops, once: for an unreachable Partner Center, the one error with the cause. */
function noteStop(tally: Tally, error: unknown, prefix = ""): void {
  const unreachable = firstUnreachable(error);
  if (unreachable !== undefined) tally.unreachable ??= unreachable;
  tally.stoppedBy ??= `${prefix}${messageOf(unreachable ?? error)}`;
}

/** The error with the cause when `error` says Partner Center is unreachable: the first one, which a call failed at once points to. */
function firstUnreachable(error: unknown): PartnerCenterError | undefined {
  if (!(error instanceof PartnerCenterError) || error.kind !== "unreachable") return undefined;
  return error.cause instanceof PartnerCenterError ? error.cause : error;
}

function isRetryable(error: unknown): boolean {
  return error instanceof PartnerCenterError && error.retryable;
}

function messageOf(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error));
}
