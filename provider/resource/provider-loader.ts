/**
 * The `__provider` value of every CustomerQualification: the text Pulumi's dynamic-provider host
 * evaluates, as a CommonJS module whose `handler()` returns the provider object, before it acts on
 * the resource (pulumi-nodejs `getProvider`: `requireFromString(text).handler()`).
 *
 * Written here rather than made by Pulumi's closure serializer (`pulumi.dynamic.Resource`), which
 * wraps the same `require` in about 300 bytes, stored twice per resource. This text only loads the
 * provider of the package installed in the program's folder (the host's working directory), so
 * it holds no code of ours and no secret, and refresh and destroy run the package installed now.
 * Resolving from that folder also lets the package name itself inside this repository's own stack.
 */

/** The module the host loads; its `export =` is the provider object (`dynamic-provider.ts`). */
const DYNAMIC_PROVIDER_MODULE = "pulumi-partnercenter/dynamic-provider";

/** The serialized provider stored in state as `__provider`. */
export const PROVIDER_LOADER = `exports.handler = () => require("node:module").createRequire(process.cwd() + "/")(${JSON.stringify(DYNAMIC_PROVIDER_MODULE)});\n`;
