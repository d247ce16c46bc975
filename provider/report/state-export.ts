/**
 * The qualifications a stack's state holds, read from `pulumi stack export` output (version 3):
 * the dynamic resource and the native plugin's resource alike. Only known plain fields are picked;
 * a value Pulumi marks secret (`{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ...}`) is never read.
 */
import { parseQualificationId } from "../lifecycle/state";
import { DYNAMIC_RESOURCE_TYPE, NATIVE_RESOURCE_TYPE } from "../qualification";
import type { ReportEntry } from "./report-model";

/** The signature key Pulumi puts on a secret value in state. */
const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

/** A file or output that is not a Pulumi state export; the message names where it came from. */
export class StateExportError extends Error {
  override readonly name = "StateExportError";
}

/** What one state export holds for the report. */
export interface StateExportContents {
  /** The stack's name, from its resources' URNs; undefined for a stack with no resource. */
  readonly stack?: string;
  readonly project?: string;
  /** When the state was written (the export's `manifest.time`). */
  readonly stateTime?: string;
  readonly entries: ReportEntry[];
}

interface ExportedResource {
  readonly urn?: unknown;
  readonly type?: unknown;
  readonly id?: unknown;
  readonly delete?: unknown;
  readonly outputs?: unknown;
  readonly inputs?: unknown;
}

/**
 * Reads the text of `pulumi stack export` (never `--show-secrets`; it would not matter either:
 * no secret is read). `origin` names the source in messages, such as `--state prod.json`.
 */
export function readStateExport(text: string, origin: string): StateExportContents {
  const deployment = parseExport(text, origin);
  const resources = resourcesOf(deployment, origin);
  let stack: string | undefined;
  let project: string | undefined;
  const entries: ReportEntry[] = [];
  for (const resource of resources) {
    const urn = urnParts(resource.urn);
    if (urn !== undefined) {
      stack ??= urn.stack;
      project ??= urn.project;
    }
    if (resource.type !== DYNAMIC_RESOURCE_TYPE && resource.type !== NATIVE_RESOURCE_TYPE) continue;
    // The old half of a replacement, waiting to be deleted, is not what the customer holds.
    if (resource.delete === true) continue;
    const entry = entryOf(resource, urn);
    if (entry !== undefined) entries.push(entry);
  }
  return { ...(stack !== undefined ? { stack } : {}), ...(project !== undefined ? { project } : {}), ...manifestTime(deployment), entries };
}

function parseExport(text: string, origin: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    throw new StateExportError(`${origin} is not JSON; it must be the output of pulumi stack export`);
  }
  if (!isRecord(parsed) || typeof parsed.version !== "number" || !isRecord(parsed.deployment)) {
    throw new StateExportError(`${origin} is not a Pulumi state export (no "version" and "deployment"); it must be the output of pulumi stack export`);
  }
  if (parsed.version !== 3) {
    throw new StateExportError(
      `${origin} is a Pulumi state export of version ${parsed.version}; this report reads version 3 (pulumi stack export of Pulumi CLI 3.x)`,
    );
  }
  return parsed.deployment;
}

function resourcesOf(deployment: Record<string, unknown>, origin: string): ExportedResource[] {
  const resources = deployment.resources;
  if (resources === undefined || resources === null) return [];
  if (!Array.isArray(resources))
    throw new StateExportError(`${origin} has a "deployment.resources" that is not a list; it must be the output of pulumi stack export`);
  return resources.filter(isRecord) as ExportedResource[];
}

function manifestTime(deployment: Record<string, unknown>): { stateTime?: string } {
  const time = isRecord(deployment.manifest) ? plain(deployment.manifest.time) : undefined;
  return time !== undefined && !Number.isNaN(Date.parse(time)) ? { stateTime: time } : {};
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>`. */
function urnParts(urn: unknown): { stack: string; project: string; name: string } | undefined {
  if (typeof urn !== "string" || !urn.startsWith("urn:pulumi:")) return undefined;
  const parts = urn.slice("urn:pulumi:".length).split("::");
  if (parts.length < 4) return undefined;
  return { stack: parts[0] ?? "", project: parts[1] ?? "", name: parts.slice(3).join("::") };
}

function entryOf(resource: ExportedResource, urn: { stack: string; name: string } | undefined): ReportEntry | undefined {
  const outputs = isRecord(resource.outputs) ? resource.outputs : {};
  const inputs = isRecord(resource.inputs) ? resource.inputs : {};
  const fromId = typeof resource.id === "string" ? parseQualificationId(resource.id) : undefined;
  const customerId = plain(outputs.customerId) ?? plain(inputs.customerId) ?? fromId?.customerId;
  const qualification = plain(outputs.qualification) ?? plain(inputs.qualification) ?? fromId?.qualification;
  if (customerId === undefined || qualification === undefined) return undefined;
  const status = plain(outputs.vettingStatus);
  const reason = plain(outputs.vettingReason);
  const created = plain(outputs.vettingCreateDate) ?? plain(outputs.vettingCreatedDate);
  return {
    customerId: customerId.trim().toLowerCase(),
    qualification,
    ...(status !== undefined ? { vettingStatus: status } : {}),
    ...(reason !== undefined ? { vettingReason: reason } : {}),
    ...(created !== undefined ? { vettingCreateDate: created } : {}),
    ...(urn !== undefined ? { resourceName: urn.name, stack: urn.stack } : {}),
  };
}

/** A plain, non-empty string; anything else (a secret, a number, an object) reads as absent. */
function plain(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(SECRET_SIGNATURE in value);
}
