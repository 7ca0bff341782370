// My stats: one assignee beside the team median, their open tickets and weeks.

import { call } from "../api.js";
import { $, el, showError } from "../dom.js";
import { formatValue } from "../format.js";
import { offerWritten, writeAsked } from "../written.js";
import { chooseSaveAs, wireChooser } from "../dialogs.js";
import { tableExport } from "../tables.js";

export async function load() {
  const who = $("me").value;
  if (!who) return;
  const p = await call("personal", { assignee: who, week: $("week").value });
  const team = p.team ? `team ${p.team}` : "all assignees";
  const first = p.weekly.length ? p.weekly[0].week : "";
  const last = p.weekly.length ? p.weekly[p.weekly.length - 1].week : "";
  $("me-period").textContent = `${first} – ${last} · compared with the median of the ${p.team_size} assignees of ${team}`;
  $("me-rows").replaceChildren(
    ...p.rows.map((r) => {
      const tr = el("tr");
      tr.setAttribute("data-testid", `me-${r.key}`);
      tr.dataset.mine = r.mine === null ? "" : String(r.mine);
      tr.dataset.teamMedian = r.team_median === null ? "" : String(r.team_median);
      // No source, no number: the reason in place of the number.
      const mine = r.mine === null && r.why ? el("td", r.why, "muted") : el("td", formatValue(r.mine, r.unit), "num");
      tr.append(el("td", r.label), mine, el("td", formatValue(r.team_median, r.unit), "num muted"));
      return tr;
    }),
  );
  $("me-open").replaceChildren(
    ...p.open.map((t) => {
      const tr = el("tr");
      tr.append(el("td", t.ticket_id), el("td", t.priority || "(none)"), el("td", t.category || "(none)"),
        el("td", new Date(t.created_at).toISOString().slice(0, 10)), el("td", formatValue(t.days_since_update, "days"), "num"),
        el("td", t.silent ? `yes, silent > ${p.silence_days} days` : "", t.silent ? "status-off" : ""));
      return tr;
    }),
  );
  $("me-weeks").replaceChildren(
    ...p.weekly.map((w) => {
      const tr = el("tr");
      tr.append(el("td", w.week), el("td", formatValue(w.tickets, "count"), "num"), el("td", formatValue(w.first_response_median, "minutes"), "num"),
        el("td", formatValue(w.follow_ups_per_open_day, "per_day"), "num"), el("td", formatValue(w.csat_satisfied_share, "share"), "num"));
      return tr;
    }),
  );
}

export function wire() {
  const slug = () => $("me").value.normalize("NFD").replace(/[^\w]+/g, "-").replace(/^-|-$/g, "").toLowerCase();
  wireChooser($("me-choose"), $("me-path"), () =>
    chooseSaveAs("My stats", `secdesk-${$("week").value}-${slug()}.pdf`, ["pdf", "html"]));
  tableExport(document.querySelector("[data-testid=me-open]"), "me-open-table",
    () => ({ table: "my-open", assignee: $("me").value, week: $("week").value }),
    () => `open-tickets-${slug()}-${$("week").value}`);
  $("me").addEventListener("change", () => {
    $("me").dataset.chosen = "yes";
    load().catch(showError);
  });
  $("me-export").addEventListener("submit", (ev) => {
    ev.preventDefault();
    $("me-done").textContent = "writing…";
    writeAsked($("me-done"), $("me-path"), (replace) =>
      call("export_personal", { assignee: $("me").value, week: $("week").value, path: $("me-path").value, replace }))
      .then((r) => {
        if (!r) return;
        $("me-done").textContent = `wrote ${r.path}`;
        offerWritten($("me-done"), r.path);
      })
      .catch((e) => { $("me-done").textContent = ""; showError(e); });
  });
}
