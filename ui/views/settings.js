// Settings: SLA targets, business calendar, silence threshold, cost, time zone.

import { call } from "../api.js";
import { $, el, clearError, showError } from "../dom.js";

const DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const ZONES = ["UTC", "Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Zurich", "America/New_York",
  "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Sao_Paulo", "Asia/Kolkata", "Asia/Singapore",
  "Asia/Tokyo", "Australia/Sydney", "Africa/Johannesburg"];
let defaults = null;
let changed = async () => {};

function show(st) {
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

export async function load() {
  const r = await call("settings");
  defaults = r.defaults;
  show(r.settings);
}

function fromForm() {
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
