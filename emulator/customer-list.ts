/**
 * `GET /v1/customers`: reading the query (`size`, `filter`, `seekOperation=Next` with the
 * `MS-ContinuationToken` header) and rendering a page as Partner Center's Collection body,
 * with a `next` link while more customers remain.
 */

import type { IncomingHttpHeaders } from "node:http";
import { ERROR_CODES, failure, type ApiError, type Outcome } from "./api-errors";
import type { ContinuationTokens, CustomerFilter, CustomerFilterField, ListingCursor } from "./continuation-tokens";
import { headerValue, queryParameter } from "./http-messages";
import { isJsonObject, tryParseJson } from "./input-validation";
import type { CustomerProfile, EmulatorState } from "./state";
import type { ResponseStyle } from "./types";

/** Microsoft's older PowerShell module allowed 1 to 500, and users report 500 as the practical cap. */
const MAX_PAGE_SIZE = 500;

const FILTER_FIELDS: readonly CustomerFilterField[] = ["CompanyName", "Domain", "IndirectReseller"];

const FILTER_SHAPE = '{"Field": "CompanyName"|"Domain"|"IndirectReseller", "Value": "<prefix>", "Operator": "starts_with"}';

/** A link as Partner Center writes them. */
interface Link {
  uri: string;
  method: "GET";
  headers: { key: string; value: string }[];
}

/** What one list request asks for. */
interface ListRequest {
  size: number;
  cursor: ListingCursor;
  /** True for `seekOperation=Next`. */
  continued: boolean;
}

/** Answers one `GET /v1/customers` (already authenticated) with a page or a 400. */
export async function listCustomers(state: EmulatorState, tokens: ContinuationTokens, url: URL, headers: IncomingHttpHeaders): Promise<Outcome<unknown>> {
  const read = await readListRequest(state, tokens, url, headers);
  if (!read.ok) return read;
  const { size, cursor, continued } = read.value;
  const filter = cursor.filter;
  const page = state.listCustomers(cursor.from, size, filter === undefined ? () => true : matcherFor(filter));
  const style = state.responseStyle;
  const self = continued ? `/customers?size=${size}&seekOperation=Next` : `/customers?${firstPageQuery(size, filter)}`;
  const next =
    page.nextFrom === undefined
      ? undefined
      : link(`/customers?size=${size}&seekOperation=Next`, style, [
          { key: "MS-ContinuationToken", value: await tokens.issue({ ...cursor, from: page.nextFrom }) },
        ]);
  return {
    ok: true,
    value: {
      totalCount: page.customers.length,
      items: page.customers.map((customer) => renderCustomer(customer, style)),
      links: { self: link(self, style), ...(next === undefined ? {} : { next }) },
      attributes: { objectType: "Collection" },
    },
  };
}

async function readListRequest(state: EmulatorState, tokens: ContinuationTokens, url: URL, headers: IncomingHttpHeaders): Promise<Outcome<ListRequest>> {
  const size = readSize(queryParameter(url, "size"));
  if (!size.ok) return size;
  const seekOperation = queryParameter(url, "seekoperation");
  if (seekOperation !== undefined) {
    if (seekOperation.toLowerCase() !== "next") return badRequest(`The query parameter 'seekOperation' must be Next, got '${seekOperation}'.`);
    const cursor = await readContinuation(state, tokens, headerValue(headers, "ms-continuationtoken"));
    return cursor.ok ? { ok: true, value: { size: size.value, cursor: cursor.value, continued: true } } : cursor;
  }
  // Without seekOperation=Next a continuation token header means nothing, as for any first page.
  const filterText = queryParameter(url, "filter");
  const filter = filterText === undefined ? undefined : readFilter(filterText);
  if (filter !== undefined && !filter.ok) return filter;
  const cursor: ListingCursor = { epoch: state.listingEpoch, from: 0, ...(filter === undefined ? {} : { filter: filter.value }) };
  return { ok: true, value: { size: size.value, cursor, continued: false } };
}

function readSize(text: string | undefined): Outcome<number> {
  if (text === undefined) return badRequest(`The query parameter 'size' is required: an integer from 1 to ${MAX_PAGE_SIZE}.`);
  const size = Number(text);
  if (!/^\d+$/.test(text) || size < 1 || size > MAX_PAGE_SIZE) {
    return badRequest(`The query parameter 'size' must be an integer from 1 to ${MAX_PAGE_SIZE}, got '${text}'.`);
  }
  return { ok: true, value: size };
}

async function readContinuation(state: EmulatorState, tokens: ContinuationTokens, token: string | undefined): Promise<Outcome<ListingCursor>> {
  if (token === undefined) {
    return badRequest("seekOperation=Next needs the MS-ContinuationToken header given in the previous page's links.next.headers.");
  }
  const cursor = await tokens.read(token);
  if (cursor === undefined) return badRequest("The MS-ContinuationToken header is not a continuation token this service issued.");
  if (cursor.epoch !== state.listingEpoch) {
    return badRequest("The MS-ContinuationToken header belongs to a customer list read before the emulator was reset; list again from the first page.");
  }
  return { ok: true, value: cursor };
}

/** Reads the filter JSON; property names, the field and the operator match case-insensitively. */
function readFilter(text: string): Outcome<CustomerFilter> {
  const invalid = (reason: string): Outcome<CustomerFilter> => badRequest(`The query parameter 'filter' must be URL-encoded JSON ${FILTER_SHAPE}: ${reason}.`);
  const parsed = tryParseJson(text);
  if (!parsed.ok) return invalid("it is not JSON");
  if (!isJsonObject(parsed.value)) return invalid("it is not a JSON object");
  const properties = new Map(Object.entries(parsed.value).map(([key, value]) => [key.toLowerCase(), value]));
  const unknown = [...properties.keys()].find((key) => !["field", "value", "operator"].includes(key));
  if (unknown !== undefined) return invalid(`unknown property '${unknown}'`);
  const fieldText = properties.get("field");
  const field = FILTER_FIELDS.find((candidate) => typeof fieldText === "string" && candidate.toLowerCase() === fieldText.toLowerCase());
  if (field === undefined) return invalid(`Field ${JSON.stringify(fieldText ?? null)} is not one of ${FILTER_FIELDS.join(", ")}`);
  const operator = properties.get("operator");
  if (typeof operator !== "string" || operator.toLowerCase() !== "starts_with") {
    return invalid(`Operator ${JSON.stringify(operator ?? null)} is not starts_with`);
  }
  const value = properties.get("value");
  if (typeof value !== "string" || value === "") return invalid("Value must be a non-empty string");
  return { ok: true, value: { field, value } };
}

function matcherFor(filter: CustomerFilter): (customer: CustomerProfile) => boolean {
  const prefix = filter.value.toLowerCase();
  const fieldOf: Record<CustomerFilterField, (customer: CustomerProfile) => string | undefined> = {
    CompanyName: (customer) => customer.companyName,
    Domain: (customer) => customer.domain,
    IndirectReseller: (customer) => customer.indirectResellerId,
  };
  const read = fieldOf[filter.field];
  return (customer) => (read(customer) ?? "").toLowerCase().startsWith(prefix);
}

function firstPageQuery(size: number, filter: CustomerFilter | undefined): string {
  if (filter === undefined) return `size=${size}`;
  const json = JSON.stringify({ Field: filter.field, Value: filter.value, Operator: "starts_with" });
  return `size=${size}&filter=${encodeURIComponent(json)}`;
}

/** A customer as the list shows it; fields the seed left out are left out, never null. */
function renderCustomer(customer: CustomerProfile, style: ResponseStyle): unknown {
  return {
    id: customer.id,
    companyProfile: {
      tenantId: customer.id,
      ...(customer.domain === undefined ? {} : { domain: customer.domain }),
      ...(customer.companyName === undefined ? {} : { companyName: customer.companyName }),
    },
    relationshipToPartner: customer.relationshipToPartner,
    links: { self: link(`/customers/${customer.id}`, style) },
    attributes: { objectType: "Customer" },
  };
}

/** A link to `path` (given without `/v1`), which the style may leave without the prefix as the real service sometimes does. */
function link(path: string, style: ResponseStyle, headers: Link["headers"] = []): Link {
  return { uri: style.customerLinksWithoutV1Prefix ? path : `/v1${path}`, method: "GET", headers };
}

function badRequest(description: string): { ok: false; error: ApiError } {
  return failure(400, ERROR_CODES.invalidProperty, description);
}
