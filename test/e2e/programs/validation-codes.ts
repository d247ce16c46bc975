/**
 * A Pulumi program of the validation-code and upgrade tests: a GCC qualification for every way a
 * code comes in, beside an Education and a StateOwnedEntity one. The tests copy this file into a
 * program folder that installs a packed package (this repository's, or 0.1.0 for old state).
 *
 * Stack config (namespace `partnercenter-e2e`): `customers` (an object of customer IDs by role),
 * `secretCode` (secret), `plainCode` (plain text), `organization`, and optional `resubmitLabel`
 * (a new label makes every resource update) and `replaceOnlyCodeWith` (a customer ID that
 * replaces the one of `gcc-only-code`).
 */
import * as pulumi from "@pulumi/pulumi";
import { CustomerQualification } from "pulumi-partnercenter";

interface Customers {
  secret: string;
  plain: string;
  organization: string;
  only: string;
  adopted: string;
  education: string;
  stateOwned: string;
}

const config = new pulumi.Config("partnercenter-e2e");
const customers = config.requireObject<Customers>("customers");
const resubmitDenied = config.get("resubmitLabel");
const common = { qualification: "GovernmentCommunityCloud" as const, ...(resubmitDenied !== undefined ? { resubmitDenied } : {}) };

const declared = [
  new CustomerQualification("gcc-secret-code", { ...common, customerId: customers.secret, validationCode: config.requireSecret("secretCode") }),
  new CustomerQualification("gcc-plain-code", { ...common, customerId: customers.plain, validationCode: config.require("plainCode") }),
  new CustomerQualification("gcc-by-organization", { ...common, customerId: customers.organization, validationOrganization: config.require("organization") }),
  new CustomerQualification("gcc-only-code", { ...common, customerId: config.get("replaceOnlyCodeWith") ?? customers.only }),
  new CustomerQualification("gcc-adopted", { ...common, customerId: customers.adopted, validationCode: config.requireSecret("secretCode") }),
  new CustomerQualification("education", {
    customerId: customers.education,
    qualification: "Education",
    educationSegment: "K12",
    website: "school.example.edu",
  }),
  new CustomerQualification("state-owned", { customerId: customers.stateOwned, qualification: "StateOwnedEntity" }),
];

/** Each resource's vetting, so that `pulumi stack output` has something to print. */
export const vetting = declared.map((q) => q.vettingStatus);
/** The code each resource used: a secret output, printed as [secret]. */
export const codes = declared.map((q) => q.validationCode);
