/**
 * Choosing the partner's GCC validation code for a GovernmentCommunityCloud qualification: the one
 * given, the one of the given organization, or the only one with creates left. A validation code is
 * a secret, so messages name candidates by organization and the last characters of their ID only.
 */
import { InputValidationError, oneOf } from "../qualification";
import type { ValidationCode } from "../client";

/** What the declaration asks for. */
export interface ValidationCodeWish {
  readonly validationCode?: string;
  readonly validationOrganization?: string;
}

/** A validation code's ID as messages show it: the last four characters. */
export function maskedValidationId(validationId: string): string {
  return validationId.length > 4 ? `...${validationId.slice(-4)}` : "****";
}

function describe(code: ValidationCode): string {
  const left = code.remainingCreates !== undefined ? `, ${code.remainingCreates} creates left` : "";
  return `${code.organizationName || "(no organization)"} (validationId ${maskedValidationId(code.validationId)}${left})`;
}

function hasCreatesLeft(code: ValidationCode): boolean {
  // A record without the count is given the benefit of the doubt; the service has the last word.
  return code.remainingCreates === undefined || code.remainingCreates > 0;
}

/** Picks the code to use, or throws an {@link InputValidationError} naming the field and the candidates. */
export function chooseValidationCode(codes: readonly ValidationCode[], wish: ValidationCodeWish, subject: string): ValidationCode {
  const refuse = (property: string, reason: string): never => {
    throw new InputValidationError(subject, [{ property, reason }]);
  };
  const candidates = codes.length > 0 ? codes.map(describe).join("; ") : "the partner has none";
  if (wish.validationCode !== undefined) {
    const given = codes.find((c) => c.validationId === wish.validationCode);
    if (given === undefined) {
      return refuse("validationCode", `validationCode is not one of the partner's GCC validation codes; candidates: ${candidates}`);
    }
    if (!hasCreatesLeft(given)) {
      return refuse(
        "validationCode",
        `validationCode ${maskedValidationId(given.validationId)} of ${given.organizationName} has no creates left; candidates: ${candidates}`,
      );
    }
    return given;
  }
  if (wish.validationOrganization !== undefined) {
    const wanted = wish.validationOrganization;
    const named = codes.filter((c) => oneOf([c.organizationName.trim()], wanted) !== undefined);
    const usable = named.filter(hasCreatesLeft);
    if (named.length === 0) {
      return refuse("validationOrganization", `no GCC validation code belongs to ${JSON.stringify(wish.validationOrganization)}; candidates: ${candidates}`);
    }
    if (usable.length === 0) {
      return refuse(
        "validationOrganization",
        `the GCC validation codes of ${JSON.stringify(wish.validationOrganization)} have no creates left: ${named.map(describe).join("; ")}`,
      );
    }
    if (usable.length > 1) {
      return refuse(
        "validationOrganization",
        `${usable.length} GCC validation codes of ${JSON.stringify(wish.validationOrganization)} have creates left; choose one with validationCode: ${usable.map(describe).join("; ")}`,
      );
    }
    return usable[0]!;
  }
  const usable = codes.filter(hasCreatesLeft);
  if (usable.length === 1) return usable[0]!;
  if (usable.length === 0) {
    return refuse("validationCode", `no GCC validation code has creates left; candidates: ${candidates}`);
  }
  return refuse(
    "validationCode",
    `${usable.length} GCC validation codes have creates left; choose one with validationOrganization or validationCode: ${usable.map(describe).join("; ")}`,
  );
}
