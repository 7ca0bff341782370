// What the window knows between views: the overview the shell sent last
// (counts, pickers, the core's registries). Set by main.js only.

export const app = { overview: null };

/** Whether the window shows the dark theme (chosen, or the system's). */
export function isDark() {
  const chosen = document.documentElement.dataset.theme;
  if (chosen) return chosen === "dark";
  return window.matchMedia("(prefers-color-scheme: dark)").matches;
}
