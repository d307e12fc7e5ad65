//! Compiles `tauri.conf.json` (at the repository root) into the app.
fn main() {
    tauri_build::build();
}
