/**
 * The emulator's state machine: customers, qualifications, validation codes, vetting
 * schedules, idempotency answers and the response style, with the Partner Center rules
 * applied to them, and the customer list in a stable order for paging. No HTTP here; the
 * clock is injected so vetting schedules are testable.
 */

import { randomBytes } from "node:crypto";
import { ERROR_CODES, failure, type ApiError, type Outcome } from "./api-errors";
import { InputRejectedError, isGuid } from "./input-validation";
import { canonicalQualificationName, isVettedQualification, parseQualificationRequest, type QualificationName } from "./qualification-request";
import { DEFAULT_RESPONSE_STYLE, type ResponseStyle } from "./response-style";
import type { ValidatedQualification, ValidatedCustomer, ValidatedSeed } from "./seed";
import type { CustomerState, ValidationCodeRecord, VettingDecision } from "./types";
import type { PendingDecision, ScheduledVetting } from "./vetting-input";

/** A stored qualification plus its scheduled vetting outcome, if any. */
export type QualificationRecord = ValidatedQualification & { pendingDecision?: PendingDecision | undefined };

/** A customer's profile: what the customer list shows of it. */
export type CustomerProfile = Omit<ValidatedCustomer, "qualifications">;

/** A customer as held in state. */
export interface CustomerRecord extends CustomerProfile {
  qualifications: QualificationRecord[];
  vettingScripts: ScheduledVetting[];
}

/** One page of the customer list. */
export interface CustomerPage {
  customers: CustomerProfile[];
  /** Where the next page starts, as `from` for {@link EmulatorState.listCustomers}; absent on the last page. */
  nextFrom?: number;
}

/** A POST answer kept for replay under its `MS-RequestId`. */
export interface RecordedAnswer {
  requestId: string;
  status: number;
  body?: unknown;
}

/** Everything the data file persists. */
export interface StateSnapshot {
  customers: CustomerRecord[];
  validationCodes: ValidationCodeRecord[];
  answers: RecordedAnswer[];
  responseStyle: ResponseStyle;
}

/** Oldest answers are forgotten beyond this, so a long-running emulator does not grow without bound. */
const MAX_RECORDED_ANSWERS = 10_000;

/** The emulator's state and rules. Every mutation bumps {@link EmulatorState.revision}. */
export class EmulatorState {
  private customers = new Map<string, CustomerRecord>();
  /** Ids in the order customers were first added: the customer list's order and its paging positions. */
  private customerOrder: string[] = [];
  private epoch = 0;
  private codes = new Map<string, ValidationCodeRecord>();
  private answers = new Map<string, RecordedAnswer>();
  private style: ResponseStyle = { ...DEFAULT_RESPONSE_STYLE };
  private changeCount = 0;

  constructor(private readonly clock: () => Date = () => new Date()) {}

  /** Increases on every state change; the server saves the data file when it moves. */
  get revision(): number {
    return this.changeCount;
  }

  /**
   * Changes whenever the customer order starts over (reset, restore). Customers are never
   * removed otherwise, so within one epoch a position in the order always means the same customer.
   */
  get listingEpoch(): number {
    return this.epoch;
  }

  /** Empties everything, restores the default response style, then applies `seed`. */
  reset(seed: ValidatedSeed): void {
    this.customers.clear();
    this.customerOrder = [];
    this.epoch += 1;
    this.codes.clear();
    this.answers.clear();
    this.style = { ...DEFAULT_RESPONSE_STYLE };
    this.applySeed(seed);
    this.touch();
  }

  /** Adds or overwrites (by id) the seed's customers and validation codes. */
  applySeed(seed: ValidatedSeed): void {
    for (const customer of seed.customers) this.addCustomer(customer);
    for (const code of seed.validationCodes) {
      this.codes.set(code.validationId, { ...code, eTag: code.eTag ?? newETag() });
    }
    this.touch();
  }

  /** Adds or overwrites a validated customer (see `parseSeedCustomer`); an overwritten one keeps its place in the list. */
  addCustomer(customer: ValidatedCustomer): void {
    const id = customer.id.toLowerCase();
    if (!this.customers.has(id)) this.customerOrder.push(id);
    const { qualifications, ...profile } = customer;
    this.customers.set(id, { ...profile, id, qualifications: (qualifications ?? []).map((q) => ({ ...q })), vettingScripts: [] });
    this.touch();
  }

  /**
   * Up to `size` customers that `matches` accepts, in the order they were added, starting at
   * position `from` (0: the first page).
   */
  listCustomers(from: number, size: number, matches: (customer: CustomerProfile) => boolean): CustomerPage {
    const customers: CustomerProfile[] = [];
    for (let position = from; position < this.customerOrder.length; position += 1) {
      const record = this.customers.get(this.customerOrder[position] ?? "");
      if (record === undefined || !matches(record)) continue;
      // One match beyond the page proves there is a next page, so the last page never links to an empty one.
      if (customers.length === size) return { customers, nextFrom: position };
      customers.push(profileOf(record));
    }
    return { customers };
  }

  /** A customer's current state (due vetting decisions applied), or undefined. */
  customer(id: string): CustomerState | undefined {
    const customer = this.customers.get(id.toLowerCase());
    if (customer === undefined) return undefined;
    this.settleVetting(customer);
    return { ...profileOf(customer), qualifications: customer.qualifications.map(toStored) };
  }

  /** Copies of all validation-code records. */
  validationCodes(): ValidationCodeRecord[] {
    return [...this.codes.values()].map((code) => ({ ...code }));
  }

  /** The current response style. */
  get responseStyle(): ResponseStyle {
    return { ...this.style };
  }

  /** Merges a validated partial style; returns the result. */
  updateResponseStyle(patch: Partial<ResponseStyle>): ResponseStyle {
    this.style = { ...this.style, ...patch };
    this.touch();
    return this.responseStyle;
  }

  /** `GET /v1/customers/{id}/qualifications`. */
  listQualifications(customerId: string): Outcome<ValidatedQualification[]> {
    const found = this.findCustomer(customerId);
    if (!found.ok) return found;
    this.settleVetting(found.value);
    return { ok: true, value: found.value.qualifications.map(toStored) };
  }

  /**
   * `POST /v1/customers/{id}/qualifications`: the create rules in order (customer, body,
   * validation code, combination, duplicate), then the write. A failed check changes nothing.
   */
  createQualification(customerId: string, rawBody: string, queryCode: string | undefined): Outcome<ValidatedQualification> {
    const found = this.findCustomer(customerId);
    if (!found.ok) return found;
    const customer = found.value;
    const parsed = parseQualificationRequest(rawBody, queryCode);
    if (!parsed.ok) return parsed;
    const request = parsed.value;
    this.settleVetting(customer);
    const code = this.usableValidationCode(request.validationCode);
    if (!code.ok) return code;
    const refusal = creationRefusal(request.qualification, customer);
    if (refusal !== undefined) return refusal;

    const created = this.newQualification(request.qualification, customer);
    const index = customer.qualifications.findIndex((q) => q.qualification === request.qualification);
    if (index < 0) customer.qualifications.push(created);
    else customer.qualifications[index] = created;
    if (code.value !== undefined) {
      code.value.remainingCreates -= 1;
      code.value.eTag = newETag();
    }
    this.touch();
    return { ok: true, value: toStored(created) };
  }

  /** Sets a vetted qualification's outcome now, cancelling any scheduled one. */
  setVetting(customerId: string, qualification: string, decision: VettingDecision): void {
    const customer = this.requireCustomer(customerId);
    const record = requireQualification(customer, requireVettedName(qualification));
    record.vettingStatus = decision.status;
    if (decision.reason === undefined) delete record.vettingReason;
    else record.vettingReason = decision.reason;
    delete record.pendingDecision;
    this.touch();
  }

  /**
   * Schedules a vetting outcome: `afterMs` from now on a matching qualification already
   * InReview, otherwise `afterMs` after the next matching qualification is created.
   */
  scriptVetting(customerId: string, script: ScheduledVetting): void {
    const customer = this.requireCustomer(customerId);
    this.settleVetting(customer);
    const target = customer.qualifications.find((q) => isVettedQualification(q.qualification) && matchesScript(q, script) && hasStatus(q, "InReview"));
    if (target === undefined) customer.vettingScripts.push({ ...script });
    else target.pendingDecision = this.decisionAfter(script);
    this.touch();
  }

  /** Removes a qualification as if it never existed (drift made outside the provider). */
  forgetQualification(customerId: string, qualification: string): void {
    const customer = this.requireCustomer(customerId);
    const name = canonicalQualificationName(qualification);
    const index = customer.qualifications.findIndex((q) => q.qualification === name);
    if (name === undefined || index < 0) {
      throw new InputRejectedError(`customer ${customer.id} has no ${qualification} qualification`, 404);
    }
    customer.qualifications.splice(index, 1);
    this.touch();
  }

  /** The answer recorded for a POST's `MS-RequestId`, if any. */
  recordedAnswer(requestId: string): RecordedAnswer | undefined {
    const answer = this.answers.get(answerKey(requestId));
    return answer === undefined ? undefined : structuredClone(answer);
  }

  /** Records a POST answer for replay. */
  recordAnswer(requestId: string, status: number, body: unknown): void {
    const key = answerKey(requestId);
    this.answers.delete(key);
    this.answers.set(key, { requestId, status, body: structuredClone(body) });
    if (this.answers.size > MAX_RECORDED_ANSWERS) {
      const oldest = this.answers.keys().next();
      if (oldest.done !== true) this.answers.delete(oldest.value);
    }
    this.touch();
  }

  /** A deep copy of everything the data file persists. */
  snapshot(): StateSnapshot {
    return structuredClone({
      customers: [...this.customers.values()],
      validationCodes: [...this.codes.values()],
      answers: [...this.answers.values()],
      responseStyle: this.style,
    });
  }

  /** Replaces the whole state with a (validated) snapshot. */
  restore(snapshot: StateSnapshot): void {
    const copy = structuredClone(snapshot);
    this.customers = new Map(copy.customers.map((customer) => [customer.id.toLowerCase(), customer]));
    this.customerOrder = [...this.customers.keys()];
    this.epoch += 1;
    this.codes = new Map(copy.validationCodes.map((code) => [code.validationId, code]));
    this.answers = new Map(copy.answers.map((answer) => [answerKey(answer.requestId), answer]));
    this.style = { ...DEFAULT_RESPONSE_STYLE, ...copy.responseStyle };
    this.touch();
  }

  private findCustomer(customerId: string): Outcome<CustomerRecord> {
    if (!isGuid(customerId)) {
      return failure(400, ERROR_CODES.invalidCustomerId, `The customer id '${customerId}' is not a valid tenant id (GUID).`);
    }
    const customer = this.customers.get(customerId.toLowerCase());
    if (customer === undefined) {
      return failure(404, ERROR_CODES.customerNotFound, `Customer tenant ${customerId} was not found.`);
    }
    return { ok: true, value: customer };
  }

  /** The record of a create's validation code (none when the create names none): it must exist and have creates left. */
  private usableValidationCode(validationCode: string | undefined): Outcome<ValidationCodeRecord | undefined> {
    if (validationCode === undefined) return { ok: true, value: undefined };
    const code = this.codes.get(validationCode);
    if (code === undefined) {
      return failure(
        400,
        ERROR_CODES.invalidProperty,
        `Validation code '${validationCode}' is not a known GovernmentCommunityCloud validation code for this partner (see GET /v1/customers/all/validations).`,
      );
    }
    if (code.remainingCreates <= 0) {
      return failure(
        400,
        ERROR_CODES.invalidProperty,
        `Validation code '${code.validationId}' has no remaining creates (remainingCreates 0 of maxCreates ${code.maxCreates}).`,
      );
    }
    return { ok: true, value: code };
  }

  private requireCustomer(customerId: string): CustomerRecord {
    const customer = this.customers.get(customerId.toLowerCase());
    if (customer === undefined) throw new InputRejectedError(`no customer ${customerId}`, 404);
    return customer;
  }

  private newQualification(name: QualificationName, customer: CustomerRecord): QualificationRecord {
    if (!isVettedQualification(name)) return { qualification: name };
    const record: QualificationRecord = { qualification: name, vettingStatus: "InReview", vettingCreateDate: this.clock().toISOString() };
    const scriptIndex = customer.vettingScripts.findIndex((script) => matchesScript(record, script));
    const script = customer.vettingScripts[scriptIndex];
    if (script !== undefined) {
      customer.vettingScripts.splice(scriptIndex, 1);
      record.pendingDecision = this.decisionAfter(script);
    }
    return record;
  }

  private decisionAfter(script: ScheduledVetting): PendingDecision {
    return {
      status: script.status,
      ...(script.reason === undefined ? {} : { reason: script.reason }),
      decideAt: new Date(this.clock().getTime() + script.afterMs).toISOString(),
    };
  }

  /** Applies decisions whose time has come; evaluated on every read so the outcome depends only on the clock. */
  private settleVetting(customer: CustomerRecord): void {
    const now = this.clock().getTime();
    for (const record of customer.qualifications) {
      const pending = record.pendingDecision;
      if (pending === undefined || Date.parse(pending.decideAt) > now) continue;
      record.vettingStatus = pending.status;
      if (pending.reason === undefined) delete record.vettingReason;
      else record.vettingReason = pending.reason;
      delete record.pendingDecision;
      this.touch();
    }
  }

  private touch(): void {
    this.changeCount += 1;
  }
}

function profileOf(record: CustomerRecord): CustomerProfile {
  const { qualifications: _qualifications, vettingScripts: _scripts, ...profile } = record;
  return { ...profile };
}

function toStored(record: QualificationRecord): ValidatedQualification {
  const { pendingDecision: _pending, ...stored } = record;
  return { ...stored };
}

function hasStatus(record: ValidatedQualification, status: string): boolean {
  return record.vettingStatus?.toLowerCase() === status.toLowerCase();
}

function matchesScript(record: ValidatedQualification, script: ScheduledVetting): boolean {
  return script.qualification === undefined || script.qualification === record.qualification;
}

/** Why `requested` cannot be created on this customer: a qualification it cannot be combined with, or itself already held. */
function creationRefusal(requested: QualificationName, customer: CustomerRecord): { ok: false; error: ApiError } | undefined {
  const conflict = conflictingQualification(requested, customer);
  if (conflict !== undefined) {
    return failure(
      400,
      ERROR_CODES.invalidProperty,
      `Customer ${customer.id} already holds ${conflict}; Education and GovernmentCommunityCloud cannot be combined on one customer.`,
    );
  }
  const existing = customer.qualifications.find((q) => q.qualification === requested);
  // Re-submitting after Denied is a documented re-verification; anything else is a duplicate.
  if (existing === undefined || hasStatus(existing, "Denied")) return undefined;
  const status = existing.vettingStatus === undefined ? "not vetted" : `vettingStatus ${existing.vettingStatus}`;
  return failure(
    409,
    ERROR_CODES.alreadyExists,
    `Customer ${customer.id} already has the ${requested} qualification (${status}); it already exists and cannot be created again.`,
  );
}

/** The qualification that rules out `requested` on this customer; a Denied one is not held, so it does not count. */
function conflictingQualification(requested: QualificationName, customer: CustomerRecord): QualificationName | undefined {
  const excluded: Partial<Record<QualificationName, QualificationName>> = {
    Education: "GovernmentCommunityCloud",
    GovernmentCommunityCloud: "Education",
  };
  const other = excluded[requested];
  const held = customer.qualifications.find((q) => q.qualification === other && !hasStatus(q, "Denied"));
  return held === undefined ? undefined : other;
}

function requireVettedName(qualification: string): QualificationName {
  const name = canonicalQualificationName(qualification);
  if (name === undefined) throw new InputRejectedError(`unknown qualification '${qualification}'`);
  if (!isVettedQualification(name)) throw new InputRejectedError(`${name} is not vetted and has no vetting status`);
  return name;
}

function requireQualification(customer: CustomerRecord, name: QualificationName): QualificationRecord {
  const record = customer.qualifications.find((q) => q.qualification === name);
  if (record === undefined) throw new InputRejectedError(`customer ${customer.id} has no ${name} qualification`, 404);
  return record;
}

function answerKey(requestId: string): string {
  return requestId.trim().toLowerCase();
}

function newETag(): string {
  return randomBytes(12).toString("base64");
}
