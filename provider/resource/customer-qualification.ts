import * as pulumi from "@pulumi/pulumi";
import { DYNAMIC_RESOURCE_TYPE, canonicalQualification, type EducationSegment, type SettableQualification, type WaitForVettingOptions } from "../qualification";
import { guardAgainstConflicts } from "./declared-combinations";
import { defaultPartnerCenterProvider } from "./partner-center-provider";
import { PROVIDER_LOADER } from "./provider-loader";
import { suspendStackTraces } from "./registration-stack-traces";

/** The resource's type token. */
export const CUSTOMER_QUALIFICATION_TYPE = DYNAMIC_RESOURCE_TYPE;

/** The arguments of a {@link CustomerQualification}. */
export interface CustomerQualificationArgs {
  /** The customer's tenant ID (a GUID). */
  readonly customerId: pulumi.Input<string>;
  /** The qualification to set; names are matched case-insensitively. */
  readonly qualification: pulumi.Input<SettableQualification>;
  /** Required for Education (unless `adoptOnly`), refused otherwise. */
  readonly educationSegment?: pulumi.Input<EducationSegment>;
  /** The institution's web site; optional, Education only. */
  readonly website?: pulumi.Input<string>;
  /**
   * GovernmentCommunityCloud only: the `validationId` of one of the partner's validation codes.
   * Stored as a secret. Leave it out to let the provider choose (see `validationOrganization`).
   */
  readonly validationCode?: pulumi.Input<string>;
  /**
   * GovernmentCommunityCloud only, instead of `validationCode`: use the partner's validation code
   * whose organizationName this is. Without either, the provider uses the only code with creates left.
   */
  readonly validationOrganization?: pulumi.Input<string>;
  /**
   * Education and GCC: after creating (or adopting), wait for Microsoft's decision, showing
   * progress. `Denied` and running out of time fail the update; the resource stays in the stack.
   */
  readonly waitForVetting?: pulumi.Input<boolean | WaitForVettingOptions>;
  /**
   * Education and GCC: set to a new label (a date, a ticket number) to re-submit a Denied
   * qualification once for re-verification. Never done without it.
   */
  readonly resubmitDenied?: pulumi.Input<string>;
  /**
   * Only adopt the qualification the customer already holds; never create one. Without it on the
   * customer, create fails before any request that could create it (and so does the next `pulumi up`
   * after it vanished). Needs no `educationSegment` and no validation code. Turning it on or off
   * changes only the stack's state.
   */
  readonly adoptOnly?: pulumi.Input<boolean>;
}

/**
 * A qualification (Education, GovernmentCommunityCloud or StateOwnedEntity) of a CSP customer in
 * Microsoft Partner Center. Created once, never edited, never removed from the customer: Partner
 * Center has no API for either. Destroying the resource only removes it from the stack.
 *
 * ID: `<customerId>/<Qualification>`.
 */
export class CustomerQualification extends pulumi.CustomResource {
  /** The customer's tenant ID, in lower case. */
  declare readonly customerId: pulumi.Output<string>;
  /** The qualification, in the API's spelling. */
  declare readonly qualification: pulumi.Output<SettableQualification>;
  declare readonly educationSegment: pulumi.Output<EducationSegment | undefined>;
  declare readonly website: pulumi.Output<string | undefined>;
  /** The validation code used (given or chosen). Secret. */
  declare readonly validationCode: pulumi.Output<string | undefined>;
  /** GCC: true when the provider chose `validationCode` (the program gave none), false when it was given. */
  declare readonly validationCodeChosen: pulumi.Output<boolean | undefined>;
  declare readonly validationOrganization: pulumi.Output<string | undefined>;
  declare readonly waitForVetting: pulumi.Output<boolean | WaitForVettingOptions | undefined>;
  declare readonly resubmitDenied: pulumi.Output<string | undefined>;
  declare readonly adoptOnly: pulumi.Output<boolean | undefined>;
  /** `InReview`, `Approved`, `Denied`, ...; undefined for StateOwnedEntity, which is not vetted. */
  declare readonly vettingStatus: pulumi.Output<string | undefined>;
  /** Microsoft's reason, usually with `Denied`. */
  declare readonly vettingReason: pulumi.Output<string | undefined>;
  /** When vetting started (ISO 8601). */
  declare readonly vettingCreateDate: pulumi.Output<string | undefined>;

  constructor(name: string, args: CustomerQualificationArgs, opts?: pulumi.CustomResourceOptions) {
    // A CustomResource of the dynamic-provider plugin's type rather than a `pulumi.dynamic.Resource`:
    // `__provider` is our loader, not a serialized closure, and the source position Pulumi records
    // is the program's line that declared the resource, not this constructor.
    const inputs = {
      // Refuses Education with GCC on one customer when both are declared in this program.
      customerId: guardAgainstConflicts(name, args.customerId, args.qualification),
      qualification: args.qualification,
      educationSegment: args.educationSegment,
      website: args.website,
      validationCode: args.validationCode === undefined ? undefined : pulumi.secret(args.validationCode),
      validationOrganization: args.validationOrganization,
      waitForVetting: args.waitForVetting,
      resubmitDenied: args.resubmitDenied,
      adoptOnly: args.adoptOnly,
      validationCodeChosen: undefined,
      vettingStatus: undefined,
      vettingReason: undefined,
      vettingCreateDate: undefined,
      // The dynamic-provider host does not tell the provider which resource it is acting on;
      // the URN lets progress and warnings appear on the resource's own line in the CLI.
      __urn: pulumi.createUrn(name, CUSTOMER_QUALIFICATION_TYPE, opts?.parent),
      __provider: PROVIDER_LOADER,
    };
    const options = pulumi.mergeOptions(opts, {
      // Only GCC can hold a code; a known other qualification needn't store the option in state.
      ...(mayHoldValidationCode(args.qualification) ? { additionalSecretOutputs: ["validationCode"] } : {}),
      // Not Pulumi's default dynamic provider, which stores the whole stack configuration in state.
      provider: opts?.provider ?? defaultPartnerCenterProvider(),
    });
    // Inputs are checked above with stack traces on; see registration-stack-traces.ts for why not below.
    const restoreStackTraces = suspendStackTraces();
    try {
      super(CUSTOMER_QUALIFICATION_TYPE, name, inputs, options);
    } finally {
      restoreStackTraces();
    }
  }
}

/** False only for a qualification known now to be one that never holds a validation code. */
function mayHoldValidationCode(qualification: pulumi.Input<SettableQualification>): boolean {
  return (
    typeof qualification !== "string" ||
    canonicalQualification(qualification) === undefined ||
    canonicalQualification(qualification) === "GovernmentCommunityCloud"
  );
}
