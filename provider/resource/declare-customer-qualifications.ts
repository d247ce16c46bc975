import * as pulumi from "@pulumi/pulumi";
import type { CustomerListEntry } from "../customer-list";
import { CustomerQualification, type CustomerQualificationArgs } from "./customer-qualification";

/** The logical name of a list entry's resource: `<customerId>-<Qualification>`, unique and stable. */
export function resourceNameOf(entry: Pick<CustomerListEntry, "customerId" | "qualification">): string {
  return `${entry.customerId}-${entry.qualification}`;
}

/** The resource arguments of a list entry: its inputs without the bookkeeping. */
export function customerQualificationArgsOf(entry: CustomerListEntry): CustomerQualificationArgs {
  const { source: _source, ...inputs } = entry;
  return inputs;
}

/** Declares one {@link CustomerQualification} per entry of a validated list. */
export function declareCustomerQualifications(entries: readonly CustomerListEntry[], opts?: pulumi.CustomResourceOptions): CustomerQualification[] {
  return entries.map((entry) => new CustomerQualification(resourceNameOf(entry), customerQualificationArgsOf(entry), opts));
}

/**
 * Counts qualifications by vetting status, for a stack output (of either resource form).
 * StateOwnedEntity, which is not vetted, counts as `NotVetted`.
 */
export function countByVettingStatus(resources: ReadonlyArray<Pick<CustomerQualification, "vettingStatus">>): pulumi.Output<Record<string, number>> {
  return pulumi.all(resources.map((r) => r.vettingStatus)).apply((statuses) => {
    const counts: Record<string, number> = {};
    for (const status of statuses) {
      const key = status ?? "NotVetted";
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  });
}
