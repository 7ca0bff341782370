// Settings: the SLA policy (targets, clocks, overrides), business calendar,
// silence threshold, cost, time zone.

import { call } from "../api.js";
import { $, el, clearError, showError } from "../dom.js";
import { app } from "../state.js";

const DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const PRIORITIES = ["P1", "P2", "P3", "P4"];
const ZONES = ["UTC", "Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Zurich", "America/New_York",
  "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Sao_Paulo", "Asia/Kolkata", "Asia/Singapore",
  "Asia/Tokyo", "Australia/Sydney", "Africa/Johannesburg"];
const CLOCKS = [["calendar", "calendar (24/7)"], ["business", "business hours"]];
let defaults = null;
let changed = async () => {};

function select(options, value, testid, label) {
  const s = el("select");
  for (const [v, text] of options) s.append(new Option(text, v));
  s.value = value;
  if (testid) s.setAttribute("data-testid", testid);
  if (label) s.setAttribute("aria-label", label);
  return s;
}

function hoursInput(value, testid, label) {
  const i = el("input");
  Object.assign(i, { type: "number", step: "any", min: "0", required: true, value: String(value) });
  if (testid) i.setAttribute("data-testid", testid);
  i.setAttribute("aria-label", label);
  return i;
}

// One row per priority: first response and resolution, each with its clock.
function showPolicy(st) {
  const body = $("s-policy");
  body.replaceChildren();
  PRIORITIES.forEach((p, i) => {
    const tr = el("tr");
    const th = el("th", p);
    th.scope = "row";
    const fr = hoursInput(st.sla_hours[i], `setting-sla-${p}`, `${p} first-response target, hours`);
    fr.id = `s-sla-${i}`;
    const frc = select(CLOCKS, st.first_response_clock[i], `setting-fr-clock-${p}`, `${p} first-response clock`);
    frc.id = `s-fr-clock-${i}`;
    const res = hoursInput(st.resolution_hours[i], `setting-res-${p}`, `${p} resolution target, hours`);
    res.id = `s-res-${i}`;
    const resc = select(CLOCKS, st.resolution_clock[i], `setting-res-clock-${p}`, `${p} resolution clock`);
    resc.id = `s-res-clock-${i}`;
    const cells = [fr, frc, res, resc].map((c) => { const td = el("td"); td.append(c); return td; });
    tr.append(th, ...cells);
    body.append(tr);
  });
}

function overrideRow(o) {
  const tr = el("tr");
  tr.className = "override";
  const scope = select([["team", "team"], ["category", "category"]], o.scope, null, "override for a team or a category");
  scope.dataset.field = "scope";
  const value = el("input");
  Object.assign(value, { value: o.value, required: true, size: 16 });
  value.setAttribute("list", "override-values");
  value.setAttribute("aria-label", "team or category, as the data writes it");
  value.dataset.field = "value";
  const priority = select(PRIORITIES.map((p) => [p, p]), o.priority, null, "priority");
  priority.dataset.field = "priority";
  const kind = select([["first_response", "first response"], ["resolution", "resolution"]], o.kind, null, "target");
  kind.dataset.field = "kind";
  const hours = hoursInput(o.hours, null, "override target, hours");
  hours.dataset.field = "hours";
  const clock = select([["", "as the priority's"], ...CLOCKS], o.clock || "", null, "override clock");
  clock.dataset.field = "clock";
  const remove = el("button", "Remove");
  remove.type = "button";
  remove.addEventListener("click", () => tr.remove());
  for (const c of [scope, value, priority, kind, hours, clock, remove]) {
    const td = el("td");
    td.append(c);
    tr.append(td);
  }
  return tr;
}

function show(st) {
  showPolicy(st);
  $("s-overrides").replaceChildren(...st.sla_overrides.map(overrideRow));
  for (const box of document.querySelectorAll("#s-days input")) box.checked = st.business_days.includes(Number(box.value));
  $("s-open").value = st.business_open;
  $("s-close").value = st.business_close;
  $("s-holidays").value = st.holidays.join("\n");
  $("s-silence").value = String(st.silence_days);
  $("s-cost").value = String(st.hourly_cost);
  $("s-currency").value = st.currency;
  $("s-numbers").value = st.number_locale;
  $("s-tz").value = st.time_zone;
  const d = st.delivery;
  $("d-out-dir").value = d.out_dir || "";
  $("d-mail-to").value = d.mail_to.join(", ");
  $("d-mail-from").value = d.mail_from || "";
  $("d-smtp-host").value = d.smtp_host || "";
  $("d-smtp-port").value = d.smtp_port === null ? "" : String(d.smtp_port);
  $("d-smtp-security").value = d.smtp_security || "starttls";
  $("d-smtp-user").value = d.smtp_user || "";
  $("d-addresses").value = d.addresses || "";
}

function deliveryFromForm() {
  const text = (id) => $(id).value.trim() || null;
  return {
    out_dir: text("d-out-dir"),
    mail_to: $("d-mail-to").value.split(/[\s,;]+/).filter(Boolean),
    mail_from: text("d-mail-from"),
    smtp_host: text("d-smtp-host"),
    smtp_port: $("d-smtp-port").value ? Number($("d-smtp-port").value) : null,
    smtp_security: $("d-smtp-security").value,
    smtp_user: text("d-smtp-user"),
    addresses: text("d-addresses"),
  };
}

export async function load() {
  const r = await call("settings");
  defaults = r.defaults;
  const dims = (app.overview && app.overview.dimensions) || {};
  const known = [...new Set([...(dims.team || []), ...(dims.category || [])])].sort();
  $("override-values").replaceChildren(...known.map((v) => new Option(v, v)));
  show(r.settings);
}

function overridesFromForm() {
  return [...document.querySelectorAll("#s-overrides tr.override")].map((tr) => {
    const f = (name) => tr.querySelector(`[data-field=${name}]`).value;
    return {
      scope: f("scope"),
      value: f("value").trim(),
      priority: f("priority"),
      kind: f("kind"),
      hours: Number(f("hours")),
      clock: f("clock") || null,
    };
  });
}

function fromForm() {
  const each = (prefix, read) => [0, 1, 2, 3].map((i) => read($(`${prefix}-${i}`).value));
  return {
    sla_hours: each("s-sla", Number),
    resolution_hours: each("s-res", Number),
    first_response_clock: each("s-fr-clock", String),
    resolution_clock: each("s-res-clock", String),
    sla_overrides: overridesFromForm(),
    business_days: [...document.querySelectorAll("#s-days input:checked")].map((b) => Number(b.value)),
    business_open: $("s-open").value,
    business_close: $("s-close").value,
    holidays: $("s-holidays").value.split(/[\s,]+/).filter(Boolean),
    silence_days: Number($("s-silence").value),
    hourly_cost: Number($("s-cost").value),
    currency: $("s-currency").value,
    number_locale: $("s-numbers").value,
    time_zone: $("s-tz").value.trim(),
    delivery: deliveryFromForm(),
  };
}

async function save(st) {
  const saved = await call("save_settings", { settings: st });
  show(saved);
  $("settings-done").textContent = "saved; every view now computes with these settings";
  // Weeks depend on the time zone; numbers on everything.
  await changed();
}

/** `onChanged` runs after the settings are saved. */
export function wire(onChanged) {
  changed = onChanged;
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
  for (const n of app.overview.number_styles) $("s-numbers").append(new Option(n.label, n.code));
  $("s-add-override").addEventListener("click", () => {
    $("s-overrides").append(overrideRow({ scope: "team", value: "", priority: "P1", kind: "first_response", hours: 1, clock: null }));
  });
  $("settings-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    clearError();
    $("settings-done").textContent = "";
    save(fromForm()).catch(showError);
  });
  $("settings-defaults").addEventListener("click", () => {
    clearError();
    if (defaults) save(defaults).catch(showError);
  });
}
