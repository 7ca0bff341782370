// secdesk UI: asks the core (through Tauri commands) for numbers and charts and
// shows them. No metric is computed here; every data string is set as text.
"use strict";

const invoke = (cmd, args) => window.__TAURI__.core.invoke(cmd, args);
const $ = (id) => document.getElementById(id);
let overview = null;

const VIEWS = ["review", "charts", "mystats", "data", "settings"];

function showError(e) {
  const box = $("error");
  box.textContent = e && e.message ? `${e.code}: ${e.message}` : String(e);
  box.hidden = false;
}

function clearError() {
  $("error").hidden = true;
  $("error").textContent = "";
}

function el(tag, text, cls) {
  const n = document.createElement(tag);
  if (text !== undefined) n.textContent = text;
  if (cls) n.className = cls;
  return n;
}

const fmt = {
  num: (v, d = 1) => (v === null || v === undefined ? "—" : Number(v).toFixed(d)),
  pct: (v) => (v === null || v === undefined ? "—" : `${(v * 100).toFixed(1)} %`),
  int: (v) => (v === null || v === undefined ? "—" : String(v)),
};

// Headline cards: label, the metrics document key (dotted path), how to show
// the value, and which direction is better.
const HEADLINES = [
  ["First response median (h)", "first_response_minutes.median", (v) => fmt.num(v === null ? null : v / 60), "lower"],
  ["SLA breach rate", "sla_first_response_breach_rate", fmt.pct, "lower"],
  ["Resolution median (h)", "resolution_hours.median", fmt.num, "lower"],
  ["Reopen rate", "reopen_rate", fmt.pct, "lower"],
  ["Follow-ups per open day", "follow_ups_per_open_day", (v) => fmt.num(v, 2), "higher"],
  ["Silent open share", "silent_open_share", fmt.pct, "lower"],
  ["CSAT satisfied", "csat.satisfied_share", fmt.pct, "higher"],
  ["Blocked hours", "blocked_hours", (v) => fmt.num(v, 0), "lower"],
  ["Impact cost", "impact_cost", (v) => fmt.num(v, 0), "lower"],
];

const pick = (obj, path) => path.split(".").reduce((o, k) => (o === null || o === undefined ? null : o[k]), obj) ?? null;

async function chartUrl(name, filters, width, height) {
  const bytes = await invoke("render_chart", { name, width, height, format: "svg", filters });
  const blob = new Blob([new Uint8Array(bytes)], { type: "image/svg+xml" });
  return URL.createObjectURL(blob);
}

async function loadReview() {
  const week = $("week").value;
  const doc = await invoke("metrics", { filters: {} });
  $("asof").textContent = `as of ${doc.as_of} · ${doc.import.tickets} tickets · ${doc.import.surveys} survey responses`;
  const weeks = doc.by_week;
  const i = weeks.findIndex((w) => w.week === week);
  const cur = weeks[i];
  const prev = i > 0 ? weeks[i - 1] : null;
  const cards = $("cards");
  cards.replaceChildren();
  for (const [label, key, show, better] of HEADLINES) {
    const card = el("div", undefined, "card");
    card.setAttribute("data-testid", `card-${key}`);
    const get = (w) => pick(w, key);
    const v = cur ? get(cur) : null;
    const p = prev ? get(prev) : null;
    card.dataset.metric = key;
    card.dataset.value = v === null ? "" : String(v);
    const unit = key === "impact_cost" && overview.currency ? ` (${overview.currency})` : "";
    card.append(el("div", label + unit, "label"), el("div", show(v), "value"));
    let delta = "no previous week";
    if (v !== null && p !== null) {
      const d = v - p;
      const good = better === "lower" ? d <= 0 : d >= 0;
      delta = `${d >= 0 ? "▲" : "▼"} from ${show(p)} last week`;
      card.classList.add(good ? "good" : "bad");
    }
    card.append(el("div", delta, "delta"));
    const spark = weeks.slice(Math.max(0, i - 11), i + 1).map((w) => get(w));
    card.append(sparkline(spark));
    cards.append(card);
  }
  // Drawn at the width it is shown (a 16:7 picture), so its text reads at the window's scale.
  const width = Math.max(800, Math.round($("review-chart").parentElement.clientWidth - 16));
  $("review-chart").src = await chartUrl("first-response-weekly", {}, width, Math.round((width * 7) / 16));
}

// The scorecard and the action lists, drawn after the cards and the chart.
async function loadReviewDetails() {
  const week = $("week").value;
  if (week) await Promise.all([loadScorecard(week), loadActionLists(week)]);
}

async function loadWholeReview() {
  await loadReview();
  await loadReviewDetails();
}

async function loadActionLists(week) {
  const { lists, silence_days: days } = await invoke("action_lists", { week });
  const more = (shown, total) => (shown < total ? `, the ${shown} longest shown` : "");
  $("breached-title").textContent = `First-response target missed: ${lists.breached_total}${more(lists.breached.length, lists.breached_total)}`;
  $("breached-title").dataset.total = String(lists.breached_total);
  $("silent-title").textContent = `Silent for more than ${days} days: ${lists.silent_total}${more(lists.silent.length, lists.silent_total)}`;
  $("silent-title").dataset.total = String(lists.silent_total);
  const b = $("breached-body");
  b.replaceChildren();
  for (const t of lists.breached) {
    const tr = el("tr");
    tr.append(el("td", t.ticket_id), el("td", t.priority || ""), el("td", t.category || ""), el("td", t.assignee || "(unassigned)"),
      el("td", UNIT.hours(t.first_response_wait_hours), "num status-off"), el("td", UNIT.hours(t.target_hours), "num muted"));
    b.append(tr);
  }
  const s = $("silent-body");
  s.replaceChildren();
  for (const t of lists.silent) {
    const tr = el("tr");
    tr.append(el("td", t.ticket_id), el("td", t.priority || ""), el("td", t.category || ""), el("td", t.assignee || "(unassigned)"),
      el("td", `${fmt.num(t.days_since_update, 1)} d`, "num status-off"));
    s.append(tr);
  }
}

const UNIT = {
  share: (v) => fmt.pct(v),
  count: (v) => fmt.int(v),
  minutes: (v) => (v === null ? "—" : `${fmt.num(v, 0)} min`),
  hours: (v) => (v === null ? "—" : `${fmt.num(v, 1)} h`),
  per_day: (v) => (v === null ? "—" : `${fmt.num(v, 2)} /day`),
  per_ticket: (v) => fmt.num(v, 2),
  cost: (v) => fmt.num(v, 0),
  points: (v) => fmt.num(v, 0),
  rating: (v) => (v === null ? "—" : `${fmt.num(v, 2)} / 5`),
};
const STATUS = { on_target: "on target", near: "near", off: "off", no_target: "no target", no_data: "no data" };

async function loadScorecard(week) {
  const card = await invoke("scorecard", { week });
  const body = $("scorecard-body");
  body.replaceChildren();
  for (const f of card.factors) {
    const head = el("tr", undefined, "factor");
    const name = el("td", f.name);
    name.colSpan = 3;
    head.append(name, el("td", STATUS[f.status], `status-${f.status}`), el("td", f.asks, "muted"));
    body.append(head);
    for (const i of f.indicators) {
      const show = UNIT[i.unit] || ((v) => fmt.num(v));
      const tr = el("tr");
      tr.setAttribute("data-testid", `indicator-${i.key}`);
      const value = show(i.value) + (i.detail ? ` (${i.detail})` : "");
      const target = i.target ? `${i.better === "higher" ? "≥" : "≤"} ${show(i.target.on)}` : "";
      const trend = i.missing ? `would be measured by ${i.missing}` : i.trend.map((v) => show(v)).join(" → ");
      tr.append(el("td", i.label), el("td", value, "num"), el("td", target, "num muted"),
        el("td", STATUS[i.status], `status-${i.status}`), el("td", trend, "muted"));
      body.append(tr);
    }
  }
}

async function loadMyStats() {
  const who = $("me").value;
  if (!who) return;
  const p = await invoke("personal", { assignee: who, week: $("week").value });
  const team = p.team ? `team ${p.team}` : "all assignees";
  $("me-period").textContent = `${p.weekly.length ? p.weekly[0].week : ""} – ${p.weekly.length ? p.weekly[p.weekly.length - 1].week : ""} · compared with the median of the ${p.team_size} assignees of ${team}`;
  const rows = $("me-rows");
  rows.replaceChildren();
  for (const r of p.rows) {
    const show = UNIT[r.unit] || ((v) => fmt.num(v));
    const tr = el("tr");
    tr.setAttribute("data-testid", `me-${r.key}`);
    tr.dataset.mine = r.mine === null ? "" : String(r.mine);
    tr.dataset.teamMedian = r.team_median === null ? "" : String(r.team_median);
    tr.append(el("td", r.label), el("td", show(r.mine), "num"), el("td", show(r.team_median), "num muted"));
    rows.append(tr);
  }
  const open = $("me-open");
  open.replaceChildren();
  for (const t of p.open) {
    const tr = el("tr");
    tr.append(el("td", t.ticket_id), el("td", t.priority || "(none)"), el("td", t.category || "(none)"),
      el("td", new Date(t.created_at).toISOString().slice(0, 10)), el("td", `${fmt.num(t.days_since_update, 1)} d`, "num"),
      el("td", t.silent ? `yes, silent > ${p.silence_days} days` : "", t.silent ? "status-off" : ""));
    open.append(tr);
  }
  const weeks = $("me-weeks");
  weeks.replaceChildren();
  for (const w of p.weekly) {
    const tr = el("tr");
    tr.append(el("td", w.week), el("td", String(w.tickets), "num"), el("td", UNIT.minutes(w.first_response_median), "num"),
      el("td", UNIT.per_day(w.follow_ups_per_open_day), "num"), el("td", fmt.pct(w.csat_satisfied_share), "num"));
    weeks.append(tr);
  }
}

function sparkline(values) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 120 30");
  svg.setAttribute("class", "spark");
  const nums = values.filter((v) => v !== null);
  if (nums.length > 1) {
    const lo = Math.min(...nums), hi = Math.max(...nums);
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

function chartFilters() {
  const dimensions = {};
  for (const s of document.querySelectorAll("[data-dim]")) {
    if (s.value) dimensions[s.dataset.dim] = [s.value];
  }
  return { dimensions, from: $("f-from").value || null, to: $("f-to").value || null };
}

let chartMap = null;

// Drawn at the size it is shown, so its text reads at the window's scale.
async function loadChart() {
  const frame = $("chart-img").parentElement;
  const width = Math.max(800, Math.round(frame.clientWidth - 16));
  const height = Math.max(420, Math.round(window.innerHeight - frame.getBoundingClientRect().top - 80));
  const view = await invoke("chart_view", { name: $("chart-name").value, width, height, filters: chartFilters() });
  chartMap = view.map;
  $("chart-img").src = URL.createObjectURL(new Blob([view.svg], { type: "image/svg+xml" }));
  const pick = $("behind-point");
  const had = pick.value;
  pick.replaceChildren(...chartMap.points.map((p, i) => new Option(p.label, String(i))));
  if ([...pick.options].some((o) => o.value === had)) pick.value = had;
  else if (pick.options.length) pick.value = String(pick.options.length - 1);
}

// The point of the chart under a click, from the map the core drew it with.
function pointAt(ev) {
  const img = $("chart-img");
  if (!chartMap || !chartMap.points.length || !img.clientWidth) return null;
  const x = (ev.offsetX * chartMap.width) / img.clientWidth;
  const y = (ev.offsetY * chartMap.height) / img.clientHeight;
  if (x < chartMap.left || x > chartMap.right || y < chartMap.top || y > chartMap.bottom) return null;
  const n = chartMap.points.length;
  const i = Math.min(n - 1, Math.max(0, Math.floor(((x - chartMap.left) * n) / (chartMap.right - chartMap.left))));
  return i;
}

const yesNo = (b) => (b ? "yes" : "");

async function listTicketsBehind(i) {
  const point = chartMap.points[i];
  $("behind-point").value = String(i);
  const r = await invoke("chart_tickets", { key: point.key, filters: chartFilters() });
  const what = point.key.week !== undefined ? `created in ${point.label}` : `with first response ${point.key.bucket}`;
  const shown = r.tickets.length < r.total ? ` (the first ${r.tickets.length} shown)` : "";
  const title = $("behind-title");
  title.textContent = `${r.total} tickets ${what}${shown}`;
  title.dataset.total = String(r.total);
  title.dataset.point = point.label;
  const body = $("behind-body");
  body.replaceChildren();
  for (const t of r.tickets) {
    const tr = el("tr");
    tr.append(el("td", t.ticket_id), el("td", new Date(t.created_at).toISOString().slice(0, 16).replace("T", " ")),
      el("td", t.status || ""), el("td", t.priority || ""), el("td", t.category || ""), el("td", t.assignee || ""),
      el("td", t.first_response_minutes === null ? "—" : UNIT.minutes(t.first_response_minutes), "num"),
      el("td", t.breached ? "breached" : "", t.breached ? "status-off" : ""),
      el("td", t.resolution_hours === null ? "—" : UNIT.hours(t.resolution_hours), "num"),
      el("td", yesNo(t.reopened)), el("td", t.follow_ups === null ? "—" : String(t.follow_ups), "num"),
      el("td", t.open ? (t.silent ? "silent" : "open") : "", t.silent ? "status-off" : ""));
    body.append(tr);
  }
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
  const r = await invoke("export_chart", {
    name: $("chart-name").value,
    width: Number($("export-width").value),
    height: Number($("export-height").value),
    path: withExtension(path, format),
    filters: chartFilters(),
  });
  $("export-done").textContent = `wrote ${r.path} (${r.width}×${r.height})`;
}

async function copyChart() {
  await invoke("copy_chart", {
    name: $("chart-name").value,
    width: Number($("export-width").value),
    height: Number($("export-height").value),
    filters: chartFilters(),
  });
  $("export-done").textContent = `chart copied to the clipboard as PNG (${$("export-width").value}×${$("export-height").value})`;
}

// The Data view's preview: the file as it will be read, with the mapping editable.
let preview = null; // { kind, path, columns: [{header, detected}] }

function readArgs() {
  const overrides = [];
  if (preview && preview.kind === $("import-kind").value && preview.path === $("import-path").value) {
    for (const sel of document.querySelectorAll("#preview-columns select")) {
      if (sel.value !== sel.dataset.detected) overrides.push([sel.value === "(ignored)" ? "ignore" : sel.value, sel.dataset.header]);
    }
  }
  return { overrides, ...readChoices() };
}

function readChoices() {
  return {
    date_order: $("read-order").value,
    source_tz: $("read-tz").value.trim() || null,
    encoding: $("read-encoding").value,
    delimiter: $("read-delimiter").value,
  };
}

async function showPreview() {
  const kind = $("import-kind").value;
  const path = $("import-path").value;
  const keep = preview && preview.kind === kind && preview.path === path ? readArgs() : { overrides: [], ...readChoices() };
  const p = await invoke("preview_file", { kind, path, read: keep });
  const r = p.report;
  preview = { kind, path };
  const summary = $("preview-summary");
  summary.textContent = `Looks like: ${r.format_label} · ${r.encoding} · ${r.delimiter}-separated · ${r.header_rows} header row(s) · ${r.rows_read} rows, ${r.records} ${kind === "surveys" ? "responses" : "tickets"}, ${r.rejected.length} would be rejected`;
  summary.dataset.format = r.format;
  const details = $("preview-details");
  details.replaceChildren();
  const dates = r.date_columns.map(([col, d]) => `${col}: ${d.order} (${d.reason})`).join("; ");
  details.append(el("dt", "Dates"), el("dd", dates || "none"));
  for (const n of r.notes) details.append(el("dt", "Note"), el("dd", n));
  const fields = ["(ignored)", ...(overview.fields[kind] || [])];
  const body = $("preview-columns");
  body.replaceChildren();
  for (const c of p.columns) {
    const tr = el("tr");
    const sel = el("select");
    sel.dataset.header = c.header;
    sel.dataset.detected = c.field;
    sel.setAttribute("aria-label", `field fed by ${c.header}`);
    for (const f of fields) sel.append(new Option(f, f));
    if (!fields.includes(c.field)) sel.append(new Option(c.field, c.field));
    sel.value = c.field;
    const td = el("td");
    td.append(sel);
    const values = el("td");
    values.append(el("div", c.samples.join(" · "), "muted"));
    if (c.parsed.length) values.append(el("div", `read as: ${c.parsed.join(" · ")}`, "parsed"));
    tr.append(el("td", c.header), td, values);
    body.append(tr);
  }
  $("preview").hidden = false;
}

function showProgress(done, total) {
  $("progress").hidden = false;
  $("progress-bar").max = total || 1;
  $("progress-bar").value = done;
  $("progress-text").textContent = total ? `${Math.round((100 * done) / total)} % read` : "reading…";
}

let importing = 0; // the number of the import running, 0 when none

async function runImport() {
  clearError();
  importing = Date.now();
  const run = importing;
  $("import-report").hidden = true;
  showProgress(0, 0);
  try {
    const o = await invoke("import_file", { run, kind: $("import-kind").value, path: $("import-path").value, read: readArgs() });
    showImportReport(o);
    await dataChanged();
  } catch (e) {
    if (e && e.code === "import" && /cancel/i.test(e.message)) {
      $("import-summary").textContent = "Import cancelled: nothing was stored.";
      $("import-summary").dataset.cancelled = "yes";
      $("import-details").replaceChildren();
      $("import-rejects").hidden = true;
      $("import-report").hidden = false;
    } else {
      throw e;
    }
  } finally {
    importing = 0;
    $("progress").hidden = true;
  }
}

// The import report, readable: what was stored, how the file was read, what was rejected.
function showImportReport(o) {
  const r = o.report;
  const box = $("import-report");
  const summary = $("import-summary");
  delete summary.dataset.cancelled;
  summary.dataset.stored = String(o.already_imported ? 0 : o.record.rows_stored);
  summary.dataset.rejected = String(r.rejected.length);
  summary.dataset.importId = String(o.record.id);
  summary.textContent = o.already_imported
    ? `${r.file}: already imported as import ${o.record.id}; nothing changed.`
    : `${r.file}: stored ${o.record.rows_stored} of ${r.rows_read} rows as import ${o.record.id}` +
      (r.rejected.length ? `; ${r.rejected.length} rejected (listed below, not stored).` : "; none rejected.");
  summary.className = r.rejected.length ? "status-off" : "";
  const details = $("import-details");
  details.replaceChildren();
  const dates = r.date_columns.map(([col, d]) => `${col}: ${d.order} (${d.reason})`).join("; ");
  const rows = [
    ["Format", r.format_label], ["Encoding", r.encoding], ["Delimiter", r.delimiter],
    ["Header rows", String(r.header_rows)], ["Dates", dates || "none"], ["Time zone of dates without offset", r.source_time_zone],
    ["Columns", r.mapping.join(" · ")],
  ];
  if (r.events) rows.push(["Update events", String(r.events)]);
  if (r.duplicate_ids) rows.push(["Duplicated ids", `${r.duplicate_ids} (the last row of each wins)`]);
  for (const w of r.warnings) rows.push([`Unreadable ${w.column}`, `${w.count} values left empty, e.g. row ${w.example_row}`]);
  for (const n of r.notes) rows.push(["Note", n]);
  for (const [k, v] of rows) details.append(el("dt", k), el("dd", v));
  const body = $("rejects-body");
  body.replaceChildren();
  for (const x of r.rejected.slice(0, 500)) {
    const tr = el("tr");
    tr.append(el("td", String(x.row), "num"), el("td", x.column), el("td", x.value), el("td", x.reason));
    body.append(tr);
  }
  $("import-rejects").hidden = r.rejected.length === 0;
  box.hidden = false;
}

async function loadData() {
  overview = await invoke("overview");
  const body = $("history");
  body.replaceChildren();
  for (const i of overview.imports) {
    const tr = el("tr");
    for (const v of [i.id, i.kind, i.source, i.file_name, i.rows_stored, i.rows_rejected, i.imported_at]) tr.append(el("td", String(v)));
    const b = el("button", "Forget");
    b.addEventListener("click", () => invoke("forget_import", { id: i.id }).then(dataChanged).catch(showError));
    const td = el("td");
    td.append(b);
    tr.append(td);
    body.append(tr);
  }
}

const DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const ZONES = ["UTC", "Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Zurich", "America/New_York",
  "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Sao_Paulo", "Asia/Kolkata", "Asia/Singapore",
  "Asia/Tokyo", "Australia/Sydney", "Africa/Johannesburg"];
let settingDefaults = null;

function showSettings(st) {
  st.sla_hours.forEach((h, i) => { $(`s-sla-${i}`).value = String(h); });
  for (const box of document.querySelectorAll("#s-days input")) box.checked = st.business_days.includes(Number(box.value));
  $("s-open").value = st.business_open;
  $("s-close").value = st.business_close;
  $("s-holidays").value = st.holidays.join("\n");
  $("s-silence").value = String(st.silence_days);
  $("s-cost").value = String(st.hourly_cost);
  $("s-currency").value = st.currency;
  $("s-tz").value = st.time_zone;
}

async function loadSettings() {
  const r = await invoke("settings");
  settingDefaults = r.defaults;
  showSettings(r.settings);
}

function settingsFromForm() {
  return {
    sla_hours: [0, 1, 2, 3].map((i) => Number($(`s-sla-${i}`).value)),
    business_days: [...document.querySelectorAll("#s-days input:checked")].map((b) => Number(b.value)),
    business_open: $("s-open").value,
    business_close: $("s-close").value,
    holidays: $("s-holidays").value.split(/[\s,]+/).filter(Boolean),
    silence_days: Number($("s-silence").value),
    hourly_cost: Number($("s-cost").value),
    currency: $("s-currency").value,
    time_zone: $("s-tz").value.trim(),
  };
}

async function saveSettings(st) {
  const saved = await invoke("save_settings", { settings: st });
  showSettings(saved);
  $("settings-done").textContent = "saved; every view now computes with these settings";
  // Weeks depend on the time zone; numbers on everything.
  await dataChanged();
}

// Fills a select with values, keeping the current choice when it still exists.
function fillSelect(select, values, keepFirst) {
  const current = select.value;
  const first = keepFirst ? select.options[0] : null;
  select.replaceChildren(...(first ? [first] : []), ...values.map((v) => new Option(v, v)));
  if ([...select.options].some((o) => o.value === current)) select.value = current;
}

// The pickers that depend on the data: weeks, filter values, assignees.
function fillPickers() {
  const weekSel = $("week");
  const had = weekSel.value;
  fillSelect(weekSel, overview.weeks, false);
  // Default: the last complete week (the one before the week of as_of).
  if (!had || !overview.weeks.includes(had)) {
    weekSel.value = overview.weeks.length > 1 ? overview.weeks[overview.weeks.length - 2] : overview.weeks[0] || "";
  }
  for (const s of document.querySelectorAll("[data-dim]")) fillSelect(s, overview.dimensions[s.dataset.dim] || [], true);
  const people = overview.dimensions.assignee || [];
  fillSelect($("me"), people, false);
  if (!$("me").dataset.chosen && overview.me && people.includes(overview.me)) $("me").value = overview.me;
}

// After an import or a forget: new counts, pickers and history.
async function dataChanged() {
  await loadData();
  $("banner").hidden = !overview.sample_data;
  fillPickers();
}

// Light, dark, or the system's choice; remembered by the window.
const THEMES = ["system", "light", "dark"];
function applyTheme(theme) {
  if (theme === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  $("theme").textContent = `Theme: ${theme}`;
  localStorage.setItem("secdesk.theme", theme);
}

async function init() {
  applyTheme(THEMES.includes(localStorage.getItem("secdesk.theme")) ? localStorage.getItem("secdesk.theme") : "system");
  $("theme").addEventListener("click", () => {
    const now = localStorage.getItem("secdesk.theme") || "system";
    applyTheme(THEMES[(THEMES.indexOf(now) + 1) % THEMES.length]);
  });
  overview = await invoke("overview");
  if (overview.sample_data) {
    const b = $("banner");
    b.textContent = "You are looking at generated sample data. Import your own ticket and survey exports in Data (or with `secdesk import tickets FILE`).";
    b.hidden = false;
  }
  for (const c of overview.charts) $("chart-name").append(new Option(c.title, c.name));
  fillPickers();
  $("week").addEventListener("change", () => loadWholeReview().catch(showError));
  $("chart-name").addEventListener("change", () => loadChart().catch(showError));
  // A filter change redraws the chart; an error about the previous filters goes.
  const refilter = () => {
    clearError();
    loadChart().catch(showError);
  };
  for (const s of document.querySelectorAll("[data-dim], [data-range]")) s.addEventListener("change", refilter);
  $("f-clear").addEventListener("click", () => {
    for (const s of document.querySelectorAll("[data-dim], [data-range]")) s.value = "";
    loadChart().catch(showError);
  });
  $("chart-export").addEventListener("submit", (ev) => {
    ev.preventDefault();
    $("export-done").textContent = "writing…";
    exportChart(ev.submitter ? ev.submitter.dataset.format : "png").catch((e) => { $("export-done").textContent = ""; showError(e); });
  });
  $("chart-copy").addEventListener("click", () => copyChart().catch(showError));
  $("chart-img").addEventListener("click", (ev) => {
    const i = pointAt(ev);
    if (i !== null) listTicketsBehind(i).catch(showError);
  });
  $("behind-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (chartMap && $("behind-point").value !== "") listTicketsBehind(Number($("behind-point").value)).catch(showError);
  });
  for (const b of document.querySelectorAll("nav button")) {
    b.addEventListener("click", () => {
      clearError();
      for (const x of document.querySelectorAll("nav button")) x.classList.toggle("active", x === b);
      for (const v of VIEWS) $(v).hidden = v !== b.dataset.view;
      const load = { review: loadWholeReview, charts: loadChart, mystats: loadMyStats, data: loadData, settings: loadSettings }[b.dataset.view];
      load().catch(showError);
    });
  }
  // Alt+1 … Alt+5 open the views, in the order of the header.
  document.addEventListener("keydown", (ev) => {
    if (!ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const i = Number(ev.key) - 1;
    const buttons = document.querySelectorAll("nav button");
    if (i >= 0 && i < buttons.length) {
      ev.preventDefault();
      buttons[i].click();
      buttons[i].focus();
    }
  });
  $("import-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    runImport().catch(showError);
  });
  $("preview-button").addEventListener("click", () => {
    clearError();
    showPreview().catch(showError);
  });
  for (const id of ["read-order", "read-tz", "read-encoding", "read-delimiter"]) $(id).addEventListener("change", () => { if (preview) showPreview().catch(showError); });
  $("cancel-import").addEventListener("click", () => { if (importing) invoke("cancel_import", { run: importing }).catch(showError); });
  window.__TAURI__.event.listen("import-progress", (e) => { if (importing) showProgress(e.payload.done, e.payload.total); });
  // A file dropped on the window: its path goes to the Data view's form.
  window.__TAURI__.event.listen("tauri://drag-drop", (e) => {
    const paths = (e.payload && e.payload.paths) || [];
    if (!paths.length) return;
    document.querySelector("[data-view=data]").click();
    $("import-path").value = paths[0];
    showPreview().catch(showError);
  });
  $("rejects-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    invoke("save_rejects", { path: $("rejects-path").value })
      .then((r) => { $("rejects-done").textContent = `wrote ${r.rows} rows to ${r.path}`; })
      .catch(showError);
  });
  $("me").addEventListener("change", () => {
    $("me").dataset.chosen = "yes";
    loadMyStats().catch(showError);
  });
  $("me-export").addEventListener("submit", (ev) => {
    ev.preventDefault();
    $("me-done").textContent = "writing…";
    invoke("export_personal", { assignee: $("me").value, week: $("week").value, path: $("me-path").value })
      .then((r) => { $("me-done").textContent = `wrote ${r.path}`; })
      .catch((e) => { $("me-done").textContent = ""; showError(e); });
  });
  $("report-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    $("report-done").textContent = "writing…";
    invoke("export_report", { week: $("week").value, path: $("report-path").value, redact: $("report-redact").checked })
      .then((r) => { $("report-done").textContent = `wrote ${r.path} (${r.week})`; })
      .catch((e) => { $("report-done").textContent = ""; showError(e); });
  });
  DAY_NAMES.forEach((name, i) => {
    const label = el("label");
    const box = el("input");
    box.type = "checkbox";
    box.value = String(i + 1);
    box.setAttribute("data-testid", `setting-day-${i + 1}`);
    label.append(box, ` ${name}`);
    $("s-days").append(label);
  });
  for (const z of ZONES) $("zones").append(new Option(z, z));
  $("settings-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    clearError();
    $("settings-done").textContent = "";
    saveSettings(settingsFromForm()).catch(showError);
  });
  $("settings-defaults").addEventListener("click", () => {
    clearError();
    if (settingDefaults) saveSettings(settingDefaults).catch(showError);
  });
  await loadReview();
  // Once the cards and the chart are painted.
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  await new Promise((r) => { const img = $("review-chart"); if (img.complete) r(); else img.addEventListener("load", r, { once: true }); });
  invoke("dashboard_drawn").catch(() => {});
  await loadReviewDetails();
}

init().catch(showError);
