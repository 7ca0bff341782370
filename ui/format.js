// How numbers are written: by the core's table of units (`overview.units`),
// the same rules as the CLI and the report. Nothing else formats a number.

let units = new Map();
// The user's number style (Settings): thousands separator and decimal mark.
let style = { group: ",", decimal: "." };

/** Takes the core's unit formats (`UNIT_FORMATS`). */
export function setUnits(list) {
  units = new Map(list.map((u) => [u.unit, u]));
}

/** Takes the number style of the settings (`overview.numbers`). */
export function setNumbers(numbers) {
  if (numbers) style = numbers;
}

// An English-written number (`1,234.5`) in the user's style.
const localize = (en) => en.replace(/[,.]/g, (c) => (c === "," ? style.group : style.decimal));

// `v` with `decimals` decimals and thousands grouped; negative numbers take
// a minus sign (−), never `−0`.
function thousands(v, decimals) {
  const [int, frac] = Math.abs(v).toFixed(decimals).split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const out = localize(frac === undefined ? grouped : `${grouped}.${frac}`);
  return v < 0 && /[1-9]/.test(out) ? `−${out}` : out;
}

/** The number of a value in its unit, without unit or currency. */
export function formatNumber(v, unit) {
  const f = units.get(unit) || units.get("count");
  const shown = v * f.scale;
  const decimals = f.small_decimals !== null && shown < 10 ? f.small_decimals : f.decimals;
  if (f.signed) return `${shown >= 0 ? "+" : "-"}${localize(Math.abs(shown).toFixed(decimals))}`;
  if (f.grouped) return thousands(shown, decimals);
  return localize(shown.toFixed(decimals));
}

/** A value as people read it (`12.5 %`, `95 min`, `$ 12,345`); `—` for none. */
export function formatValue(v, unit, currency = "") {
  if (v === null || v === undefined) return "—";
  const f = units.get(unit) || units.get("count");
  const number = `${formatNumber(v, unit)}${f.suffix}`;
  return f.currency ? `${currency} ${number}`.trim() : number;
}
