//! What a desktop app is expected to do besides its views: one instance, the
//! window's size and place kept between starts, a log file in the platform's
//! log directory (imports, exports and errors; no cell of any export).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tauri::{Manager, Runtime, Window, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// What is remembered of the window: where it was and how large.
const KEPT: StateFlags = StateFlags::SIZE
    .union(StateFlags::POSITION)
    .union(StateFlags::MAXIMIZED);

/// Brings the main window to the front (a second start of the app).
pub fn focus_main<R: Runtime>(app: &tauri::AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// The log: `secdesk.log` in the platform's log directory (Linux:
/// `~/.local/share/org.secdesk.desktop/logs`), rotated at 1 MB.
pub fn log_plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    use tauri_plugin_log::{RotationStrategy, Target, TargetKind};
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .target(Target::new(TargetKind::LogDir {
            file_name: Some("secdesk".into()),
        }))
        .level(log::LevelFilter::Warn)
        .level_for("secdesk_app", log::LevelFilter::Info)
        .max_file_size(1_000_000)
        .rotation_strategy(RotationStrategy::KeepOne)
        .build()
}

/// Restores the window's size and place at start (not its visibility: the
/// window always opens).
pub fn window_state_plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_window_state::Builder::new()
        .with_state_flags(KEPT)
        .build()
}

/// Saves the window's size and place a second after they change (a drag
/// sends dozens of events a second: one save follows the last of them; the
/// plugin also saves at exit), so that a window closed any way (killed,
/// logged out) opens where it was.
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    static PENDING: AtomicBool = AtomicBool::new(false);
    if !matches!(event, WindowEvent::Resized(_) | WindowEvent::Moved(_)) {
        return;
    }
    if PENDING.swap(true, Ordering::AcqRel) {
        return; // a save is already due, and will see this change
    }
    let app = window.app_handle().clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(1));
        PENDING.store(false, Ordering::Release);
        // Saved on the window's thread, as the plugin's own handlers run.
        let on_main = app.clone();
        if let Err(e) = app.run_on_main_thread(move || save_window(&on_main)) {
            log::warn!("the window's size and place were not saved: {e}");
        }
    });
}

/// Saves the window's size and place now (also once the first dashboard is
/// drawn: a window nobody moves is remembered too).
pub fn save_window<R: Runtime>(app: &tauri::AppHandle<R>) {
    if let Err(e) = app.save_window_state(KEPT) {
        log::warn!("the window's size and place were not saved: {e}");
    }
}
