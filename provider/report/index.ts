/**
 * `partnercenter-report`: where every customer stands, as a job summary, a page and JSON, from a
 * stack's state or from Partner Center now.
 * @packageDocumentation
 */
export {
  NOT_VETTED,
  REPORT_SCHEMA_VERSION,
  VETTING_STATUS_ORDER,
  buildVettingReport,
  daysSince,
  statusOf,
  type DeniedEntry,
  type ListedEntry,
  type QualificationCounts,
  type ReportContext,
  type ReportEntry,
  type ReportSource,
  type StackSource,
  type VettingReport,
  type WaitingEntry,
} from "./report-model";
export { StateExportError, readStateExport, type StateExportContents } from "./state-export";
export { StackExportError, backendOf, exportStackState, withoutCredentials } from "./stack-source";
export { readLiveEntries, type LiveEntries, type LiveReadOptions } from "./live-read";
export { readCustomerIds } from "./customer-ids";
export { GITHUB_SUMMARY_LIMIT_BYTES, renderMarkdownReport, type MarkdownReportOptions } from "./markdown-report";
export { STATUS_COLOURS, contentSecurityPolicy, renderHtmlReport } from "./html-report";
export { renderJsonReport } from "./json-report";
export { FORMAT_EXTENSIONS, REPORT_FORMATS, parseReportArguments, type FailCondition, type ReportCommand, type ReportFormat } from "./report-command";
export { EXIT_FAIL_ON, EXIT_OK, EXIT_REPORT_INCOMPLETE, EXIT_USAGE, processReportIo, runReport, type ReportIo } from "./report-cli";
