import { strict as assert } from "node:assert";
import { CustomerListError, readCustomerListCsv, readCustomerListEntries } from "../../provider/customer-list";
import { readCsv } from "../../provider/customer-list/csv";

const A = "5d1c1a0e-2b3c-4d5e-8f90-a1b2c3d4e5f6";
const B = "6e2d2b1f-3c4d-4e5f-9a01-b2c3d4e5f6a7";

function problemsOf(read: () => unknown): string[] {
  try {
    read();
  } catch (error) {
    if (error instanceof CustomerListError) return error.problems.map((p) => `${p.where}: ${p.reason}`);
    throw error;
  }
  return assert.fail("expected the list to be refused");
}

describe("reading a customer list", () => {
  it("reads CSV with columns in any order and case, skipping blank and comment lines", () => {
    const csv = [
      "# customers of the Fabrikam partner",
      "Qualification,CUSTOMERID,educationSegment,website",
      `education,${A.toUpperCase()},k12,contoso.edu`,
      "",
      `StateOwnedEntity,${B},,`,
    ].join("\r\n");
    const entries = readCustomerListCsv(csv, "customers.csv");
    assert.deepEqual(
      entries.map((e) => [e.source, e.customerId, e.qualification, e.educationSegment, e.website]),
      [
        ["line 3", A, "Education", "K12", "contoso.edu"],
        ["line 5", B, "StateOwnedEntity", undefined, undefined],
      ],
    );
  });

  it("names every bad row by its line number", () => {
    const csv = ["customerId,qualification,educationSegment", `${A},Education,`, "nope,StateOwnedEntity,", `${B},None,`].join("\n");
    assert.deepEqual(
      problemsOf(() => readCustomerListCsv(csv, "customers.csv")),
      [
        "line 2: educationSegment is required to create Education: K12 or HigherEducation; an entry with adoptOnly: true needs none",
        'line 3: customerId must be the customer\'s tenant ID, a GUID such as 7b0e2b14-3c2f-4d6e-9a51-2f1c8d0e4a77; got "nope"',
        'line 4: qualification "None" can\'t be set: Partner Center only lets a partner set Education, GovernmentCommunityCloud, StateOwnedEntity',
      ],
    );
  });

  it("refuses duplicates, naming both lines", () => {
    const csv = ["customerId,qualification", `${A},StateOwnedEntity`, `${B},StateOwnedEntity`, `${A},stateownedentity`].join("\n");
    assert.deepEqual(
      problemsOf(() => readCustomerListCsv(csv, "customers.csv")),
      [`line 4: duplicate of line 2: customer ${A} already has StateOwnedEntity in the list`],
    );
  });

  it("refuses Education and GCC for one customer in the same list", () => {
    const list = [
      { customerId: A, qualification: "Education", educationSegment: "K12" },
      { customerId: A, qualification: "StateOwnedEntity" },
      { customerId: A, qualification: "GovernmentCommunityCloud", validationCode: "1" },
    ];
    assert.deepEqual(
      problemsOf(() => readCustomerListEntries(list, "qualifications")),
      [`entry 3: customer ${A} has GovernmentCommunityCloud here and Education at entry 1; Partner Center refuses the two together`],
    );
  });

  it("reads adoptOnly from CSV (true, false or empty, any case) and YAML, refusing anything else by its line or entry", () => {
    const csv = ["customerId,qualification,adoptOnly", `${A},Education,TRUE`, `${B},StateOwnedEntity,false`].join("\n");
    assert.deepEqual(
      readCustomerListCsv(csv, "c.csv").map((e) => [e.qualification, e.adoptOnly]),
      [
        ["Education", true],
        ["StateOwnedEntity", undefined],
      ],
    );
    assert.deepEqual(
      problemsOf(() => readCustomerListCsv(["customerId,qualification,adoptOnly", `${A},StateOwnedEntity,yes`].join("\n"), "c.csv")),
      ["line 2: adoptOnly must be true or false; got a string"],
    );
    assert.deepEqual(
      readCustomerListEntries([{ customerId: A, qualification: "GovernmentCommunityCloud", adoptOnly: true }], "list").map((e) => e.adoptOnly),
      [true],
    );
    assert.deepEqual(
      problemsOf(() => readCustomerListEntries([{ customerId: A, qualification: "Education", adoptOnly: false }], "list")),
      ["entry 1: educationSegment is required to create Education: K12 or HigherEducation; an entry with adoptOnly: true needs none"],
    );
  });

  it("refuses an unknown column before reading any row", () => {
    assert.deepEqual(
      problemsOf(() => readCustomerListCsv("customerId,qualificaton\n", "customers.csv")),
      [
        'line 1: unknown column "qualificaton"; allowed columns: customerId, qualification, educationSegment, website, validationCode, validationOrganization, waitForVetting, resubmitDenied, adoptOnly',
      ],
    );
  });

  it("refuses a YAML value that is not a list, and entries that are not objects", () => {
    assert.equal(problemsOf(() => readCustomerListEntries({ customerId: A }, "qualifications")).length, 1);
    assert.deepEqual(
      problemsOf(() => readCustomerListEntries(["x"], "qualifications")),
      ["entry 1: must be an object such as {customerId, qualification}"],
    );
  });

  it("says how many problems there are and shows at most twenty", () => {
    const list = Array.from({ length: 25 }, () => ({ customerId: "bad", qualification: "StateOwnedEntity" }));
    const error = (() => {
      try {
        readCustomerListEntries(list, "qualifications");
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    assert.match(String(error?.message), /^qualifications has 25 problems, nothing was declared: entry 1: .*; and 5 more$/);
  });
});

describe("CSV reader", () => {
  const cases: ReadonlyArray<{ name: string; text: string; rows: Array<[number, string[]]> }> = [
    { name: "quoted commas and doubled quotes", text: 'a,"b,c","say ""hi"""\n', rows: [[1, ["a", "b,c", 'say "hi"']]] },
    {
      name: "a line break inside quotes",
      text: 'a,"one\ntwo"\nb,c',
      rows: [
        [1, ["a", "one\ntwo"]],
        [3, ["b", "c"]],
      ],
    },
    { name: "a byte-order mark and no final newline", text: "\uFEFFx,y", rows: [[1, ["x", "y"]]] },
    {
      name: "CR LF line ends",
      text: "a,b\r\nc,d\r\n",
      rows: [
        [1, ["a", "b"]],
        [2, ["c", "d"]],
      ],
    },
    { name: "comment lines holding quotes and commas", text: '# say "hi", then\na,b\n  # indented, "x"\n', rows: [[2, ["a", "b"]]] },
    {
      name: "a record after a multi-line one and a blank line, from its first line",
      text: 'a,b\n\n"x\ny\nz",q\nc,d',
      rows: [
        [1, ["a", "b"]],
        [3, ["x\ny\nz", "q"]],
        [6, ["c", "d"]],
      ],
    },
  ];
  for (const c of cases) {
    it(`reads ${c.name}`, () => {
      assert.deepEqual(
        readCsv(c.text).map((r) => [r.line, r.fields]),
        c.rows,
      );
    });
  }

  it("refuses an unclosed quote and a stray quote with their line, without the cell's value", () => {
    assert.throws(() => readCsv('a,b\nc,"d\n'), /line 2: a quoted field is not closed/);
    assert.throws(
      () => readCsv('a,b\nc,se"cret\n'),
      (error: Error) => error.message === "line 2: a quote inside an unquoted field; quote the whole field",
    );
  });
});
