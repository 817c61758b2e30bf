//! progenitor 0.15 as a command, so that `make bench` times it as a whole process beside
//! `authlete-codegen generate` (process start included on both sides):
//! `progenitor-gen <document> <out dir> <positional|builder>`.

use authlete_bench::progenitor_peer::{run_with, Style};
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [spec, out, style] = args.as_slice() else {
        eprintln!("usage: progenitor-gen <document> <out dir> <positional|builder>");
        return ExitCode::from(2);
    };
    let Some(style) = Style::parse(style) else {
        eprintln!("unknown style `{style}`: positional or builder");
        return ExitCode::from(2);
    };
    match run_with(Path::new(spec), Path::new(out), style) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
