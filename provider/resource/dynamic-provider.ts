/**
 * The provider object that Pulumi serializes into every resource's state (`__provider`).
 *
 * This module's export IS that object (`export =`), so that when the package is installed in a
 * program's node_modules, Pulumi's closure serializer stores it as a reference to the package,
 * `require("pulumi-partnercenter/dynamic-provider")`: about 300 bytes per copy, no code of ours and
 * no secret, and refresh and destroy run the package installed now, not a copy frozen at the last
 * `pulumi up`. Where the package is not installed as a module (this repository's own stack), the
 * object is stored by value; its methods then still load the implementation by package name, inside
 * the provider process, at call time, so nothing else is captured.
 */
import type * as pulumi from "@pulumi/pulumi";

type Implementation = typeof import("../lifecycle/provider-process");

/**
 * Loads `pulumi-partnercenter/handlers` as the program would: from the program's folder, which is
 * the provider process's working directory. Resolving from a file in that folder also lets the
 * package refer to itself by name when the program lives inside this repository.
 */
function implementation(): Implementation {
  const { createRequire } = require("node:module") as typeof import("node:module");
  const { join } = require("node:path") as typeof import("node:path");
  return createRequire(join(process.cwd(), "pulumi-program.js"))("pulumi-partnercenter/handlers") as Implementation;
}

/** The serialized face of the CustomerQualification provider. */
const dynamicProvider: pulumi.dynamic.ResourceProvider = {
  async configure(req) {
    implementation().configure(req.config);
  },
  async check(olds, news) {
    return implementation().check(olds, news);
  },
  async diff(id, olds, news) {
    return implementation().diff(id, olds, news);
  },
  async create(inputs) {
    return implementation().create(inputs);
  },
  async read(id, props) {
    return implementation().read(id, props);
  },
  async update(id, olds, news) {
    return implementation().update(id, olds, news);
  },
  async delete(id, props) {
    return implementation().remove(id, props);
  },
};

export = dynamicProvider;
