//! The floor of formatting the crate with prettyplease: the emitted Rust of `generated/`
//! (what prettyplease printed, doc comments included) parsed by syn from text and printed
//! again, on one thread, with the generator's allocator. Printing the trees is work any
//! generator that formats with prettyplease does for these lines; building the trees is the
//! part a generator can make cheaper (ours emits tokens and parses them, with templates for the
//! most repeated items).
//!
//!     cargo run --release --example format_floor [rounds]
//!     valgrind --tool=callgrind target/release/examples/format_floor 1
//!
//! prints, per round, the milliseconds of the parse and of the printing, and the lines.

use std::path::Path;
use std::time::Instant;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/src/emitted");
    let sources: Vec<String> = authlete_codegen::write::read_tree(&root)
        .expect("generated/src/emitted is readable")
        .into_values()
        .collect();
    let lines: usize = sources.iter().map(|s| s.lines().count()).sum();
    for _ in 0..rounds {
        let started = Instant::now();
        let files: Vec<syn::File> = sources
            .iter()
            .map(|source| syn::parse_file(source).expect("the emitted files parse"))
            .collect();
        let parse = started.elapsed();
        let started = Instant::now();
        let printed: usize = files
            .iter()
            .map(|file| prettyplease::unparse(file).len())
            .sum();
        let print = started.elapsed();
        println!(
            "parse {:.1} ms, print {:.1} ms ({} files, {lines} lines, {printed} bytes printed)",
            parse.as_secs_f64() * 1e3,
            print.as_secs_f64() * 1e3,
            files.len()
        );
    }
}
