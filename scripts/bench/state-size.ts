/**
 * What a stack's state costs: the bytes of `pulumi stack export` per declared resource, and the
 * bytes of one copy of the serialized provider (`__provider`) that Pulumi stores with each one.
 */

/** The sizes of one stack's exported state. */
export interface StateFigures {
  /** Bytes of `pulumi stack export`. */
  readonly exportBytes: number;
  /** Resources of the workload's type in the state. */
  readonly resources: number;
  /** `exportBytes` divided by the workload's declared resources. */
  readonly bytesPerResource: number;
  /** Bytes of one copy of `__provider` as stored (JSON text; a secret one is its ciphertext object). */
  readonly providerBytes: number | undefined;
}

interface ExportedResource {
  readonly type: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
}

/** Resource types that are the stack, providers, or anything but a declared qualification. */
function isDeclaredResource(resource: ExportedResource): boolean {
  return resource.type.startsWith("pulumi-nodejs:dynamic/");
}

/** Sizes of the state in `exportText`, for `declared` resources. */
export function stateFigures(exportText: string, declared: number): StateFigures {
  const parsed = JSON.parse(exportText) as { deployment?: { resources?: ExportedResource[] } };
  const resources = (parsed.deployment?.resources ?? []).filter(isDeclaredResource);
  const exportBytes = Buffer.byteLength(exportText);
  const first = resources[0];
  const provider = first?.outputs?.__provider ?? first?.inputs?.__provider;
  return {
    exportBytes,
    resources: resources.length,
    bytesPerResource: Math.round(exportBytes / Math.max(1, declared)),
    providerBytes: provider === undefined ? undefined : Buffer.byteLength(JSON.stringify(provider)),
  };
}
