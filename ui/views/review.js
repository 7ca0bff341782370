// The weekly review: headline cards, the first-response chart, the
// scorecard, the action lists and the weekly report export.

import { call } from "../api.js";
import { $, el, showError } from "../dom.js";
import { formatValue } from "../format.js";
import { app, isDark } from "../state.js";
import { chooseSaveAs, wireChooser } from "../dialogs.js";
import { offerWritten, writeAsked } from "../written.js";
import { tableExport } from "../tables.js";

export const STATUS = { on_target: "on target", near: "near", off: "off", no_target: "no target", no_data: "no data" };

async function chartUrl(name, filters, width, height) {
  const bytes = await call("render_chart", { name, width, height, format: "svg", filters, dark: isDark() });
  const blob = new Blob([new Uint8Array(bytes)], { type: "image/svg+xml" });
  return URL.createObjectURL(blob);
}

function sparkline(values) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 120 30");
  svg.setAttribute("class", "spark");
  const nums = values.filter((v) => v !== null);
  if (nums.length > 1) {
    const lo = Math.min(...nums);
    const hi = Math.max(...nums);
    const pts = values
      .map((v, k) => (v === null ? null : `${(k * 120) / (values.length - 1)},${28 - ((v - lo) / (hi - lo || 1)) * 26}`))
      .filter(Boolean)
      .join(" ");
    const line = document.createElementNS(ns, "polyline");
    line.setAttribute("points", pts);
    svg.append(line);
  }
  return svg;
}

// One card per headline of the core's registry, in its order.
function card(def, h, noData) {
  const currency = app.overview.currency;
  const box = el("div", undefined, "card");
  box.setAttribute("data-testid", `card-${def.path}`);
  box.dataset.metric = def.path;
  box.dataset.unit = def.unit;
  box.dataset.value = h.this_week === null ? "" : String(h.this_week);
  const label = def.unit === "cost" && currency ? `${def.label} (${currency})` : def.label;
  box.append(el("div", label, "label"), el("div", formatValue(h.this_week, def.unit), "value"));
  // The colour says where the number stands against its target; the change
  // from last week is said in words beside it, never as the colour.
  box.dataset.status = h.status;
  box.classList.add(`card-${h.status}`);
  const target = h.target ? `target ${def.better === "higher" ? "≥" : "≤"} ${formatValue(h.target.on, def.unit)}` : "no target";
  const standing = el("div", h.target && h.status !== "no_data" ? `${STATUS[h.status]} · ${target}` : STATUS[h.status], `standing status-${h.status}`);
  standing.dataset.testid = `status-${def.key}`;
  let delta = "no previous week";
  if (h.change !== null) {
    const direction = h.change === 0 ? "unchanged" : h.change > 0 ? "▲ up" : "▼ down";
    let verdict = "";
    if (def.better !== "neither" && h.change !== 0) {
      const better = def.better === "lower" ? h.change < 0 : h.change > 0;
      verdict = better ? ", better" : ", worse";
    }
    delta = `${direction} from ${formatValue(h.last_week, def.unit)} last week${verdict}`;
  }
  box.append(standing, el("div", delta, "delta"), sparkline(h.trend));
  // No source, no number: say why instead of a number.
  const reason = h.this_week === null && def.family ? noData[def.family] : undefined;
  if (reason) {
    const why = el("div", reason, "why muted");
    why.dataset.testid = `no-data-${def.key}`;
    box.append(why);
  }
  return box;
}

export async function loadCards() {
  const r = await call("headlines", { week: $("week").value });
  $("asof").textContent = `as of ${r.as_of} · ${r.tickets} tickets · ${r.surveys} survey responses`;
  const byKey = new Map(r.headlines.map((h) => [h.key, h]));
  $("cards").replaceChildren(...app.overview.headlines.map((def) => card(def, byKey.get(def.key), r.no_data || {})));
  // Drawn at the width it is shown (a 16:7 picture), so its text reads at the window's scale.
  const width = Math.max(800, Math.round($("review-chart").parentElement.clientWidth - 16));
  $("review-chart").src = await chartUrl("first-response-weekly", {}, width, Math.round((width * 7) / 16));
}

async function loadActionLists(week) {
  const { lists, silence_days: days } = await call("action_lists", { week });
  const more = (shown, total) => (shown < total ? `, the ${shown} longest shown` : "");
  $("breached-title").textContent = `First-response target missed: ${lists.breached_total}${more(lists.breached.length, lists.breached_total)}`;
  $("breached-title").dataset.total = String(lists.breached_total);
  $("silent-title").textContent = `Silent for more than ${days} days: ${lists.silent_total}${more(lists.silent.length, lists.silent_total)}`;
  $("silent-title").dataset.total = String(lists.silent_total);
  $("breached-body").replaceChildren(
    ...lists.breached.map((t) => {
      const tr = el("tr");
      tr.append(el("td", t.ticket_id), el("td", t.priority || ""), el("td", t.category || ""), el("td", t.assignee || "(unassigned)"),
        el("td", formatValue(t.first_response_wait_hours, "hours"), "num status-off"), el("td", `${formatValue(t.target_hours, "hours")}${t.clock === "business" ? " (business hours)" : ""}`, "num muted"));
      return tr;
    }),
  );
  $("silent-body").replaceChildren(
    ...lists.silent.map((t) => {
      const tr = el("tr");
      tr.append(el("td", t.ticket_id), el("td", t.priority || ""), el("td", t.category || ""), el("td", t.assignee || "(unassigned)"),
        el("td", formatValue(t.days_since_update, "days"), "num status-off"));
      return tr;
    }),
  );
}

async function loadScorecard(week) {
  const card = await call("scorecard", { week });
  const body = $("scorecard-body");
  body.replaceChildren();
  for (const f of card.factors) {
    const head = el("tr", undefined, "factor");
    const name = el("td", f.name);
    name.colSpan = 3;
    head.append(name, el("td", STATUS[f.status], `status-${f.status}`), el("td", f.asks, "muted"));
    body.append(head);
    for (const i of f.indicators) {
      const show = (v) => formatValue(v, i.unit);
      const tr = el("tr");
      tr.setAttribute("data-testid", `indicator-${i.key}`);
      const value = show(i.value) + (i.detail ? ` (${i.detail})` : "");
      const target = i.target ? `${i.better === "higher" ? "≥" : "≤"} ${show(i.target.on)}` : "";
      const trend = i.missing ? `would be measured by ${i.missing}` : i.trend.map(show).join(" → ");
      tr.append(el("td", i.label), el("td", value, "num"), el("td", target, "num muted"),
        el("td", STATUS[i.status], `status-${i.status}`), el("td", trend, "muted"));
      body.append(tr);
    }
  }
}

// Open tickets at the end of the week by age, oldest first, with the chart.
async function loadBacklogAge(week) {
  const { buckets } = await call("backlog_age", { week });
  $("backlog-body").replaceChildren(
    ...buckets.map((b) => {
      const tr = el("tr");
      tr.dataset.bucket = b.bucket;
      tr.dataset.open = String(b.open);
      const silent = b.silent_share === null ? "no data" : formatValue(b.silent_share, "share");
      tr.append(el("th", b.bucket), el("td", formatValue(b.open, "count"), "num"),
        el("td", silent, b.silent_share > 0 ? "num status-off" : "num"), el("td", formatValue(b.oldest_days, "days"), "num"));
      return tr;
    }),
  );
  const width = Math.max(600, Math.round($("backlog-chart").parentElement.clientWidth - 16));
  $("backlog-chart").src = await chartUrl("backlog-age", { week }, width, Math.round((width * 9) / 16));
}

// The scorecard, the action lists and the backlog, drawn after the cards and the chart.
export async function loadDetails() {
  const week = $("week").value;
  if (week) await Promise.all([loadScorecard(week), loadActionLists(week), loadBacklogAge(week), loadDeliveries()]);
}

// The last deliveries and how the last one went.
async function loadDeliveries() {
  const { deliveries } = await call("deliveries");
  const when = (ms) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");
  $("deliveries-body").replaceChildren(
    ...deliveries.map((d) => {
      const tr = el("tr");
      tr.append(el("td", d.week), el("td", when(d.delivered_at)), el("td", d.out_dir), el("td", String(d.files.length), "num"),
        el("td", d.recipients.join(", ") || "—"), el("td", d.status, d.status === "send-failed" ? "status-off" : ""));
      return tr;
    }),
  );
  const last = deliveries[0];
  $("last-delivery").textContent = last
    ? `Last delivery: ${last.week}, ${when(last.delivered_at)} UTC, into ${last.out_dir}${last.recipients.length ? `, mailed to ${last.recipients.join(", ")}` : ""} (${last.status}).`
    : "No delivery yet.";
}

async function deliverNow() {
  $("deliver-done").textContent = "delivering…";
  const r = await call("deliver_now", { week: $("week").value, perAssignee: $("deliver-per-assignee").checked });
  const files = r.outcome === "send_failed" ? r.delivery.files : r.files;
  const sent = r.outcome === "send_failed" ? r.delivery.sent : r.sent;
  const count = (n, what) => `${n} ${what}${n === 1 ? "" : "s"}`;
  $("deliver-done").textContent = r.outcome === "send_failed"
    ? `${count(files.length, "file")} written and kept; sending through ${r.server} failed: ${r.message}`
    : `${count(files.length, "file")} written${sent.length ? `, ${count(sent.length, "message")} sent` : ""}`;
  await loadDeliveries();
}

export async function load() {
  await loadCards();
  await loadDetails();
}

export function wire() {
  const week = () => ({ week: $("week").value });
  for (const [testid, table, stem] of [
    ["scorecard", "scorecard", "scorecard"],
    ["breached-list", "breached", "first-response-target-missed"],
    ["silent-list", "silent", "silent"],
    ["backlog-age", "backlog-age", "backlog-by-age"],
  ]) {
    tableExport(document.querySelector(`[data-testid=${testid}]`), `${testid}-table`,
      () => ({ table, ...week() }), () => `${stem}-${$("week").value}`);
  }
  wireChooser($("report-choose"), $("report-path"), () =>
    chooseSaveAs("Weekly report", `secdesk-weekly-${$("week").value}.pdf`, ["pdf", "html"]));
  $("week").addEventListener("change", () => load().catch(showError));
  $("deliver-now").addEventListener("click", () => deliverNow().catch((e) => { $("deliver-done").textContent = ""; showError(e); }));
  $("report-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    $("report-done").textContent = "writing…";
    writeAsked($("report-done"), $("report-path"), (replace) =>
      call("export_report", { week: $("week").value, path: $("report-path").value, redact: $("report-redact").checked, replace }))
      .then((r) => {
        if (!r) return;
        $("report-done").textContent = `wrote ${r.path} (${r.week})`;
        offerWritten($("report-done"), r.path);
      })
      .catch((e) => { $("report-done").textContent = ""; showError(e); });
  });
}
