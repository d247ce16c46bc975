/**
 * The vetting report's workload: `partnercenter-report` over a generated state export of N
 * entries (no Pulumi program, no emulator). Times reading the export and building the model,
 * each renderer, and the installed command per format (Node's start-up included), records each
 * output's size, and opens the HTML page in Debian's chromium to time its load and a sort.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { launchChromium } from "../chromium";
import {
  GITHUB_SUMMARY_LIMIT_BYTES,
  buildVettingReport,
  readStateExport,
  renderHtmlReport,
  renderJsonReport,
  renderMarkdownReport,
  type ReportFormat,
} from "../../provider/report";
import { generateStateExport } from "../../test/fixtures/state-export-generator";
import type { Workload } from "./workloads";

/** One format's figures. */
export interface ReportFormatFigures {
  readonly format: ReportFormat;
  /** Milliseconds of the renderer alone, on the built model (median of 3). */
  readonly renderMs: number;
  /** Wall-clock seconds of `partnercenter-report --state <export> --format <format> --out <file>`. */
  readonly commandSeconds: number;
  readonly exitCode: number;
  readonly bytes: number;
}

/** The figures of a report workload. */
export interface ReportFigures {
  readonly entries: number;
  readonly exportBytes: number;
  /** Milliseconds to parse the export and pick the entries (median of 3). */
  readonly readMs: number;
  /** Milliseconds to build the model from the entries (median of 3). */
  readonly modelMs: number;
  readonly formats: readonly ReportFormatFigures[];
  /** Rows the markdown shows of each list (cut to fit the summary budget). */
  readonly markdownRows: { readonly denied: number; readonly waiting: number; readonly deniedTotal: number; readonly waitingTotal: number };
  /** Chromium: load of the page to its script having run, and one sort of the longest table; absent when chromium was not there. */
  readonly browser?: { readonly loadMs: number; readonly sortMs: number; readonly sortedRows: number };
  readonly browserError?: string;
}

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Milliseconds of `work`, median of 3, with its last result. */
function timed<T>(work: () => T): { ms: number; value: T } {
  const times: number[] = [];
  let value: T | undefined;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    value = work();
    times.push(performance.now() - started);
  }
  return { ms: median(times), value: value as T };
}

/** Measures the workload; `commandPath` is the installed `report-cli.js`. */
export async function measureReport(workload: Workload, workDir: string, commandPath: string): Promise<ReportFigures> {
  const dir = join(workDir, workload.id);
  mkdirSync(dir, { recursive: true });
  const now = new Date("2026-05-04T09:00:00Z");
  const exportFile = join(dir, "state.json");
  const exportText = JSON.stringify(generateStateExport({ entries: workload.customers, now }), null, 2);
  writeFileSync(exportFile, exportText);
  const read = timed(() => readStateExport(exportText, "bench"));
  const model = timed(() => buildVettingReport(read.value.entries, { source: { kind: "stack", stacks: [] }, now, packageVersion: "bench" }));
  const renderers: Record<ReportFormat, () => string> = {
    markdown: () => renderMarkdownReport(model.value, { fullReport: "`vetting-report.html`" }),
    html: () => renderHtmlReport(model.value),
    json: () => renderJsonReport(model.value),
  };
  const formats = (["markdown", "html", "json"] as const).map((format): ReportFormatFigures => {
    const rendered = timed(renderers[format]);
    const out = join(dir, `vetting-report.${format}`);
    const started = performance.now();
    const run = spawnSync(process.execPath, [commandPath, "--state", exportFile, "--format", format, "--out", out], { encoding: "utf8" });
    const commandSeconds = (performance.now() - started) / 1000;
    return {
      format,
      renderMs: rendered.ms,
      commandSeconds,
      exitCode: run.status ?? -1,
      bytes: run.status === 0 ? statSync(out).size : Buffer.byteLength(rendered.value),
    };
  });
  const markdown = renderers.markdown();
  const markdownRows = {
    denied: (markdown.split("### Waiting")[0]?.match(/^\| `/gm) ?? []).length,
    waiting: (markdown.split("### Waiting")[1]?.match(/^\| `/gm) ?? []).length,
    deniedTotal: model.value.denied.length,
    waitingTotal: model.value.waiting.length,
  };
  const figures = { entries: workload.customers, exportBytes: Buffer.byteLength(exportText), readMs: read.ms, modelMs: model.ms, formats, markdownRows };
  try {
    return { ...figures, browser: await inBrowser(join(dir, "vetting-report.html")) };
  } catch (error) {
    return { ...figures, browserError: (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "" };
  }
}

/** Opens the page in chromium: time to load (script run) and to sort the waiting table by days. */
async function inBrowser(file: string): Promise<{ loadMs: number; sortMs: number; sortedRows: number }> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    let started = performance.now();
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    await page.waitForFunction("document.querySelector('#waiting-shown').textContent !== ''");
    const loadMs = performance.now() - started;
    started = performance.now();
    await page.click("#waiting-table th:has-text('days waiting') button");
    await page.waitForFunction("document.querySelector('#waiting-table th[aria-sort]') !== null");
    const sortMs = performance.now() - started;
    const sortedRows = (await page.evaluate("document.querySelectorAll('#waiting-table tbody tr').length")) as number;
    return { loadMs, sortMs, sortedRows };
  } finally {
    await browser.close();
  }
}

/** The workload's section body for BENCHMARKS.md. */
export function reportFiguresSection(figures: ReportFigures): string {
  const kb = (bytes: number): string => `${(bytes / 1024).toLocaleString("en-US", { maximumFractionDigits: 0 })} KB`;
  const rows = figures.formats.map(
    (f) => `| ${f.format} | ${f.renderMs.toFixed(0)} | ${f.commandSeconds.toFixed(2)}${f.exitCode === 0 ? "" : ` (exit ${f.exitCode})`} | ${kb(f.bytes)} |`,
  );
  const m = figures.markdownRows;
  const limit = figures.formats.find((f) => f.format === "markdown");
  const browser =
    figures.browser !== undefined
      ? `In Chromium (headless, Debian's package): the page loads with its script run in ${figures.browser.loadMs.toFixed(0)} ms; sorting the waiting table (${figures.browser.sortedRows.toLocaleString("en-US")} rows) by a header click takes ${figures.browser.sortMs.toFixed(0)} ms.`
      : `Not opened in a browser: ${figures.browserError ?? "chromium missing"}.`;
  return [
    `Reading the export (${kb(figures.exportBytes)}, indented as \`pulumi stack export\` writes it) and picking the entries: ${figures.readMs.toFixed(0)} ms; building the model: ${figures.modelMs.toFixed(0)} ms (medians of 3, in the bench's process).`,
    "| format | render (ms, median of 3) | `partnercenter-report --state … --format …` (s, Node start-up included) | output |\n| --- | --- | --- | --- |\n" +
      rows.join("\n"),
    `The markdown shows ${m.denied.toLocaleString("en-US")} of ${m.deniedTotal.toLocaleString("en-US")} Denied and ${m.waiting.toLocaleString("en-US")} of ${m.waitingTotal.toLocaleString("en-US")} waiting rows (500 at most each, within half of GitHub's limit), ${limit !== undefined && limit.bytes < GITHUB_SUMMARY_LIMIT_BYTES ? "under" : "**over**"} GitHub's 1 MiB job-summary limit.`,
    browser,
  ].join("\n\n");
}
