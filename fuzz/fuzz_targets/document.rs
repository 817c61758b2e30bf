//! Mutated documents through load → overlay (the project's) → parse → IR → emit → format.
//! Any input may be an error; none may panic, and the emitter must always produce valid Rust
//! (`render` fails only on an internal error, which is a bug).
#![no_main]

use authlete_codegen::{build_ir_from, load, overlay, render};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn project_overlay() -> &'static overlay::Overlay {
    static OVERLAY: OnceLock<overlay::Overlay> = OnceLock::new();
    OVERLAY.get_or_init(|| {
        let text = include_bytes!("../../spec/overlay.yaml");
        let value =
            load::parse_text("spec/overlay.yaml", text).expect("the project's overlay parses");
        overlay::parse_overlay("spec/overlay.yaml", value).expect("the project's overlay is valid")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(document) = load::from_bytes("fuzz.yaml", data) else {
        return;
    };
    let Ok(built) = build_ir_from(document, project_overlay(), "spec/overlay.yaml", None) else {
        return;
    };
    if let Err(error) = render(&built.api) {
        panic!("the emitter failed on a document the IR accepted: {error}");
    }
});
