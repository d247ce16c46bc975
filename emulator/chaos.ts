/**
 * Random faults ("chaos"): each API request, with probability `rate`, meets one fault drawn from
 * the allowed kinds by a seeded pseudo-random sequence, so that the same seed and the same order
 * of requests meet the same faults. A drawn fault is an ordinary {@link ActiveFault}, served by
 * the same code as injected ones. Not persisted; `reset` restores the startup settings.
 */

import { randomInt } from "node:crypto";
import { z } from "zod";
import type { ActiveFault } from "./faults";
import { integerFrom, parseInput } from "./input-validation";

/** Every random fault, in the order a draw picks from: `429` (with `Retry-After: 1`), `503`, `drop` (connection reset), `slow` (answer 1 to 3 s late), `lostResponse` (POST only). */
export const CHAOS_KINDS = ["429", "503", "drop", "slow", "lostResponse"] as const;

/** A random fault. */
export type ChaosKind = (typeof CHAOS_KINDS)[number];

/** How late a `slow` answer comes: from `minMs` to `maxMs` (plus the latency). */
export const SLOW_ANSWER = { minMs: 1000, maxMs: 3000 } as const;

const MAX_SEED = 0xffff_ffff;

const KINDS_MESSAGE = `must be a non-empty list of ${CHAOS_KINDS.join(", ")}`;
const RATE_MESSAGE = "must be a number from 0 to 1";

/**
 * Random faults: each API request, with probability `rate`, meets one fault drawn from `kinds`,
 * by a pseudo-random sequence that `seed` fixes. Injected faults are served first.
 */
export const chaosSchema = z.strictObject({
  /** Share of the API requests that meet a fault, from 0 to 1. */
  rate: z.number({ error: RATE_MESSAGE }).min(0, RATE_MESSAGE).max(1, RATE_MESSAGE),
  /** Seed of the pseudo-random sequence, an integer from 0 to 4294967295; default: a random one (see `EmulatorControl.chaos()`). */
  seed: integerFrom(0, MAX_SEED).default(() => randomInt(0, MAX_SEED + 1)),
  /** The faults to draw from (each once); default all of them. */
  kinds: z
    .custom<ChaosKind[]>((kinds) => Array.isArray(kinds) && kinds.length > 0 && kinds.every((kind) => (CHAOS_KINDS as readonly unknown[]).includes(kind)), {
      error: KINDS_MESSAGE,
    })
    .transform((kinds) => [...new Set(kinds)])
    .default(() => [...CHAOS_KINDS]),
});

/** The random faults in force, with the seed and kinds resolved. */
export type ChaosSettings = z.output<typeof chaosSchema>;

/** Validates chaos options; `what` names them in errors. A missing seed gets a random one. */
export function parseChaos(value: unknown, what: string): ChaosSettings {
  return parseInput(chaosSchema, value, what);
}

/**
 * Mulberry32: a small, fast generator of numbers in [0, 1) whose sequence depends only on the
 * seed. Not for cryptography; here only to make fault sequences reproducible.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The random faults of one emulator. */
export class Chaos {
  private settings: ChaosSettings | undefined;
  private random: () => number = Math.random;

  /** @param startup the validated settings the emulator started with (restored by {@link Chaos.reset}); undefined: none. */
  constructor(private readonly startup: ChaosSettings | undefined) {
    this.set(startup);
  }

  /** The settings in force, or undefined when chaos is off. */
  get current(): ChaosSettings | undefined {
    return this.settings === undefined ? undefined : { ...this.settings, kinds: [...this.settings.kinds] };
  }

  /** Sets (or, with undefined, stops) random faults; the sequence restarts from the seed. */
  set(settings: ChaosSettings | undefined): void {
    this.settings = settings === undefined ? undefined : { ...settings, kinds: [...settings.kinds] };
    if (settings !== undefined) this.random = seededRandom(settings.seed);
  }

  /** Back to the startup settings, the sequence restarted. */
  reset(): void {
    this.set(this.startup);
  }

  /**
   * Draws the fault of one API request, or undefined. Every call takes three numbers from the
   * sequence, whatever the method, so a request's fault depends only on its place in the order.
   */
  draw(method: string): ActiveFault | undefined {
    if (this.settings === undefined) return undefined;
    const [hit, pick, lateness] = [this.random(), this.random(), this.random()];
    if (hit >= this.settings.rate) return undefined;
    // A lost response means a write that happened: only a POST writes.
    const candidates = this.settings.kinds.filter((kind) => kind !== "lostResponse" || method.toUpperCase() === "POST");
    const kind = candidates[Math.floor(pick * candidates.length)];
    return kind === undefined ? undefined : faultOf(kind, lateness);
  }
}

/** The fault a random kind stands for; `lateness` in [0, 1) places a slow answer in its range. */
function faultOf(kind: ChaosKind, lateness: number): ActiveFault {
  switch (kind) {
    case "429":
      return { kind: "status", status: 429, retryAfter: "1", times: 1 };
    case "503":
      return { kind: "status", status: 503, times: 1 };
    case "drop":
      return { kind: "drop", times: 1 };
    case "slow":
      return { kind: "delay", delayMs: SLOW_ANSWER.minMs + Math.floor(lateness * (SLOW_ANSWER.maxMs - SLOW_ANSWER.minMs + 1)), times: 1 };
    case "lostResponse":
      return { kind: "lostResponse", times: 1 };
  }
}
