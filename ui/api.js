// The only code that talks to the Tauri API: commands and events.

/** Calls one of the shell's commands; rejects with `{ code, message, hint }`. */
export const call = (command, args) => window.__TAURI__.core.invoke(command, args);

/** Listens to an event of the shell (`import-progress`, `tauri://drag-drop`). */
export const listen = (event, handler) => window.__TAURI__.event.listen(event, handler);
