// After an export: "Open" and "Show in folder" beside its message, for the
// file it just wrote (the shell opens nothing else); and the question asked
// before a typed path replaces an existing file.

import { call } from "./api.js";
import { el, showError } from "./dom.js";

/** Puts the two buttons after `status` (an export's message) for `path`. */
export function offerWritten(status, path) {
  const old = status.parentElement.querySelector(`.written-actions[data-for="${status.id}"]`);
  if (old) old.remove();
  const box = el("span", undefined, "written-actions");
  box.dataset.for = status.id;
  for (const [label, command, name] of [["Open", "open_written", "open"], ["Show in folder", "show_written", "show"]]) {
    const b = el("button", label);
    b.type = "button";
    b.dataset.testid = `${status.id}-${name}`;
    b.addEventListener("click", () => call(command, { path }).catch(showError));
    box.append(b);
  }
  status.after(box);
}

/**
 * Runs `write(replace)` for the path typed in `input`. A path the Save
 * dialog gave was already confirmed there; any other that names an existing
 * file is not replaced until the user says so in `status` (Replace / Keep
 * it). Resolves with the export's answer, or null when the user kept the file.
 */
export async function writeAsked(status, input, write) {
  const confirmed = input.dataset.confirmed === input.value.trim();
  try {
    return await write(confirmed);
  } catch (e) {
    if (!e || e.code !== "exists") throw e;
    return new Promise((resolve, reject) => {
      status.textContent = `${e.message}: replace it?`;
      const box = el("span", undefined, "written-actions");
      const yes = el("button", "Replace");
      const no = el("button", "Keep it");
      yes.type = no.type = "button";
      yes.dataset.testid = `${status.id}-replace`;
      no.dataset.testid = `${status.id}-keep`;
      yes.addEventListener("click", () => { box.remove(); write(true).then(resolve, reject); });
      no.addEventListener("click", () => { box.remove(); status.textContent = "not written: the file is kept"; resolve(null); });
      box.append(yes, no);
      status.after(box);
      yes.focus();
    });
  }
}
