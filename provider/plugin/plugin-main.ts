/**
 * The entry of `pulumi-resource-partnercenter`: the engine starts it with its own address as the
 * argument and reads the port it prints.
 */
import { servePlugin } from "./plugin-server";

servePlugin().catch((error: unknown) => {
  process.stderr.write(`pulumi-resource-partnercenter: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
