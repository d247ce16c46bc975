/**
 * Our own path logic under Windows rules (`path.win32`) and POSIX rules (`path.posix`), on any
 * machine: the export's `--out` file, the provider loader stored in state, and the plugin's
 * launchers (the `.cmd` and the script it runs, and the script's entry).
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { outFile, parseExportArguments, type ExportCommand } from "../../provider/export";
import { PROVIDER_LOADER } from "../../provider/resource";
import { REPO_ROOT } from "../../scripts/pulumi-workspace";
import { expandLauncherCommand, launcherCommand } from "../fixtures/cmd-launcher";

const BIN = path.join(REPO_ROOT, "bin");

describe("paths on Windows and POSIX", () => {
  describe("partnercenter-export --out", () => {
    const cases: Array<{ paths: path.PlatformPath; cwd: string; out: string; file: string; folder: string; isStackFile: boolean }> = [
      {
        paths: path.win32,
        cwd: "C:\\Users\\ci\\stack",
        out: "..\\exports\\qualifications.yaml",
        file: "C:\\Users\\ci\\exports\\qualifications.yaml",
        folder: "C:\\Users\\ci\\exports",
        isStackFile: false,
      },
      {
        paths: path.win32,
        cwd: "D:\\a\\repo",
        out: "exports/customers.csv",
        file: "D:\\a\\repo\\exports\\customers.csv",
        folder: "D:\\a\\repo\\exports",
        isStackFile: false,
      },
      {
        paths: path.win32,
        cwd: "D:\\a\\repo",
        out: "E:\\state\\Pulumi.Prod.YAML",
        file: "E:\\state\\Pulumi.Prod.YAML",
        folder: "E:\\state",
        isStackFile: true,
      },
      { paths: path.win32, cwd: "C:\\work", out: "\\\\files\\csp\\q.yaml", file: "\\\\files\\csp\\q.yaml", folder: "\\\\files\\csp\\", isStackFile: false },
      {
        paths: path.posix,
        cwd: "/home/ci/stack",
        out: "../exports/qualifications.yaml",
        file: "/home/ci/exports/qualifications.yaml",
        folder: "/home/ci/exports",
        isStackFile: false,
      },
      {
        paths: path.posix,
        cwd: "/home/ci/stack",
        out: "Pulumi.prod.yaml",
        file: "/home/ci/stack/Pulumi.prod.yaml",
        folder: "/home/ci/stack",
        isStackFile: true,
      },
      // On POSIX a backslash is part of a name, not a separator.
      {
        paths: path.posix,
        cwd: "/home/ci/stack",
        out: "exports\\Pulumi.prod.yaml",
        file: "/home/ci/stack/exports\\Pulumi.prod.yaml",
        folder: "/home/ci/stack",
        isStackFile: false,
      },
    ];
    for (const c of cases) {
      const rules = c.paths === path.win32 ? "win32" : "posix";
      it(`${rules}: ${c.out} from ${c.cwd} is ${c.file}, in ${c.folder}, written aside in the same folder`, () => {
        const paths = outFile(c.out, c.cwd, 4242, c.paths);
        assert.deepEqual(paths, { path: c.file, folder: c.folder, isStackFile: c.isStackFile, aside: `${c.file}.partnercenter-export-4242.tmp` });
        assert.equal(c.paths.dirname(paths.aside), c.paths.dirname(paths.path), "the rename over the file stays in its folder");
      });
    }

    it("uses this system's rules by default", () => {
      const own = process.platform === "win32" ? path.win32 : path.posix;
      assert.deepEqual(outFile("q.yaml", REPO_ROOT, 1), outFile("q.yaml", REPO_ROOT, 1, own));
    });

    it("a Windows --out ending in .CSV writes CSV", () => {
      const command = parseExportArguments(["--out", "C:\\exports\\Customers.CSV"]) as ExportCommand;
      assert.equal(command.format, "csv");
    });
  });

  describe("the provider loader in state", () => {
    /**
     * The folder Node's `createRequire(filename)` resolves packages from, by its rules in Node 22
     * and 24 (lib/internal/modules/cjs/loader.js, createRequire and createRequireFromPath): an
     * absolute path is taken as it is; one ending in "/" (or "\" on Windows) is a folder, and
     * `path.join(filename, "noop.js")` is the module it requires from.
     */
    function requireFolder(filename: string, paths: path.PlatformPath): string {
      assert.ok(paths.isAbsolute(filename), `${filename} is absolute (otherwise it would be read as a URL)`);
      const folder = filename.endsWith("/") || (paths === path.win32 && filename.endsWith("\\"));
      return paths.dirname(folder ? paths.join(filename, "noop.js") : filename);
    }

    /** What the loader passes to `createRequire` in a process whose working directory is `cwd`. */
    function loaderArgument(cwd: string): string {
      let argument: string | undefined;
      const fakeRequire = (id: string): unknown => {
        assert.equal(id, "node:module");
        return { createRequire: (filename: string) => ((argument = filename), () => "provider") };
      };
      const exports: { handler?: () => unknown } = {};
      new Function("exports", "require", "process", PROVIDER_LOADER)(exports, fakeRequire, { cwd: () => cwd });
      assert.equal(exports.handler?.(), "provider");
      assert.ok(argument !== undefined);
      return argument;
    }

    const cwds: Array<[path.PlatformPath, string]> = [
      [path.win32, "C:\\Users\\ci\\stack"],
      [path.win32, "D:\\a\\1\\s\\qualifications"],
      [path.win32, "C:\\"],
      [path.win32, "\\\\files\\csp\\stack"],
      [path.posix, "/home/ci/stack"],
      [path.posix, "/"],
    ];
    for (const [paths, cwd] of cwds) {
      it(`${paths === path.win32 ? "win32" : "posix"}: in ${cwd}, loads the package from that folder`, () => {
        assert.equal(requireFolder(loaderArgument(cwd), paths), cwd);
      });
    }
  });

  describe("the plugin's launchers", () => {
    const cmd = launcherCommand(readFileSync(path.join(BIN, "pulumi-resource-partnercenter.cmd"), "utf8"));
    const script = readFileSync(path.join(BIN, "pulumi-resource-partnercenter"), "utf8");
    const entry = /^require\("([^"]+)"\);$/m.exec(script)?.[1];

    it("the .cmd runs node with the script beside it, found from its own folder (%~dp0), with every argument", () => {
      const folder = "C:\\Program Files\\ci agent\\_work\\1\\s\\node_modules\\pulumi-partnercenter\\bin\\";
      const [program, target, ...args] = expandLauncherCommand(cmd, folder, ["127.0.0.1:53011", "--logtostderr", "-v=9"]);
      assert.equal(program, "node");
      assert.equal(target, path.win32.join(folder, "pulumi-resource-partnercenter"));
      assert.deepEqual(args, ["127.0.0.1:53011", "--logtostderr", "-v=9"]);
    });

    for (const [paths, bin] of [
      [path.win32, "C:\\Users\\ci\\stack\\node_modules\\pulumi-partnercenter\\bin"],
      [path.posix, "/home/ci/stack/node_modules/pulumi-partnercenter/bin"],
    ] as const) {
      it(`${paths === path.win32 ? "win32" : "posix"}: the script's entry is the plugin's main module of its own package`, () => {
        assert.ok(entry !== undefined, "the script requires one relative module");
        assert.ok(entry.startsWith("../"), `${entry} is relative to the script, not to the working directory`);
        // Node resolves a relative require from the requiring file's folder with path.resolve.
        assert.equal(paths.resolve(bin, entry), paths.join(bin, "..", "dist", "provider", "plugin", "plugin-main.js"));
      });
    }
  });
});
