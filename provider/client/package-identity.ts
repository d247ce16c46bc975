/** The package's name and version, sent in `User-Agent`; a unit test keeps the version in step with package.json. */
export const PACKAGE_NAME = "pulumi-partnercenter";
/** Kept equal to package.json's version by test/unit/pulumi-contract.test.ts. */
export const PACKAGE_VERSION = "0.1.0";
