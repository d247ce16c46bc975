/**
 * The vetting report as one self-contained HTML page, to open from a pipeline artifact: inline CSS,
 * an inline SVG chart of the counts, and the Denied and waiting tables, sortable by a click on a
 * header and filterable by typing, through a few lines of inline script. A Content-Security-Policy
 * allows exactly that style and that script (by their SHA-256 hashes) and nothing else: the page
 * never reaches another host.
 */
import { createHash } from "node:crypto";
import { NOT_VETTED, type DeniedEntry, type VettingReport, type WaitingEntry } from "./report-model";
import { companyOf, count, dayOf, headline, madeLine, optionalColumns, outcomeLine, plural, sourceLines } from "./report-wording";

/** The colour of each status in the chart; others get {@link OTHER_STATUS_COLOUR}. */
export const STATUS_COLOURS: Readonly<Record<string, string>> = { Approved: "#2e7d32", InReview: "#e0a100", Denied: "#c62828", [NOT_VETTED]: "#78909c" };
const OTHER_STATUS_COLOUR = "#6a1b9a";

const STYLE = `
[hidden] { display: none !important; }
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; color: #1b1f24; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
.outcome { font-weight: 600; margin: .25rem 0 .75rem; } .source { color: #57606a; margin: .1rem 0; font-size: .9rem; }
.problem { background: #fff4e5; border-left: 4px solid #e0a100; padding: .5rem .75rem; margin: .5rem 0; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
td.n, th.n { text-align: right; } tfoot td { font-weight: 600; }
.scroll { max-height: 70vh; overflow: auto; border: 1px solid #d0d7de; border-radius: 6px; }
.scroll thead th { position: sticky; top: 0; background: #f6f8fa; }
th button { all: unset; cursor: pointer; font-weight: 600; } th button:focus-visible { outline: 2px solid #0969da; }
th[aria-sort="ascending"] button::after { content: " ▲"; } th[aria-sort="descending"] button::after { content: " ▼"; }
.tools { display: flex; gap: 1rem; align-items: center; margin: .5rem 0; }
.tools input { font: inherit; padding: .3rem .5rem; min-width: 18rem; border: 1px solid #d0d7de; border-radius: 6px; }
td code, td[data-value] { white-space: nowrap; }
.shown, .order { color: #57606a; font-size: .85rem; font-weight: normal; } code { font-size: .85rem; } .empty { color: #57606a; font-style: italic; }
svg text { font-size: 12px; fill: #1b1f24; } footer { margin-top: 2rem; color: #57606a; font-size: .8rem; }
`;

const SCRIPT = `
"use strict";
for (const section of document.querySelectorAll("section.list")) {
  const table = section.querySelector("table");
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const texts = rows.map((row) => row.textContent.toLowerCase());
  const shown = section.querySelector(".tools .shown");
  const filter = section.querySelector("input[type=search]");
  const show = () => {
    const query = filter.value.trim().toLowerCase();
    let n = 0;
    rows.forEach((row, i) => { const hit = query === "" || texts[i].includes(query); row.hidden = !hit; if (hit) n++; });
    shown.textContent = n + " of " + rows.length + " shown";
  };
  filter.addEventListener("input", show);
  table.querySelectorAll("thead th").forEach((th, column) => {
    th.querySelector("button").addEventListener("click", () => {
      const descending = th.getAttribute("aria-sort") === "ascending";
      table.querySelectorAll("thead th").forEach((other) => other.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      const numeric = th.dataset.type === "number";
      const key = (row) => { const v = row.cells[column].dataset.value ?? row.cells[column].textContent; return numeric ? (v === "" ? -Infinity : Number(v)) : v.toLowerCase(); };
      const keyed = Array.from(body.rows, (row) => [key(row), row]);
      keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0) * (descending ? -1 : 1));
      body.replaceChildren(...keyed.map((pair) => pair[1]));
    });
  });
  show();
}
`;

/** The page's Content-Security-Policy: nothing but its own inline style and script, by hash. */
export function contentSecurityPolicy(): string {
  return `default-src 'none'; style-src '${sha256(STYLE)}'; script-src '${sha256(SCRIPT)}'; img-src data:; base-uri 'none'; form-action 'none'`;
}

function sha256(text: string): string {
  return `sha256-${createHash("sha256").update(text, "utf8").digest("base64")}`;
}

/** Renders the page. */
export function renderHtmlReport(report: VettingReport): string {
  return [
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${html(headline(report))}</title>\n<style>${STYLE}</style>\n</head>\n<body>`,
    `<header>\n<h1>${html(headline(report))}</h1>\n<p class="outcome" id="outcome">${html(outcomeLine(report))}</p>`,
    ...sourceLines(report).map((line) => `<p class="source">${html(line)}</p>`),
    ...report.problems.map((p) => `<p class="problem" role="alert">Incomplete: ${html(p)}</p>`),
    `</header>`,
    countsSection(report),
    deniedSection(report),
    waitingSection(report),
    `<footer>${html(madeLine(report))} Counted with StateOwnedEntity as not vetted; days waiting are whole days from vetting's start (vettingCreateDate) to the time above.</footer>`,
    `<script>${SCRIPT}</script>\n</body>\n</html>\n`,
  ].join("\n");
}

function countsSection(report: VettingReport): string {
  const head = `<tr><th>qualification</th>${report.statuses.map((s) => `<th class="n">${html(s)}</th>`).join("")}<th class="n">total</th></tr>`;
  const rows = report.counts.map(
    (row) =>
      `<tr data-qualification="${html(row.qualification)}"><td>${html(row.qualification)}</td>${report.statuses.map((s) => `<td class="n" data-status="${html(s)}">${count(row.byStatus[s] ?? 0)}</td>`).join("")}<td class="n" data-status="total">${count(row.total)}</td></tr>`,
  );
  const totals = report.statuses.map((s) => `<td class="n">${count(report.counts.reduce((n, r) => n + (r.byStatus[s] ?? 0), 0))}</td>`).join("");
  return [
    `<section id="counts">\n<h2>Counts by qualification and vetting status</h2>`,
    chart(report),
    `<table id="counts-table">\n<thead>${head}</thead>\n<tbody>\n${rows.join("\n")}\n</tbody>`,
    `<tfoot><tr><td>total</td>${totals}<td class="n">${count(report.totals.entries)}</td></tr></tfoot>\n</table>\n</section>`,
  ].join("\n");
}

/** Horizontal stacked bars, one per qualification, one segment per status; lengths on one scale. */
function chart(report: VettingReport): string {
  const label = 190;
  const width = 520;
  const barHeight = 26;
  const gap = 12;
  const legendHeight = 30;
  const most = Math.max(1, ...report.counts.map((r) => r.total));
  const bars = report.counts.map((row, i) => {
    const y = legendHeight + i * (barHeight + gap);
    let x = label;
    const segments = report.statuses.flatMap((status) => {
      const n = row.byStatus[status] ?? 0;
      if (n === 0) return [];
      const w = (n / most) * width;
      const rect = `<rect class="bar" data-qualification="${html(row.qualification)}" data-status="${html(status)}" data-count="${n}" x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(3)}" height="${barHeight}" fill="${colourOf(status)}"><title>${html(`${row.qualification}, ${status}: ${count(n)}`)}</title></rect>`;
      x += w;
      return [rect];
    });
    return `<text x="0" y="${y + barHeight / 2 + 4}">${html(row.qualification)}</text>${segments.join("")}<text x="${(x + 6).toFixed(2)}" y="${y + barHeight / 2 + 4}">${count(row.total)}</text>`;
  });
  const legend = report.statuses.map(
    (status, i) =>
      `<rect x="${label + i * 105}" y="4" width="12" height="12" fill="${colourOf(status)}"></rect><text x="${label + i * 105 + 16}" y="14">${html(status)}</text>`,
  );
  const height = legendHeight + report.counts.length * (barHeight + gap);
  return `<svg id="chart" role="img" aria-label="${html(`Entries per qualification and vetting status (${plural(report.totals.entries, "entry", "entries")})`)}" width="${label + width + 70}" height="${height}" viewBox="0 0 ${label + width + 70} ${height}">${legend.join("")}${bars.join("")}</svg>`;
}

function colourOf(status: string): string {
  return STATUS_COLOURS[status] ?? OTHER_STATUS_COLOUR;
}

interface Column<E> {
  readonly title: string;
  readonly type?: "number";
  readonly cell: (e: E) => { text: string; value?: string; code?: boolean };
}

function identityColumns<E extends DeniedEntry | WaitingEntry>(report: VettingReport): Column<E>[] {
  const columns = optionalColumns(report);
  return [
    { title: "customer", cell: (e) => ({ text: e.customerId, code: true }) },
    ...(columns.company ? [{ title: "company", cell: (e: E) => ({ text: companyOf(e) }) }] : []),
    { title: "qualification", cell: (e) => ({ text: e.qualification }) },
    ...(columns.resource ? [{ title: "resource", cell: (e: E) => ({ text: e.resourceName ?? "" }) }] : []),
    ...(columns.stack ? [{ title: "stack", cell: (e: E) => ({ text: e.stack ?? "" }) }] : []),
  ];
}

function deniedSection(report: VettingReport): string {
  const columns: Column<DeniedEntry>[] = [
    ...identityColumns<DeniedEntry>(report),
    { title: "reason", cell: (e) => ({ text: e.reason ?? "(no reason given)" }) },
    { title: "vetting date", cell: (e) => ({ text: dayOf(e.vettingCreateDate), value: e.vettingCreateDate ?? "" }) },
  ];
  return listSection("denied", `Denied (${count(report.denied.length)})`, "newest first", columns, report.denied, "Nothing is Denied.");
}

function waitingSection(report: VettingReport): string {
  const columns: Column<WaitingEntry>[] = [
    ...identityColumns<WaitingEntry>(report),
    { title: "status", cell: (e) => ({ text: e.status }) },
    { title: "vetting since", cell: (e) => ({ text: dayOf(e.vettingCreateDate), value: e.vettingCreateDate ?? "" }) },
    {
      title: "days waiting",
      type: "number",
      cell: (e) => ({ text: e.daysWaiting !== undefined ? count(e.daysWaiting) : "?", value: e.daysWaiting !== undefined ? String(e.daysWaiting) : "" }),
    },
  ];
  return listSection(
    "waiting",
    `Waiting for vetting (${count(report.waiting.length)})`,
    "longest first",
    columns,
    report.waiting,
    "Nothing is waiting for vetting.",
  );
}

function listSection<E>(id: string, title: string, order: string, columns: readonly Column<E>[], entries: readonly E[], empty: string): string {
  const head = columns
    .map((c) => `<th${c.type === "number" ? ` class="n" data-type="number"` : ""} scope="col"><button type="button">${html(c.title)}</button></th>`)
    .join("");
  const rows = entries.map((e) => `<tr>${columns.map((c) => cellOf(c, e)).join("")}</tr>`);
  return [
    `<section class="list" id="${id}">\n<h2>${html(title)} <small class="order">${html(order)}</small></h2>`,
    entries.length === 0 ? `<p class="empty">${html(empty)}</p>` : "",
    `<div class="tools"${entries.length === 0 ? " hidden" : ""}><input type="search" id="${id}-filter" placeholder="Filter: customer, company, reason…" aria-label="Filter the ${id} list"><span class="shown" id="${id}-shown" aria-live="polite"></span></div>`,
    `<div class="scroll"${entries.length === 0 ? " hidden" : ""}><table id="${id}-table">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join("\n")}\n</tbody>\n</table></div>\n</section>`,
  ].join("\n");
}

function cellOf<E>(column: Column<E>, entry: E): string {
  const { text, value, code } = column.cell(entry);
  const attributes = `${column.type === "number" ? ` class="n"` : ""}${value !== undefined ? ` data-value="${html(value)}"` : ""}`;
  return `<td${attributes}>${code === true ? `<code>${html(text)}</code>` : html(text)}</td>`;
}

/** Text as HTML content or an attribute value. */
export function html(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
