/**
 * The partner's GCC validation codes as one provider process sees them: read once and shared by
 * every GCC create (concurrent callers wait for the same read), with the creates this process has
 * reserved subtracted, so that GCC creates run in parallel without two of them spending a code's
 * last create. When the service refuses a code, the codes are read once more for that code.
 */
import type { ValidationCode } from "../client";
import { chooseValidationCode, maskedValidationId, type ValidationCodeWish } from "./validation-code-choice";

/** One create of a code, reserved by a GCC create until its POST has settled. */
export interface CodeReservation {
  /** The code to send. */
  readonly validationId: string;
  /** Gives the create back: the POST certainly created nothing. */
  release(): void;
  /** The POST created the qualification (or may have): the create is spent. */
  spend(): void;
}

/** What the ledger needs: the read, and where to say that a given code is used unchecked. */
export interface LedgerDependencies {
  readonly read: () => Promise<ValidationCode[]>;
  readonly warn: (message: string) => Promise<void>;
}

/** The partner's validation codes and this process's reservations of their creates. */
export class ValidationCodeLedger {
  readonly #deps: LedgerDependencies;
  #codes: Promise<ValidationCode[]> | undefined;
  /** Creates of each code held by POSTs that have not settled. */
  readonly #pending = new Map<string, number>();
  /** Creates of each code this process spent since the codes were read (the read doesn't show them). */
  readonly #spent = new Map<string, number>();
  readonly #reread = new Set<string>();

  constructor(deps: LedgerDependencies) {
    this.#deps = deps;
  }

  /**
   * Chooses the code the wish asks for among those with creates left, and reserves one create.
   * A given code does not depend on the read: if the codes can't be read, it is used as given.
   */
  async reserve(wish: ValidationCodeWish, subject: string): Promise<CodeReservation> {
    let codes: ValidationCode[];
    try {
      codes = await this.#read();
    } catch (error) {
      if (wish.validationCode === undefined) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      await this.#deps.warn(
        `${subject}: could not read the partner's GCC validation codes, so the given code ${maskedValidationId(wish.validationCode)} is used unchecked (${reason})`,
      );
      return { validationId: wish.validationCode, release: () => undefined, spend: () => undefined };
    }
    const code = chooseValidationCode(
      codes.map((c) => this.#available(c)),
      wish,
      subject,
    );
    return this.#hold(code.validationId);
  }

  /**
   * The service refused a code. Reads the codes once more (once per code), so that the next choice
   * sees what Partner Center now says; returns false when that code was read again before.
   */
  rereadAfterRefusal(validationId: string): boolean {
    if (this.#reread.has(validationId)) return false;
    this.#reread.add(validationId);
    this.#codes = undefined;
    this.#spent.clear();
    return true;
  }

  #read(): Promise<ValidationCode[]> {
    const read = (this.#codes ??= this.#deps.read());
    read.catch(() => {
      if (this.#codes === read) this.#codes = undefined;
    });
    return read;
  }

  #available(code: ValidationCode): ValidationCode {
    const held = count(this.#pending, code.validationId) + count(this.#spent, code.validationId);
    return code.remainingCreates === undefined || held === 0 ? code : { ...code, remainingCreates: code.remainingCreates - held };
  }

  #hold(validationId: string): CodeReservation {
    add(this.#pending, validationId, 1);
    let settled = false;
    const settle = (spent: boolean): void => {
      if (settled) return;
      settled = true;
      add(this.#pending, validationId, -1);
      if (spent) add(this.#spent, validationId, 1);
    };
    return { validationId, release: () => settle(false), spend: () => settle(true) };
  }
}

function count(counts: ReadonlyMap<string, number>, key: string): number {
  return counts.get(key) ?? 0;
}

function add(counts: Map<string, number>, key: string, delta: number): void {
  counts.set(key, count(counts, key) + delta);
}
