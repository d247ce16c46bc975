/**
 * The same CustomerQualification for TypeScript programs, served by the native plugin
 * `pulumi-resource-partnercenter` instead of the dynamic provider: a fraction of the state (no
 * serialized provider), `pulumi import`, and settings through an ordinary provider resource.
 */
import * as pulumi from "@pulumi/pulumi";
import { NATIVE_RESOURCE_TYPE, type EducationSegment, type SettableQualification, type WaitForVettingOptions } from "../qualification";
import {
  customerQualificationArgsOf,
  guardAgainstConflicts,
  resourceNameOf,
  settingsAsInputs,
  suspendStackTraces,
  type CustomerQualificationArgs,
  type PartnerCenterProviderArgs,
} from "../resource";
import type { CustomerListEntry } from "../customer-list";
import { CONFIG_NAMESPACE } from "../config";

/** The type token the plugin serves. */
export const NATIVE_CUSTOMER_QUALIFICATION_TYPE = NATIVE_RESOURCE_TYPE;

/**
 * Settings of the native plugin for the resources that name it in `opts.provider`. Without one,
 * resources use the default provider, configured from the stack's `partnercenter:` config.
 */
export class Provider extends pulumi.ProviderResource {
  constructor(name: string, args: PartnerCenterProviderArgs = {}, opts?: pulumi.ResourceOptions) {
    // The plugin's Configure reads its arguments by setting name.
    super(
      CONFIG_NAMESPACE,
      name,
      settingsAsInputs("native.Provider", args, (setting) => setting),
      opts,
    );
  }
}

/** A customer qualification managed by the native plugin; the same inputs, outputs and ID as {@link CustomerQualificationArgs}. */
export class CustomerQualification extends pulumi.CustomResource {
  /** The customer's tenant ID, in lower case. */
  declare readonly customerId: pulumi.Output<string>;
  /** The qualification, in the API's spelling. */
  declare readonly qualification: pulumi.Output<SettableQualification>;
  declare readonly educationSegment: pulumi.Output<EducationSegment | undefined>;
  declare readonly website: pulumi.Output<string | undefined>;
  /** The validation code used (given or chosen). Secret. */
  declare readonly validationCode: pulumi.Output<string | undefined>;
  /** GCC: true when the provider chose `validationCode`. */
  declare readonly validationCodeChosen: pulumi.Output<boolean | undefined>;
  declare readonly validationOrganization: pulumi.Output<string | undefined>;
  declare readonly waitForVetting: pulumi.Output<boolean | WaitForVettingOptions | undefined>;
  declare readonly resubmitDenied: pulumi.Output<string | undefined>;
  declare readonly adoptOnly: pulumi.Output<boolean | undefined>;
  /** `InReview`, `Approved`, `Denied`, ...; undefined for StateOwnedEntity. */
  declare readonly vettingStatus: pulumi.Output<string | undefined>;
  declare readonly vettingReason: pulumi.Output<string | undefined>;
  declare readonly vettingCreateDate: pulumi.Output<string | undefined>;

  constructor(name: string, args: CustomerQualificationArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      ...args,
      customerId: guardAgainstConflicts(name, args.customerId, args.qualification),
      validationCode: args.validationCode === undefined ? undefined : pulumi.secret(args.validationCode),
      validationCodeChosen: undefined,
      vettingStatus: undefined,
      vettingReason: undefined,
      vettingCreateDate: undefined,
    };
    // The plugin itself returns validationCode as a secret. See registration-stack-traces.ts for the limit.
    const restoreStackTraces = suspendStackTraces();
    try {
      super(NATIVE_CUSTOMER_QUALIFICATION_TYPE, name, props, opts);
    } finally {
      restoreStackTraces();
    }
  }
}

/**
 * Declares one native {@link CustomerQualification} per entry of a validated list, named as the
 * dynamic form's `declareCustomerQualifications` names them (`<customerId>-<Qualification>`).
 */
export function declareCustomerQualifications(entries: readonly CustomerListEntry[], opts?: pulumi.CustomResourceOptions): CustomerQualification[] {
  return entries.map((entry) => new CustomerQualification(resourceNameOf(entry), customerQualificationArgsOf(entry), opts));
}
