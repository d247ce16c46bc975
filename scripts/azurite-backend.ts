/**
 * Pulumi state in Azure Blob Storage, served locally by Azurite (the npm package `azurite`, its
 * blob service only): started on a free loopback port with its data in a folder of its own, and the
 * environment that points the CLI's `azblob://` backend at it. Shared by the end-to-end tests and the
 * benchmark. Azurite's development account and key are the published ones; nothing secret.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { REPO_ROOT } from "./pulumi-workspace";

/** Azurite's well-known development account. */
export const AZURITE_ACCOUNT = "devstoreaccount1";
/** Azurite's published development key (the same in every installation). */
export const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/** A running Azurite blob service. */
export interface AzuriteBackend {
  readonly port: number;
  /** Creates a container (once) and returns the environment for a Pulumi backend in it. */
  backendIn(container: string): Promise<Record<string, string>>;
  /** The names and sizes of a container's blobs. */
  blobs(container: string): Promise<Array<{ name: string; bytes: number }>>;
  /** Stops Azurite and removes its data. */
  close(): Promise<void>;
}

/** A free loopback TCP port. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** Waits until the blob service answers, or the child exits. */
async function untilListening(service: BlobServiceClient, child: ChildProcess): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (child.exitCode !== null) throw new Error(`azurite exited with code ${child.exitCode} before it listened`);
    try {
      await service.getProperties();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error("azurite did not answer within 20 s");
}

/** Starts Azurite's blob service on a free port; `close()` stops it. */
export async function startAzurite(): Promise<AzuriteBackend> {
  const location = mkdtempSync(join(tmpdir(), "partnercenter-azurite-"));
  const port = await freePort();
  const main = join(REPO_ROOT, "node_modules", "azurite", "dist", "src", "blob", "main.js");
  const args = [
    "--blobHost",
    "127.0.0.1",
    "--blobPort",
    String(port),
    "--location",
    location,
    "--silent",
    "--skipApiVersionCheck",
    "--loose",
    "--disableTelemetry",
  ];
  const child = spawn(process.execPath, [main, ...args], { stdio: ["ignore", "ignore", "inherit"] });
  const url = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  const service = new BlobServiceClient(url, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY));
  try {
    await untilListening(service, child);
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    port,
    backendIn: async (container) => {
      await service.getContainerClient(container).createIfNotExists();
      return {
        PULUMI_BACKEND_URL: `azblob://${container}?localemu=true&domain=127.0.0.1:${port}&protocol=http`,
        AZURE_STORAGE_ACCOUNT: AZURITE_ACCOUNT,
        AZURE_STORAGE_KEY: AZURITE_KEY,
      };
    },
    blobs: async (container) => {
      const found: Array<{ name: string; bytes: number }> = [];
      for await (const blob of service.getContainerClient(container).listBlobsFlat())
        found.push({ name: blob.name, bytes: blob.properties.contentLength ?? 0 });
      return found;
    },
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await once(child, "exit");
      }
      rmSync(location, { recursive: true, force: true });
    },
  };
}
