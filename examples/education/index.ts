// Two schools qualify for Education pricing. The first waits for Microsoft's vetting decision,
// with progress in the CLI; the emulator approves it a few seconds after the request.
import { CustomerQualification } from "pulumi-partnercenter";

const district = new CustomerQualification("contoso-school-district", {
  customerId: "5a0c2d1e-1111-4a2b-8c3d-000000000001",
  qualification: "Education",
  educationSegment: "K12",
  website: "contoso-schools.example.edu",
  waitForVetting: { timeoutInMs: 60_000, pollIntervalInMs: 1_000 },
});

const university = new CustomerQualification("fabrikam-university", {
  customerId: "5a0c2d1e-1111-4a2b-8c3d-000000000002",
  qualification: "Education",
  educationSegment: "HigherEducation",
});

export const districtVetting = district.vettingStatus;
export const universityVetting = university.vettingStatus;
