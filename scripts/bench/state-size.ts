/**
 * What a stack's state costs: the bytes of `pulumi stack export` per declared resource (the
 * issue's definition), what part of them is the program's own stack outputs (the Stack resource),
 * the qualification records themselves with and without the language host's stack trace, and the
 * bytes of one copy of the serialized provider (`__provider`) a dynamic resource stores.
 */
import { NATIVE_RESOURCE_TYPE } from "../../provider/qualification";

/** The sizes of one stack's exported state. */
export interface StateFigures {
  /** Bytes of `pulumi stack export`. */
  readonly exportBytes: number;
  /** Resources of the workload's type in the state. */
  readonly resources: number;
  /** `exportBytes` divided by the workload's declared resources. */
  readonly bytesPerResource: number;
  /** Bytes of one copy of `__provider` as stored (JSON text; a secret one is its ciphertext object); undefined for the native plugin's resources. */
  readonly providerBytes: number | undefined;
  /** The Stack resource's bytes in the export (the program's stack outputs, mostly) divided by the declared resources. */
  readonly stackBytesPerResource?: number;
  /** The mean bytes of one qualification's record as it sits in the export. */
  readonly recordBytes?: number;
  /** The same without `sourcePosition` and `stackTrace`, which the engine records from the language host. */
  readonly recordBytesWithoutTrace?: number;
  /** The mean bytes of one record serialized on its own, indented by four as the export indents it. */
  readonly standaloneRecordBytes?: number;
  /** The same without `sourcePosition` and `stackTrace` (the measure of test/e2e/native-plugin.test.ts). */
  readonly standaloneRecordBytesWithoutTrace?: number;
}

interface ExportedResource {
  readonly type: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** The type token of the native plugin's qualifications. */
const STACK_TYPE = "pulumi:pulumi:Stack";
/** `pulumi stack export` writes a resource three levels deep (`deployment.resources[i]`), indented by four. */
const RECORD_INDENT = 12;

/** Resources of a declared qualification (dynamic or native), not the stack or a provider. */
function isDeclaredResource(resource: ExportedResource): boolean {
  return resource.type.startsWith("pulumi-nodejs:dynamic/") || resource.type === NATIVE_RESOURCE_TYPE;
}

/** A record serialized on its own as the export indents it. */
function standaloneBytes(resource: object): number {
  return Buffer.byteLength(JSON.stringify(resource, null, 4));
}

/** A record's bytes where it sits in the export: each line 12 spaces deeper, and the `,\n` after it. */
function inPlaceBytes(resource: object): number {
  const text = JSON.stringify(resource, null, 4);
  return Buffer.byteLength(text) + RECORD_INDENT * text.split("\n").length + 2;
}

/** A record without the source position and stack trace. */
function withoutTrace(resource: ExportedResource): object {
  const { sourcePosition: _position, stackTrace: _trace, ...rest } = resource;
  return rest;
}

/** The mean of `figure` over `resources`, rounded; undefined for none. */
function mean(resources: readonly ExportedResource[], figure: (r: ExportedResource) => number): number | undefined {
  return resources.length === 0 ? undefined : Math.round(resources.reduce((sum, r) => sum + figure(r), 0) / resources.length);
}

/** Sizes of the state in `exportText`, for `declared` resources. */
export function stateFigures(exportText: string, declared: number): StateFigures {
  const parsed = JSON.parse(exportText) as { deployment?: { resources?: ExportedResource[] } };
  const all = parsed.deployment?.resources ?? [];
  const resources = all.filter(isDeclaredResource);
  const stack = all.find((r) => r.type === STACK_TYPE);
  const exportBytes = Buffer.byteLength(exportText);
  const first = resources[0];
  const provider = first?.outputs?.__provider ?? first?.inputs?.__provider;
  const perResource = (bytes: number): number => Math.round(bytes / Math.max(1, declared));
  const recordBytes = mean(resources, inPlaceBytes);
  const recordBytesWithoutTrace = mean(resources, (r) => inPlaceBytes(withoutTrace(r)));
  const standaloneRecordBytes = mean(resources, standaloneBytes);
  const standalone = mean(resources, (r) => standaloneBytes(withoutTrace(r)));
  return {
    exportBytes,
    resources: resources.length,
    bytesPerResource: perResource(exportBytes),
    providerBytes: provider === undefined ? undefined : Buffer.byteLength(JSON.stringify(provider)),
    ...(stack !== undefined ? { stackBytesPerResource: perResource(inPlaceBytes(stack)) } : {}),
    ...(recordBytes !== undefined ? { recordBytes } : {}),
    ...(recordBytesWithoutTrace !== undefined ? { recordBytesWithoutTrace } : {}),
    ...(standaloneRecordBytes !== undefined ? { standaloneRecordBytes } : {}),
    ...(standalone !== undefined ? { standaloneRecordBytesWithoutTrace: standalone } : {}),
  };
}
