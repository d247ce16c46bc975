import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { PREVIEW_UNKNOWN } from "../../provider/lifecycle";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../../provider/client/package-identity";

describe("constants copied from elsewhere", () => {
  it("PREVIEW_UNKNOWN is the Pulumi SDK's unknown sentinel", () => {
    assert.equal(PREVIEW_UNKNOWN, unknownValue);
  });

  it("the User-Agent's name and version are package.json's", () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { name: string; version: string };
    assert.equal(PACKAGE_NAME, pkg.name);
    assert.equal(PACKAGE_VERSION, pkg.version);
  });
});
