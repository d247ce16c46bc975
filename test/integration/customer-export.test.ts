/**
 * The export against the emulator seeded with 2,500 customers (600 holding qualifications, some
 * Denied; Education, GCC, StateOwnedEntity and the allowed pairs), over loopback with a real client:
 * what it lists, in both formats read back by the stack's own readers, and the requests it makes,
 * with and without 429 bursts and dropped connections.
 */
import { strict as assert } from "node:assert";
import { parse } from "yaml";
import { CustomerListError, readCustomerListCsv, readCustomerListEntries, type CustomerListEntry } from "../../provider/customer-list";
import { exportCustomerQualifications, renderCsv, renderYaml, DEFAULT_CONFIG_KEY, type CustomerExport, type ExportProgressEvent } from "../../provider/export";
import { startEmulator, type LoggedRequest, type RunningEmulator, type SeedCustomer, type StoredQualification } from "partnercenter-emulator";
import { clientFor } from "../fixtures/emulated-partner-center";

const COUNT = 2500;
const NAMES = ["Contoso", "Fabrikam", "Northwind", "Litware", "Adatum"];
const customerId = (i: number): string => `77777777-0000-4000-8000-${String(i).padStart(12, "0")}`;

/** Customer i holds qualifications when i % 25 < 6: 600 of 2,500, a different mix for each remainder. */
function qualificationsOf(i: number): StoredQualification[] {
  const group = Math.floor(i / 25);
  const approved = (q: string): StoredQualification => ({
    qualification: q,
    vettingStatus: group % 3 === 0 ? "InReview" : "Approved",
    vettingCreateDate: "2024-05-06T08:00:00Z",
  });
  const denied = (q: string): StoredQualification => ({
    qualification: q,
    vettingStatus: "Denied",
    vettingReason: "Not an Education Customer",
    vettingCreateDate: "2023-01-02T08:00:00Z",
  });
  const soe: StoredQualification = { qualification: "StateOwnedEntity" };
  switch (i % 25) {
    case 0:
      return [approved("Education")];
    case 1:
      return [approved("GovernmentCommunityCloud")];
    case 2:
      return [soe];
    case 3:
      return [approved("Education"), soe];
    case 4:
      return [approved("GovernmentCommunityCloud"), soe];
    // Denied: Education, GCC, or a Denied Education beside an approved GCC (which a list can't hold together).
    case 5:
      return group % 3 === 0
        ? [denied("Education")]
        : group % 3 === 1
          ? [denied("GovernmentCommunityCloud")]
          : [approved("GovernmentCommunityCloud"), denied("Education")];
    default:
      return [];
  }
}

function seedCustomers(): SeedCustomer[] {
  return Array.from({ length: COUNT }, (_, i) => {
    const name = NAMES[Math.floor(i / 25) % NAMES.length] ?? "Contoso";
    return { id: customerId(i), companyName: `${name} ${i}`, domain: `${name.toLowerCase()}${i}.onmicrosoft.com`, qualifications: qualificationsOf(i) };
  });
}

/** `<customerId>/<Qualification>` of every entry the export should list. */
function expectedKeys(options: { includeDenied?: boolean; only?: string; namePrefix?: string } = {}): string[] {
  const keys: string[] = [];
  for (const customer of seedCustomers()) {
    if (options.namePrefix !== undefined && !customer.companyName?.startsWith(options.namePrefix)) continue;
    const held = customer.qualifications ?? [];
    for (const q of held) {
      if (options.only !== undefined && q.qualification !== options.only) continue;
      const clash = held.some((o) => o !== q && [o.qualification, q.qualification].sort().join() === "Education,GovernmentCommunityCloud");
      if (q.vettingStatus === "Denied" && (options.includeDenied !== true || clash)) continue;
      keys.push(`${customer.id}/${q.qualification}`);
    }
  }
  return keys.sort();
}

const keysOf = (entries: ReadonlyArray<{ customerId: string; qualification: string }>): string[] =>
  entries.map((e) => `${e.customerId}/${e.qualification}`).sort();

function listProblems(read: () => CustomerListEntry[]): string[] {
  try {
    read();
  } catch (error) {
    if (error instanceof CustomerListError) return error.problems.map((p) => `${p.where}: ${p.reason}`);
    throw error;
  }
  return [];
}

/** What a person does with the TODOs: a segment for every Education entry. */
const fillYamlTodos = (yaml: string): string => yaml.replace(/^( +)# TODO: educationSegment .*$/gm, "$1educationSegment: K12");
const fillCsvTodos = (csv: string): string => csv.replace(/^([0-9a-f-]{36}),Education,$/gm, "$1,Education,HigherEducation");
const yamlList = (yaml: string): unknown => (parse(yaml) as { config: Record<string, unknown> }).config[DEFAULT_CONFIG_KEY];

describe("partnercenter-export: 2,500 customers from the emulator", function () {
  this.timeout(120_000);
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ seed: { customers: seedCustomers() } });
  });
  beforeEach(async () => {
    await emulator.control.reset();
  });
  after(async () => {
    await emulator?.close();
  });

  const qualificationReads = (log: LoggedRequest[]): LoggedRequest[] => log.filter((r) => r.method === "GET" && r.path.endsWith("/qualifications"));
  const pageReads = (log: LoggedRequest[]): LoggedRequest[] => log.filter((r) => r.method === "GET" && r.path === "/v1/customers");

  it("lists every qualified customer exactly once with ⌈2500/500⌉ pages plus one read per customer", async () => {
    const result = await exportCustomerQualifications(clientFor(emulator));
    assert.equal(result.complete, true);
    assert.equal(result.customersListed, COUNT);
    assert.equal(result.customersRead, COUNT);
    assert.equal(result.pages, 5);
    assert.deepEqual(keysOf(result.entries), expectedKeys());
    assert.equal(new Set(keysOf(result.entries)).size, result.entries.length, "no entry twice");
    assert.equal(new Set(result.entries.map((e) => e.customerId)).size, 533, "600 qualified customers less the 67 holding only a Denied one");
    assert.equal(result.leftOut.denied, 100);

    const log = await emulator.control.requests();
    assert.equal(pageReads(log).length, 5, "one request per page");
    assert.equal(qualificationReads(log).length, COUNT, "one qualifications read per customer");
    assert.equal(new Set(qualificationReads(log).map((r) => r.path)).size, COUNT);
    assert.equal(log.length, 5 + COUNT, "nothing else: no POST, no validation codes");
  });

  it("writes adopt-only YAML that the stack's list reader loads as it is, or a list to complete that names the Education entries until filled", async () => {
    const result = await exportCustomerQualifications(clientFor(emulator));
    const yaml = renderYaml({ entries: result.entries, header: ["exported for a test"] });
    assert.match(yaml, /^config:\n {2}partnercenter-qualifications:qualifications:\n/m);
    assert.match(
      yaml,
      new RegExp(
        `- customerId: ${customerId(0)} # Contoso 0 \\(contoso0\\.onmicrosoft\\.com\\), InReview\\n {6}qualification: Education\\n {6}adoptOnly: true\\n`,
      ),
    );
    assert.match(yaml, new RegExp(`- customerId: ${customerId(2)} # Contoso 2 \\(contoso2\\.onmicrosoft\\.com\\), not vetted\\n`));
    assert.ok(!yaml.includes("TODO"));
    const adopting = readCustomerListEntries(yamlList(yaml), "exported");
    assert.deepEqual(keysOf(adopting), expectedKeys());
    assert.ok(adopting.every((e) => e.adoptOnly === true));

    const toComplete = renderYaml({ entries: result.entries, header: ["exported for a test"], adoptOnly: false });
    assert.match(
      toComplete,
      new RegExp(
        `- customerId: ${customerId(0)} # Contoso 0 \\(contoso0\\.onmicrosoft\\.com\\), InReview\\n {6}qualification: Education\\n {6}# TODO: educationSegment \\(K12 or HigherEducation\\): Partner Center does not report it\\n`,
      ),
    );
    const educationEntries = result.entries.flatMap((e, i) => (e.qualification === "Education" ? [`entry ${i + 1}`] : []));
    assert.equal(educationEntries.length, 200);
    const problems = listProblems(() => readCustomerListEntries(yamlList(toComplete), "exported"));
    assert.deepEqual(
      problems.map((p) => p.split(":")[0]),
      educationEntries,
      "exactly the Education entries are named",
    );
    assert.ok(
      problems.every((p) => p.includes("educationSegment is required to create Education: K12 or HigherEducation")),
      problems[0],
    );
    assert.deepEqual(keysOf(readCustomerListEntries(yamlList(fillYamlTodos(toComplete)), "exported")), expectedKeys());
  });

  it("writes adopt-only CSV that readCustomerListCsv loads as it is, or a list to complete that names the segment lines until filled", async () => {
    const result = await exportCustomerQualifications(clientFor(emulator));
    const csv = renderCsv({ entries: result.entries, header: ["exported for a test"] });
    assert.equal(
      csv.split("\n").find((l) => !l.startsWith("#")),
      "customerId,qualification,educationSegment,adoptOnly",
    );
    assert.ok(csv.includes(`\n# Contoso 0 (contoso0.onmicrosoft.com), InReview\n${customerId(0)},Education,,true\n`));
    const adopting = readCustomerListCsv(csv, "exported.csv");
    assert.deepEqual(keysOf(adopting), expectedKeys());
    assert.ok(adopting.every((e) => e.adoptOnly === true));

    const toComplete = renderCsv({ entries: result.entries, header: ["exported for a test"], adoptOnly: false });
    const lines = toComplete.split("\n");
    assert.equal(
      lines.find((l) => !l.startsWith("#")),
      "customerId,qualification,educationSegment",
    );
    const at = lines.indexOf(`${customerId(0)},Education,`);
    assert.deepEqual(lines.slice(at - 2, at), [
      "# Contoso 0 (contoso0.onmicrosoft.com), InReview",
      "# TODO: educationSegment (K12 or HigherEducation): Partner Center does not report it",
    ]);
    const educationLines = lines.flatMap((l, i) => (/,Education,$/.test(l) ? [`line ${i + 1}`] : []));
    assert.equal(educationLines.length, 200);
    assert.deepEqual(
      listProblems(() => readCustomerListCsv(toComplete, "exported.csv")).map((p) => p.split(":")[0]),
      educationLines,
    );
    const filled = readCustomerListCsv(fillCsvTodos(toComplete), "exported.csv");
    assert.deepEqual(keysOf(filled), expectedKeys());
    assert.ok(filled.filter((e) => e.qualification === "Education").every((e) => e.educationSegment === "HigherEducation"));
  });

  it("loses and repeats no customer through 429 bursts and dropped connections on pages and reads", async () => {
    await emulator.control.setResponseStyle({ noneAs: "none", nameCase: "lower" });
    // The first page is dropped. A 429 before any success would teach the client's throttle a rate of
    // one request a second (correct for a partner already throttled, slow for a test), so the
    // bursts come once reads are under way: 429s and drops on reads, then on a later page.
    await emulator.control.injectFault({ kind: "drop", route: "customers", times: 1 });
    const injected: Array<Promise<void>> = [];
    const once = (when: boolean, index: number, inject: () => Promise<void>): void => {
      if (when && injected[index] === undefined) injected[index] = inject();
    };
    const onProgress = (event: ExportProgressEvent): void => {
      once(event.done >= 200, 0, async () => {
        await emulator.control.injectFault({ kind: "status", status: 429, retryAfter: "1", route: "qualifications", times: 6 });
        await emulator.control.injectFault({ kind: "drop", route: "qualifications", times: 12 });
      });
      once(event.pages >= 2, 1, async () => {
        await emulator.control.injectFault({ kind: "status", status: 429, retryAfter: "1", route: "customers", times: 1 });
        await emulator.control.injectFault({ kind: "drop", route: "customers", times: 1 });
      });
    };
    const result = await exportCustomerQualifications(clientFor(emulator), { onProgress });
    await Promise.all(injected);
    assert.equal(result.complete, true, result.failures.map((f) => f.message).join("\n"));
    assert.deepEqual(keysOf(result.entries), expectedKeys());

    const log = await emulator.control.requests();
    const pageFaults = pageReads(log).filter((r) => r.status !== 200);
    assert.deepEqual(pageFaults.map((r) => r.status).sort(), [429, "dropped", "dropped"]);
    assert.ok(
      pageFaults.some((r) => r.headers["ms-continuationtoken"] !== undefined),
      "a page after the first met faults too",
    );
    const answered = qualificationReads(log).filter((r) => r.status === 200);
    assert.equal(answered.length, COUNT, "each customer's qualifications answered once");
    assert.equal(new Set(answered.map((r) => r.path)).size, COUNT);
    assert.equal(qualificationReads(log).length, COUNT + 18, "every fault was met and retried");
  });

  it("--qualification, --filter and --include-denied: only the kinds, the customers and the Denied asked for", async () => {
    const only = await exportCustomerQualifications(clientFor(emulator), { qualifications: ["StateOwnedEntity"] });
    assert.deepEqual(keysOf(only.entries), expectedKeys({ only: "StateOwnedEntity" }));
    assert.equal(only.leftOut.otherKinds, 533, "every record but the 300 StateOwnedEntity ones");

    await emulator.control.clearRequests();
    const filtered = await exportCustomerQualifications(clientFor(emulator), { filter: { field: "companyName", startsWith: "fabrikam" } });
    assert.deepEqual(keysOf(filtered.entries), expectedKeys({ namePrefix: "Fabrikam" }));
    assert.equal(filtered.customersListed, COUNT / 5);
    const firstPage = pageReads(await emulator.control.requests())[0];
    assert.deepEqual(JSON.parse(firstPage?.query.filter ?? "{}"), { Field: "CompanyName", Value: "fabrikam", Operator: "starts_with" });

    const withDenied = await exportCustomerQualifications(clientFor(emulator), { includeDenied: true });
    assert.deepEqual(keysOf(withDenied.entries), expectedKeys({ includeDenied: true }));
    assert.equal(withDenied.leftOut.denied, 33, "Denied Education beside GCC: the list can't hold both");
    const yaml = renderYaml({ entries: withDenied.entries });
    assert.match(yaml, new RegExp(`- customerId: ${customerId(5)} # Contoso 5 \\(contoso5\\.onmicrosoft\\.com\\), Denied: Not an Education Customer\\n`));
    assert.equal(readCustomerListEntries(yamlList(fillYamlTodos(yaml)), "exported").length, withDenied.entries.length, "the list with Denied entries loads");
  });

  it("reports a customer whose read keeps failing, tries it once more after the others, and lists everyone else", async () => {
    const failing = customerId(3);
    await emulator.control.injectFault({ kind: "status", status: 503, customerId: failing, times: 1000 });
    const result: CustomerExport = await exportCustomerQualifications(clientFor(emulator));
    assert.equal(result.complete, false);
    assert.deepEqual(
      result.failures.map((f) => [f.customer.id, f.customer.companyName]),
      [[failing, "Contoso 3"]],
    );
    assert.match(result.failures[0]?.message ?? "", /HTTP 503/);
    assert.deepEqual(
      keysOf(result.entries),
      expectedKeys().filter((k) => !k.startsWith(failing)),
    );
    const attempts = qualificationReads(await emulator.control.requests()).filter((r) => r.path.includes(failing)).length;
    assert.equal(attempts, 10, "two rounds of the client's five attempts");
  });

  it("reports a customer list that can't be read past a page as incomplete, with the customers read until then", async () => {
    let injected: Promise<void> | undefined;
    const onProgress = (event: ExportProgressEvent): void => {
      if (event.pages === 1) injected ??= emulator.control.injectFault({ kind: "status", status: 403, route: "customers", times: 1 });
    };
    const result = await exportCustomerQualifications(clientFor(emulator), { onProgress });
    await injected;
    assert.equal(result.complete, false);
    assert.match(result.stoppedBy ?? "", /^the customer list could not be read past page 1: .*HTTP 403/);
    assert.equal(result.customersListed, 500);
    assert.equal(result.customersRead, 500);
    assert.deepEqual(
      keysOf(result.entries),
      expectedKeys().filter((k) => Number(k.slice(24, 36)) < 500),
    );
  });

  it("Partner Center gone mid-export: stops with the one error that has the cause, not one failure per customer", async () => {
    const customers = seedCustomers().slice(0, 300);
    const dying = await startEmulator({ seed: { customers } });
    let closing: Promise<void> | undefined;
    const onProgress = (event: ExportProgressEvent): void => {
      if (event.done >= 50) closing ??= dying.close();
    };
    const client = clientFor(dying, { connectionBreaker: { probeDelayInMs: 100 } });
    const result = await exportCustomerQualifications(client, { pageSize: 100, onProgress }).finally(() => (closing ??= dying.close()));
    await closing;
    assert.equal(result.complete, false);
    assert.deepEqual(result.failures, [], "no customer failure of its own");
    assert.ok(result.unreachable !== undefined, "the result holds the error with the cause");
    assert.equal(result.unreachable.notAttempted, false);
    assert.match(result.unreachable.message, new RegExp(`^Partner Center at ${dying.url} is unreachable: .* got no response \\((ECONNREFUSED|ECONNRESET)`));
    assert.equal(result.stoppedBy?.endsWith(result.unreachable.message), true, result.stoppedBy);
    assert.ok(result.customersRead >= 50 && result.customersRead < 300, `${result.customersRead} customers read`);
    assert.equal(client.connection.state, "open", "the client found Partner Center unreachable; the export stopped the other reads");
  });

  it("stops at a refused token (401) instead of failing 2,500 customers one by one", async () => {
    await emulator.control.injectFault({ kind: "status", status: 401, route: "qualifications", times: 10_000 });
    const result = await exportCustomerQualifications(clientFor(emulator));
    assert.equal(result.complete, false);
    assert.match(result.stoppedBy ?? "", /HTTP 401/);
    assert.equal(result.customersListed, 500, "the whole first page was listed, though only a few customers were taken to read");
    const reads = qualificationReads(await emulator.control.requests()).length;
    assert.ok(reads <= 16, `${reads} reads before stopping`);
  });
});
