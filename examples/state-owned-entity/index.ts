// StateOwnedEntity is not vetted: no vetting fields come back. It combines with Education or
// with GovernmentCommunityCloud; here a state utility also holds GCC.
import { CustomerQualification } from "pulumi-partnercenter";

const utility = "5a0c2d1e-4444-4a2b-8c3d-000000000001";

const soe = new CustomerQualification("northwind-power-soe", {
  customerId: utility,
  qualification: "StateOwnedEntity",
});

new CustomerQualification("northwind-power-gcc", {
  customerId: utility,
  qualification: "GovernmentCommunityCloud",
});

export const soeId = soe.id;
export const soeVetting = soe.vettingStatus.apply((s) => s ?? "not vetted");
