/**
 * `npm run lint` runs this: no function outside the tests is longer than the limit (default 60
 * lines), so that each does one thing a reader can hold in mind. `--report N` lists every function
 * over N lines, longest first, without failing.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import * as ts from "typescript";
import { REPO_ROOT } from "./pulumi-workspace";

/** Folders whose functions are checked; tests may be long, the code they test may not. */
const CHECKED = ["provider", "emulator", "scripts", "stack"];

/** A function and its length in lines. */
export interface FunctionLength {
  readonly where: string;
  readonly name: string;
  readonly lines: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : sourceFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [path] : [];
  });
}

function nameOf(node: ts.Node): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name !== undefined && ts.isIdentifier(named.name)) return named.name.text;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) return ts.isIdentifier(parent.name) ? parent.name.text : "(anonymous)";
  return "(anonymous)";
}

/** Every function-like declaration of the checked folders, with its length. */
export function functionLengths(root: string = REPO_ROOT): FunctionLength[] {
  const found: FunctionLength[] = [];
  for (const file of CHECKED.flatMap((dir) => sourceFiles(join(root, dir)))) {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body !== undefined) {
        const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        found.push({ where: `${relative(root, file)}:${start + 1}`, name: nameOf(node), lines: end - start + 1 });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found.sort((a, b) => b.lines - a.lines);
}

if (require.main === module) {
  const reportAt = process.argv[2] === "--report" ? Number(process.argv[3] ?? 40) : undefined;
  const limit = reportAt ?? Number(process.env.MAX_FUNCTION_LINES ?? 60);
  const long = functionLengths().filter((f) => f.lines > limit);
  for (const f of long) console.log(`${f.where} ${f.name}: ${f.lines} lines`);
  if (reportAt === undefined && long.length > 0) {
    console.error(`${long.length} function${long.length === 1 ? " is" : "s are"} longer than ${limit} lines: split them`);
    process.exit(1);
  }
}
