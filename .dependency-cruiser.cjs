// @ts-check
/**
 * The structure ARCHITECTURE.md describes, checked by `npm run lint` (dependency-cruiser):
 * provider/ is a stack of layers, and a folder imports only its own layer and the layers below;
 * the emulator and the provider never import each other (two products); no import cycles.
 */

/** provider/'s layers, lowest first, and the folders of each (ARCHITECTURE.md, "Layers"). */
const LAYERS = [
  { name: "text", folders: ["text", "command-line"] },
  { name: "facts", folders: ["qualification", "config"] },
  { name: "connection", folders: ["log", "client", "auth"] },
  { name: "lifecycle", folders: ["lifecycle"] },
  { name: "adapters", folders: ["plugin"] },
  { name: "program side", folders: ["customer-list", "resource", "native", "lookups"] },
  { name: "tools", folders: ["export", "report"] },
];

const folderPattern = (folders) => `^provider/(${folders.join("|")})/`;

/** For each layer: it must not import any folder of a layer above it. */
const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer.name.replace(/ /g, "-")}`,
  comment: `${layer.name} (${layer.folders.join(", ")}) imports only its own layer and those below: not ${LAYERS.slice(i + 1)
    .map((l) => l.name)
    .join(", ")}`,
  severity: "error",
  from: { path: folderPattern(layer.folders) },
  to: { path: folderPattern(LAYERS.slice(i + 1).flatMap((l) => l.folders)) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: "emulator-not-provider",
      comment: "The emulator is a product of its own: it never imports the provider",
      severity: "error",
      from: { path: "^emulator/" },
      to: { path: "^provider/" },
    },
    {
      name: "provider-not-emulator",
      comment: "The provider never imports the emulator (only tests and scripts use both)",
      severity: "error",
      from: { path: "^provider/" },
      to: { path: "^emulator/" },
    },
    {
      name: "shipped-code-not-tests-or-scripts",
      comment: "What ships (provider/, emulator/ but its tests) never imports tests, scripts or this repository's stack",
      severity: "error",
      from: { path: "^(provider|emulator)/", pathNot: "^emulator/test/" },
      to: { path: "^(test|scripts|stack)/" },
    },
    {
      name: "no-circular",
      comment: "No import cycles: a module's dependencies load before it",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
