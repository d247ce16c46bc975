/**
 * The lifecycle of a CustomerQualification: what check, diff, create, read, update and delete do.
 * It talks to Partner Center only through {@link QualificationsApi}, the one outbound seam, so the
 * same code runs against the service, the emulator, or a test double.
 */
import { randomUUID } from "node:crypto";
import type { dynamic } from "@pulumi/pulumi";
import {
  InputValidationError,
  conflictsOf,
  requireValidQualificationInputs,
  sameQualification,
  validateQualificationInputs,
  type QualificationInputs,
} from "../qualification";
import { isPartnerCenterError, type PartnerCenterClient, type QualificationRecord } from "../client";
import {
  INPUT_PROPERTIES,
  REPLACING_PROPERTIES,
  inputsFromState,
  outputsOf,
  parseQualificationId,
  qualificationId,
  vettingOf,
} from "./state";

/** The calls the lifecycle makes to Partner Center; {@link PartnerCenterClient} provides them. */
export type QualificationsApi = Pick<PartnerCenterClient, "getQualifications" | "createQualification" | "getValidationCodes">;

/** Where the lifecycle reports to the person running the deployment. */
export interface ProviderLog {
  /** Something the person should know, such as a qualification left on a customer. */
  warn(message: string): void;
  /** Routine progress; shown only when asked for. */
  info(message: string): void;
}

/** Pulumi's stand-in for a value that is not known during preview. */
export const PREVIEW_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** What the lifecycle needs: the API (asked for only when a call is about to be made) and a log. */
export interface LifecycleDependencies {
  /** Returns the API; called lazily so that preview (check, diff) needs no credential. */
  readonly api: () => QualificationsApi;
  readonly log: ProviderLog;
}

/** The dynamic-provider methods of CustomerQualification. */
export class QualificationLifecycle implements Required<Omit<dynamic.ResourceProvider, "configure">> {
  readonly #deps: LifecycleDependencies;

  constructor(deps: LifecycleDependencies) {
    this.#deps = deps;
  }

  /** Refuses bad inputs before anything is sent; lets unknown preview values through. */
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
    const { inputs, failures } = validateQualificationInputs(news, { unknownValue: PREVIEW_UNKNOWN });
    return { inputs, failures };
  }

  /** A qualification can't be edited: any change to what identifies it means a new one. */
  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.DiffResult> {
    const before = inputsFromState(olds);
    const after = inputsFromState(news);
    const differs = (name: string): boolean => news[name] === PREVIEW_UNKNOWN || before[name] !== after[name];
    const replaces = REPLACING_PROPERTIES.filter(differs);
    const updates = INPUT_PROPERTIES.filter((name) => !(REPLACING_PROPERTIES as readonly string[]).includes(name)).filter(differs);
    return { changes: replaces.length > 0 || updates.length > 0, replaces: [...replaces], deleteBeforeReplace: false };
  }

  /**
   * Adopts the qualification when the customer already has it; otherwise POSTs it once. When the
   * POST's outcome is unknown (no answer, 5xx, 409), reads again before failing, so that a
   * qualification that did get created is adopted rather than lost or duplicated.
   */
  async create(raw: Record<string, unknown>): Promise<dynamic.CreateResult> {
    const inputs = requireValidQualificationInputs("Refused to create a qualification", raw);
    const id = qualificationId(inputs.customerId, inputs.qualification);
    const api = this.#deps.api();
    const existing = await api.getQualifications(inputs.customerId);
    const held = existing.find((q) => sameQualification(q.qualification, inputs.qualification));
    if (held !== undefined) {
      this.#deps.log.info(`${id}: the customer already has ${inputs.qualification}; adopted it without a new request`);
      return { id, outs: outputsOf(inputs, held) };
    }
    refuseConflicts(inputs, existing);

    const requestId = randomUUID();
    let created: QualificationRecord;
    try {
      created = await api.createQualification(inputs.customerId, requestOf(inputs), { requestId });
    } catch (error) {
      const adopted = await this.findAfterFailedCreate(api, inputs, error);
      if (adopted === undefined) throw error;
      this.#deps.log.info(`${id}: the create call failed but the qualification is on the customer; adopted it`);
      return { id, outs: outputsOf(inputs, adopted) };
    }
    return { id, outs: outputsOf(inputs, created) };
  }

  /** Reads the qualification's current vetting; reports it gone when the customer no longer has it. */
  async read(id: string, props: Record<string, unknown> = {}): Promise<dynamic.ReadResult> {
    const stored = inputsFromState(props);
    const fromId = parseQualificationId(id);
    const customerId = fromId?.customerId ?? (typeof stored.customerId === "string" ? stored.customerId : undefined);
    const qualification = fromId?.qualification ?? (typeof stored.qualification === "string" ? stored.qualification : undefined);
    if (customerId === undefined || qualification === undefined) {
      throw new InputValidationError(`Refused to read ${JSON.stringify(id)}`, [
        { property: "id", reason: "the ID must be <customerId>/<Qualification>, as CustomerQualification writes it" },
      ]);
    }
    const list = await this.#deps.api().getQualifications(customerId);
    const found = list.find((q) => sameQualification(q.qualification, qualification));
    if (found === undefined) {
      this.#deps.log.info(`${id}: the customer no longer has ${qualification}; it leaves the stack`);
      return { id: "" };
    }
    const inputs = { ...stored, customerId, qualification: found.qualification };
    return { id, props: outputsOf(inputs, found), inputs };
  }

  /** Only inputs that don't identify the qualification change in place; the service is not called. */
  async update(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.UpdateResult> {
    return { outs: outputsOf(inputsFromState(news), vettingOf(olds)) };
  }

  /** There is no API to remove a qualification: it leaves the stack and stays on the customer. */
  async delete(id: string, props: Record<string, unknown>): Promise<void> {
    const parsed = parseQualificationId(id);
    const qualification = parsed?.qualification ?? String(props.qualification ?? "the qualification");
    const customer = parsed?.customerId ?? String(props.customerId ?? "the customer");
    this.#deps.log.warn(
      `${qualification} stays on customer ${customer}: Partner Center has no API to remove a qualification, so it was only removed from the stack`,
    );
  }

  private async findAfterFailedCreate(
    api: QualificationsApi,
    inputs: QualificationInputs,
    error: unknown,
  ): Promise<QualificationRecord | undefined> {
    const ambiguous =
      isPartnerCenterError(error) &&
      (error.statusCode === 409 || error.kind === "network" || error.kind === "deadline" || (error.statusCode ?? 0) >= 500);
    if (!ambiguous) return undefined;
    try {
      const after = await api.getQualifications(inputs.customerId);
      return after.find((q) => sameQualification(q.qualification, inputs.qualification));
    } catch {
      // The original error says more than this one; the next run reads before it writes.
      return undefined;
    }
  }
}

function requestOf(inputs: QualificationInputs): Parameters<QualificationsApi["createQualification"]>[1] {
  return {
    qualification: inputs.qualification,
    ...(inputs.educationSegment !== undefined ? { educationSegment: inputs.educationSegment } : {}),
    ...(inputs.website !== undefined ? { website: inputs.website } : {}),
    ...(inputs.validationCode !== undefined ? { validationCode: inputs.validationCode } : {}),
  };
}

function refuseConflicts(inputs: QualificationInputs, existing: readonly QualificationRecord[]): void {
  for (const other of conflictsOf(inputs.qualification)) {
    const held = existing.find((q) => sameQualification(q.qualification, other));
    if (held !== undefined) {
      throw new InputValidationError(`Refused to create ${inputs.qualification} for customer ${inputs.customerId}`, [
        {
          property: "qualification",
          reason: `the customer already has ${other}, and Partner Center refuses ${inputs.qualification} together with ${other}; a customer can combine either with StateOwnedEntity only`,
        },
      ]);
    }
  }
}
