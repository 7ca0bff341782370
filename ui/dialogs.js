// The system's Open and Save dialogs (tauri-plugin-dialog). Each fills the
// path field beside it; the field stays, typed paths work as before.

const dialog = () => (window.__TAURI__ && window.__TAURI__.dialog) || null;

/** The file a user picks to open, or null. */
export async function chooseFile(title, extensions) {
  const d = dialog();
  if (!d) return null;
  return d.open({ title, multiple: false, directory: false, filters: [{ name: title, extensions }] });
}

/** Where a user saves a file (the dialog asks before replacing one), or null. */
export async function chooseSaveAs(title, defaultPath, extensions) {
  const d = dialog();
  if (!d) return null;
  return d.save({ title, defaultPath, filters: [{ name: title, extensions }] });
}

/** A "Choose…" button that fills `input` from a dialog. */
export function wireChooser(button, input, pick) {
  button.addEventListener("click", async () => {
    const path = await pick(input.value.trim());
    if (path) {
      input.value = path;
      // The dialog asked before replacing an existing file.
      input.dataset.confirmed = path;
      input.dispatchEvent(new Event("change"));
    }
  });
}
