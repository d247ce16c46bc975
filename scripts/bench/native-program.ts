/**
 * The bench's program for the native plugin, as a user writes it: the packed package installed in
 * the program folder, Pulumi.yaml pointing at its plugin, and one `native.CustomerQualification`
 * per entry of `items.json`, with the same stack outputs as the package's program (ITEMS_PROGRAM)
 * so that state sizes compare.
 */

/** What Pulumi.yaml gains: where the plugin `pulumi-resource-partnercenter` is (README, "Dynamic resource or native plugin"). */
export const NATIVE_PLUGIN_YAML = "plugins:\n  providers:\n    - name: partnercenter\n      path: ./node_modules/pulumi-partnercenter/bin\n";

/** The program's `index.ts`. */
export const NATIVE_ITEMS_PROGRAM = `import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { native, type CustomerQualificationArgs } from "pulumi-partnercenter";

type Item = CustomerQualificationArgs & { name: string };
const items = JSON.parse(readFileSync(join(__dirname, "items.json"), "utf8")) as Item[];

export const qualifications: Record<string, pulumi.Output<{ id: string; vettingStatus: string | null; vettingReason: string | null }>> = {};
for (const { name, ...args } of items) {
  const q = new native.CustomerQualification(name, args);
  qualifications[name] = pulumi
    .all([q.id, q.vettingStatus, q.vettingReason])
    .apply(([id, vettingStatus, vettingReason]) => ({ id, vettingStatus: vettingStatus ?? null, vettingReason: vettingReason ?? null }));
}
`;
