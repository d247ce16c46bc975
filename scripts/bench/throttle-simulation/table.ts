/**
 * The simulation's table for BENCHMARKS.md: every k (1, 4, 16, 64), both window kinds, 10,000 and
 * 100,000 requests, with the declared budget and adaptive only; and the targets judged on it.
 */
import { simulate, type SimulationResult } from "./simulation";
import type { WindowKind } from "./limit-model";

/** One row: a scenario's figures. */
export interface SimulationRow {
  readonly mode: "budget" | "adaptive";
  readonly window: WindowKind;
  readonly instances: number;
  readonly requests: number;
  readonly seconds: number;
  readonly idealSeconds: number;
  readonly attempts: number;
  readonly throttled: number;
  readonly failedCalls: number;
}

/** The targets: time over the ideal and share of 429s, with the budget and without. */
export const SIMULATION_TARGETS = { budget: { ratio: 1.05, share: 0.01 }, adaptive: { ratio: 1.2, share: 0.05 } } as const;

/** Runs every scenario of the table (minutes of CPU at 100,000 requests); `log` reports each. */
export async function simulationTable(log: (message: string) => void): Promise<SimulationRow[]> {
  const rows: SimulationRow[] = [];
  for (const mode of ["budget", "adaptive"] as const) {
    for (const window of ["fixed", "sliding"] as const) {
      for (const requests of [10_000, 100_000]) {
        for (const instances of [1, 4, 16, 64]) {
          const result: SimulationResult = await simulate({ instances, requests, window, ...(mode === "budget" ? { requestsPerMinute: 500 } : {}) });
          const { scenario: _scenario, ...figures } = result;
          rows.push({ mode, window, instances, requests, ...figures });
          log(`  simulation ${mode} ${window} k=${instances} ${requests}: ${(result.seconds / result.idealSeconds).toFixed(3)}×, ${result.throttled} 429s`);
        }
      }
    }
  }
  return rows;
}

/** Whether a row meets its mode's targets (and no call gave up). */
export function meetsTargets(row: SimulationRow): boolean {
  const target = SIMULATION_TARGETS[row.mode];
  return row.failedCalls === 0 && row.seconds / row.idealSeconds <= target.ratio && row.throttled / row.attempts <= target.share;
}

/** The table in Markdown. */
export function simulationMarkdown(rows: readonly SimulationRow[]): string {
  const header = "| mode | window | processes (k) | requests | time ÷ ideal | time (ideal) | 429s of requests | calls given up | targets |";
  const lines = rows.map((r) => {
    const target = SIMULATION_TARGETS[r.mode];
    const share = (100 * r.throttled) / Math.max(1, r.attempts);
    return `| ${r.mode === "budget" ? "budget 500/min" : "adaptive"} | ${r.window} | ${r.instances} | ${r.requests.toLocaleString("en-US")} | ${(r.seconds / r.idealSeconds).toFixed(3)}× | ${(r.seconds / 60).toFixed(1)} min (${(r.idealSeconds / 60).toFixed(1)}) | ${r.throttled.toLocaleString("en-US")} of ${r.attempts.toLocaleString("en-US")} (${share.toFixed(2)} %) | ${r.failedCalls} | ${meetsTargets(r) ? "met" : "**missed**"} (≤ ${target.ratio}×, ≤ ${100 * target.share} %) |`;
  });
  return [header, "|---|---|---|---|---|---|---|---|---|", ...lines].join("\n");
}
