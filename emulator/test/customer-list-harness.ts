/**
 * Helpers for the customer-list tests: many generated customers, the Collection body's shape,
 * and a client that follows `links.next` the way the contract says a client must.
 */

import assert from "node:assert/strict";
import type { RunningEmulator, SeedCustomer } from "../index";
import { callApi, type ApiResponse } from "./emulator-harness";

/** A link as the emulator writes them. */
export interface Link {
  uri: string;
  method: string;
  headers: { key: string; value: string }[];
}

/** A customer as the list shows it. */
export interface ListedCustomer {
  id: string;
  companyProfile: { tenantId: string; domain?: string; companyName?: string };
  relationshipToPartner: string;
  links: { self: Link };
  attributes: { objectType: string };
}

/** One page of `GET /v1/customers`. */
export interface CustomerCollection {
  totalCount: number;
  items: ListedCustomer[];
  links: { self: Link; next?: Link };
  attributes: { objectType: string };
}

/** `count` customers with distinct GUIDs, names and domains, in a known order. */
export function manyCustomers(count: number): SeedCustomer[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `00000000-0000-4000-8000-${index.toString(16).padStart(12, "0")}`,
    companyName: `Customer ${index}`,
    domain: `customer${index}.onmicrosoft.com`,
  }));
}

/** The `/v1/customers` path with a query. */
export function customersPath(query: Record<string, string>): string {
  return `/v1/customers?${new URLSearchParams(query).toString()}`;
}

/** A filter query parameter value (before URL encoding). */
export function filterJson(field: string, value: string, operator = "starts_with"): string {
  return JSON.stringify({ Field: field, Value: value, Operator: operator });
}

/** Requests a link as given, adding `/v1` when the service left it out, and sending its headers. */
export function follow(emulator: RunningEmulator, link: Link): Promise<ApiResponse> {
  const path = link.uri.startsWith("/v1/") ? link.uri : `/v1${link.uri}`;
  return callApi(emulator, link.method, path, { headers: Object.fromEntries(link.headers.map((header) => [header.key, header.value])) });
}

/** Every page from `firstPath` on, following `links.next` until it is absent; each page must answer 200. */
export async function readAllPages(emulator: RunningEmulator, firstPath: string): Promise<CustomerCollection[]> {
  const pages: CustomerCollection[] = [];
  let response = await callApi(emulator, "GET", firstPath);
  for (;;) {
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const page = response.body as CustomerCollection;
    pages.push(page);
    if (page.links.next === undefined) return pages;
    assert.ok(pages.length < 1000, "the list never ends");
    response = await follow(emulator, page.links.next);
  }
}

/** The continuation token a page's next link carries. */
export function continuationTokenOf(page: CustomerCollection): string {
  const header = page.links.next?.headers.find((candidate) => candidate.key === "MS-ContinuationToken");
  assert.ok(header, "the page has no next link with an MS-ContinuationToken header");
  return header.value;
}
