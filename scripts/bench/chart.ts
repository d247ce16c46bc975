/**
 * The report's chart, written by hand as SVG: `pulumi up` seconds against N (log scale) for the
 * package, its native plugin and the baseline, one colour per latency. No chart library.
 */
import { count, runOf, secondsOf, type BenchRun } from "./results";
import { PROGRAM_KINDS, type ProgramKind } from "./workloads";

/** One line of the chart. */
interface Series {
  readonly program: ProgramKind;
  readonly latencyMs: number;
  readonly points: ReadonlyArray<{ readonly n: number; readonly seconds: number }>;
}

const WIDTH = 860;
const HEIGHT = 460;
const PLOT = { left: 70, right: WIDTH - 250, top: 60, bottom: HEIGHT - 60 };
const COLORS = ["#1f5fa8", "#c2410c", "#15803d", "#7e22ce"];

/** The chart's lines, from the workloads marked as chart points. */
function chartSeries(run: BenchRun): Series[] {
  const series = new Map<string, Series & { points: Array<{ n: number; seconds: number }> }>();
  for (const result of run.results) {
    const point = result.workload.chart;
    if (point === undefined) continue;
    for (const program of PROGRAM_KINDS) {
      const seconds = secondsOf(runOf(result, program), "up");
      if (seconds === undefined) continue;
      const key = `${program}-${point.latencyMs}`;
      const line = series.get(key) ?? { program, latencyMs: point.latencyMs, points: [] };
      line.points.push({ n: point.n, seconds });
      series.set(key, line);
    }
  }
  return [...series.values()].map((s) => ({ ...s, points: [...s.points].sort((a, b) => a.n - b.n) }));
}

/** A round step for about six ticks up to `max`. */
function tickStep(max: number): number {
  const raw = max / 6;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
}

/** Escapes text for SVG. */
function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Maps N and seconds to plot coordinates. */
interface Scale {
  x(n: number): number;
  y(seconds: number): number;
  readonly ns: readonly number[];
  readonly yTicks: readonly number[];
}

/** The scales for the given lines: log N across the points' Ns, seconds from 0 up to a round value. */
function scaleFor(series: readonly Series[]): Scale {
  const ns = [...new Set(series.flatMap((s) => s.points.map((p) => p.n)))].sort((a, b) => a - b);
  const lo = Math.log10(ns[0] ?? 10) - 0.15;
  const hi = Math.log10(ns[ns.length - 1] ?? 1000) + 0.15;
  const maxSeconds = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.seconds)));
  const step = tickStep(maxSeconds);
  const top = Math.ceil(maxSeconds / step) * step;
  return {
    x: (n) => PLOT.left + ((Math.log10(n) - lo) / (hi - lo)) * (PLOT.right - PLOT.left),
    y: (s) => PLOT.bottom - (s / top) * (PLOT.bottom - PLOT.top),
    ns,
    yTicks: Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step),
  };
}

/** Grid lines, tick labels and axis titles. */
function axes(scale: Scale): string[] {
  const out = [`<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="#999"/>`];
  for (const s of scale.yTicks) {
    const y = scale.y(s).toFixed(1);
    out.push(`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${PLOT.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${count(s)}</text>`);
  }
  for (const n of scale.ns) {
    const x = scale.x(n).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${PLOT.top}" y2="${PLOT.bottom}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${x}" y="${PLOT.bottom + 18}" text-anchor="middle">${count(n)}</text>`);
  }
  out.push(`<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 42}" text-anchor="middle">N qualifications (log scale)</text>`);
  out.push(`<text transform="translate(20 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle">seconds</text>`);
  return out;
}

/** Each program's line: its legend name and dash pattern. */
const PROGRAM_STYLE: Record<ProgramKind, { name: string; dash: string }> = {
  package: { name: "package (dynamic)", dash: "" },
  native: { name: "native plugin", dash: ' stroke-dasharray="2 4"' },
  baseline: { name: "trivial baseline", dash: ' stroke-dasharray="7 5"' },
};

/** How a line looks: a colour per latency; solid for the package, dotted for the native plugin, dashed for the baseline. */
function styleOf(line: Series, latencies: readonly number[]): { color: string; dash: string; label: string } {
  const color = COLORS[latencies.indexOf(line.latencyMs) % COLORS.length] ?? "#333";
  const { name, dash } = PROGRAM_STYLE[line.program];
  return { color, dash, label: `${name}, ${line.latencyMs} ms` };
}

/** A point's marker: a filled circle for the package, a filled diamond for the native plugin, an open square for the baseline. */
function marker(program: ProgramKind, x: number, y: number, color: string, content: string): string {
  if (program === "package") return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="4" fill="${color}">${content}</circle>`;
  if (program === "native") {
    const points = [
      `${x.toFixed(1)},${(y - 5.5).toFixed(1)}`,
      `${(x + 5.5).toFixed(1)},${y.toFixed(1)}`,
      `${x.toFixed(1)},${(y + 5.5).toFixed(1)}`,
      `${(x - 5.5).toFixed(1)},${y.toFixed(1)}`,
    ];
    return `<polygon points="${points.join(" ")}" fill="${color}">${content}</polygon>`;
  }
  return `<rect x="${(x - 4).toFixed(1)}" y="${(y - 4).toFixed(1)}" width="8" height="8" fill="white" stroke="${color}" stroke-width="2">${content}</rect>`;
}

/** One line with its points (hover shows the value) and its legend entry. */
function line(series: Series, index: number, scale: Scale, latencies: readonly number[]): string[] {
  const { color, dash, label } = styleOf(series, latencies);
  const coords = series.points.map((p) => `${scale.x(p.n).toFixed(1)},${scale.y(p.seconds).toFixed(1)}`).join(" ");
  const out = [`<polyline points="${coords}" fill="none" stroke="${color}" stroke-width="2.5"${dash}/>`];
  for (const p of series.points) {
    const [x, y] = [scale.x(p.n), scale.y(p.seconds)];
    const tip = `<title>${xml(label)}: N=${count(p.n)}, ${p.seconds.toFixed(1)} s</title>`;
    out.push(marker(series.program, x, y, color, tip));
  }
  const ly = PLOT.top + 10 + index * 24;
  out.push(`<line x1="${PLOT.right + 16}" x2="${PLOT.right + 46}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2.5"${dash}/>`);
  out.push(marker(series.program, PLOT.right + 31, ly, color, ""));
  out.push(`<text x="${PLOT.right + 52}" y="${ly}" dominant-baseline="middle">${xml(label)}</text>`);
  return out;
}

/** The SVG document of `pulumi up` time against N for this run. */
export function renderChart(run: BenchRun): string {
  // Package, native plugin, baseline at each latency.
  const series = chartSeries(run).sort((a, b) => a.latencyMs - b.latencyMs || PROGRAM_KINDS.indexOf(a.program) - PROGRAM_KINDS.indexOf(b.program));
  const latencies = [...new Set(series.map((s) => s.latencyMs))];
  const scale = scaleFor(series);
  const date = run.startedAt.toISOString().slice(0, 10);
  const body = [
    `<text x="${PLOT.left}" y="26" font-size="16" font-weight="bold">pulumi up: seconds against N qualifications</text>`,
    `<text x="${PLOT.left}" y="46" fill="#555">file backend, fresh stack, emulator over loopback; ${xml(date)}, ${run.machine.cores} cores${run.quick ? ", --quick" : ""}</text>`,
    ...axes(scale),
    ...series.flatMap((s, i) => line(s, i, scale, latencies)),
  ];
  if (series.length === 0) body.push(`<text x="${PLOT.left + 20}" y="${PLOT.top + 30}">no scale workload ran</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    ...body.map((element) => `  ${element}`),
    "</svg>",
    "",
  ].join("\n");
}
