// Many customers from a CSV file: the whole list is checked first (bad rows by line number,
// duplicates, Education with GCC on one customer), then one resource is declared per row.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { countByVettingStatus, declareCustomerQualifications, readCustomerListCsv } from "pulumi-partnercenter";

const file = join(__dirname, "customers.csv");
const entries = readCustomerListCsv(readFileSync(file, "utf8"), "customers.csv");
const qualifications = declareCustomerQualifications(entries);

export const declared = qualifications.length;
export const vettingSummary = countByVettingStatus(qualifications);
