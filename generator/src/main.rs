//! The command line: `generate`, `check`, `dump-ir`. All logic is in the library.

use authlete_codegen::{build_ir, check, diff, generate, read_pinned_sha256, Inputs};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "authlete-codegen",
    version,
    about = "Generates the authlete Rust SDK from the Authlete OpenAPI document"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the crate into --out (atomically: an error leaves it untouched).
    Generate(Common),
    /// Regenerate in memory and compare with --out; exit 1 with a diff on any difference.
    Check(Common),
    /// Print the intermediate representation as JSON.
    DumpIr(Common),
    /// Compare the SDK surface generated from two documents (same overlay): a changelog entry.
    Diff(DiffArgs),
    /// Write the overlaid document for the conformance test's mock server (JSON) to --out.
    MockDocument(Common),
}

#[derive(Args)]
struct DiffArgs {
    /// The document before.
    #[arg(long)]
    old: PathBuf,
    /// The document after.
    #[arg(long)]
    new: PathBuf,
    #[arg(long, default_value = "spec/overlay.yaml")]
    overlay: PathBuf,
    #[arg(long, default_value = "spec/pin.toml")]
    pin: PathBuf,
    /// `markdown` (a CHANGELOG entry) or `json`.
    #[arg(long, default_value = "markdown")]
    format: String,
}

#[derive(Args)]
struct Common {
    /// The OpenAPI document (YAML or JSON).
    #[arg(long, default_value = "spec/authlete-openapi.yaml")]
    spec: PathBuf,
    /// The OpenAPI Overlay applied to it.
    #[arg(long, default_value = "spec/overlay.yaml")]
    overlay: PathBuf,
    /// The crate directory.
    #[arg(long, default_value = "generated")]
    out: PathBuf,
    /// The pin of the upstream document; on that document, an overlay action that matches
    /// nothing is an error.
    #[arg(long, default_value = "spec/pin.toml")]
    pin: PathBuf,
    /// Files of this document's crate (README.md, CHANGELOG.md, examples/), copied into it
    /// (skipped when the folder does not exist).
    #[arg(long, default_value = "spec/crate")]
    crate_files: PathBuf,
}

impl Common {
    fn inputs(&self) -> Inputs {
        // No pin file (a document outside this repository): every document is "other".
        let pinned_sha256 = if self.pin.exists() {
            read_pinned_sha256(&self.pin).ok()
        } else {
            None
        };
        let crate_files = self.crate_files.exists().then(|| self.crate_files.clone());
        Inputs {
            spec: self.spec.clone(),
            overlay: self.overlay.clone(),
            pinned_sha256,
            crate_files,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Generate(args) => generate(&args.inputs(), &args.out).map(|built| {
            print_warnings(&built.warnings);
            eprintln!(
                "generated {} types and {} operations into {}",
                built.api.types.len(),
                built
                    .api
                    .groups
                    .values()
                    .map(|g| g.operations.len())
                    .sum::<usize>(),
                args.out.display()
            );
            ExitCode::SUCCESS
        }),
        Command::Check(args) => check(&args.inputs(), &args.out).map(|(built, drift)| {
            print_warnings(&built.warnings);
            if drift.is_clean() {
                eprintln!("{} is up to date", args.out.display());
                ExitCode::SUCCESS
            } else {
                emit_stdout(&format!("{}\n", drift.diff));
                eprintln!(
                    "drift in {}: {} changed, {} missing, {} stale file(s); run `make generate`",
                    args.out.display(),
                    drift.changed.len(),
                    drift.missing.len(),
                    drift.stale.len()
                );
                ExitCode::from(1)
            }
        }),
        Command::DumpIr(args) => build_ir(&args.inputs()).and_then(|built| {
            let json = serde_json::to_string_pretty(&built.api).map_err(|e| {
                authlete_codegen::CodegenError::new("#", format!("cannot serialize the IR: {e}"))
            })?;
            emit_stdout(&format!("{json}\n"));
            Ok(ExitCode::SUCCESS)
        }),
        Command::MockDocument(args) => {
            authlete_codegen::mock_document(&args.inputs()).and_then(|document| {
                let text = serde_json::to_string_pretty(&document).unwrap_or_default();
                std::fs::write(&args.out, text).map_err(|e| {
                    authlete_codegen::CodegenError::new(
                        args.out.display().to_string(),
                        format!("cannot write: {e}"),
                    )
                })?;
                eprintln!("wrote {}", args.out.display());
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::Diff(args) => {
            let pinned_sha256 = if args.pin.exists() {
                read_pinned_sha256(&args.pin).ok()
            } else {
                None
            };
            let inputs = |spec: &PathBuf| Inputs {
                spec: spec.clone(),
                overlay: args.overlay.clone(),
                pinned_sha256: pinned_sha256.clone(),
                crate_files: None,
            };
            match args.format.as_str() {
                "markdown" | "json" => {
                    diff(&inputs(&args.old), &inputs(&args.new)).map(|changelog| {
                        if args.format == "json" {
                            emit_stdout(&format!("{}\n", changelog.to_json()));
                        } else {
                            emit_stdout(&changelog.to_markdown());
                        }
                        ExitCode::SUCCESS
                    })
                }
                other => Err(authlete_codegen::CodegenError::new(
                    "--format",
                    format!("unknown format `{other}`"),
                )
                .with_hint("use markdown or json")),
            }
        }
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            // The others of the run follow the first, each on its own `error:` line.
            eprintln!("error: {error}");
            if error.count() > 1 {
                eprintln!("{} errors", error.count());
            }
            ExitCode::from(2)
        }
    }
}

/// Writes to standard output. A reader that went away (`dump-ir | head`) is a normal end, not a
/// panic as `println!` would make it: the process exits quietly with what it has written.
fn emit_stdout(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(error) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {error}");
        std::process::exit(2);
    }
}

fn print_warnings(warnings: &[String]) {
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
}
