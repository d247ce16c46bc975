/**
 * The emulator tests' harness: the seed, one emulator per suite on an ephemeral port (reset
 * before every test) or one per test, and a small fetch wrapper for the /v1 API. The identity
 * tests add their tenants and clients on top (identity-harness.ts).
 */

import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEVELOPMENT_ACCESS_TOKEN, type EmulatorOptions, type EmulatorSeed, type RunningEmulator } from "../index";
import { emulatorSuite, withEmulator, type EmulatorFixture } from "../../test/fixtures/emulator-suite";

/** A customer with no qualification. */
export const EMPTY_CUSTOMER = "0b7a4d3e-5c1f-4e2a-9d8b-1a2b3c4d5e6f";
/** A customer already holding an approved Education qualification. */
export const EDUCATION_CUSTOMER = "1c8b5e4f-6d2a-4f3b-8e9c-2b3c4d5e6f70";
/** A customer holding an approved GCC qualification and StateOwnedEntity. */
export const GCC_CUSTOMER = "2d9c6f50-7e3b-4a4c-9fad-3c4d5e6f7081";
/** A customer whose Education qualification was denied. */
export const DENIED_CUSTOMER = "3eab7061-8f4c-4b5d-8abe-4d5e6f708192";
/** A well-formed tenant id the emulator does not know. */
export const UNKNOWN_CUSTOMER = "9f9f9f9f-9f9f-4f9f-9f9f-9f9f9f9f9f9f";

/** A validation code with creates left. */
export const GCC_CODE = "100001";
/** A validation code with no creates left. */
export const EXHAUSTED_GCC_CODE = "100002";

/** The seed every suite starts from (and `reset()` restores). */
export const TEST_SEED: EmulatorSeed = {
  customers: [
    { id: EMPTY_CUSTOMER, companyName: "Fabrikam" },
    {
      id: EDUCATION_CUSTOMER,
      companyName: "Contoso University",
      qualifications: [{ qualification: "Education", vettingStatus: "Approved", vettingCreateDate: "2024-01-02T03:04:05.000Z" }],
    },
    {
      id: GCC_CUSTOMER,
      companyName: "Woodgrove County",
      qualifications: [
        { qualification: "GovernmentCommunityCloud", vettingStatus: "Approved", vettingCreateDate: "2024-02-03T04:05:06.000Z" },
        { qualification: "StateOwnedEntity" },
      ],
    },
    {
      id: DENIED_CUSTOMER,
      companyName: "Tailspin Toys",
      qualifications: [
        { qualification: "Education", vettingStatus: "Denied", vettingReason: "Not an Education Customer", vettingCreateDate: "2024-03-04T05:06:07.000Z" },
      ],
    },
  ],
  validationCodes: [
    {
      partnerId: "4f5e6d7c-0000-4000-8000-000000000001",
      organizationName: "Contoso Partner",
      validationId: GCC_CODE,
      maxCreates: 5,
      remainingCreates: 2,
      eTag: "etag-1",
    },
    {
      partnerId: "4f5e6d7c-0000-4000-8000-000000000001",
      organizationName: "Contoso Partner",
      validationId: EXHAUSTED_GCC_CODE,
      maxCreates: 1,
      remainingCreates: 0,
      eTag: "etag-2",
    },
  ],
};

/** Starts an emulator (seeded with {@link TEST_SEED} unless `options` say otherwise) in `before`, resets it in `beforeEach`, closes it in `after`. */
export function useEmulator(options: EmulatorOptions = {}): EmulatorFixture {
  return emulatorSuite({ seed: TEST_SEED, ...options });
}

export { withEmulator, type EmulatorFixture };

/** A fresh temporary directory for each test, removed after it; `path` is valid inside tests. */
export function useTemporaryDirectory(prefix = "partnercenter-emulator-"): { readonly path: string } {
  let path: string | undefined;
  beforeEach(() => {
    path = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(() => {
    if (path !== undefined) rmSync(path, { recursive: true, force: true });
  });
  return {
    get path(): string {
      if (path === undefined) throw new Error("the temporary directory exists only inside tests");
      return path;
    },
  };
}

/** An API response with its body parsed. */
export interface ApiResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Options for {@link callApi}. */
export interface CallOptions {
  /** A JSON value, or a string sent verbatim. */
  body?: unknown;
  /** Bearer token; default the development token; null sends no Authorization header. */
  token?: string | null;
  headers?: Record<string, string>;
}

/** Calls the /v1 API over loopback. */
export async function callApi(emulator: RunningEmulator, method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  const token = options.token === undefined ? DEVELOPMENT_ACCESS_TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] = "application/json";
  }
  const response = await fetch(`${emulator.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === "" ? undefined : (JSON.parse(text) as unknown) };
}

/** The qualifications route of a customer. */
export function qualificationsPath(customerId: string, query = ""): string {
  return `/v1/customers/${customerId}/qualifications${query}`;
}

/** POSTs a qualification body to a customer. */
export function postQualification(
  emulator: RunningEmulator,
  customerId: string,
  body: unknown,
  options: { query?: string; requestId?: string; token?: string | null } = {},
): Promise<ApiResponse> {
  return callApi(emulator, "POST", qualificationsPath(customerId, options.query), {
    body,
    headers: { "MS-RequestId": options.requestId ?? randomUUID(), "MS-CorrelationId": randomUUID() },
    ...(options.token === undefined ? {} : { token: options.token }),
  });
}

/** A customer's stored qualifications, read over the control API. */
export async function storedQualifications(emulator: RunningEmulator, customerId: string): Promise<unknown[]> {
  const customer = await emulator.control.customer(customerId);
  if (customer === undefined) throw new Error(`customer ${customerId} is unknown`);
  return customer.qualifications;
}

/** The `description` of a Partner Center error body. */
export function descriptionOf(body: unknown): string {
  if (typeof body === "object" && body !== null && "description" in body && typeof body.description === "string") return body.description;
  throw new Error(`not a Partner Center error body: ${JSON.stringify(body)}`);
}

/** An ISO 8601 UTC timestamp, as the emulator writes them. */
export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
