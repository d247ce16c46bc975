/**
 * The vetting report's HTML page in a real browser (Debian's chromium through playwright-core):
 * what it renders matches the model, its tables sort and filter, it logs no error and requests
 * nothing but its own file, at 16 entries and at 10,000. Screenshots go to test-artifacts/.
 */
import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { buildVettingReport, readStateExport, renderHtmlReport, type ReportEntry, type VettingReport } from "../../provider/report";
import { TEST_ARTIFACTS, launchChromium } from "../fixtures/chromium";
import { generateStateExport } from "../fixtures/state-export-generator";

const NOW = new Date("2026-05-04T09:00:00Z");
const id = (n: number): string => `3f2a9c14-7b1e-4d5a-9c3e-5a1b2c3d4e${String(n).padStart(2, "0")}`;

/** A partner's morning: a few Denied with Microsoft's reasons, some waiting for weeks, most Approved. */
function morningEntries(): ReportEntry[] {
  const company = (n: number, name: string, domain: string) => ({ customerId: id(n), companyName: name, domain });
  const day = (d: string) => `${d}T09:30:00Z`;
  return [
    { ...company(1, "Contoso School District", "contoso.edu"), qualification: "Education", vettingStatus: "Approved", vettingCreateDate: day("2026-03-02") },
    {
      ...company(2, "Fabrikam University", "fabrikam.onmicrosoft.com"),
      qualification: "Education",
      vettingStatus: "Denied",
      vettingReason: "Not an Academic Domain",
      vettingCreateDate: day("2026-04-28"),
    },
    {
      ...company(3, "Woodgrove County", "woodgrove.gov"),
      qualification: "GovernmentCommunityCloud",
      vettingStatus: "InReview",
      vettingCreateDate: day("2026-04-09"),
    },
    { ...company(3, "Woodgrove County", "woodgrove.gov"), qualification: "StateOwnedEntity" },
    { ...company(4, "Northwind Power", "northwind.onmicrosoft.com"), qualification: "StateOwnedEntity" },
    {
      ...company(5, "Litware City Water", "litware.onmicrosoft.com"),
      qualification: "GovernmentCommunityCloud",
      vettingStatus: "Approved",
      vettingCreateDate: day("2026-02-11"),
    },
    { ...company(6, "Adatum Academy", "adatum.edu"), qualification: "Education", vettingStatus: "Approved", vettingCreateDate: day("2026-03-02") },
    {
      ...company(7, "Tailspin Public Library", "tailspin.onmicrosoft.com"),
      qualification: "Education",
      vettingStatus: "Denied",
      vettingReason: "Not an eligible Library",
      vettingCreateDate: day("2026-04-14"),
    },
    {
      ...company(8, "Proseware Museum", "proseware.onmicrosoft.com"),
      qualification: "Education",
      vettingStatus: "InReview",
      vettingCreateDate: day("2026-05-02"),
    },
    {
      ...company(9, "Margie's Travel", "margiestravel.onmicrosoft.com"),
      qualification: "Education",
      vettingStatus: "Denied",
      vettingReason: "Not an Education Customer",
      vettingCreateDate: day("2026-03-19"),
    },
    { ...company(10, "Alpine Ski College", "alpineski.edu"), qualification: "Education", vettingStatus: "InReview", vettingCreateDate: day("2026-04-21") },
    {
      ...company(11, "City Power & Light", "cpandl.gov"),
      qualification: "GovernmentCommunityCloud",
      vettingStatus: "Approved",
      vettingCreateDate: day("2026-01-15"),
    },
    { ...company(11, "City Power & Light", "cpandl.gov"), qualification: "StateOwnedEntity" },
    {
      ...company(12, "Lamna Healthcare", "lamna.gov"),
      qualification: "GovernmentCommunityCloud",
      vettingStatus: "InReview",
      vettingCreateDate: day("2026-03-27"),
    },
    { ...company(13, "Relecloud Schools", "relecloud.edu"), qualification: "Education", vettingStatus: "Approved", vettingCreateDate: day("2026-04-01") },
    { ...company(14, "Wide World Importers", "wideworld.onmicrosoft.com"), qualification: "StateOwnedEntity" },
  ];
}

/** Everything the page did that a test must see: console errors, uncaught errors, requests. */
interface PageWatch {
  readonly errors: string[];
  readonly requests: string[];
}

async function open(browser: Browser, file: string): Promise<{ page: Page; watch: PageWatch }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const watch: PageWatch = { errors: [], requests: [] };
  page.on("console", (m) => void (m.type() === "error" && watch.errors.push(m.text())));
  page.on("pageerror", (e) => watch.errors.push(e.message));
  page.on("request", (r) => watch.requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  return { page, watch };
}

/** Runs `expression` in the page (as text: this project's TypeScript has no DOM types) and returns its value. */
function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

/** The text of one column of a list's visible rows, in order. */
function column(page: Page, list: "denied" | "waiting", title: string): Promise<string[]> {
  return inPage(
    page,
    `(() => {
      const table = document.querySelector(${JSON.stringify(`#${list}-table`)});
      const index = Array.from(table.tHead.rows[0].cells).findIndex((th) => th.textContent === ${JSON.stringify(title)});
      return Array.from(table.tBodies[0].rows).filter((row) => !row.hidden).map((row) => row.cells[index].textContent);
    })()`,
  );
}

describe("the vetting report's page in a real browser", function () {
  this.timeout(5 * 60 * 1000);
  let browser: Browser;
  let work: string;

  before(async () => {
    browser = await launchChromium();
    work = mkdtempSync(join(tmpdir(), "partnercenter-report-page-"));
    mkdirSync(TEST_ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  const write = (name: string, report: VettingReport): string => {
    const file = join(work, name);
    writeFileSync(file, renderHtmlReport(report));
    return file;
  };

  it("renders the model's counts and chart, sorts by a header click, filters by typing, without errors or requests", async () => {
    const source = {
      kind: "stack",
      stacks: [{ stack: "prod", project: "qualifications", backend: "azblob://qualifications-state", stateTime: "2026-05-04T06:12:00Z", entries: 16 }],
    } as const;
    const report = buildVettingReport(morningEntries(), { source, now: NOW, packageVersion: "0.1.0" });
    const file = write("vetting-report.html", report);
    const { page, watch } = await open(browser, file);
    // As a person first sees it (the README shows this one).
    await page.screenshot({ path: join(TEST_ARTIFACTS, "vetting-report.png"), fullPage: true });

    const cells = await inPage<string[][]>(
      page,
      `Array.from(document.querySelectorAll("#counts-table tbody tr"), (r) => [r.dataset.qualification, ...Array.from(r.querySelectorAll("td[data-status]"), (td) => td.textContent)])`,
    );
    assert.deepEqual(
      cells,
      report.counts.map((r) => [r.qualification, ...report.statuses.map((s) => String(r.byStatus[s])), String(r.total)]),
    );
    const bars = await inPage<Array<{ q: string; s: string; n: number; width: number }>>(
      page,
      `Array.from(document.querySelectorAll("#chart rect.bar"), (r) => ({ q: r.dataset.qualification, s: r.dataset.status, n: Number(r.dataset.count), width: r.getBoundingClientRect().width }))`,
    );
    const expected = report.counts.flatMap((r) =>
      report.statuses.filter((s) => (r.byStatus[s] ?? 0) > 0).map((s) => ({ q: r.qualification, s, n: r.byStatus[s] ?? 0 })),
    );
    assert.deepEqual(
      bars.map(({ q, s, n }) => ({ q, s, n })),
      expected,
      "one bar segment per non-zero count",
    );
    const scale = (bars[0]?.width ?? 0) / (bars[0]?.n ?? 1);
    for (const bar of bars) assert.ok(Math.abs(bar.width - bar.n * scale) < 0.5, `${bar.q} ${bar.s}: ${bar.width}px for ${bar.n}`);

    assert.deepEqual(await column(page, "denied", "company"), [
      "Fabrikam University (fabrikam.onmicrosoft.com)",
      "Tailspin Public Library (tailspin.onmicrosoft.com)",
      "Margie's Travel (margiestravel.onmicrosoft.com)",
    ]);
    await page.click("#waiting-table th:has-text('days waiting') button");
    const ascending = (await column(page, "waiting", "days waiting")).map(Number);
    assert.deepEqual(
      ascending,
      [...report.waiting.map((w) => w.daysWaiting ?? 0)].sort((a, b) => a - b),
    );
    await page.click("#waiting-table th:has-text('days waiting') button");
    assert.deepEqual((await column(page, "waiting", "days waiting")).map(Number), [...ascending].reverse());
    await page.click("#denied-table th:has-text('reason') button");
    assert.deepEqual(await column(page, "denied", "reason"), ["Not an Academic Domain", "Not an Education Customer", "Not an eligible Library"]);

    await page.fill("#denied-filter", "library");
    assert.deepEqual(await column(page, "denied", "company"), ["Tailspin Public Library (tailspin.onmicrosoft.com)"]);
    assert.equal(await page.textContent("#denied-shown"), "1 of 3 shown");
    await page.fill("#denied-filter", "");
    assert.equal((await column(page, "denied", "company")).length, 3);

    await page.fill("#waiting-filter", "county");
    await page.screenshot({ path: join(TEST_ARTIFACTS, "vetting-report-sorted-filtered.png"), fullPage: true });
    assert.deepEqual(watch.errors, []);
    assert.deepEqual(watch.requests, [pathToFileURL(file).href], "no request but the page itself");
  });

  it("opens, sorts and filters 10,000 entries", async () => {
    const entries = readStateExport(JSON.stringify(generateStateExport({ entries: 10_000, now: NOW })), "generated").entries;
    const report = buildVettingReport(entries, {
      source: { kind: "stack", stacks: [{ stack: "generated", entries: 10_000 }] },
      now: NOW,
      packageVersion: "0.1.0",
    });
    const { page, watch } = await open(browser, write("vetting-report-10000.html", report));
    assert.equal(await inPage<number>(page, `document.querySelectorAll("#waiting-table tbody tr").length`), report.waiting.length);
    assert.equal(await page.textContent("#waiting-shown"), `${report.waiting.length} of ${report.waiting.length} shown`);
    await page.click("#waiting-table th:has-text('customer') button");
    const customers = await column(page, "waiting", "customer");
    assert.deepEqual(customers, report.waiting.map((w) => w.customerId).sort());
    await page.click("#waiting-table th:has-text('days waiting') button");
    const days = (await column(page, "waiting", "days waiting")).map(Number);
    assert.deepEqual(
      days,
      report.waiting.map((w) => w.daysWaiting ?? 0).sort((a, b) => a - b),
    );
    await page.fill("#denied-filter", "museum");
    const museums = report.denied.filter((d) => d.reason === "Not an eligible Museum").length;
    assert.equal(await page.textContent("#denied-shown"), `${museums} of ${report.denied.length} shown`);
    await page.screenshot({ path: join(TEST_ARTIFACTS, "vetting-report-10000.png") });
    assert.deepEqual(watch.errors, []);
    assert.equal(watch.requests.length, 1);
  });
});
