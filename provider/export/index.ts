/**
 * Bringing an existing customer base under management: what the partner's customers already hold,
 * written as the customer list the stack program reads (`npx partnercenter-export`).
 * @packageDocumentation
 */
export {
  DEFAULT_EXPORT_CONCURRENCY,
  entriesOf,
  exportCustomerQualifications,
  type CustomerExport,
  type CustomerExportOptions,
  type CustomerReadFailure,
  type ExportApi,
  type ExportProgressEvent,
  type ExportedQualification,
  type MissingInput,
} from "./customer-export";
export {
  CSV_COLUMNS,
  DEFAULT_CONFIG_KEY,
  LIST_FORMATS,
  TODO_COMMENTS,
  describeEntry,
  renderCsv,
  renderImportFile,
  renderCustomerList,
  renderYaml,
  type CustomerListDocument,
  type ListFormat,
} from "./list-writers";
export { ExportProgress, progressLine, summaryLines, type ExportProgressOptions } from "./export-progress";
export { outFile, type OutFile } from "./out-file";
export { StackConfigError, readStackSettings } from "./stack-settings";
export {
  EXIT_COMPLETE,
  EXIT_INCOMPLETE,
  EXIT_USAGE,
  connect,
  isSetupError,
  parseExportArguments,
  processIo,
  requireWritableOut,
  runExport,
  type Connection,
  type ExportCommand,
  type ExportIo,
} from "./export-cli";
