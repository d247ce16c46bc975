/**
 * What a person sees of an export on stderr: a progress line that rewrites itself (only on a
 * terminal), and a summary at the end (always).
 */
import type { CustomerExport, ExportProgressEvent } from "./customer-export";

/** Options of {@link ExportProgress}. */
export interface ExportProgressOptions {
  /** Where lines go, such as `process.stderr.write`. */
  readonly write: (text: string) => void;
  /** Show the progress line; true only when stderr is a terminal. */
  readonly interactive: boolean;
  readonly now?: () => number;
  /** Least time between two redraws; default 250 ms. */
  readonly minIntervalInMs?: number;
}

/** A progress line on a terminal, redrawn at most every quarter second. */
export class ExportProgress {
  readonly #options: ExportProgressOptions;
  readonly #now: () => number;
  readonly #started: number;
  #lastDrawn = Number.NEGATIVE_INFINITY;
  #shown = false;

  constructor(options: ExportProgressOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#started = this.#now();
  }

  /** Milliseconds since this progress began. */
  get elapsedInMs(): number {
    return this.#now() - this.#started;
  }

  /** Takes a progress event; redraws the line when interactive and due. */
  update(event: ExportProgressEvent): void {
    if (!this.#options.interactive) return;
    const now = this.#now();
    if (now - this.#lastDrawn < (this.#options.minIntervalInMs ?? 250)) return;
    this.#lastDrawn = now;
    this.#shown = true;
    this.#options.write(`\r\u001b[2K${progressLine(event, now - this.#started)}`);
  }

  /** Clears the progress line, so that the summary starts on a clean line. */
  finish(): void {
    if (this.#shown) this.#options.write("\r\u001b[2K");
    this.#shown = false;
  }
}

/**
 * `customers read: 1,200 of 2,000 listed so far (4 pages), 85/s, about 10 s left for those`: the
 * total is known only once the last page is read, so the estimate covers the customers listed.
 */
export function progressLine(event: ExportProgressEvent, elapsedInMs: number): string {
  const rate = elapsedInMs > 0 ? (event.done * 1000) / elapsedInMs : 0;
  const of = event.listingDone ? `of ${count(event.listed)}` : `of ${count(event.listed)} listed so far`;
  const failed = event.failed > 0 ? `, ${count(event.failed)} failed` : "";
  const left = event.listed - event.done;
  const estimate = rate > 0 && left > 0 ? `, about ${duration((left / rate) * 1000)} left${event.listingDone ? "" : " for those"}` : "";
  return `customers read: ${count(event.done)} ${of} (${event.pages} page${event.pages === 1 ? "" : "s"})${failed}, ${rate.toFixed(rate < 10 ? 1 : 0)}/s${estimate}`;
}

/**
 * The end-of-run summary: customers, entries by qualification and by vetting status, what to do
 * next (`adoptOnly: false`: the entries a person must complete).
 */
export function summaryLines(result: CustomerExport, elapsedInMs: number, options: { readonly adoptOnly?: boolean } = {}): string[] {
  const customersWithEntries = new Set(result.entries.map((e) => e.customerId)).size;
  const entries = result.entries.length;
  const lines = [
    `${count(result.customersRead)} of ${count(result.customersListed)} customers read in ${duration(elapsedInMs)} (${result.pages} page${result.pages === 1 ? "" : "s"}); ` +
      `${count(entries)} entr${entries === 1 ? "y" : "ies"} listed for ${count(customersWithEntries)} customer${customersWithEntries === 1 ? "" : "s"}`,
    `  by qualification: ${tallyText(result.entries.map((e) => e.qualification))}`,
    `  by vetting status: ${tallyText(result.entries.map((e) => e.vettingStatus ?? "not vetted"))}`,
  ];
  const left: string[] = [];
  if (result.leftOut.denied > 0) left.push(`${count(result.leftOut.denied)} Denied (--include-denied lists them)`);
  if (result.leftOut.otherKinds > 0) left.push(`${count(result.leftOut.otherKinds)} of other kinds (--qualification)`);
  if (left.length > 0) lines.push(`  left out: ${left.join(", ")}`);
  const todo = options.adoptOnly === false ? result.entries.filter((e) => e.missing.length > 0).length : 0;
  if (todo > 0)
    lines.push(
      `  to complete by hand: ${count(todo)} Education entr${todo === 1 ? "y needs" : "ies need"} educationSegment (K12 or HigherEducation): see the TODO comments`,
    );
  return lines;
}

/** `Education 3, StateOwnedEntity 2`, most frequent first; `none` when empty. */
function tallyText(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return sorted.length === 0 ? "none" : sorted.map(([value, n]) => `${value} ${count(n)}`).join(", ");
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

function duration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}
