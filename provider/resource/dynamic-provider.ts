/**
 * The provider object of every CustomerQualification: what the `__provider` loader in state
 * (`provider-loader.ts`) returns to Pulumi's dynamic-provider host, by loading this module by package
 * name from the program's folder. It is never serialized: its methods load the implementation
 * (`pulumi-partnercenter/handlers`) inside the provider process, at call time, so that a program
 * that only declares resources never loads the client and sign-in code.
 */
import type * as pulumi from "@pulumi/pulumi";

type Implementation = typeof import("../lifecycle/provider-process");

/**
 * The implementation, loaded on first call. This module is itself loaded from the package
 * installed in the program's folder, so the relative path is that package's
 * `pulumi-partnercenter/handlers`, the same file (and module instance) that 0.1.0 state loads.
 */
function implementation(): Implementation {
  return require("../lifecycle/provider-process") as Implementation;
}

/** The CustomerQualification provider, as the dynamic-provider host calls it. */
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
