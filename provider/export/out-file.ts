/**
 * Where `partnercenter-export --out` writes, worked out with the path rules of the system it runs
 * on: `C:\stack`, `..\exports\q.yaml` and forward slashes under Windows, POSIX paths elsewhere.
 * Nothing here joins with "/" by hand, so a test drives it with `path.win32` and `path.posix`.
 */
import * as nodePath from "node:path";

/** The paths of one `--out` file. */
export interface OutFile {
  /** The file, absolute. */
  readonly path: string;
  /** The folder that holds it, which must be writable. */
  readonly folder: string;
  /** Whether it is a stack file (`Pulumi.<stack>.yaml`), which the export never replaces. */
  readonly isStackFile: boolean;
  /** The file written first, in the same folder (so the rename over `path` replaces it whole). */
  readonly aside: string;
}

/**
 * The paths of `out`, relative to `cwd` unless absolute; `pid` names the file written aside.
 * `paths` is `node:path` of this system unless a test passes `path.win32` or `path.posix`.
 */
export function outFile(out: string, cwd: string, pid: number, paths: nodePath.PlatformPath = nodePath): OutFile {
  const path = paths.resolve(cwd, out);
  return {
    path,
    folder: paths.dirname(path),
    isStackFile: /^Pulumi\..+\.ya?ml$/i.test(paths.basename(path)),
    aside: `${path}.partnercenter-export-${pid}.tmp`,
  };
}
