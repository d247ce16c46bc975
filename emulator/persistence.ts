/**
 * The data file: the state snapshot as JSON, written atomically (temp file + rename) so a
 * crash mid-write leaves the previous state intact.
 */

import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import {
  InputRejectedError,
  expectArray,
  expectObject,
  parseJsonText,
  readNonNegativeInteger,
  readOptionalString,
  readString,
  rejectUnknownKeys,
} from "./input-validation";
import { parseResponseStylePatch, DEFAULT_RESPONSE_STYLE } from "./response-style";
import { parseSeedCustomer, parseValidationCode } from "./seed";
import type { CustomerRecord, PendingDecision, QualificationRecord, RecordedAnswer, StateSnapshot } from "./state";
import { parseVettingScript, readFinalStatus } from "./vetting-input";

/** Identifies the file format, so an unrelated JSON file is not mistaken for state. */
const FILE_FORMAT = "partnercenter-emulator-state";
const FILE_VERSION = 1;

/** Reads and writes one data file. */
export class StateFile {
  constructor(readonly path: string) {}

  /** The saved snapshot, or undefined when the file does not exist yet. Throws when it is not a valid state file. */
  load(): StateSnapshot | undefined {
    if (!existsSync(this.path)) return undefined;
    const text = readFileSync(this.path, "utf8");
    try {
      return parseSnapshot(parseJsonText(text, "data file"));
    } catch (error) {
      throw new Error(`Cannot load emulator data file ${this.path}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Replaces the file's content atomically. */
  save(snapshot: StateSnapshot): void {
    const temporary = `${this.path}.${process.pid}.tmp`;
    const content = JSON.stringify({ format: FILE_FORMAT, version: FILE_VERSION, ...snapshot }, null, 2);
    try {
      writeFileSync(temporary, `${content}\n`, "utf8");
      renameSync(temporary, this.path);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw new Error(`Cannot save emulator data file ${this.path}: ${(error as Error).message}`, { cause: error });
    }
  }
}

function parseSnapshot(value: unknown): StateSnapshot {
  const file = expectObject(value, "data file");
  if (file.format !== FILE_FORMAT || file.version !== FILE_VERSION) {
    throw new InputRejectedError(`not a version ${FILE_VERSION} ${FILE_FORMAT} file`);
  }
  rejectUnknownKeys(file, ["format", "version", "customers", "validationCodes", "answers", "responseStyle"], "data file");
  return {
    customers: expectArray(file.customers, "customers").map((entry, index) => parseCustomerRecord(entry, `customers[${index}]`)),
    validationCodes: expectArray(file.validationCodes, "validationCodes").map((entry, index) =>
      parseValidationCode(entry, `validationCodes[${index}]`),
    ),
    answers: expectArray(file.answers, "answers").map((entry, index) => parseRecordedAnswer(entry, `answers[${index}]`)),
    responseStyle: { ...DEFAULT_RESPONSE_STYLE, ...parseResponseStylePatch(file.responseStyle) },
  };
}

function parseCustomerRecord(value: unknown, what: string): CustomerRecord {
  const record = expectObject(value, what);
  const { vettingScripts, qualifications, ...seedPart } = record;
  // The seed parser refuses the state-only fields, so they are split off and read here.
  const pendingDecisions = expectArray(qualifications ?? [], `${what}.qualifications`).map((entry, index) => {
    const { pendingDecision, ...stored } = expectObject(entry, `${what}.qualifications[${index}]`);
    return { stored, pendingDecision };
  });
  const { qualifications: storedQualifications, ...profile } = parseSeedCustomer(
    { ...seedPart, qualifications: pendingDecisions.map((entry) => entry.stored) },
    what,
  );
  return {
    ...profile,
    qualifications: (storedQualifications ?? []).map((stored, index): QualificationRecord => {
      const pending = pendingDecisions[index]?.pendingDecision;
      return pending === undefined ? stored : { ...stored, pendingDecision: parsePendingDecision(pending, `${what}.qualifications[${index}].pendingDecision`) };
    }),
    vettingScripts: expectArray(vettingScripts ?? [], `${what}.vettingScripts`).map((entry, index) =>
      parseVettingScript(entry, `${what}.vettingScripts[${index}]`),
    ),
  };
}

function parsePendingDecision(value: unknown, what: string): PendingDecision {
  const decision = expectObject(value, what);
  rejectUnknownKeys(decision, ["status", "reason", "decideAt"], what);
  const decideAt = readString(decision, "decideAt", what);
  if (Number.isNaN(Date.parse(decideAt))) throw new InputRejectedError(`${what}.decideAt must be an ISO 8601 date`);
  const reason = readOptionalString(decision, "reason", what);
  return { status: readFinalStatus(decision, what), decideAt, ...(reason === undefined ? {} : { reason }) };
}

function parseRecordedAnswer(value: unknown, what: string): RecordedAnswer {
  const answer = expectObject(value, what);
  rejectUnknownKeys(answer, ["requestId", "status", "body"], what);
  return { requestId: readString(answer, "requestId", what), status: readNonNegativeInteger(answer, "status", what), body: answer.body };
}
