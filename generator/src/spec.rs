//! The pinned document on disk, for tools and tests that need it before `make spec` ran: found
//! by its sha256 in the mirrors `scripts/fetch-spec.sh` reads (`$AUTHLETE_SPEC_MIRROR`, then
//! `../shared/spec/`) and copied into place atomically. Downloading stays with the script
//! (`make spec`), which the error names.

use crate::error::{CodegenError, Result};
use std::path::{Path, PathBuf};

/// Where the pinned document lives in the repository.
pub const PINNED_PATH: &str = "spec/authlete-openapi.yaml";

/// The pinned document of the repository at `root`, copied from a mirror if it is not there yet
/// (or no longer has the pinned sha256).
pub fn materialize(root: &Path) -> Result<PathBuf> {
    let out = root.join(PINNED_PATH);
    let sha = crate::read_pinned_sha256(&root.join("spec/pin.toml"))?;
    if std::fs::read(&out).is_ok_and(|bytes| crate::load::sha256_hex(&bytes) == sha) {
        return Ok(out);
    }
    let mirrors = std::env::var_os("AUTHLETE_SPEC_MIRROR")
        .map(PathBuf::from)
        .into_iter()
        .chain([root.join("../shared/spec")]);
    for dir in mirrors {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for file in files {
            let Ok(bytes) = std::fs::read(&file) else {
                continue;
            };
            if crate::load::sha256_hex(&bytes) == sha {
                // Written beside the target and renamed: a concurrent reader never sees half.
                let tmp = out.with_extension(format!("yaml.{}", std::process::id()));
                std::fs::write(&tmp, &bytes)
                    .and_then(|()| std::fs::rename(&tmp, &out))
                    .map_err(|e| {
                        let _ = std::fs::remove_file(&tmp);
                        CodegenError::new(
                            out.display().to_string(),
                            format!("cannot write the pinned document: {e}"),
                        )
                    })?;
                return Ok(out);
            }
        }
    }
    Err(CodegenError::new(
        out.display().to_string(),
        format!("the pinned document (sha256 {sha}) is not here and no mirror holds it"),
    )
    .with_hint("run `make spec`, which also downloads the pinned URL"))
}
