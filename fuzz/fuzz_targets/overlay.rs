//! Mutated overlays applied to a fixed document (the `params` fixture), then the rest of the
//! pipeline. A bad overlay is an error naming its action; nothing may panic.
#![no_main]

use authlete_codegen::{build_ir_from, load, overlay, render};
use libfuzzer_sys::fuzz_target;

const DOCUMENT: &[u8] = include_bytes!("../../tests/fixtures/params/spec.yaml");

fuzz_target!(|data: &[u8]| {
    let Ok(value) = load::parse_text("fuzz-overlay.yaml", data) else {
        return;
    };
    let Ok(overlay) = overlay::parse_overlay("fuzz-overlay.yaml", value) else {
        return;
    };
    let document = load::from_bytes("spec.yaml", DOCUMENT).expect("the fixture parses");
    let Ok(built) = build_ir_from(document, &overlay, "fuzz-overlay.yaml", None) else {
        return;
    };
    if let Err(error) = render(&built.api) {
        panic!("the emitter failed on a document the IR accepted: {error}");
    }
});
