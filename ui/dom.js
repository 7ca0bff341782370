// Small DOM helpers. Every data string is set as text, never as markup.

export const $ = (id) => document.getElementById(id);

export function el(tag, text, cls) {
  const n = document.createElement(tag);
  if (text !== undefined) n.textContent = text;
  if (cls) n.className = cls;
  return n;
}

export function showError(e) {
  const box = $("error");
  if (e && e.message) {
    box.textContent = `${e.code}: ${e.message}${e.hint ? ` ${e.hint}` : ""}`;
  } else {
    box.textContent = String(e);
  }
  box.hidden = false;
}

export function clearError() {
  $("error").hidden = true;
  $("error").textContent = "";
}

/** Fills a select with values, keeping the current choice when it still exists. */
export function fillSelect(select, values, keepFirst) {
  const current = select.value;
  const first = keepFirst ? select.options[0] : null;
  select.replaceChildren(...(first ? [first] : []), ...values.map((v) => new Option(v, v)));
  if ([...select.options].some((o) => o.value === current)) select.value = current;
}
