// Tauri's build step: the context of tauri.conf.json, and the window's
// capabilities from src-tauri/capabilities/ (the package's manifest is at the
// top of the repository, so the default `./capabilities` would be there).
fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes =
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*");
    if let Err(e) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build failed: {e:#}");
        std::process::exit(1);
    }
}
