/**
 * The data file: the state snapshot as JSON, written atomically (temp file + rename) so a
 * crash mid-write leaves the previous state intact.
 */

import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { InputRejectedError, count, isJsonObject, parseInput, parseJsonText, text } from "./input-validation";
import { DEFAULT_RESPONSE_STYLE, parseResponseStylePatch } from "./response-style";
import { refuseVettingOfUnvetted, seedCustomerSchema, storedQualificationFields, validationCodeSchema } from "./seed";
import type { StateSnapshot } from "./state";
import { pendingDecisionSchema, vettingScriptSchema } from "./vetting-input";

/** Identifies the file format, so an unrelated JSON file is not mistaken for state. */
const FILE_FORMAT = "partnercenter-emulator-state";
const FILE_VERSION = 1;

/** The file: the seed's shapes plus what only the state holds (pending decisions, scripts, recorded answers, the style). */
const stateFileSchema = z.strictObject({
  format: z.literal(FILE_FORMAT),
  version: z.literal(FILE_VERSION),
  customers: z.array(
    seedCustomerSchema.extend({
      qualifications: z.array(
        z.strictObject({ ...storedQualificationFields, pendingDecision: pendingDecisionSchema.optional() }).superRefine(refuseVettingOfUnvetted),
      ),
      vettingScripts: z.array(vettingScriptSchema).default([]),
    }),
  ),
  validationCodes: z.array(validationCodeSchema),
  answers: z.array(z.strictObject({ requestId: text, status: count, body: z.unknown().optional() })),
  responseStyle: z.unknown().optional(),
});

/** Reads and writes one data file. */
export class StateFile {
  constructor(readonly path: string) {}

  /** The saved snapshot, or undefined when the file does not exist yet. Throws when it is not a valid state file. */
  load(): StateSnapshot | undefined {
    if (!existsSync(this.path)) return undefined;
    const text = readFileSync(this.path, "utf8");
    try {
      const file = parseJsonText(text, "data file");
      if (!isJsonObject(file) || file.format !== FILE_FORMAT || file.version !== FILE_VERSION) {
        throw new InputRejectedError(`not a version ${FILE_VERSION} ${FILE_FORMAT} file`);
      }
      const { format: _format, version: _version, responseStyle, ...snapshot } = parseInput(stateFileSchema, file, "");
      return { ...snapshot, responseStyle: { ...DEFAULT_RESPONSE_STYLE, ...parseResponseStylePatch(responseStyle) } };
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
