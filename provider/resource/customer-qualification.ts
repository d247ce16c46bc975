import * as pulumi from "@pulumi/pulumi";
import type { EducationSegment, SettableQualification } from "../qualification";
import { leanProvider } from "./lean-provider";

/** The arguments of a {@link CustomerQualification}. */
export interface CustomerQualificationArgs {
  /** The customer's tenant ID (a GUID). */
  readonly customerId: pulumi.Input<string>;
  /** The qualification to set; names are matched case-insensitively. */
  readonly qualification: pulumi.Input<SettableQualification>;
  /** Required for Education, refused otherwise. */
  readonly educationSegment?: pulumi.Input<EducationSegment>;
  /** The institution's web site; optional, Education only. */
  readonly website?: pulumi.Input<string>;
  /** Required for GovernmentCommunityCloud, refused otherwise. Stored as a secret. */
  readonly validationCode?: pulumi.Input<string>;
}

/**
 * A qualification (Education, GovernmentCommunityCloud or StateOwnedEntity) of a CSP customer in
 * Microsoft Partner Center. Created once, never edited, never removed from the customer: Partner
 * Center has no API for either. Destroying the resource only removes it from the stack.
 *
 * ID: `<customerId>/<Qualification>`.
 */
export class CustomerQualification extends pulumi.dynamic.Resource {
  /** The customer's tenant ID, in lower case. */
  declare readonly customerId: pulumi.Output<string>;
  /** The qualification, in the API's spelling. */
  declare readonly qualification: pulumi.Output<SettableQualification>;
  declare readonly educationSegment: pulumi.Output<EducationSegment | undefined>;
  declare readonly website: pulumi.Output<string | undefined>;
  /** Secret. */
  declare readonly validationCode: pulumi.Output<string | undefined>;
  /** `InReview`, `Approved`, `Denied`, ...; undefined for StateOwnedEntity, which is not vetted. */
  declare readonly vettingStatus: pulumi.Output<string | undefined>;
  /** Microsoft's reason, usually with `Denied`. */
  declare readonly vettingReason: pulumi.Output<string | undefined>;
  /** When vetting started (ISO 8601). */
  declare readonly vettingCreateDate: pulumi.Output<string | undefined>;

  constructor(name: string, args: CustomerQualificationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      leanProvider,
      name,
      {
        customerId: args.customerId,
        qualification: args.qualification,
        educationSegment: args.educationSegment,
        website: args.website,
        validationCode: args.validationCode === undefined ? undefined : pulumi.secret(args.validationCode),
        vettingStatus: undefined,
        vettingReason: undefined,
        vettingCreateDate: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["validationCode"] }),
      "partnercenter",
      "CustomerQualification",
    );
  }
}
