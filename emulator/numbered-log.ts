/**
 * What the emulator's two logs (API requests, token requests) have in common: entries numbered
 * from 1 in arrival order, the oldest dropped beyond a bound, copies handed out, and a clear
 * that restarts the numbering. Logs are never persisted.
 */

/** Oldest entries are dropped beyond this, so a long-running emulator does not grow without bound. */
const MAX_LOGGED_ENTRIES = 10_000;

/** An ordered, bounded log of entries numbered by `seq`. */
export class NumberedLog<Entry extends { seq: number }> {
  private entries: Entry[] = [];
  private nextSeq = 1;

  /** Copies of the entries, in arrival order. */
  list(): Entry[] {
    return structuredClone(this.entries);
  }

  /** Empties the log and restarts numbering at 1. */
  clear(): void {
    this.entries = [];
    this.nextSeq = 1;
  }

  /** The next sequence number. */
  protected takeSeq(): number {
    return this.nextSeq++;
  }

  /** Keeps an entry in `seq` order (an entry may be finished after a later one). */
  protected keep(entry: Entry): void {
    this.entries.push(entry);
    this.entries.sort((a, b) => a.seq - b.seq);
    if (this.entries.length > MAX_LOGGED_ENTRIES) this.entries.shift();
  }
}
