/**
 * Education and GovernmentCommunityCloud can't be combined on one customer. When a program
 * declares both, refuse both before either reaches Partner Center: each declaration's customerId
 * is held back until the program's synchronous part has declared everything, then checked.
 */
import * as pulumi from "@pulumi/pulumi";
import { canonicalQualification, conflictsOf, type SettableQualification } from "../qualification";

interface Declaration {
  readonly resourceName: string;
  readonly customerId: string;
  readonly qualification: SettableQualification;
}

/** The declarations of the current turn, judged together, then forgotten. */
const declared: Declaration[] = [];
/** Declarations of the current turn not judged yet; the list is cleared when it reaches zero. */
let unjudged = 0;

/**
 * Returns the customerId, delayed until the end of the current turn of the program and rejected
 * when another declaration of this program conflicts with this one.
 */
export function guardAgainstConflicts(
  resourceName: string,
  customerId: pulumi.Input<string>,
  qualification: pulumi.Input<SettableQualification>,
): pulumi.Output<string> {
  return pulumi.all([customerId, qualification]).apply(async ([id, name]) => {
    const canonical = typeof name === "string" ? canonicalQualification(name) : undefined;
    if (typeof id !== "string" || canonical === undefined) return id;
    const mine: Declaration = { resourceName, customerId: id.trim().toLowerCase(), qualification: canonical };
    declared.push(mine);
    unjudged++;
    // Let the rest of the program declare its resources before judging.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const clash = declared.find((d) => d !== mine && d.customerId === mine.customerId && conflictsOf(mine.qualification).includes(d.qualification));
    // The last judge of the turn clears the list, so a long program doesn't keep every declaration.
    if (--unjudged === 0) declared.length = 0;
    if (clash !== undefined) {
      throw new Error(
        `Refused ${resourceName}: customer ${mine.customerId} is declared with ${mine.qualification} here and with ${clash.qualification} in ${clash.resourceName}; Partner Center refuses the two together (either may be combined with StateOwnedEntity)`,
      );
    }
    return id;
  });
}
