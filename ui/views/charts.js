// Charts: one chart with filters, the tickets behind a point, export and copy.

import { call } from "../api.js";
import { $, el, clearError, showError } from "../dom.js";
import { formatValue } from "../format.js";
import { app, isDark } from "../state.js";
import { chooseSaveAs, wireChooser } from "../dialogs.js";
import { offerWritten, writeAsked } from "../written.js";
import { tableExport } from "../tables.js";

let chartMap = null;

function filters() {
  const dimensions = {};
  for (const s of document.querySelectorAll("[data-dim]")) {
    if (s.value) dimensions[s.dataset.dim] = [s.value];
  }
  return { dimensions, from: $("f-from").value || null, to: $("f-to").value || null, group: $("chart-group").value };
}

// Drawn at the size it is shown, so its text reads at the window's scale.
export async function load() {
  const frame = $("chart-img").parentElement;
  const width = Math.max(800, Math.round(frame.clientWidth - 16));
  const height = Math.max(420, Math.round(window.innerHeight - frame.getBoundingClientRect().top - 80));
  const view = await call("chart_view", { name: $("chart-name").value, width, height, filters: filters(), dark: isDark() });
  chartMap = view.map;
  showValuesTable(chartMap);
  $("chart-img").src = URL.createObjectURL(new Blob([view.svg], { type: "image/svg+xml" }));
  const pick = $("behind-point");
  const had = pick.value;
  pick.replaceChildren(...chartMap.points.map((p, i) => new Option(p.label, String(i))));
  if ([...pick.options].some((o) => o.value === had)) pick.value = had;
  else if (pick.options.length) pick.value = String(pick.options.length - 1);
}

// A number of the chart as its axis writes it.
function shown(v, map) {
  if (v === null || v === undefined) return "—";
  return map.y_percent ? `${(v * 100).toFixed(1)} %` : v.toFixed(v >= 100 ? 0 : 1);
}

// The chart's text alternative: its values as a table (keyboard and screen
// readers reach it through the disclosure under the chart).
function showValuesTable(map) {
  const head = el("tr");
  const body = $("chart-values-body");
  if (map.heat) {
    head.append(el("th", ""), ...map.x_labels.map((x) => el("th", x, "num")));
    body.replaceChildren(
      ...map.heat.rows.map((row, r) => {
        const tr = el("tr");
        const th = el("th", row);
        th.scope = "row";
        tr.append(th, ...map.heat.values[r].map((v, c) => el("td", v === null ? "" : `${v} (${map.heat.notes[r][c] || "—"} h)`, "num")));
        return tr;
      }),
    );
    $("chart-values-caption").textContent = "tickets created per weekday and hour (median first response in hours)";
  } else {
    head.append(el("th", ""), ...map.series.map((s) => el("th", s.label, "num")));
    body.replaceChildren(
      ...map.x_labels.map((x, i) => {
        const tr = el("tr");
        const th = el("th", x);
        th.scope = "row";
        tr.append(th, ...map.series.map((s) => el("td", shown(s.values[i], map), "num")));
        return tr;
      }),
    );
    $("chart-values-caption").textContent = map.y_percent ? "shares" : map.y_label;
  }
  $("chart-values-head").replaceChildren(head);
}

// The figures of the point under the pointer.
function showTip(ev) {
  const tip = $("chart-tip");
  const i = pointAt(ev);
  if (i === null || !chartMap.series.length) {
    tip.hidden = true;
    return;
  }
  const lines = chartMap.series.map((s) => `${s.label}: ${shown(s.values[i], chartMap)}`);
  tip.textContent = `${chartMap.x_labels[i]} — ${lines.join(" · ")}`;
  tip.style.left = `${ev.offsetX + 16}px`;
  tip.style.top = `${ev.offsetY + 16}px`;
  tip.hidden = false;
}

// The point of the chart under a click, from the map the core drew it with.
function pointAt(ev) {
  const img = $("chart-img");
  if (!chartMap || !chartMap.points.length || !img.clientWidth) return null;
  const x = (ev.offsetX * chartMap.width) / img.clientWidth;
  const y = (ev.offsetY * chartMap.height) / img.clientHeight;
  if (x < chartMap.left || x > chartMap.right || y < chartMap.top || y > chartMap.bottom) return null;
  const n = chartMap.points.length;
  return Math.min(n - 1, Math.max(0, Math.floor(((x - chartMap.left) * n) / (chartMap.right - chartMap.left))));
}

async function listTicketsBehind(i) {
  const point = chartMap.points[i];
  $("behind-point").value = String(i);
  const r = await call("chart_tickets", { key: point.key, filters: filters() });
  const what = point.key.bucket === undefined ? `created in ${point.label}` : `with first response ${point.key.bucket}`;
  const shown = r.tickets.length < r.total ? ` (the first ${r.tickets.length} shown)` : "";
  const title = $("behind-title");
  title.textContent = `${r.total} tickets ${what}${shown}`;
  title.dataset.total = String(r.total);
  title.dataset.point = point.label;
  $("behind-body").replaceChildren(
    ...r.tickets.map((t) => {
      const tr = el("tr");
      tr.append(el("td", t.ticket_id), el("td", new Date(t.created_at).toISOString().slice(0, 16).replace("T", " ")),
        el("td", t.status || ""), el("td", t.priority || ""), el("td", t.category || ""), el("td", t.assignee || ""),
        el("td", formatValue(t.first_response_minutes, "minutes"), "num"),
        el("td", t.breached ? "breached" : "", t.breached ? "status-off" : ""),
        el("td", formatValue(t.resolution_hours, "hours"), "num"),
        el("td", t.reopened ? "yes" : ""), el("td", formatValue(t.follow_ups, "count"), "num"),
        el("td", t.open ? (t.silent ? "silent" : "open") : "", t.silent ? "status-off" : ""));
      return tr;
    }),
  );
  $("behind").hidden = false;
}

// The path with the extension of the format asked for (added or replaced).
function withExtension(path, format) {
  const dot = path.lastIndexOf(".");
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const stem = dot > slash ? path.slice(0, dot) : path;
  return `${stem}.${format}`;
}

async function exportChart(format) {
  const path = $("export-path").value.trim();
  if (!path) throw { code: "export", message: "type the path of the file to write" };
  const target = withExtension(path, format);
  // The Save dialog confirmed the name it gave, not the same name in another format.
  if (target !== path) delete $("export-path").dataset.confirmed;
  const r = await writeAsked($("export-done"), $("export-path"), (replace) => call("export_chart", {
    name: $("chart-name").value,
    width: Number($("export-width").value),
    height: Number($("export-height").value),
    path: target,
    filters: filters(),
    replace,
  }));
  if (!r) return;
  $("export-done").textContent = `wrote ${r.path} (${r.width}×${r.height})`;
  offerWritten($("export-done"), r.path);
}

async function copyChart() {
  await call("copy_chart", {
    name: $("chart-name").value,
    width: Number($("export-width").value),
    height: Number($("export-height").value),
    filters: filters(),
  });
  $("export-done").textContent = `chart copied to the clipboard as PNG (${$("export-width").value}×${$("export-height").value})`;
}

export function wire() {
  const last = () => (chartMap && chartMap.x_labels.length ? `-${chartMap.x_labels[chartMap.x_labels.length - 1]}` : "");
  tableExport(document.querySelector("[data-testid=chart-values] table"), "chart-values-table",
    () => ({ table: "chart-values", name: $("chart-name").value, filters: filters() }), () => `${$("chart-name").value}${last()}`);
  tableExport($("behind").querySelector("table"), "behind-table",
    () => ({ table: "behind", key: chartMap.points[Number($("behind-point").value)].key, filters: filters() }),
    () => `tickets-${$("behind").querySelector("h2").dataset.point || "point"}`);
  tableExport($("chart-export"), "figures-table", () => ({ table: "figures", filters: filters() }), () => `figures${last()}`,
    "Every figure under these filters (overall, per week, per dimension):");
  // The default name: the chart and the last point it shows (`first-response-weekly-2026-W47.png`).
  wireChooser($("export-choose"), $("export-path"), () => chooseSaveAs("Chart", `${$("chart-name").value}${last()}.png`, ["png", "svg"]));
  for (const c of app.overview.charts) $("chart-name").append(new Option(c.title, c.name));
  $("chart-name").addEventListener("change", () => load().catch(showError));
  $("chart-group").addEventListener("change", () => load().catch(showError));
  // A filter change redraws the chart; an error about the previous filters goes.
  const refilter = () => {
    clearError();
    load().catch(showError);
  };
  for (const s of document.querySelectorAll("[data-dim], [data-range]")) s.addEventListener("change", refilter);
  $("f-clear").addEventListener("click", () => {
    for (const s of document.querySelectorAll("[data-dim], [data-range]")) s.value = "";
    load().catch(showError);
  });
  $("chart-export").addEventListener("submit", (ev) => {
    ev.preventDefault();
    $("export-done").textContent = "writing…";
    exportChart(ev.submitter ? ev.submitter.dataset.format : "png").catch((e) => { $("export-done").textContent = ""; showError(e); });
  });
  $("chart-copy").addEventListener("click", () => copyChart().catch(showError));
  $("chart-img").addEventListener("mousemove", showTip);
  $("chart-img").addEventListener("mouseleave", () => { $("chart-tip").hidden = true; });
  $("chart-img").addEventListener("click", (ev) => {
    const i = pointAt(ev);
    if (i !== null) listTicketsBehind(i).catch(showError);
  });
  $("behind-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (chartMap && $("behind-point").value !== "") listTicketsBehind(Number($("behind-point").value)).catch(showError);
  });
}
