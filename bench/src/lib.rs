//! What `make bench` measures with: the progenitor peer, payloads with every field set, the
//! loopback server, and the statistics of repeated runs.

pub mod floor;
pub mod payload;
pub mod progenitor_peer;
pub mod scale;
pub mod server;
pub mod stats;

use std::path::PathBuf;

/// The repository root.
pub fn repo() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("bench/ has a parent")
        .to_path_buf()
}
