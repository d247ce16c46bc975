/**
 * The native provider plugin `pulumi-resource-partnercenter`: Pulumi's ResourceProvider gRPC
 * service, a thin adapter over the same lifecycle as the dynamic resource (`provider/handlers`).
 * It serves its own gRPC methods rather than `@pulumi/pulumi/provider`'s server, whose Configure
 * drops the request: the `partnercenter:` settings (secrets included) arrive through Configure.
 */
import { dirname } from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import * as handlers from "../lifecycle/provider-process";
import { PACKAGE_VERSION } from "../client";
import { QualificationOutcomeError } from "../lifecycle";
import { NATIVE_RESOURCE_TYPE } from "../qualification";
import { configSourceOf, settingFailures } from "./plugin-configuration";
import { toEngineProperties, unwrapSecrets } from "./property-values";
import { pluginSchema } from "./plugin-schema";

/** The resource type the plugin serves. */

type Callback = (error: grpcTypes.ServiceError | Error | null | undefined, value?: unknown, metadata?: grpcTypes.Metadata) => void;
type Call = { request: Record<string, (...args: unknown[]) => unknown> };
type StructValue = structTypes.Struct | undefined;

/** The generated gRPC and protobuf modules, from the very copy of @pulumi/pulumi the program uses. */
function protocol() {
  const pulumiDir = dirname(require.resolve("@pulumi/pulumi/package.json"));
  const fromPulumi = (name: string): unknown => require(require.resolve(name, { paths: [pulumiDir] }));
  return {
    grpc: fromPulumi("@grpc/grpc-js") as typeof grpcTypes,
    struct: fromPulumi("google-protobuf/google/protobuf/struct_pb") as typeof structTypes,
    empty: fromPulumi("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => unknown },
    any: fromPulumi("google-protobuf/google/protobuf/any_pb") as { Any: new () => { pack(data: Uint8Array, name: string): void } },
    provider: require("@pulumi/pulumi/proto/provider_pb") as Record<string, new () => Record<string, (...args: unknown[]) => unknown>> & {
      DiffResponse: { DiffChanges: { DIFF_NONE: number; DIFF_SOME: number } } & (new () => Record<string, (...args: unknown[]) => unknown>);
    },
    providerRpc: require("@pulumi/pulumi/proto/provider_grpc_pb") as { ResourceProviderService: grpcTypes.ServiceDefinition },
    plugin: require("@pulumi/pulumi/proto/plugin_pb") as { PluginInfo: new () => { setVersion(v: string): void } },
    status: require("@pulumi/pulumi/proto/status_pb") as { Status: new () => Record<string, (...args: unknown[]) => unknown> },
  };
}

type Protocol = ReturnType<typeof protocol>;

/** Starts the plugin's gRPC server on a free loopback port and prints the port, as the engine expects. */
export async function servePlugin(): Promise<void> {
  const proto = protocol();
  const server = new proto.grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(proto.providerRpc.ResourceProviderService, resourceProviderService(proto) as unknown as grpcTypes.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", proto.grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  process.stdout.write(`${port}\n`);
}

function toJs(value: unknown): Record<string, unknown> {
  return (value as StructValue)?.toJavaScript() ?? {};
}

/** The ResourceProvider methods; each reads its request, calls the lifecycle, and writes the answer. */
function resourceProviderService(proto: Protocol): Record<string, (call: Call, callback: Callback) => void> {
  const io = messages(proto);
  return { ...pluginMethods(proto, io), ...configMethods(proto, io), ...lifecycleMethods(proto, io) };
}

/** How the methods read and write protobuf messages. */
interface MessageIo {
  readonly respond: (work: (request: Call["request"]) => Promise<unknown> | unknown) => (call: Call, callback: Callback) => void;
  readonly message: (name: string, fields: Record<string, unknown>) => unknown;
  readonly struct: (value: Record<string, unknown>) => unknown;
  readonly changes: (some: boolean) => number;
}

function messages(proto: Protocol): MessageIo {
  return {
    respond: (work) => (call, callback) => {
      Promise.resolve()
        .then(() => work(call.request))
        .then(
          (answer) => callback(null, answer),
          (error: unknown) => callback(...grpcError(proto, error)),
        );
    },
    message: (name, fields) => {
      const m = new proto.provider[name]!();
      for (const [setter, value] of Object.entries(fields)) if (value !== undefined) m[setter]!(value);
      return m;
    },
    struct: (value) => proto.struct.Struct.fromJavaScript(value as never),
    changes: (some) => (some ? proto.provider.DiffResponse.DiffChanges.DIFF_SOME : proto.provider.DiffResponse.DiffChanges.DIFF_NONE),
  };
}

function pluginMethods(proto: Protocol, { respond, message }: MessageIo): Record<string, (call: Call, callback: Callback) => void> {
  return {
    getPluginInfo: respond(() => {
      const info = new proto.plugin.PluginInfo();
      info.setVersion(PACKAGE_VERSION);
      return info;
    }),
    getSchema: respond(() => message("GetSchemaResponse", { setSchema: JSON.stringify(pluginSchema()) })),
    cancel: respond(() => new proto.empty.Empty()),
    attach: respond(() => new proto.empty.Empty()),
  };
}

/** CheckConfig, DiffConfig and Configure: the provider's settings. */
function configMethods(proto: Protocol, { respond, message, changes }: MessageIo): Record<string, (call: Call, callback: Callback) => void> {
  return {
    checkConfig: respond((req) => {
      const news = toJs(req.getNews!());
      return message("CheckResponse", { setInputs: req.getNews!(), setFailuresList: checkFailures(proto, settingFailures(Object.keys(news))) });
    }),
    diffConfig: respond((req) => {
      const same = JSON.stringify(unwrapSecrets(toJs(req.getOlds!())).values) === JSON.stringify(unwrapSecrets(toJs(req.getNews!())).values);
      return message("DiffResponse", { setChanges: changes(!same) });
    }),
    configure: respond((req) => {
      const variables = req.getVariablesMap!() as { toObject(): Array<[string, string]> };
      handlers.configure(configSourceOf(unwrapSecrets(toJs(req.getArgs!())).values, Object.fromEntries(variables.toObject())));
      return message("ConfigureResponse", { setAcceptsecrets: true, setSupportspreview: false, setAcceptresources: false });
    }),
  };
}

/** Check, Diff, Create, Read, Update and Delete: the lifecycle, with the URN passed in and secrets unwrapped. */
function lifecycleMethods(proto: Protocol, { respond, message, struct, changes }: MessageIo): Record<string, (call: Call, callback: Callback) => void> {
  const plain = (value: unknown) => unwrapSecrets(toJs(value));
  return {
    check: respond(async (req) => {
      requireOurType(req.getUrn!() as string);
      const news = plain(req.getNews!());
      const result = await handlers.check(plain(req.getOlds!()).values, news.values);
      return message("CheckResponse", {
        setInputs: struct(toEngineProperties(result.inputs, news.secretKeys)),
        setFailuresList: checkFailures(proto, result.failures ?? []),
      });
    }),
    diff: respond(async (req) => {
      const result = await handlers.diff(req.getId!() as string, plain(req.getOlds!()).values, plain(req.getNews!()).values);
      return message("DiffResponse", {
        setChanges: changes(result.changes === true),
        setReplacesList: result.replaces ?? [],
        setDeletebeforereplace: result.deleteBeforeReplace ?? false,
      });
    }),
    create: respond(async (req) => {
      const urn = requireOurType(req.getUrn!() as string);
      const inputs = plain(req.getProperties!());
      const result = await handlers.create({ ...inputs.values, __urn: urn });
      return message("CreateResponse", { setId: result.id, setProperties: struct(toEngineProperties(result.outs, inputs.secretKeys)) });
    }),
    read: respond(async (req) => {
      const urn = requireOurType(req.getUrn!() as string);
      const state = plain(req.getProperties!());
      const result = await handlers.read(req.getId!() as string, { ...state.values, __urn: urn }, plain(req.getInputs!()).values);
      const inputs = result.inputs !== undefined ? struct(toEngineProperties(result.inputs, state.secretKeys)) : undefined;
      return message("ReadResponse", { setId: result.id ?? "", setProperties: struct(toEngineProperties(result.props, state.secretKeys)), setInputs: inputs });
    }),
    update: respond(async (req) => {
      const urn = requireOurType(req.getUrn!() as string);
      const news = plain(req.getNews!());
      const result = await handlers.update(req.getId!() as string, { ...plain(req.getOlds!()).values, __urn: urn }, { ...news.values, __urn: urn });
      return message("UpdateResponse", { setProperties: struct(toEngineProperties(result.outs, news.secretKeys)) });
    }),
    delete: respond(async (req) => {
      const urn = requireOurType(req.getUrn!() as string);
      await handlers.remove(req.getId!() as string, { ...plain(req.getProperties!()).values, __urn: urn });
      return new proto.empty.Empty();
    }),
  };
}

function requireOurType(urn: string): string {
  const type = urn.split("::")[2];
  if (type !== NATIVE_RESOURCE_TYPE) throw new Error(`pulumi-resource-partnercenter serves ${NATIVE_RESOURCE_TYPE} only, not ${type ?? urn}`);
  return urn;
}

function checkFailures(proto: Protocol, failures: ReadonlyArray<{ property: string; reason: string }>): unknown[] {
  return failures.map((f) => {
    const failure = new proto.provider.CheckFailure!();
    failure.setProperty!(f.property);
    failure.setReason!(f.reason);
    return failure;
  });
}

/**
 * An error as the engine reads it. A failure after the qualification exists (Denied, vetting
 * still running) carries its ID and state, so the engine keeps the resource in the stack.
 */
function grpcError(proto: Protocol, error: unknown): [Error, undefined, grpcTypes.Metadata?] {
  const text = error instanceof Error ? error.message : String(error);
  const plain = Object.assign(new Error(text), { code: proto.grpc.status.UNKNOWN, details: text });
  if (!(error instanceof QualificationOutcomeError)) return [plain, undefined];
  const detail = new proto.provider.ErrorResourceInitFailed!();
  detail.setId!(error.id);
  detail.setProperties!(proto.struct.Struct.fromJavaScript(toEngineProperties(error.properties) as never));
  detail.setReasonsList!(error.reasons);
  const packed = new proto.any.Any();
  packed.pack(detail.serializeBinary!() as Uint8Array, "pulumirpc.ErrorResourceInitFailed");
  const status = new proto.status.Status();
  status.setCode!(proto.grpc.status.UNKNOWN);
  status.setMessage!(text);
  status.addDetails!(packed);
  const metadata = new proto.grpc.Metadata();
  metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary!() as Uint8Array));
  return [Object.assign(plain, { metadata }), undefined, metadata];
}
