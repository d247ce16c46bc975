/**
 * `npm run bench [-- <customers> <concurrency>]`: how the provider copes with a large stack. Runs
 * the lifecycle (real client, real emulator over loopback) for N StateOwnedEntity qualifications
 * at the engine's concurrency: create all, read all (a refresh), create all again (all adopted).
 * Prints elapsed time, requests and requests per second; timings belong here, not in tests.
 */
import { performance } from "node:perf_hooks";
import { serializeFunction } from "@pulumi/pulumi/runtime";
import { AccessTokenCredential } from "../provider/auth";
import { PartnerCenterClient } from "../provider/client";
import { QualificationLifecycle, stderrLog } from "../provider/handlers";
import { dynamicProvider } from "../provider/resource";
import { DEVELOPMENT_ACCESS_TOKEN, startEmulator } from "../emulator";
import { runMain } from "./emulated-stack";

const customers = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 48);
const customerId = (n: number): string => `44444444-dddd-4ddd-8ddd-${String(n).padStart(12, "0")}`;

/** Runs `work` over 0..count-1 with at most `limit` at once. */
async function pool(count: number, limit: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

runMain(async () => {
  const emulator = await startEmulator({ seed: { customers: Array.from({ length: customers }, (_, i) => ({ id: customerId(i) })) } });
  try {
    const client = new PartnerCenterClient(emulator.url, new AccessTokenCredential(DEVELOPMENT_ACCESS_TOKEN));
    const lifecycle = new QualificationLifecycle({ api: () => client, log: stderrLog("warn") });
    const ids: string[] = [];
    const phases: Array<[string, () => Promise<void>]> = [
      ["create", () => pool(customers, concurrency, async (i) => void ids.push((await lifecycle.create({ customerId: customerId(i), qualification: "StateOwnedEntity" })).id))],
      ["refresh", () => pool(customers, concurrency, (i) => lifecycle.read(ids[i] ?? "", {}))],
      ["create again (adopt)", () => pool(customers, concurrency, (i) => lifecycle.create({ customerId: customerId(i), qualification: "StateOwnedEntity" }))],
    ];
    console.log(`${customers} customers, ${concurrency} at a time, Node ${process.version}`);
    for (const [name, run] of phases) {
      await emulator.control.clearRequests();
      const started = performance.now();
      await run();
      const seconds = (performance.now() - started) / 1000;
      const requests = (await emulator.control.requests()).length;
      console.log(`${name.padEnd(22)} ${seconds.toFixed(2)} s  ${requests} requests  ${(requests / seconds).toFixed(0)} requests/s`);
    }
    const serialized = await serializeFunction(() => dynamicProvider, { allowSecrets: true });
    console.log(`serialized provider: ${Buffer.byteLength(serialized.text)} bytes per copy (two copies per resource in state)`);
    console.log(`heap used: ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MiB`);
    return 0;
  } finally {
    await emulator.close();
  }
});
