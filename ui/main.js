// secdesk's window: asks the core (through api.js) for numbers and charts and
// shows them. No metric is computed and no number formatted outside
// format.js; the headlines, units, charts and colours come from the core.

import { call } from "./api.js";
import { $, clearError, fillSelect, showError } from "./dom.js";
import { setNumbers, setUnits } from "./format.js";
import { app } from "./state.js";
import * as charts from "./views/charts.js";
import * as data from "./views/data.js";
import * as mystats from "./views/mystats.js";
import * as review from "./views/review.js";
import * as settings from "./views/settings.js";

const VIEWS = { review, charts, mystats, data, settings };

// The core's colours, as the CSS custom properties the stylesheet uses.
function applyPalette(palette) {
  for (const [name, value] of Object.entries(palette)) document.documentElement.style.setProperty(name, value);
}

// The pickers that depend on the data: weeks, filter values, assignees.
function fillPickers() {
  const o = app.overview;
  const weekSel = $("week");
  const had = weekSel.value;
  fillSelect(weekSel, o.weeks, false);
  // Default: the last complete week (the one before the week of as_of).
  if (!had || !o.weeks.includes(had)) {
    weekSel.value = o.weeks.length > 1 ? o.weeks[o.weeks.length - 2] : o.weeks[0] || "";
  }
  for (const s of document.querySelectorAll("[data-dim]")) fillSelect(s, o.dimensions[s.dataset.dim] || [], true);
  const people = o.dimensions.assignee || [];
  fillSelect($("me"), people, false);
  if (!$("me").dataset.chosen && o.me && people.includes(o.me)) $("me").value = o.me;
}

// After an import, a forget or new settings: new counts, pickers and history.
async function dataChanged() {
  await data.load();
  setNumbers(app.overview.numbers);
  $("banner").hidden = !app.overview.sample_data;
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

function wireNavigation() {
  for (const b of document.querySelectorAll("nav button")) {
    b.addEventListener("click", () => {
      clearError();
      for (const x of document.querySelectorAll("nav button")) x.classList.toggle("active", x === b);
      for (const v of Object.keys(VIEWS)) $(v).hidden = v !== b.dataset.view;
      VIEWS[b.dataset.view].load().catch(showError);
    });
  }
  // Ctrl+1 … Ctrl+5 (or Alt+1 … Alt+5) open the views in the order of the
  // header; Ctrl+O imports a file; Ctrl+E exports what the view shows.
  document.addEventListener("keydown", (ev) => {
    const ctrl = (ev.ctrlKey || ev.metaKey) && !ev.altKey;
    const alt = ev.altKey && !ev.ctrlKey && !ev.metaKey;
    if (!ctrl && !alt) return;
    const buttons = document.querySelectorAll("nav button");
    if (/^[1-9]$/.test(ev.key) && Number(ev.key) <= buttons.length) {
      ev.preventDefault();
      const b = buttons[Number(ev.key) - 1];
      b.click();
      b.focus();
    } else if (ctrl && ev.key.toLowerCase() === "o") {
      ev.preventDefault();
      showView("data");
      $("import-choose").click();
    } else if (ctrl && ev.key.toLowerCase() === "e") {
      ev.preventDefault();
      exportShown();
    }
  });
}

function showView(name) {
  const b = document.querySelector(`nav button[data-view=${name}]`);
  if (!b.classList.contains("active")) b.click();
}

// Ctrl+E: the export of the view shown, to the path typed, or through the
// Save dialog when none is.
const EXPORTS = {
  review: ["report-form", "report-path", "report-choose"],
  charts: ["chart-export", "export-path", "export-choose"],
  mystats: ["me-export", "me-path", "me-choose"],
  data: ["rejects-form", "rejects-path", "rejects-choose"],
};
function exportShown() {
  const shown = document.querySelector("nav button.active");
  const e = shown && EXPORTS[shown.dataset.view];
  if (!e || !$(e[0]).offsetParent) return;
  if ($(e[1]).value.trim()) $(e[0]).requestSubmit();
  else $(e[2]).click();
}

async function init() {
  const saved = localStorage.getItem("secdesk.theme");
  applyTheme(THEMES.includes(saved) ? saved : "system");
  $("theme").addEventListener("click", () => {
    const now = localStorage.getItem("secdesk.theme") || "system";
    applyTheme(THEMES[(THEMES.indexOf(now) + 1) % THEMES.length]);
    // Charts are drawn for the theme: the view shown draws them again.
    const shown = document.querySelector("nav button.active") || document.querySelector("nav button");
    VIEWS[shown.dataset.view].load().catch(showError);
  });
  app.overview = await call("overview");
  setUnits(app.overview.units);
  setNumbers(app.overview.numbers);
  applyPalette(app.overview.palette);
  if (app.overview.sample_data) {
    const b = $("banner");
    b.textContent = "You are looking at generated sample data. Import your own ticket and survey exports in Data (or with `secdesk import tickets FILE`).";
    b.hidden = false;
  }
  fillPickers();
  review.wire();
  charts.wire();
  mystats.wire();
  data.wire(dataChanged);
  settings.wire(dataChanged);
  wireNavigation();
  await review.loadCards();
  // Once the cards and the chart are painted.
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  await new Promise((r) => {
    const img = $("review-chart");
    if (img.complete) r();
    else img.addEventListener("load", r, { once: true });
  });
  call("dashboard_drawn").catch(() => {});
  await review.loadDetails();
}

init().catch(showError);
