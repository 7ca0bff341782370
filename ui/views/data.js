// Data: preview a file as it will be read (mapping editable), import it with
// progress and cancel, the import report, and the import history.

import { call, listen } from "../api.js";
import { $, el, clearError, showError } from "../dom.js";
import { app } from "../state.js";
import { chooseFile, chooseSaveAs, wireChooser } from "../dialogs.js";
import { offerWritten, writeAsked } from "../written.js";
import { tableExport } from "../tables.js";

let preview = null; // { kind, path } of the file previewed
let importing = 0; // the number of the import running, 0 when none
let changed = async () => {};

function readChoices() {
  return {
    date_order: $("read-order").value,
    source_tz: $("read-tz").value.trim() || null,
    encoding: $("read-encoding").value,
    delimiter: $("read-delimiter").value,
    sheet: $("read-sheet").value.trim() || null,
  };
}

function readArgs() {
  const overrides = [];
  if (preview && preview.kind === $("import-kind").value && preview.path === $("import-path").value) {
    for (const sel of document.querySelectorAll("#preview-columns select")) {
      if (sel.value !== sel.dataset.detected) overrides.push([sel.value === "(ignored)" ? "ignore" : sel.value, sel.dataset.header]);
    }
  }
  return { overrides, ...readChoices() };
}

const datesText = (r) => r.date_columns.map(([col, d]) => `${col}: ${d.order} (${d.reason})`).join("; ");

async function showPreview() {
  const kind = $("import-kind").value;
  const path = $("import-path").value;
  const keep = preview && preview.kind === kind && preview.path === path ? readArgs() : { overrides: [], ...readChoices() };
  const p = await call("preview_file", { kind, path, read: keep });
  const r = p.report;
  preview = { kind, path };
  const summary = $("preview-summary");
  summary.textContent = `Looks like: ${r.format_label} · ${r.encoding} · ${r.delimiter}-separated · ${r.header_rows} header row(s) · ${r.rows_read} rows, ${r.records} ${kind === "surveys" ? "responses" : "tickets"}, ${r.rejected.length} would be rejected`;
  summary.dataset.format = r.format;
  const details = $("preview-details");
  details.replaceChildren(el("dt", "Dates"), el("dd", datesText(r) || "none"));
  for (const n of r.notes) details.append(el("dt", "Note"), el("dd", n));
  if (r.rating_column) details.append(el("dt", "Ratings"), el("dd", `read from ${r.rating_column}`));
  for (const f of r.coverage) {
    const dd = el("dd", f.fed_by ? `from ${f.fed_by}` : f.reason, f.fed_by ? "" : "status-off");
    dd.dataset.testid = `coverage-${f.family}`;
    dd.dataset.fed = f.fed_by ? "yes" : "no";
    details.append(el("dt", FAMILY_LABELS[f.family] || f.family), dd);
  }
  showChoice(p.choose);
  const fields = ["(ignored)", ...(app.overview.fields[kind] || [])];
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

// What each metric family is called where the Preview says what feeds it.
const FAMILY_LABELS = {
  first_response: "First response",
  resolution: "Resolution",
  reopen: "Reopens",
  follow_ups: "Follow-ups",
  last_update: "Last update",
  pause: "Waiting on the requester (SLA pause)",
  csat: "Satisfaction",
};

// A column the file cannot be imported without (a survey's rating, never
// guessed): the user picks it, and the Preview reads the file again.
function showChoice(choose) {
  const box = $("preview-choice");
  box.hidden = !choose;
  if (!choose) return;
  const sel = $("choose-column");
  sel.replaceChildren(new Option("— choose —", ""), ...choose.candidates.map((c) => new Option(c, c)));
  $("choose-label").textContent = `This file has no column that asks for a ${choose.field}. Choose the column that holds it:`;
  sel.dataset.field = choose.field;
}

function chooseColumn() {
  const sel = $("choose-column");
  if (!sel.value) return;
  for (const s of document.querySelectorAll("#preview-columns select")) {
    if (s.dataset.header === sel.value) s.value = sel.dataset.field;
  }
  showPreview().catch(showError);
}

function showProgress(done, total) {
  $("progress").hidden = false;
  $("progress-bar").max = total || 1;
  $("progress-bar").value = done;
  $("progress-text").textContent = total ? `${Math.round((100 * done) / total)} % read` : "reading…";
}

async function runImport() {
  clearError();
  importing = Date.now();
  const run = importing;
  $("import-report").hidden = true;
  showProgress(0, 0);
  try {
    const o = await call("import_file", { run, kind: $("import-kind").value, path: $("import-path").value, read: readArgs() });
    showImportReport(o);
    await changed();
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
  const rows = [
    ["Format", r.format_label], ["Encoding", r.encoding], ["Delimiter", r.delimiter],
    ["Header rows", String(r.header_rows)], ["Dates", datesText(r) || "none"], ["Time zone of dates without offset", r.source_time_zone],
    ["Columns", r.mapping.join(" · ")],
  ];
  if (r.events) rows.push(["Update events", String(r.events)]);
  if (r.duplicate_ids) rows.push(["Duplicated ids", `${r.duplicate_ids} (the last row of each wins)`]);
  for (const w of r.warnings) rows.push([`Unreadable ${w.column}`, `${w.count} values left empty, e.g. row ${w.example_row}`]);
  for (const n of r.notes) rows.push(["Note", n]);
  for (const f of r.coverage) rows.push([FAMILY_LABELS[f.family] || f.family, f.fed_by ? `from ${f.fed_by}` : f.reason]);
  $("import-details").replaceChildren(...rows.flatMap(([k, v]) => [el("dt", k), el("dd", v)]));
  $("rejects-body").replaceChildren(
    ...r.rejected.slice(0, 500).map((x) => {
      const tr = el("tr");
      tr.append(el("td", String(x.row), "num"), el("td", x.column), el("td", x.value), el("td", x.reason));
      return tr;
    }),
  );
  $("import-rejects").hidden = r.rejected.length === 0;
  $("import-report").hidden = false;
}

/** Asks for a fresh overview and shows the import history. */
export async function load() {
  app.overview = await call("overview");
  const body = $("history");
  body.replaceChildren();
  for (const i of app.overview.imports) {
    const tr = el("tr");
    for (const v of [i.id, i.kind, i.source, i.file_name, i.rows_stored, i.rows_rejected, i.imported_at]) tr.append(el("td", String(v)));
    const b = el("button", "Forget");
    b.addEventListener("click", () => call("forget_import", { id: i.id }).then(changed).catch(showError));
    const td = el("td");
    td.append(b);
    tr.append(td);
    body.append(tr);
  }
}

/** `onChanged` runs after an import or a forget. */
export function wire(onChanged) {
  // A file chosen in the system's dialog is previewed, as a dropped one.
  $("import-choose").addEventListener("click", () => {
    chooseFile("Ticket or survey export", ["csv", "txt", "tsv", "xlsx", "xlsm", "xlsb", "xls", "ods", "xml"])
      .then((path) => {
        if (!path) return null;
        $("import-path").value = path;
        return showPreview();
      })
      .catch(showError);
  });
  wireChooser($("rejects-choose"), $("rejects-path"), () => chooseSaveAs("Rejected rows", "rejected-rows.csv", ["csv"]));
  tableExport(document.querySelector("[data-testid=import-rejects]"), "rejects-table", () => ({ table: "rejects" }), () => "rejected-rows");
  changed = onChanged;
  $("import-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    runImport().catch(showError);
  });
  $("preview-button").addEventListener("click", () => {
    clearError();
    showPreview().catch(showError);
  });
  $("choose-column").addEventListener("change", chooseColumn);
  for (const id of ["read-order", "read-tz", "read-encoding", "read-delimiter", "read-sheet"]) {
    $(id).addEventListener("change", () => { if (preview) showPreview().catch(showError); });
  }
  $("cancel-import").addEventListener("click", () => { if (importing) call("cancel_import", { run: importing }).catch(showError); });
  listen("import-progress", (e) => { if (importing) showProgress(e.payload.done, e.payload.total); });
  // A file dropped on the window: its path goes to the Data view's form.
  listen("tauri://drag-drop", (e) => {
    const paths = (e.payload && e.payload.paths) || [];
    if (!paths.length) return;
    document.querySelector("[data-view=data]").click();
    $("import-path").value = paths[0];
    showPreview().catch(showError);
  });
  $("rejects-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    writeAsked($("rejects-done"), $("rejects-path"), (replace) => call("save_rejects", { path: $("rejects-path").value, replace }))
      .then((r) => {
        if (!r) return;
        $("rejects-done").textContent = `wrote ${r.rows} rows to ${r.path}`;
        offerWritten($("rejects-done"), r.path);
      })
      .catch(showError);
  });
}
