// The secdesk desktop app. Everything happens in the library; see lib.rs.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    secdesk_app::run();
}
