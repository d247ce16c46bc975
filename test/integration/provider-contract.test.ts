/**
 * One contract, two adapters: the dynamic provider object and the native plugin (a separate process
 * over gRPC) run the same table against the emulator, and must answer alike: the same IDs, outputs,
 * refusals and messages, and a validation code always a secret in the plugin's answers.
 */
import { strict as assert } from "node:assert";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DEVELOPMENT_ACCESS_TOKEN } from "partnercenter-emulator";
import { REPO_ROOT } from "../../scripts/pulumi-workspace";
import { BAD_INPUTS } from "../fixtures/bad-inputs";
import { CUSTOMERS, VALIDATION_CODE, useEmulator } from "../fixtures/emulated-partner-center";
import { dynamicAdapter, nativeAdapter, type AdapterAnswer, type ProviderAdapter } from "../fixtures/provider-adapters";

const EDUCATION = { customerId: CUSTOMERS.school, qualification: "Education", educationSegment: "K12", website: "contoso.edu" };
const GCC_CHOSEN = { customerId: CUSTOMERS.agency, qualification: "GovernmentCommunityCloud" };
const SOE = { customerId: CUSTOMERS.utility, qualification: "StateOwnedEntity" };

/** The contract, step by step; each case returns what both adapters must agree on. */
const CONTRACT: ReadonlyArray<{ name: string; run: (p: ProviderAdapter) => Promise<unknown> }> = [
  {
    name: "create Education: one POST, the ID and the vetting",
    run: async (p) => pick(await p.create(EDUCATION), ["id", "properties"]),
  },
  {
    name: "create GCC with a code the provider chose: an output only, and secret",
    run: async (p) => {
      const created = await p.create(GCC_CHOSEN);
      return { ...pick(created, ["id", "properties"]), codeIsSecretInThePlugin: p.name !== "the native plugin" || created.secret.includes("validationCode") };
    },
  },
  {
    name: "adopt what the customer already has, without a POST",
    run: async (p) =>
      pick(await p.create({ customerId: CUSTOMERS.alreadyEducation, qualification: "Education", educationSegment: "K12" }), ["id", "properties"]),
  },
  {
    name: "read after create: the same outputs, and inputs without a chosen code",
    run: async (p) => {
      const created = await p.create(GCC_CHOSEN);
      return pick(await p.read(created.id ?? "", created.properties ?? {}), ["id", "properties", "inputs"]);
    },
  },
  {
    name: "read of a qualification the customer no longer has: gone",
    run: async (p) => ({ id: (await p.read(`${CUSTOMERS.utility}/StateOwnedEntity`, SOE)).id ?? "" }),
  },
  {
    name: "diff: a new segment replaces, a new validation code updates, the same inputs change nothing",
    run: async (p) => {
      const created = await p.create(EDUCATION);
      const olds = created.properties ?? {};
      return [
        pick(await p.diff(created.id ?? "", olds, { ...EDUCATION, educationSegment: "HigherEducation" }), ["changes", "replaces"]),
        pick(await p.diff(created.id ?? "", olds, EDUCATION), ["changes", "replaces"]),
        pick(await p.diff("x", { ...GCC_CHOSEN, validationCode: "1" }, { ...GCC_CHOSEN, validationCode: "2" }), ["changes", "replaces"]),
      ];
    },
  },
  {
    name: "update: a new validation code is stored without a request",
    run: async (p) => {
      const created = await p.create({ ...GCC_CHOSEN, validationCode: VALIDATION_CODE });
      return pick(await p.update(created.id ?? "", created.properties ?? {}, { ...GCC_CHOSEN, validationCode: "999999" }), ["properties"]);
    },
  },
  {
    name: "create refused: Education on a customer holding GCC, before any POST",
    run: async (p) =>
      (await rejection(p.create({ customerId: CUSTOMERS.alreadyGcc, qualification: "Education", educationSegment: "K12" }))).replace(/^Error: /, ""),
  },
  {
    name: "adoptOnly: adopts what the customer holds, with no segment and no POST",
    run: async (p) => pick(await p.create({ customerId: CUSTOMERS.alreadyEducation, qualification: "Education", adoptOnly: true }), ["id", "properties"]),
  },
  {
    name: "adoptOnly: refused for every kind the customer does not hold, naming the customer, before any POST",
    run: async (p) =>
      Promise.all(
        [
          // Customers no other case creates on: a provider process remembers what it read and created.
          { customerId: CUSTOMERS.alreadyGcc, qualification: "Education", adoptOnly: true },
          { customerId: CUSTOMERS.alreadyEducation, qualification: "GovernmentCommunityCloud", adoptOnly: true },
          { customerId: CUSTOMERS.deniedEducation, qualification: "StateOwnedEntity", adoptOnly: true },
        ].map(async (inputs) => (await rejection(p.create(inputs))).replace(/^Error: /, "")),
      ),
  },
  {
    name: "adoptOnly: turning it on or off is an update of state only, never a replace",
    run: async (p) => {
      const adopted = await p.create({ customerId: CUSTOMERS.alreadyGcc, qualification: "GovernmentCommunityCloud", adoptOnly: true });
      const olds = adopted.properties ?? {};
      const { adoptOnly: _on, ...oldsOff } = olds;
      const off = { customerId: CUSTOMERS.alreadyGcc, qualification: "GovernmentCommunityCloud" };
      return [
        pick(await p.diff(adopted.id ?? "", olds, off), ["changes", "replaces"]),
        pick(await p.diff(adopted.id ?? "", olds, { ...off, adoptOnly: true }), ["changes", "replaces"]),
        pick(await p.update(adopted.id ?? "", olds, off), ["properties"]),
        pick(await p.update(adopted.id ?? "", oldsOff, { ...off, adoptOnly: true }), ["properties"]),
      ];
    },
  },
  {
    name: "check refuses every bad input, naming the field",
    run: async (p) => Promise.all(BAD_INPUTS.map(async (bad) => (await p.check(bad.inputs)).failures?.map((f) => f.property))),
  },
];

describe("the provider contract: the dynamic provider and the native plugin answer alike", () => {
  const env = useEmulator();
  const answers = new Map<string, Map<string, unknown>>();

  before(() => {
    assert.ok(existsSync(join(REPO_ROOT, "dist", "provider", "plugin", "plugin-main.js")), "run `npm run build` first (npm test does)");
  });

  for (const make of [dynamicAdapter, nativeAdapter]) {
    describe(make === dynamicAdapter ? "the dynamic provider" : "the native plugin", () => {
      let adapter: ProviderAdapter;
      before(async () => {
        adapter = await make({ baseUrl: env.emulator.url, accessToken: DEVELOPMENT_ACCESS_TOKEN });
      });
      after(async () => adapter?.close());
      for (const c of CONTRACT) {
        it(c.name, async () => {
          await env.emulator.control.forgetQualification(CUSTOMERS.utility, "StateOwnedEntity").catch(() => undefined);
          const answer = await c.run(adapter);
          const mine = answers.get(c.name) ?? new Map<string, unknown>();
          mine.set(adapter.name, normalised(answer));
          answers.set(c.name, mine);
          const posts = (await env.emulator.control.requests()).filter((r) => r.method === "POST" && typeof r.status === "number" && r.status < 300).length;
          mine.set(`${adapter.name} POSTs`, posts);
        });
      }
    });
  }

  describe("both", () => {
    for (const c of CONTRACT) {
      it(`agree: ${c.name}`, () => {
        const mine = answers.get(c.name) ?? new Map<string, unknown>();
        assert.ok(mine.has("the dynamic provider") && mine.has("the native plugin"), "both adapters ran this case");
        assert.ok(JSON.stringify(mine.get("the dynamic provider")).length > 4, "the case answered something to compare");
        assert.deepEqual(mine.get("the native plugin"), mine.get("the dynamic provider"));
        assert.equal(mine.get("the native plugin POSTs"), mine.get("the dynamic provider POSTs"), "the same POSTs");
      });
    }
  });
});

function pick(answer: AdapterAnswer, keys: ReadonlyArray<keyof AdapterAnswer>): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, answer[k]]));
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error("expected the call to fail");
}

/** Dates the emulator stamps differ between runs; everything else must match exactly. */
function normalised(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null, (key, v: unknown) => (key === "vettingCreateDate" && typeof v === "string" ? "<date>" : v)));
}
