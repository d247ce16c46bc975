/**
 * The benchmark's baseline: a Pulumi program with the most trivial dynamic provider that makes the
 * same requests as CustomerQualification. `create` reads the customer's qualifications once and
 * POSTs once; `read` reads once. No retries, no validation, no diff of its own.
 *
 * The bench copies this file into a program folder as `index.ts`; it never runs inside the
 * repository. The provider object captures nothing (Pulumi serializes it into every resource's
 * state): the API's URL and the emulator's development token come from the environment at call time.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";

/** An entry of `items.json`, as the bench writes it for both programs. */
interface Item {
  name: string;
  customerId: string;
  qualification: string;
  educationSegment?: string;
  validationCode?: string;
}

/** What the API answers for one qualification. */
interface QualificationRecord {
  qualification: string;
  vettingStatus?: string;
  vettingReason?: string;
}

/** One request to a customer's qualifications; throws on an error status. No retries. */
async function call(method: "GET" | "POST", customerId: string | undefined, body?: object): Promise<QualificationRecord[] & QualificationRecord> {
  const url = `${process.env.PARTNERCENTER_BASE_URL}/v1/customers/${customerId}/qualifications`;
  const headers = { Authorization: `Bearer ${process.env.PARTNERCENTER_ACCESS_TOKEN}`, "Content-Type": "application/json" };
  const answer = await fetch(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (!answer.ok) throw new Error(`${method} ${url}: HTTP ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as QualificationRecord[] & QualificationRecord;
}

// Kept short: Pulumi stores the text of these functions twice in every resource's state. JSON
// drops the undefined fields, which the host can't send to the engine.
const trivialProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: Record<string, string | undefined>) {
    const { customerId, qualification, educationSegment, validationCode } = inputs;
    await call("GET", customerId);
    const { vettingStatus, vettingReason } = await call("POST", customerId, { qualification, educationSegment, validationCode });
    return { id: `${customerId}/${qualification}`, outs: JSON.parse(JSON.stringify({ ...inputs, vettingStatus, vettingReason })) };
  },
  async read(id: string, props: Record<string, string | undefined>) {
    const found = (await call("GET", props.customerId)).find((q) => q.qualification === props.qualification);
    if (found === undefined) return { id: "" };
    return { id, props: JSON.parse(JSON.stringify({ ...props, vettingStatus: found.vettingStatus, vettingReason: found.vettingReason })) };
  },
};

/** One qualification with the trivial provider. */
class TrivialQualification extends pulumi.dynamic.Resource {
  declare readonly vettingStatus: pulumi.Output<string | undefined>;
  declare readonly vettingReason: pulumi.Output<string | undefined>;

  constructor(name: string, item: Omit<Item, "name">) {
    super(trivialProvider, name, { ...item, vettingStatus: undefined, vettingReason: undefined }, {}, "bench", "TrivialQualification");
  }
}

const items = JSON.parse(readFileSync(join(__dirname, "items.json"), "utf8")) as Item[];

/** The same stack outputs as the package's program, so that state sizes compare. */
export const qualifications: Record<string, pulumi.Output<{ id: string; vettingStatus: string | null; vettingReason: string | null }>> = {};
for (const { name, ...item } of items) {
  const q = new TrivialQualification(name, item);
  qualifications[name] = pulumi
    .all([q.id, q.vettingStatus, q.vettingReason])
    .apply(([id, vettingStatus, vettingReason]) => ({ id, vettingStatus: vettingStatus ?? null, vettingReason: vettingReason ?? null }));
}
