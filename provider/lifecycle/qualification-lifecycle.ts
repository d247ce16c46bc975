/**
 * The lifecycle of a CustomerQualification: what check, diff, create, read, update and delete do.
 * It talks to Partner Center only through {@link QualificationsApi}, the one outbound seam, so the
 * same code runs against the service, the emulator, or a test double.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { dynamic } from "@pulumi/pulumi";
import {
  InputValidationError,
  conflictsOf,
  requireValidQualificationInputs,
  sameQualification,
  validateQualificationInputs,
  type QualificationInputs,
} from "../qualification";
import { PartnerCenterError, isPartnerCenterError, type PartnerCenterClient, type QualificationRecord } from "../client";
import type { ProviderLog } from "../log";
import {
  REPLACING_PROPERTIES,
  UNREPORTED_PROPERTIES,
  UPDATABLE_PROPERTIES,
  declaredInputsFromState,
  inputsFromState,
  needsCodeOriginRecorded,
  outputsOf,
  parseQualificationId,
  qualificationId,
  urnOf,
  vettingOf,
} from "./state";
import { CustomerReads } from "./customer-reads";
import { ValidationCodeLedger } from "./validation-code-ledger";
import { resolveVettingWait, waitForVettingDecision, type ResolvedVettingWait } from "./vetting-wait";

/** The calls the lifecycle makes to Partner Center; {@link PartnerCenterClient} provides them. */
export type QualificationsApi = Pick<PartnerCenterClient, "getQualifications" | "createQualification" | "getValidationCodes">;

/** Pulumi's stand-in for a value that is not known during preview. */
export const PREVIEW_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** What the lifecycle needs: the API (asked for only when a call is about to be made), a log, a clock. */
export interface LifecycleDependencies {
  /** Returns the API; called lazily so that preview (check, diff) needs no credential. */
  readonly api: () => QualificationsApi;
  readonly log: ProviderLog;
  /** Waits between vetting checks; default a real timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

/**
 * A failure after the qualification exists on the customer (Denied, or vetting still running when
 * the wait ran out). It carries the resource's ID and properties, so the engine keeps the resource
 * in the stack, marked as failed, and the next run does not POST it again.
 */
export class QualificationOutcomeError extends Error {
  override readonly name = "QualificationOutcomeError";
  /** Read by the Pulumi dynamic-provider host. */
  readonly id: string;
  /** Read by the Pulumi dynamic-provider host. */
  readonly properties: Record<string, unknown>;
  /** Read by the Pulumi dynamic-provider host. */
  readonly reasons: string[];

  constructor(message: string, id: string, properties: Record<string, unknown>) {
    super(message);
    this.id = id;
    this.properties = properties;
    this.reasons = [message];
  }
}

/** The dynamic-provider methods of CustomerQualification. */
export class QualificationLifecycle implements Required<Omit<dynamic.ResourceProvider, "configure">> {
  readonly #deps: LifecycleDependencies;
  /** One read of each customer per process, shared, forgotten when this process POSTs to it. */
  readonly #reads: CustomerReads;
  /** The partner's GCC codes, read once per process, with the creates this process holds. */
  readonly #codes: ValidationCodeLedger;

  constructor(deps: LifecycleDependencies) {
    this.#deps = deps;
    this.#reads = new CustomerReads((customerId) => deps.api().getQualifications(customerId));
    this.#codes = new ValidationCodeLedger({ read: () => deps.api().getValidationCodes(), warn: (message) => deps.log.warn(message) });
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
    const differs = (name: string): boolean => {
      if (news[name] === PREVIEW_UNKNOWN) return true;
      // A code the provider chose stays in state; leaving the input out keeps it.
      if (name === "validationCode" && after[name] === undefined) return false;
      if (UNREPORTED_PROPERTIES.includes(name) && before[name] === undefined) return false;
      return JSON.stringify(before[name]) !== JSON.stringify(after[name]);
    };
    const replaces = REPLACING_PROPERTIES.filter(differs);
    const updates = UPDATABLE_PROPERTIES.filter(differs);
    // State of 0.1.0 doesn't say whether its code was chosen; an update (state only) records it.
    const changes = replaces.length > 0 || updates.length > 0 || needsCodeOriginRecorded(olds);
    return { changes, replaces: [...replaces], deleteBeforeReplace: false };
  }

  /**
   * Adopts the qualification when the customer already has it; otherwise POSTs it once. When the
   * POST's outcome is unknown (no answer, 5xx, 409), reads again before failing, so that a
   * qualification that did get created is adopted rather than lost or duplicated.
   */
  async create(raw: Record<string, unknown>): Promise<dynamic.CreateResult> {
    const inputs = requireValidQualificationInputs("Refused to create a qualification", raw);
    const id = qualificationId(inputs.customerId, inputs.qualification);
    const urn = urnOf(raw);
    const existing = await this.#reads.get(inputs.customerId);
    const held = existing.find((q) => sameQualification(q.qualification, inputs.qualification));
    if (held !== undefined && !(held.vettingStatus === "Denied" && inputs.resubmitDenied !== undefined)) {
      await this.reportAdoption(id, inputs, held, urn);
      const outs = outputsOf({ ...inputs, ...codeOrigin(inputs.validationCode, inputs), ...urnProps(urn) }, held);
      return { id, outs: await this.settleVetting(id, inputs, outs, raw, held) };
    }
    if (inputs.adoptOnly === true) throw nothingToAdopt(inputs);
    if (held === undefined) refuseConflicts(inputs, existing);
    const created = await this.post(inputs, urn);
    if (held !== undefined) await this.#deps.log.notice(`${id}: re-submitted for re-verification (${inputs.resubmitDenied})`, urn);
    const outs = outputsOf({ ...inputs, ...codeOrigin(created.validationCode ?? inputs.validationCode, inputs), ...urnProps(urn) }, created.record);
    return { id, outs: await this.settleVetting(id, inputs, outs, raw, created.record) };
  }

  /**
   * Reads the qualification's current vetting; reports it gone when the customer no longer has it.
   * `storedInputs` (the native plugin has them; the dynamic host does not pass them) keep what
   * Partner Center does not report, such as an imported Education's segment given later.
   */
  async read(id: string, props: Record<string, unknown> = {}, storedInputs: Record<string, unknown> = {}): Promise<dynamic.ReadResult> {
    const stored = inputsFromState(props);
    const fromId = parseQualificationId(id);
    const customerId = fromId?.customerId ?? (typeof stored.customerId === "string" ? stored.customerId : undefined);
    const qualification = fromId?.qualification ?? (typeof stored.qualification === "string" ? stored.qualification : undefined);
    if (customerId === undefined || qualification === undefined) {
      throw new InputValidationError(`Refused to read ${JSON.stringify(id)}`, [
        { property: "id", reason: "the ID must be <customerId>/<Qualification>, as CustomerQualification writes it" },
      ]);
    }
    const found = (await this.#reads.get(customerId)).find((q) => sameQualification(q.qualification, qualification));
    if (found === undefined) {
      const next = stored.adoptOnly === true ? ", and the next `pulumi up` fails it rather than create it (adoptOnly)" : "";
      await this.#deps.log.info(`${id}: the customer no longer has ${qualification}; it leaves the stack${next}`, urnOf(props));
      return { id: "" };
    }
    const outs = outputsOf({ ...props, ...stored, customerId, qualification: found.qualification }, found);
    const kept = Object.fromEntries(UNREPORTED_PROPERTIES.filter((name) => storedInputs[name] !== undefined).map((name) => [name, storedInputs[name]]));
    return { id, props: outs, inputs: { ...kept, ...declaredInputsFromState(outs) } };
  }

  /**
   * Changes in place: a new `resubmitDenied` label re-submits a Denied qualification once;
   * `waitForVetting` waits again; anything else only changes state.
   */
  async update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.UpdateResult> {
    const inputs = requireValidQualificationInputs(`Refused to update ${id}`, inputsFromState(news));
    const urn = urnOf(news) ?? urnOf(olds);
    const code = inputs.validationCode ?? (typeof olds.validationCode === "string" ? olds.validationCode : undefined);
    const resubmit = inputs.resubmitDenied !== undefined && inputs.resubmitDenied !== olds.resubmitDenied;
    const asks = resubmit || resolveVettingWait(inputs.waitForVetting) !== undefined;
    const record = asks ? await this.current(id, inputs) : vettingOf(olds);
    const after = resubmit ? await this.resubmitIfDenied(id, { ...inputs, ...(code !== undefined ? { validationCode: code } : {}) }, record, urn) : record;
    const outs = outputsOf({ ...inputs, ...codeOrigin(code, inputs), ...urnProps(urn) }, after);
    return { outs: await this.settleVetting(id, inputs, outs, news, after) };
  }

  /** There is no API to remove a qualification: it leaves the stack and stays on the customer. */
  async delete(id: string, props: Record<string, unknown>): Promise<void> {
    const parsed = parseQualificationId(id);
    const qualification = parsed?.qualification ?? String(props.qualification ?? "the qualification");
    const customer = parsed?.customerId ?? String(props.customerId ?? "the customer");
    await this.#deps.log.warn(
      `${qualification} stays on customer ${customer}: Partner Center has no API to remove a qualification, so it was only removed from the stack`,
      urnOf(props),
    );
  }

  private async reportAdoption(id: string, inputs: QualificationInputs, held: QualificationRecord, urn: string | undefined): Promise<void> {
    await this.#deps.log.info(`${id}: the customer already has ${inputs.qualification}; adopted it without a new request`, urn);
    if (held.vettingStatus === "Denied") {
      await this.#deps.log.warn(
        `${id}: adopted as Denied (${held.vettingReason ?? "no reason given"}); set resubmitDenied to a new label to ask for re-verification`,
        urn,
      );
    }
  }

  /** The qualification as the service holds it now; fails when the customer no longer has it. */
  private async current(id: string, inputs: QualificationInputs): Promise<QualificationRecord> {
    const found = (await this.#reads.get(inputs.customerId)).find((q) => sameQualification(q.qualification, inputs.qualification));
    if (found === undefined) {
      if (inputs.adoptOnly === true) throw nothingToAdopt(inputs);
      throw new Error(`${id}: the customer no longer has ${inputs.qualification}; run \`pulumi refresh\`, then \`pulumi up\` creates it again`);
    }
    return found;
  }

  private async resubmitIfDenied(id: string, inputs: QualificationInputs, current: QualificationRecord, urn: string | undefined): Promise<QualificationRecord> {
    if (current.vettingStatus !== "Denied") {
      await this.#deps.log.notice(
        `${id}: resubmitDenied changed, but the qualification is ${current.vettingStatus ?? "not vetted"}, not Denied; nothing re-submitted`,
        urn,
      );
      return current;
    }
    const record = (await this.post(inputs, urn)).record;
    await this.#deps.log.notice(`${id}: re-submitted for re-verification (${inputs.resubmitDenied})`, urn);
    return record;
  }

  /** One POST; GCC with a validation code reserved for it, so GCC creates run in parallel. */
  private async post(inputs: QualificationInputs, urn: string | undefined): Promise<{ record: QualificationRecord; validationCode?: string }> {
    if (inputs.qualification !== "GovernmentCommunityCloud") return { record: await this.postOnce(inputs, urn) };
    const subject = `Refused to create GovernmentCommunityCloud for customer ${inputs.customerId}`;
    let refused: { validationId: string; error: unknown } | undefined;
    for (;;) {
      const reservation = await this.#codes.reserve(inputs, subject);
      if (reservation.validationId === refused?.validationId) {
        // Read again, the service still lists the code it just refused: its answer stands.
        reservation.release();
        throw refused.error;
      }
      try {
        const record = await this.postOnce({ ...inputs, validationCode: reservation.validationId }, urn);
        reservation.spend();
        return { record, validationCode: reservation.validationId };
      } catch (error) {
        if (!createdNothing(error)) reservation.spend();
        else reservation.release();
        if (!isPartnerCenterError(error, 400) || !this.#codes.rereadAfterRefusal(reservation.validationId)) throw error;
        refused = { validationId: reservation.validationId, error };
      }
    }
  }

  /**
   * One POST, verified by a fresh read after an ambiguous failure. The customer's shared read then
   * holds what the POST created, so that its other qualifications need no read of their own.
   */
  private async postOnce(inputs: QualificationInputs, urn: string | undefined): Promise<QualificationRecord> {
    let created: QualificationRecord;
    try {
      created = await this.#deps.api().createQualification(inputs.customerId, requestOf(inputs), { requestId: randomUUID() });
    } catch (error) {
      this.#reads.forget(inputs.customerId);
      const adopted = await this.findAfterFailedCreate(inputs, error);
      if (adopted === undefined) throw error;
      await this.#deps.log.info(
        `${qualificationId(inputs.customerId, inputs.qualification)}: the create call failed but the qualification is on the customer; adopted it`,
        urn,
      );
      return adopted;
    }
    this.#reads.recordCreated(inputs.customerId, created);
    return created;
  }

  private async findAfterFailedCreate(inputs: QualificationInputs, error: unknown): Promise<QualificationRecord | undefined> {
    if (createdNothing(error)) return undefined;
    try {
      const found = (await this.#reads.fresh(inputs.customerId)).find((q) => sameQualification(q.qualification, inputs.qualification));
      // After a 409 for a resubmission, the Denied entry is still there: that is not a success.
      return found?.vettingStatus === "Denied" && inputs.resubmitDenied !== undefined ? undefined : found;
    } catch (readError) {
      // The error that found Partner Center unreachable is the one place its cause is told: never swallow it.
      if (readError instanceof PartnerCenterError && readError.kind === "unreachable" && !readError.notAttempted) throw readError;
      // Otherwise the original error says more than this one; the next run reads before it writes.
      return undefined;
    }
  }

  /**
   * With `waitForVetting`, waits for Microsoft's decision and reports it. Denied, or no decision
   * in time, fails the step with the resource kept in the stack.
   */
  private async settleVetting(
    id: string,
    inputs: QualificationInputs,
    outs: Record<string, unknown>,
    raw: Record<string, unknown>,
    record: QualificationRecord,
  ): Promise<Record<string, unknown>> {
    const limits: ResolvedVettingWait | undefined = resolveVettingWait(inputs.waitForVetting);
    if (limits === undefined || inputs.qualification === "StateOwnedEntity") return outs;
    const urn = urnOf(raw);
    const result = await waitForVettingDecision(record, limits, {
      read: async () => (await this.#reads.fresh(inputs.customerId)).find((q) => sameQualification(q.qualification, inputs.qualification)),
      isTransient: (error) => isPartnerCenterError(error) && error.retryable,
      progress: (message) => this.#deps.log.progress(message, urn),
      sleep: this.#deps.sleep ?? ((ms) => sleep(ms)),
      now: this.#deps.now ?? Date.now,
    });
    const settled = outputsOf(outs, result.record);
    const took = `after ${Math.round(result.waitedInMs / 1000)} s of waiting`;
    const keep = { ...settled, __provider: raw.__provider };
    if (result.kind === "timedOut") {
      throw new QualificationOutcomeError(
        `${inputs.qualification} for customer ${inputs.customerId} is still ${result.record.vettingStatus ?? "without a decision"} ${took} (waitForVetting.timeoutInMs); it exists and stays in the stack: the next \`pulumi up\` waits again, or remove waitForVetting to stop waiting`,
        id,
        keep,
      );
    }
    if (result.record.vettingStatus === "Denied") {
      throw new QualificationOutcomeError(
        `Microsoft denied ${inputs.qualification} for customer ${inputs.customerId}: ${JSON.stringify(result.record.vettingReason ?? "no reason given")}; it stays in the stack as Denied: set resubmitDenied to a new label to ask for re-verification, or remove waitForVetting to accept it`,
        id,
        keep,
      );
    }
    await this.#deps.log.notice(`${inputs.qualification} for customer ${inputs.customerId}: ${result.record.vettingStatus} ${took}`, urn);
    return settled;
  }
}

/**
 * True when a failed create certainly created nothing: input refused before sending, nothing sent,
 * or a 4xx answer other than 408 (timed out), 409 (may already exist) and 429 (throttled, not processed).
 */
function createdNothing(error: unknown): boolean {
  if (error instanceof InputValidationError) return true;
  if (!(error instanceof PartnerCenterError)) return false;
  // Failed before sending: aborted, no token, or Partner Center already known to be unreachable.
  if (error.kind === "aborted" || error.kind === "credential" || error.kind === "unreachable") return error.attempts === 0;
  const status = error.statusCode ?? 0;
  return status >= 400 && status < 500 && status !== 408 && status !== 409;
}

/** The validation code used and whether the provider chose it (the program gave none). */
function codeOrigin(code: string | undefined, inputs: QualificationInputs): Record<string, unknown> {
  return code === undefined ? {} : { validationCode: code, validationCodeChosen: inputs.validationCode === undefined };
}

function urnProps(urn: string | undefined): Record<string, string> {
  return urn !== undefined ? { __urn: urn } : {};
}

function requestOf(inputs: QualificationInputs): Parameters<QualificationsApi["createQualification"]>[1] {
  return {
    qualification: inputs.qualification,
    ...(inputs.educationSegment !== undefined ? { educationSegment: inputs.educationSegment } : {}),
    ...(inputs.website !== undefined ? { website: inputs.website } : {}),
    ...(inputs.validationCode !== undefined ? { validationCode: inputs.validationCode } : {}),
  };
}

/** What a create of this qualification needs besides the customer, for the adoptOnly refusal. */
const CREATE_NEEDS: Readonly<Record<QualificationInputs["qualification"], string>> = {
  Education: "educationSegment (K12 or HigherEducation)",
  GovernmentCommunityCloud: "a GCC validation code (validationCode or validationOrganization; neither when the partner has one code with creates left)",
  StateOwnedEntity: "nothing more",
};

/**
 * The refusal of an adoptOnly entry whose qualification the customer does not hold (never had it,
 * or it vanished after adoption): nothing is POSTed.
 */
function nothingToAdopt(inputs: QualificationInputs): InputValidationError {
  return new InputValidationError(`Refused to adopt ${inputs.qualification} for customer ${inputs.customerId}`, [
    {
      property: "adoptOnly",
      reason: `the customer does not hold ${inputs.qualification} and adoptOnly is set, so nothing was created; to create it, remove adoptOnly and give what creating needs: ${CREATE_NEEDS[inputs.qualification]}`,
    },
  ]);
}

function refuseConflicts(inputs: QualificationInputs, existing: readonly QualificationRecord[]): void {
  for (const other of conflictsOf(inputs.qualification)) {
    const held = existing.find((q) => sameQualification(q.qualification, other) && q.vettingStatus !== "Denied");
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
