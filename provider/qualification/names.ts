/**
 * The qualification values Partner Center knows, and the ones a partner can set.
 * Names are matched case-insensitively because older clients and some responses use lower case.
 */

/** A qualification a partner can set on a customer. */
export type SettableQualification = "Education" | "GovernmentCommunityCloud" | "StateOwnedEntity";

/** The settable qualifications, in the spelling the API uses. */
export const SETTABLE_QUALIFICATIONS: readonly SettableQualification[] = ["Education", "GovernmentCommunityCloud", "StateOwnedEntity"];

/** Values of the service's enum that exist but can never be set through the API. */
export const UNSETTABLE_QUALIFICATIONS: readonly string[] = ["None", "Nonprofit"];

/** The segment of an Education qualification. */
export type EducationSegment = "K12" | "HigherEducation";

/** The education segments, in the spelling the API uses. */
export const EDUCATION_SEGMENTS: readonly EducationSegment[] = ["K12", "HigherEducation"];

/**
 * The one of `candidates` that `name` spells, whatever its letter case and surrounding spaces.
 * Partner Center matches names this way, and this package reads its own names (settings, columns,
 * qualifications) the same way.
 */
export function oneOf<T extends string>(candidates: readonly T[], name: string): T | undefined {
  const wanted = name.trim().toLowerCase();
  return candidates.find((candidate) => candidate.toLowerCase() === wanted);
}

/** Returns the canonical spelling of a settable qualification, or undefined when the name is not one. */
export function canonicalQualification(name: string): SettableQualification | undefined {
  return oneOf(SETTABLE_QUALIFICATIONS, name);
}

/** Returns the canonical spelling of an education segment, or undefined when the name is not one. */
export function canonicalEducationSegment(name: string): EducationSegment | undefined {
  return oneOf(EDUCATION_SEGMENTS, name);
}

/** True when two qualification names denote the same qualification, whatever their letter case. */
export function sameQualification(a: string, b: string): boolean {
  return oneOf([a.trim()], b) !== undefined;
}

/**
 * Pairs of qualifications that Partner Center refuses on one customer.
 * Education and GCC exclude each other; either may be combined with StateOwnedEntity.
 */
export const CONFLICTING_QUALIFICATIONS: ReadonlyArray<readonly [SettableQualification, SettableQualification]> = [["Education", "GovernmentCommunityCloud"]];

/** The qualifications that the given one cannot be combined with on one customer. */
export function conflictsOf(qualification: SettableQualification): SettableQualification[] {
  const out: SettableQualification[] = [];
  for (const [a, b] of CONFLICTING_QUALIFICATIONS) {
    if (a === qualification) out.push(b);
    if (b === qualification) out.push(a);
  }
  return out;
}
