// What the window knows between views: the overview the shell sent last
// (counts, pickers, the core's registries). Set by main.js only.

export const app = { overview: null };
