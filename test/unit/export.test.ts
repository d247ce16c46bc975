import { strict as assert } from "node:assert";
import { parse } from "yaml";
import { UsageError } from "../../provider/command-line";
import { readCustomerListCsv, readCustomerListEntries } from "../../provider/customer-list";
import {
  DEFAULT_CONFIG_KEY,
  StackConfigError,
  entriesOf,
  parseExportArguments,
  progressLine,
  readStackSettings,
  renderCsv,
  renderImportFile,
  renderYaml,
  summaryLines,
  type CustomerExport,
  type ExportCommand,
  type ExportedQualification,
} from "../../provider/export";

const A = "5d1c1a0e-2b3c-4d5e-8f90-a1b2c3d4e5f6";
const B = "6e2d2b1f-3c4d-4e5f-9a01-b2c3d4e5f6a7";

function usageErrorOf(argv: string[]): string {
  try {
    parseExportArguments(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  return assert.fail(`expected ${JSON.stringify(argv)} to be refused`);
}

describe("partnercenter-export: the command line", () => {
  it("defaults to YAML on stdout with every kind, Denied left out", () => {
    assert.deepEqual(parseExportArguments([]), { format: "yaml", includeDenied: false, adoptOnly: true, configKey: DEFAULT_CONFIG_KEY });
  });

  it("reads every option; kinds repeated or comma-separated, short names, any case; CSV from the --out name", () => {
    const command = parseExportArguments([
      "--out",
      "list.CSV",
      "--stack",
      "prod",
      "--qualification",
      "gcc,soe",
      "--qualification=education",
      "--filter",
      "domain=Contoso.",
      "--include-denied",
      "--no-adopt-only",
    ]);
    assert.deepEqual(command, {
      format: "csv",
      out: "list.CSV",
      stack: "prod",
      qualifications: ["GovernmentCommunityCloud", "StateOwnedEntity", "Education"],
      filter: { field: "domain", startsWith: "Contoso." },
      includeDenied: true,
      adoptOnly: false,
      configKey: DEFAULT_CONFIG_KEY,
    });
    assert.deepEqual(parseExportArguments(["--filter", "Fabrikam Schools"]), {
      format: "yaml",
      filter: { field: "companyName", startsWith: "Fabrikam Schools" },
      includeDenied: false,
      adoptOnly: true,
      configKey: DEFAULT_CONFIG_KEY,
    });
    assert.equal((parseExportArguments(["--out", "x.csv", "--format", "YAML"]) as ExportCommand).format, "yaml", "--format wins over the file name");
    assert.equal(parseExportArguments(["-h"]), "help");
  });

  const refused: ReadonlyArray<{ argv: string[]; says: RegExp }> = [
    { argv: ["--format", "xml"], says: /^--format must be one of yaml, csv, import; got "xml"$/ },
    { argv: ["--format"], says: /^--format needs a value: yaml, csv or import/ },
    {
      argv: ["--bogus"],
      says: /^unknown option --bogus; the options are --format, --out, --stack, --qualification, --filter, --include-denied, --no-adopt-only, --config-key, --help/,
    },
    { argv: ["stray"], says: /^unexpected argument "stray"/ },
    { argv: ["--include-denied=yes"], says: /^--include-denied takes no value/ },
    { argv: ["--qualification", "Nonprofit"], says: /^--qualification must be Education, GovernmentCommunityCloud, StateOwnedEntity \(or GCC, SOE\)/ },
    { argv: ["--filter", "domain= "], says: /^--filter must be a prefix: <company name prefix>, companyName=<prefix> or domain=<prefix>/ },
    { argv: ["--config-key", "qualifications"], says: /^--config-key must be <namespace>:<key>/ },
    { argv: ["--out", ""], says: /^--out needs a file path/ },
  ];
  for (const { argv, says } of refused) {
    it(`refuses ${JSON.stringify(argv)} in one line naming the option`, () => {
      const message = usageErrorOf(argv);
      assert.match(message, says);
      assert.ok(!message.includes("\n"), message);
    });
  }
});

const entry = (overrides: Partial<ExportedQualification>): ExportedQualification => ({
  customerId: A,
  qualification: "StateOwnedEntity",
  missing: [],
  ...overrides,
});

describe("partnercenter-export: the list writers", () => {
  it("keeps a company name with line breaks and YAML syntax inside its comment", () => {
    const hostile = "Evil\n- customerId: 6e2d2b1f-3c4d-4e5f-9a01-b2c3d4e5f6a7\r\n  qualification: StateOwnedEntity # \u2028x";
    const entries = [entry({ companyName: hostile, domain: "evil.example" })];
    const yaml = renderYaml({ entries, header: ["line one\nline two"] });
    const list = (parse(yaml) as { config: Record<string, unknown> }).config[DEFAULT_CONFIG_KEY];
    assert.deepEqual(list, [{ customerId: A, qualification: "StateOwnedEntity", adoptOnly: true }]);
    const csv = renderCsv({ entries, incomplete: "1 customer could not be read:\nx" });
    assert.deepEqual(
      readCustomerListCsv(csv, "x.csv").map((e) => e.customerId),
      [A],
    );
    assert.match(csv, /^# INCOMPLETE: 1 customer could not be read: x\n/);
  });

  it("writes an empty list as an empty YAML list and a CSV header", () => {
    assert.deepEqual(readCustomerListEntries((parse(renderYaml({ entries: [] })) as { config: Record<string, unknown> }).config[DEFAULT_CONFIG_KEY], "x"), []);
    assert.equal(renderCsv({ entries: [] }), "customerId,qualification,educationSegment,adoptOnly\n");
    assert.equal(renderCsv({ entries: [], adoptOnly: false }), "customerId,qualification,educationSegment\n");
  });

  it("puts the config key given, and describes vetting, its absence and a Denied reason", () => {
    const yaml = renderYaml({
      configKey: "my-project:customers",
      entries: [
        entry({ qualification: "Education", vettingStatus: "Denied", vettingReason: "Not an Academic Domain", missing: ["educationSegment"] }),
        entry({ customerId: B, companyName: "Northwind" }),
      ],
    });
    assert.match(yaml, /^ {2}my-project:customers:$/m);
    assert.match(
      yaml,
      new RegExp(`- customerId: ${A} # no company name, Denied: Not an Academic Domain\\n {6}qualification: Education\\n {6}adoptOnly: true\\n`),
    );
    assert.match(yaml, new RegExp(`- customerId: ${B} # Northwind, not vetted\\n {6}qualification: StateOwnedEntity\\n {6}adoptOnly: true\\n`));
    assert.ok(!yaml.includes("TODO"), "an adopt-only list leaves nothing to fill in");
  });

  it("adopt-only lists load as they are; lists to complete carry a TODO and are refused until completed", () => {
    const entries = [entry({ qualification: "Education", missing: ["educationSegment"] }), entry({ customerId: B, qualification: "GovernmentCommunityCloud" })];
    const yaml = (document: Parameters<typeof renderYaml>[0]): unknown =>
      (parse(renderYaml(document)) as { config: Record<string, unknown> }).config[DEFAULT_CONFIG_KEY];
    assert.deepEqual(
      readCustomerListEntries(yaml({ entries }), "x").map((e) => [e.qualification, e.adoptOnly]),
      [
        ["Education", true],
        ["GovernmentCommunityCloud", true],
      ],
    );
    assert.deepEqual(
      readCustomerListCsv(renderCsv({ entries }), "x.csv").map((e) => [e.qualification, e.adoptOnly]),
      [
        ["Education", true],
        ["GovernmentCommunityCloud", true],
      ],
    );
    const toComplete = renderYaml({ entries, adoptOnly: false });
    assert.match(
      toComplete,
      new RegExp(`qualification: Education\\n {6}# TODO: educationSegment \\(K12 or HigherEducation\\): Partner Center does not report it\\n`),
    );
    assert.ok(!toComplete.includes("adoptOnly"));
    assert.throws(() => readCustomerListEntries(yaml({ entries, adoptOnly: false }), "x"), /entry 1: educationSegment is required to create Education/);
    assert.throws(() => readCustomerListCsv(renderCsv({ entries, adoptOnly: false }), "x.csv"), /line \d+: educationSegment is required to create Education/);
  });
});

describe("partnercenter-export: entries of one customer", () => {
  const customer = { id: A, companyName: "Contoso" };
  it("skips None and Nonprofit, reads any letter case, and keeps the record that is not Denied of two", () => {
    const entries = entriesOf(
      customer,
      [
        { qualification: "None" },
        { qualification: "Nonprofit", vettingStatus: "Approved" },
        { qualification: "education", vettingStatus: "Denied" },
        { qualification: "Education", vettingStatus: "InReview" },
        { qualification: "stateownedentity" },
      ],
      {},
    );
    assert.deepEqual(
      entries.map((e) => [e.qualification, e.vettingStatus, e.missing]),
      [
        ["Education", "InReview", ["educationSegment"]],
        ["StateOwnedEntity", undefined, []],
      ],
    );
  });

  it("lists a Denied one only when asked, and never beside the qualification it excludes", () => {
    const held = [
      { qualification: "GovernmentCommunityCloud", vettingStatus: "Approved" },
      { qualification: "Education", vettingStatus: "Denied" },
    ];
    const leftOut = { denied: 0, otherKinds: 0 };
    assert.deepEqual(
      entriesOf(customer, held, { includeDenied: true }, leftOut).map((e) => e.qualification),
      ["GovernmentCommunityCloud"],
    );
    assert.deepEqual(leftOut, { denied: 1, otherKinds: 0 });
    assert.deepEqual(
      entriesOf(customer, [{ qualification: "Education", vettingStatus: "Denied" }], { includeDenied: true }).map((e) => e.vettingStatus),
      ["Denied"],
    );
  });
});

describe("partnercenter-export: progress and summary", () => {
  it("says how far it is, at what rate, and how long is left", () => {
    assert.equal(
      progressLine({ listed: 1000, done: 400, failed: 0, pages: 2, listingDone: false }, 4000),
      "customers read: 400 of 1,000 listed so far (2 pages), 100/s, about 6.0 s left for those",
    );
    assert.equal(
      progressLine({ listed: 2500, done: 2000, failed: 3, pages: 5, listingDone: true }, 20_000),
      "customers read: 2,000 of 2,500 (5 pages), 3 failed, 100/s, about 5.0 s left",
    );
  });

  it("sums up customers, entries by qualification and by vetting status, and what is left to do", () => {
    const result: CustomerExport = {
      entries: [
        entry({ qualification: "Education", vettingStatus: "Approved", missing: ["educationSegment"] }),
        entry({}),
        entry({ customerId: B, qualification: "GovernmentCommunityCloud", vettingStatus: "Approved" }),
      ],
      customersListed: 10,
      customersRead: 10,
      pages: 1,
      failures: [],
      leftOut: { denied: 2, otherKinds: 0 },
      complete: true,
    };
    assert.deepEqual(summaryLines(result, 1500).length, 4, "an adopt-only list leaves nothing to do by hand");
    assert.deepEqual(summaryLines(result, 1500, { adoptOnly: false }), [
      "10 of 10 customers read in 1.5 s (1 page); 3 entries listed for 2 customers",
      "  by qualification: Education 1, GovernmentCommunityCloud 1, StateOwnedEntity 1",
      "  by vetting status: Approved 2, not vetted 1",
      "  left out: 2 Denied (--include-denied lists them)",
      "  to complete by hand: 1 Education entry needs educationSegment (K12 or HigherEducation): see the TODO comments",
    ]);
  });
});

describe("partnercenter-export: a stack's settings", () => {
  it("takes the partnercenter: values of pulumi config --json, secrets included, and nothing else", async () => {
    const calls: string[][] = [];
    const json = JSON.stringify({
      "partnercenter:baseUrl": { value: "http://127.0.0.1:1", secret: false },
      "partnercenter:accessToken": { value: "s3cret-token", secret: true },
      "partnercenter-qualifications:qualifications": { value: "[]", objectValue: [], secret: false },
      "aws:region": { value: "x", secret: false },
    });
    const config = await readStackSettings("prod", "/work", async (file, args) => {
      calls.push([file, ...args]);
      return json;
    });
    assert.deepEqual(calls, [["pulumi", "--non-interactive", "config", "--show-secrets", "--json", "--stack", "prod"]]);
    assert.equal(config.get("partnercenter:baseUrl"), "http://127.0.0.1:1");
    assert.equal(config.get("partnercenter:accessToken"), "s3cret-token");
    assert.equal(config.get("aws:region"), undefined);
  });

  it("names --stack and the CLI's own first line when pulumi config fails", async () => {
    const failing = async (): Promise<string> => {
      throw Object.assign(new Error("Command failed"), { code: 255, stderr: "error: no stack named 'prod' found\n" });
    };
    await assert.rejects(readStackSettings("prod", "/work", failing), (error: unknown) => {
      assert.ok(error instanceof StackConfigError);
      assert.match(error.message, /^--stack prod: pulumi config could not read the stack .*: no stack named 'prod' found$/);
      return true;
    });
    const missing = async (): Promise<string> => {
      throw Object.assign(new Error("spawn pulumi ENOENT"), { code: "ENOENT" });
    };
    await assert.rejects(readStackSettings("prod", "/work", missing), /--stack prod: reading the stack's settings needs the pulumi CLI on PATH/);
  });
});

describe("the import file for the native plugin", () => {
  it("names each qualification as the stack program does, with its resource ID, for pulumi import -f", () => {
    const entries = [
      { customerId: "11111111-2222-4333-8444-555555555555", qualification: "Education", missing: ["educationSegment"] },
      { customerId: "11111111-2222-4333-8444-666666666666", qualification: "StateOwnedEntity", missing: [] },
    ] as unknown as Parameters<typeof renderImportFile>[0]["entries"];
    const parsed = JSON.parse(renderImportFile({ entries })) as { resources: Array<{ type: string; name: string; id: string }> };
    assert.deepEqual(parsed.resources, [
      {
        type: "partnercenter:index:CustomerQualification",
        name: "11111111-2222-4333-8444-555555555555-Education",
        id: "11111111-2222-4333-8444-555555555555/Education",
      },
      {
        type: "partnercenter:index:CustomerQualification",
        name: "11111111-2222-4333-8444-666666666666-StateOwnedEntity",
        id: "11111111-2222-4333-8444-666666666666/StateOwnedEntity",
      },
    ]);
  });
});
