//! The Tauri shell of secdesk: the window, its state and its commands. Each
//! command takes the state and the window's arguments, calls secdesk-core and
//! maps its error to `{ code, message, hint }`. No SQL, no polars and no
//! metric logic here. ARCHITECTURE.md maps the modules.

mod clipboard;
mod commands;
mod desktop;
mod error;
mod startup;
mod state;

use std::sync::Mutex;

use commands::{charts, data, files, mystats, review, settings, tables};

/// Starts the app.
pub fn run() {
    startup::STARTED.get_or_init(std::time::Instant::now);
    let desk = match startup::open_desk() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("secdesk: {}: {}", e.code, e.message);
            std::process::exit(1);
        }
    };
    let result = tauri::Builder::default()
        // First: a second start hands over to the window already open.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            log::info!("a second start focused the open window");
            desktop::focus_main(app);
        }))
        .plugin(desktop::log_plugin())
        .plugin(desktop::window_state_plugin())
        .on_window_event(desktop::on_window_event)
        // Native Open and Save dialogs (the typed path stays beside them).
        .plugin(tauri_plugin_dialog::init())
        // Open and Show in folder, for the files the exports just wrote.
        .plugin(tauri_plugin_opener::init())
        .manage(Mutex::new(desk))
        .manage(state::ImportControl::default())
        .invoke_handler(tauri::generate_handler![
            review::overview,
            review::metrics,
            review::headlines,
            review::scorecard,
            review::action_lists,
            review::backlog_age,
            review::deliver_now,
            review::deliveries,
            review::export_report,
            files::open_written,
            files::show_written,
            tables::export_table,
            charts::render_chart,
            charts::chart_view,
            charts::chart_tickets,
            charts::export_chart,
            charts::copy_chart,
            data::preview_file,
            data::import_file,
            data::cancel_import,
            data::save_rejects,
            data::forget_import,
            settings::settings,
            settings::save_settings,
            mystats::personal,
            mystats::export_personal,
            startup::dashboard_drawn
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("secdesk: the window could not start: {e}");
        std::process::exit(1);
    }
}
