// A county qualifies for GovernmentCommunityCloud with the partner's validation code, kept as a
// secret in the stack's configuration (set with `pulumi config set --secret validationCode ...`).
import * as pulumi from "@pulumi/pulumi";
import { CustomerQualification } from "pulumi-partnercenter";

const config = new pulumi.Config();

const county = new CustomerQualification("woodgrove-county", {
  customerId: "5a0c2d1e-2222-4a2b-8c3d-000000000001",
  qualification: "GovernmentCommunityCloud",
  validationCode: config.requireSecret("validationCode"),
});

export const countyVetting = county.vettingStatus;
