/**
 * The entry of `pulumi-resource-partnercenter`: the engine starts it with its own address as the
 * argument and reads the port it prints. A person running it with `--help` gets a line about that.
 */
import { servePlugin } from "./plugin-server";

const USAGE = `Usage: pulumi-resource-partnercenter <engine address>

The native Pulumi provider plugin of pulumi-partnercenter. Pulumi starts it; a program names the
folder that holds it in Pulumi.yaml (plugins: providers: - name: partnercenter, path: <folder>).`;

if (process.argv.slice(2).some((arg) => arg === "--help" || arg === "-h")) {
  process.stdout.write(`${USAGE}\n`);
} else {
  servePlugin().catch((error: unknown) => {
    process.stderr.write(`pulumi-resource-partnercenter: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
