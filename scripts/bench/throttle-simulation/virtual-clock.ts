/**
 * A discrete-event clock for simulations: `now()` and `sleep()` to inject into code under test,
 * and `run()`, which moves time from one timer to the next as soon as every promise reaction of
 * the last step has run. Time is virtual, so hours of it take as long as the work done in them.
 */
import { setImmediate as nextMacrotask } from "node:timers/promises";

/** A pending `sleep`. */
interface Timer {
  readonly at: number;
  /** Order of creation: timers due at once fire in the order they were set. */
  readonly seq: number;
  readonly wake: () => void;
}

/** Whether timer `a` fires before timer `b`. */
function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** The timers, as a binary min-heap by due time. */
class TimerHeap {
  readonly #items: Timer[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): Timer | undefined {
    return this.#items[0];
  }

  push(timer: Timer): void {
    const items = this.#items;
    items.push(timer);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i] as Timer, items[parent] as Timer)) break;
      [items[i], items[parent]] = [items[parent] as Timer, items[i] as Timer];
      i = parent;
    }
  }

  pop(): Timer | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    items[0] = last;
    for (let i = 0; ;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < items.length && before(items[left] as Timer, items[least] as Timer)) least = left;
      if (right < items.length && before(items[right] as Timer, items[least] as Timer)) least = right;
      if (least === i) return top;
      [items[i], items[least]] = [items[least] as Timer, items[i] as Timer];
      i = least;
    }
  }
}

/** Virtual time in milliseconds, from 0. */
export class VirtualClock {
  #time = 0;
  #seq = 0;
  readonly #timers = new TimerHeap();

  /** The current virtual time. */
  readonly now = (): number => this.#time;

  /** Resolves when virtual time has advanced by `ms` (at once for 0 or less, at the next step). */
  readonly sleep = (ms: number): Promise<void> => new Promise((wake) => this.#timers.push({ at: this.#time + Math.max(0, ms), seq: this.#seq++, wake }));

  /**
   * Runs the simulation: lets every promise reaction run, then moves time to the next timer and
   * wakes every timer due then, until none is left. Resolves with the virtual time at the end.
   */
  async run(): Promise<number> {
    for (;;) {
      // A macrotask runs only once the microtask queue is empty: every reaction of this step ran.
      await nextMacrotask();
      const next = this.#timers.peek();
      if (next === undefined) return this.#time;
      this.#time = next.at;
      while (this.#timers.peek()?.at === this.#time) this.#timers.pop()?.wake();
    }
  }
}
