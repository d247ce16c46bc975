/**
 * The vetting report as JSON, for machines: the model itself ({@link VettingReport}), whose shape
 * the README documents and `schemaVersion` versions.
 */
import type { VettingReport } from "./report-model";

/** Renders the report as indented JSON with a final newline. */
export function renderJsonReport(report: VettingReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
