/**
 * `npm run schema`: writes provider/plugin/schema.json, the Pulumi package schema of the native
 * plugin, with descriptions taken from the TSDoc of the TypeScript resource (so Pulumi's docs and
 * IDEs show the same words) and of the settings. A unit test checks that the file is current.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { SETTING_DEFINITIONS, type SettingDefinition } from "../provider/config";
import { NATIVE_RESOURCE_TYPE } from "../provider/qualification";
import { REPO_ROOT } from "./pulumi-workspace";

/** Where the schema lives in the repository. */
export const SCHEMA_PATH = join(REPO_ROOT, "provider", "plugin", "schema.json");

type Property = Record<string, unknown>;

const WAIT_OPTIONS = "partnercenter:index:WaitForVettingOptions";

/** Schema types of the resource's properties: TypeScript's types don't map one to one. */
const INPUT_TYPES: Record<string, Property> = {
  customerId: { type: "string" },
  qualification: { type: "string" },
  educationSegment: { type: "string" },
  website: { type: "string" },
  validationCode: { type: "string", secret: true },
  validationOrganization: { type: "string" },
  waitForVetting: { oneOf: [{ type: "boolean" }, { $ref: `#/types/${WAIT_OPTIONS}` }] },
  resubmitDenied: { type: "string" },
  adoptOnly: { type: "boolean" },
};
const OUTPUT_TYPES: Record<string, Property> = {
  ...INPUT_TYPES,
  validationCodeChosen: { type: "boolean" },
  vettingStatus: { type: "string" },
  vettingReason: { type: "string" },
  vettingCreateDate: { type: "string" },
};

/** The TSDoc of an interface's or class's members (and of the declaration itself, under ""). */
function docsOf(file: string, declaration: string): Map<string, string> {
  const source = ts.createSourceFile(file, readFileSync(join(REPO_ROOT, file), "utf8"), ts.ScriptTarget.ES2022, true);
  const docs = new Map<string, string>();
  const text = (node: ts.Node): string | undefined => {
    const comment = ts.getJSDocCommentsAndTags(node).find(ts.isJSDoc)?.comment;
    return typeof comment === "string" ? comment.replace(/\s+/g, " ").trim() : undefined;
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) && node.name?.text === declaration) {
      const own = text(node);
      if (own !== undefined) docs.set("", own);
      for (const member of node.members) {
        const doc = text(member);
        if (member.name !== undefined && ts.isIdentifier(member.name) && doc !== undefined) docs.set(member.name.text, doc);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return docs;
}

function described(types: Record<string, Property>, ...docs: Array<Map<string, string>>): Record<string, Property> {
  return Object.fromEntries(
    Object.entries(types).map(([name, type]) => {
      const description = docs.map((d) => d.get(name)).find((d) => d !== undefined);
      return [name, description !== undefined ? { ...type, description } : type];
    }),
  );
}

function settings(): Record<string, Property> {
  return Object.fromEntries(
    (Object.values(SETTING_DEFINITIONS) as SettingDefinition[]).map((s) => [
      s.name,
      { type: "string", description: `${s.description} (environment: ${s.env})`, ...(s.secret ? { secret: true } : {}) },
    ]),
  );
}

/** The package schema, as the plugin serves it (its version is set when served). */
export function generatePluginSchema(): Record<string, unknown> {
  const args = docsOf("provider/resource/customer-qualification.ts", "CustomerQualificationArgs");
  const resource = docsOf("provider/resource/customer-qualification.ts", "CustomerQualification");
  const wait = docsOf("provider/qualification/validation.ts", "WaitForVettingOptions");
  const config = settings();
  return {
    name: "partnercenter",
    displayName: "Microsoft Partner Center",
    description: "Microsoft Partner Center customer qualifications (Education, GovernmentCommunityCloud, StateOwnedEntity) as Pulumi resources.",
    keywords: ["pulumi", "partner-center", "csp", "microsoft", "category/utility"],
    license: "Apache-2.0",
    config: { variables: config },
    provider: { description: "Partner Center settings; those left out fall back to the environment.", inputProperties: config },
    resources: {
      [NATIVE_RESOURCE_TYPE]: {
        description: resource.get("") ?? "",
        inputProperties: described(INPUT_TYPES, args),
        requiredInputs: ["customerId", "qualification"],
        properties: described(OUTPUT_TYPES, resource, args),
        required: ["customerId", "qualification"],
      },
    },
    types: {
      [WAIT_OPTIONS]: {
        type: "object",
        description: wait.get("") ?? "",
        properties: described({ timeoutInMs: { type: "integer" }, pollIntervalInMs: { type: "integer" } }, wait),
      },
    },
    language: {
      python: { packageName: "pulumi_partnercenter", respectSchemaVersion: true, requires: { pulumi: ">=3.0.0,<4.0.0" } },
    },
  };
}

if (require.main === module) {
  writeFileSync(SCHEMA_PATH, `${JSON.stringify(generatePluginSchema(), null, 2)}\n`);
  console.log(`wrote ${SCHEMA_PATH}`);
}
