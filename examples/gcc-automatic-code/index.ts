// GovernmentCommunityCloud without naming a code: the provider reads the partner's validation
// codes and uses the only one with creates left (or, with validationOrganization, that
// organization's code). Ambiguity is refused before anything is sent, naming the candidates.
import { CustomerQualification, getValidationCodes } from "pulumi-partnercenter";

const city = new CustomerQualification("litware-city", {
  customerId: "5a0c2d1e-3333-4a2b-8c3d-000000000001",
  qualification: "GovernmentCommunityCloud",
});

const county = new CustomerQualification("woodgrove-county", {
  customerId: "5a0c2d1e-3333-4a2b-8c3d-000000000002",
  qualification: "GovernmentCommunityCloud",
  validationOrganization: "Woodgrove County",
});

export const cityVetting = city.vettingStatus;
export const countyVetting = county.vettingStatus;
/** What is left of each code; codes themselves are secrets and are not exported. */
export const createsLeftBefore = getValidationCodes().then((codes) => Object.fromEntries(codes.map((c) => [c.organizationName, c.remainingCreates ?? null])));
