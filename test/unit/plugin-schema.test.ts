import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { SCHEMA_PATH, generatePluginSchema } from "../../scripts/generate-plugin-schema";
import { SETTING_DEFINITIONS } from "../../provider/config";
import { QUALIFICATION_INPUT_PROPERTIES } from "../../provider/qualification";

describe("the native plugin's schema", () => {
  const schema = generatePluginSchema() as {
    config: { variables: Record<string, { secret?: boolean }> };
    resources: Record<
      string,
      { inputProperties: Record<string, { description?: string; secret?: boolean }>; properties: Record<string, { secret?: boolean }> }
    >;
  };
  const resource = schema.resources["partnercenter:index:CustomerQualification"];

  it("provider/plugin/schema.json is current: what `npm run schema` makes from the TSDoc", () => {
    assert.deepEqual(JSON.parse(readFileSync(SCHEMA_PATH, "utf8")), schema);
  });

  it("has every input of the resource, each with a description from the TSDoc", () => {
    assert.deepEqual(Object.keys(resource?.inputProperties ?? {}).sort(), [...QUALIFICATION_INPUT_PROPERTIES].sort());
    for (const [name, property] of Object.entries(resource?.inputProperties ?? {})) assert.ok((property.description ?? "").length > 10, `${name} is described`);
  });

  it("marks the validation code and the secret settings as secrets", () => {
    assert.equal(resource?.inputProperties.validationCode?.secret, true);
    assert.equal(resource?.properties.validationCode?.secret, true);
    for (const setting of Object.values(SETTING_DEFINITIONS))
      assert.equal(schema.config.variables[setting.name]?.secret === true, setting.secret, setting.name);
  });
});
