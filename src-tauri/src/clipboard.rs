//! The system clipboard, for images.

use crate::error::ShellError;

/// Hands PNG bytes to the clipboard (on the window's thread, as GTK wants).
#[cfg(target_os = "linux")]
pub fn put_png(app: &tauri::AppHandle, png: Vec<u8>) -> Result<(), ShellError> {
    use gtk::gdk_pixbuf::PixbufLoader;
    use gtk::prelude::*;
    let (done, result) = std::sync::mpsc::channel();
    app.run_on_main_thread(move || {
        let put = || -> Result<(), String> {
            let loader = PixbufLoader::new();
            loader.write(&png).map_err(|e| e.to_string())?;
            loader.close().map_err(|e| e.to_string())?;
            let image = loader.pixbuf().ok_or("the chart could not be decoded")?;
            let board = gtk::Clipboard::get(&gtk::gdk::SELECTION_CLIPBOARD);
            board.set_image(&image);
            board.store();
            Ok(())
        };
        let _ = done.send(put());
    })
    .map_err(|e| ShellError::new("copy", e))?;
    result
        .recv()
        .map_err(|e| ShellError::new("copy", e))?
        .map_err(|e| ShellError::new("copy", e))
}

#[cfg(not(target_os = "linux"))]
pub fn put_png(_app: &tauri::AppHandle, _png: Vec<u8>) -> Result<(), ShellError> {
    Err(ShellError::new(
        "copy",
        "copying images is not available on this system yet; use Export PNG",
    ))
}
