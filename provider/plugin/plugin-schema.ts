/** The package schema the plugin serves (`pulumi package get-schema`), generated from the TSDoc. */
import { PACKAGE_VERSION } from "../client";
import schema = require("./schema.json");

/** The schema with this package's version. */
export function pluginSchema(): Record<string, unknown> {
  return { ...schema, version: PACKAGE_VERSION };
}
