import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { UsageError } from "../../provider/command-line";
import { entriesOf } from "../../provider/export";
import { DYNAMIC_RESOURCE_TYPE, NATIVE_RESOURCE_TYPE } from "../../provider/qualification";
import {
  GITHUB_SUMMARY_LIMIT_BYTES,
  StateExportError,
  buildVettingReport,
  daysSince,
  parseReportArguments,
  readStateExport,
  renderHtmlReport,
  renderJsonReport,
  renderMarkdownReport,
  withoutCredentials,
  type ReportEntry,
  type VettingReport,
} from "../../provider/report";
import { DENIAL_REASONS, GENERATED_VALIDATION_CODE, generateStateExport, generatedEntries } from "../fixtures/state-export-generator";

const NOW = new Date("2026-05-04T09:00:00Z");
const A = "5d1c1a0e-2b3c-4d5e-8f90-a1b2c3d4e5f6";
const B = "6e2d2b1f-3c4d-4e5f-9a01-b2c3d4e5f6a7";
const C = "7f3e3c20-4d5e-4f60-8b12-c3d4e5f6a7b8";

const SOURCE = { kind: "stack", stacks: [] } as const;
const reportOf = (entries: ReportEntry[]): VettingReport => buildVettingReport(entries, { source: SOURCE, now: NOW, packageVersion: "9.9.9" });

function usageErrorOf(argv: string[]): string {
  try {
    parseReportArguments(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  return assert.fail(`expected ${JSON.stringify(argv)} to be refused`);
}

describe("partnercenter-report: the model", () => {
  const entries: ReportEntry[] = [
    { customerId: A, qualification: "Education", vettingStatus: "Approved", vettingCreateDate: "2026-04-01T00:00:00Z" },
    {
      customerId: B,
      qualification: "GovernmentCommunityCloud",
      vettingStatus: "Denied",
      vettingReason: "Not an eligible Library",
      vettingCreateDate: "2026-04-20T00:00:00Z",
    },
    { customerId: B, qualification: "StateOwnedEntity" },
    { customerId: C, qualification: "Education", vettingStatus: "Denied", vettingReason: "Not an Academic Domain", vettingCreateDate: "2026-04-28T00:00:00Z" },
    { customerId: A, qualification: "StateOwnedEntity" },
    { customerId: "8a4f4d31-5e6f-4a71-9c23-d4e5f6a7b8c9", qualification: "Education", vettingStatus: "InReview", vettingCreateDate: "2026-05-01T08:00:00Z" },
    {
      customerId: "9b505e42-6f70-4b82-8d34-e5f6a7b8c9d0",
      qualification: "GovernmentCommunityCloud",
      vettingStatus: "InReview",
      vettingCreateDate: "2026-03-04T09:00:00Z",
    },
    { customerId: "0c616f53-7081-4c93-9e45-f6a7b8c9d0e1", qualification: "Education", vettingStatus: "InReview" },
    {
      customerId: "1d727064-8192-4da4-8f56-a7b8c9d0e1f2",
      qualification: "GovernmentCommunityCloud",
      vettingStatus: "Escalated",
      vettingCreateDate: "2026-04-30T09:00:00Z",
    },
  ];
  const report = reportOf(entries);

  it("counts per qualification and status, StateOwnedEntity as NotVetted, unknown statuses as their own column", () => {
    assert.deepEqual(report.statuses, ["Approved", "InReview", "Denied", "Escalated", "NotVetted"]);
    assert.deepEqual(
      report.counts.map((r) => [r.qualification, r.byStatus, r.total]),
      [
        ["Education", { Approved: 1, InReview: 2, Denied: 1, Escalated: 0, NotVetted: 0 }, 4],
        ["GovernmentCommunityCloud", { Approved: 0, InReview: 1, Denied: 1, Escalated: 1, NotVetted: 0 }, 3],
        ["StateOwnedEntity", { Approved: 0, InReview: 0, Denied: 0, Escalated: 0, NotVetted: 2 }, 2],
      ],
    );
    assert.deepEqual(report.totals, { entries: 9, customers: 7, denied: 2, waiting: 4 });
  });

  it("lists Denied newest first with the reason, and the undecided longest first with whole days, undated last", () => {
    assert.deepEqual(
      report.denied.map((d) => [d.customerId, d.reason]),
      [
        [C, "Not an Academic Domain"],
        [B, "Not an eligible Library"],
      ],
    );
    assert.deepEqual(
      report.waiting.map((w) => [w.status, w.daysWaiting]),
      [
        ["InReview", 61],
        ["Escalated", 4],
        ["InReview", 3],
        ["InReview", undefined],
      ],
    );
  });

  it("counts a qualification held in two shards' state once", () => {
    assert.equal(reportOf([...entries, { ...entries[0], customerId: A.toUpperCase() } as ReportEntry]).totals.entries, 9);
  });

  it("counts days from vettingCreateDate to the report's now, never below 0", () => {
    assert.equal(daysSince("2026-05-03T09:00:01Z", NOW), 0);
    assert.equal(daysSince("2026-05-03T09:00:00Z", NOW), 1);
    assert.equal(daysSince("2026-06-01T00:00:00Z", NOW), 0);
    assert.equal(daysSince("not a date", NOW), undefined);
  });
});

describe("partnercenter-report: reading state exports", () => {
  it("reads every qualification of a generated export, dynamic and native, with stack, project and time", () => {
    const contents = readStateExport(JSON.stringify(generateStateExport({ entries: 40, stack: "shard-1", project: "quals" })), "--state x.json");
    assert.equal(contents.stack, "shard-1");
    assert.equal(contents.project, "quals");
    assert.equal(contents.stateTime, "2026-05-04T09:00:00.000Z");
    const expected = generatedEntries(40).map((e) => [e.customerId, e.qualification, e.vettingStatus, e.vettingReason, e.vettingCreateDate]);
    assert.deepEqual(
      contents.entries.map((e) => [e.customerId, e.qualification, e.vettingStatus, e.vettingReason, e.vettingCreateDate]),
      expected,
    );
    assert.ok(contents.entries.every((e) => e.stack === "shard-1" && e.resourceName === `${e.customerId}-${e.qualification}`));
  });

  it("skips secret-marked values, resources pending deletion and other types", () => {
    const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "abc" };
    const resource = (extra: Record<string, unknown>) => ({
      urn: `urn:pulumi:s::p::${DYNAMIC_RESOURCE_TYPE}::r`,
      type: DYNAMIC_RESOURCE_TYPE,
      id: `${A}/Education`,
      outputs: { customerId: A, qualification: "Education" },
      ...extra,
    });
    const exported = {
      version: 3,
      deployment: {
        resources: [
          resource({ outputs: { customerId: A, qualification: "Education", vettingStatus: "Denied", vettingReason: secret } }),
          resource({ delete: true, outputs: { customerId: B, qualification: "Education" } }),
          { urn: "urn:pulumi:s::p::aws:s3/bucket:Bucket::b", type: "aws:s3/bucket:Bucket", outputs: { customerId: C, qualification: "Education" } },
          resource({ type: NATIVE_RESOURCE_TYPE, id: `${C}/StateOwnedEntity`, outputs: secret }),
        ],
      },
    };
    const entries = readStateExport(JSON.stringify(exported), "x").entries;
    assert.deepEqual(
      entries.map((e) => [e.customerId, e.qualification, e.vettingStatus, e.vettingReason]),
      [
        [A, "Education", "Denied", undefined],
        [C, "StateOwnedEntity", undefined, undefined],
      ],
    );
  });

  it("refuses what is not a version-3 state export, naming the source", () => {
    assert.throws(
      () => readStateExport("{not json", "--state a.json"),
      (e: Error) => e instanceof StateExportError && /^--state a\.json is not JSON/.test(e.message),
    );
    assert.throws(() => readStateExport('{"name":"x"}', "--state p.json"), /--state p\.json is not a Pulumi state export/);
    assert.throws(() => readStateExport('{"version":2,"deployment":{}}', "--state v2.json"), /version 2; this report reads version 3/);
    assert.throws(() => readStateExport('{"version":3,"deployment":{"resources":{}}}', "--state r.json"), /not a list/);
    assert.deepEqual(readStateExport('{"version":3,"deployment":{}}', "--state empty.json").entries, []);
  });

  it("shows a backend URL without user info, query or fragment", () => {
    assert.equal(withoutCredentials("azblob://state?storage_account=acct&sas=sig%3Dsecret"), "azblob://state");
    assert.equal(withoutCredentials("https://user:p%40ss@api.pulumi.com/org#x"), "https://api.pulumi.com/org");
    assert.equal(withoutCredentials("s3://AKIA:secret@bucket/path?region=eu"), "s3://bucket/path");
    assert.equal(withoutCredentials("file:///home/ci/state"), "file:///home/ci/state");
  });
});

describe("partnercenter-report: the live read keeps what the export leaves out", () => {
  it("keeps a Denied Education beside GCC, with its vetting date", () => {
    const held = [
      { qualification: "GovernmentCommunityCloud", vettingStatus: "Approved" },
      { qualification: "Education", vettingStatus: "Denied", vettingReason: "Not an Education Customer", vettingCreateDate: "2026-04-02T00:00:00Z" },
    ];
    const entries = entriesOf({ id: A }, held, { includeDenied: true, keepConflictingDenied: true });
    assert.deepEqual(
      entries.map((e) => [e.qualification, e.vettingStatus, e.vettingCreateDate]),
      [
        ["GovernmentCommunityCloud", "Approved", undefined],
        ["Education", "Denied", "2026-04-02T00:00:00Z"],
      ],
    );
    assert.deepEqual(
      entriesOf({ id: A }, held, { includeDenied: true }).map((e) => e.qualification),
      ["GovernmentCommunityCloud"],
    );
  });
});

describe("partnercenter-report: formats", () => {
  const big = (): VettingReport => reportOf(readStateExport(JSON.stringify(generateStateExport({ entries: 10_000 })), "x").entries);

  it("never shows a validation code, in any format", () => {
    const report = reportOf(readStateExport(JSON.stringify(generateStateExport({ entries: 30 })), "x").entries);
    assert.ok(report.totals.entries === 30 && report.counts.some((r) => r.qualification === "GovernmentCommunityCloud" && r.total === 10));
    for (const text of [renderMarkdownReport(report), renderHtmlReport(report), renderJsonReport(report)]) {
      assert.ok(!text.includes(GENERATED_VALIDATION_CODE) && !text.includes("ciphertext") && !text.includes("4dabf18193072939515e22adb298388d"));
    }
  });

  it("keeps the markdown of 10,000 entries inside GitHub's summary limit: whole counts, cut lists that say how many more", () => {
    const report = big();
    const markdown = renderMarkdownReport(report, { fullReport: "`vetting-report.html`" });
    assert.ok(Buffer.byteLength(markdown) < GITHUB_SUMMARY_LIMIT_BYTES, `${Buffer.byteLength(markdown)} bytes`);
    const education = report.counts[0];
    assert.ok(
      markdown.includes(`| Education | ${education?.byStatus.Approved?.toLocaleString("en-US")} | ${education?.byStatus.InReview?.toLocaleString("en-US")} |`),
    );
    const deniedShown = (markdown.match(/ \| Not an /g) ?? []).length + (markdown.match(/ \| No longer /g) ?? []).length;
    assert.ok(report.denied.length > 600 && deniedShown === 500, `${deniedShown} of ${report.denied.length} Denied shown`);
    assert.match(
      markdown,
      new RegExp(
        `_… and ${(report.denied.length - 500).toLocaleString("en-US")} more entries not shown here: the full list is in \`vetting-report\\.html\`\\._`,
      ),
    );
    const tight = renderMarkdownReport(report, { budgetBytes: 64 * 1024 });
    assert.ok(Buffer.byteLength(tight) <= 64 * 1024 && /\| Education \|/.test(tight));
  });

  it("writes source text as literal markdown: no table break, link, emphasis or HTML", () => {
    const report = reportOf([
      { customerId: A, qualification: "Education", vettingStatus: "Denied", vettingReason: "a | b [x](http://e) *y* <img src=x>\nz", companyName: "C_o" },
    ]);
    const row =
      renderMarkdownReport(report)
        .split("\n")
        .find((l) => l.includes(A)) ?? "";
    assert.equal(row, `| \`${A}\` | C\\_o | Education | a \\| b \\[x\\](http://e) \\*y\\* &lt;img src=x&gt; z |  |`);
  });

  it("writes an HTML page whose Content-Security-Policy allows exactly its own style and script", () => {
    const page = renderHtmlReport(
      reportOf([{ customerId: A, qualification: "Education", vettingStatus: "Denied", vettingReason: `"><script>alert(1)</script>` }]),
    );
    const hash = (text: string): string => `sha256-${createHash("sha256").update(text).digest("base64")}`;
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? "";
    const scripts = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? "");
    assert.equal(scripts.length, 1, "one script, the page's own");
    assert.ok(
      page.includes(
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src '${hash(style)}'; script-src '${hash(scripts[0] ?? "")}'; img-src data:;`,
      ),
    );
    assert.ok(page.includes("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert.doesNotMatch(page, /https?:\/\//, "no address of another host");
  });

  it("keeps the JSON shape: schemaVersion 1 and the documented keys", () => {
    const json = JSON.parse(
      renderJsonReport(
        reportOf([{ customerId: A, qualification: "GovernmentCommunityCloud", vettingStatus: "InReview", vettingCreateDate: "2026-05-01T09:00:00Z" }]),
      ),
    ) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), [
      "schemaVersion",
      "generatedAt",
      "packageVersion",
      "source",
      "totals",
      "statuses",
      "counts",
      "denied",
      "waiting",
      "problems",
    ]);
    assert.equal(json.schemaVersion, 1);
    assert.deepEqual(json.waiting, [
      { customerId: A, qualification: "GovernmentCommunityCloud", vettingCreateDate: "2026-05-01T09:00:00Z", status: "InReview", daysWaiting: 3 },
    ]);
  });

  it("generates Microsoft's documented reasons only", () => {
    assert.ok(big().denied.every((d) => DENIAL_REASONS.includes(d.reason ?? "")));
  });
});

describe("partnercenter-report: the command line", () => {
  it("defaults to markdown on stdout from the selected stack", () => {
    assert.deepEqual(parseReportArguments([]), { stacks: [undefined], stateFiles: [], live: false, formats: ["markdown"], failOn: [] });
  });

  it("reads several formats into files of one base path, shards, and fail-on conditions", () => {
    const command = parseReportArguments([
      "--stack",
      "shard-0",
      "--stack=shard-1",
      "--format",
      "markdown,html",
      "--format",
      "json",
      "--out",
      "out/vetting.html",
      "--fail-on",
      "denied,waiting-over=14",
    ]);
    assert.deepEqual(command, {
      stacks: ["shard-0", "shard-1"],
      stateFiles: [],
      live: false,
      formats: ["markdown", "html", "json"],
      outputs: { markdown: "out/vetting.md", html: "out/vetting.html", json: "out/vetting.json" },
      failOn: [{ kind: "denied" }, { kind: "waitingOver", days: 14 }],
    });
    assert.deepEqual(parseReportArguments(["--state", "-", "--state", "b.json"]), {
      stacks: [],
      stateFiles: ["-", "b.json"],
      live: false,
      formats: ["markdown"],
      failOn: [],
    });
  });

  it("refuses bad options with one line naming the option and what is allowed", () => {
    assert.equal(usageErrorOf(["--format", "pdf"]), '--format must be one of markdown, html, json (several: repeat it or separate by commas); got "pdf"');
    assert.equal(
      usageErrorOf(["--fail-on", "approved"]),
      '--fail-on must be denied or waiting-over=<days> (a whole number of days), repeated or separated by commas; got "approved"',
    );
    assert.match(usageErrorOf(["--fail-on", "waiting-over=-3"]), /^--fail-on must be denied or waiting-over=<days>/);
    assert.match(usageErrorOf(["--format", "html,json"]), /^--format html,json writes several files: --out must name their base path/);
    assert.match(usageErrorOf(["--live", "--state", "x.json"]), /^--live reads Partner Center and --state reads a saved export/);
    assert.match(usageErrorOf(["--customers-from", "c.csv"]), /^--customers-from goes with --live/);
    assert.match(usageErrorOf(["--show-secrets"]), /^unknown option --show-secrets; the options are --stack, --state, --live/);
    for (const message of [usageErrorOf(["--state"]), usageErrorOf(["--stack", " "])]) assert.doesNotMatch(message, /\n/);
  });
});
