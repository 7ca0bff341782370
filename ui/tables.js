// "CSV…" and "Excel…" under a table: the system's Save dialog with a default
// name, then the shell writes the whole table (every row, not only those
// shown; numbers as numbers, instants as dates in the workbook).

import { call } from "./api.js";
import { el, showError } from "./dom.js";
import { chooseSaveAs } from "./dialogs.js";
import { offerWritten } from "./written.js";

const FORMATS = [
  { label: "CSV…", ext: "csv", kind: "CSV" },
  { label: "Excel…", ext: "xlsx", kind: "Excel workbook" },
];

/**
 * Adds the buttons after `anchor` (a table). `request()` says which table
 * (`{ table: "scorecard", week }`…), `name()` the default file name without
 * its extension (`scorecard-2026-W47`); `label` says what the table is
 * where it is not under the buttons.
 */
export function tableExport(anchor, id, request, name, label) {
  const bar = el("div", undefined, "toolbar table-export");
  if (label) bar.append(el("span", label));
  const status = el("span", "", "muted");
  status.id = `${id}-done`;
  status.dataset.testid = `${id}-done`;
  status.setAttribute("role", "status");
  for (const f of FORMATS) {
    const b = el("button", f.label);
    b.type = "button";
    b.dataset.testid = `${id}-${f.ext}`;
    b.title = `Save this table as ${f.kind}`;
    b.addEventListener("click", async () => {
      try {
        const path = await chooseSaveAs(f.kind, `${name()}.${f.ext}`, [f.ext]);
        if (!path) return;
        // The dialog asked before replacing a file.
        const r = await call("export_table", { request: request(), path, replace: true });
        status.textContent = `wrote ${r.rows} rows to ${r.path}`;
        offerWritten(status, r.path);
      } catch (e) {
        showError(e);
      }
    });
    bar.append(b);
  }
  bar.append(status);
  anchor.after(bar);
}
