//! The command line: `generate`, `check`, `dump-ir`, `diff`, `mock-document`. All logic is in
//! the library; this file only reads arguments and prints.

use authlete_codegen::{
    build_ir, check, diff_from_version, generate, read_pinned_sha256, CodegenError, Inputs, Result,
};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  `check` found generated/ out of date (the diff is on standard output)
  2  an error: invalid input (each error names its JSON pointer and a `help:`), I/O, or bad arguments

Paths left at their defaults are relative to the repository root (the nearest directory above
the current one that holds spec/pin.toml), so the commands work from any folder of the project.";

#[derive(Parser)]
#[command(
    name = "authlete-codegen",
    version,
    about = "Generates the authlete Rust SDK from the Authlete OpenAPI document",
    after_help = EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the crate into --out (atomically: an error leaves it untouched).
    #[command(after_help = EXIT_CODES)]
    Generate(CrateArgs),
    /// Regenerate in memory and compare with --out; exit 1 with a diff on any difference.
    #[command(after_help = EXIT_CODES)]
    Check(CrateArgs),
    /// Print the intermediate representation as JSON.
    #[command(after_help = EXIT_CODES)]
    DumpIr(DocumentArgs),
    /// Compare the SDK surface generated from two documents (same overlay): a changelog entry.
    #[command(after_help = EXIT_CODES)]
    Diff(DiffArgs),
    /// Write the overlaid document for the conformance test's mock server (JSON) to --out.
    #[command(after_help = EXIT_CODES)]
    MockDocument(MockArgs),
    /// Print overlay actions (YAML, ready to paste into spec/overlay.yaml) naming every
    /// operation that has only fallback names, as it is named now; nothing when all are named.
    #[command(after_help = EXIT_CODES)]
    SuggestNames(DocumentArgs),
}

/// The document and what shapes it: every subcommand that reads one document takes these.
#[derive(Args)]
struct DocumentArgs {
    /// The OpenAPI document (YAML or JSON) [default: spec/authlete-openapi.yaml]
    #[arg(long)]
    spec: Option<PathBuf>,
    /// The OpenAPI Overlay applied to it [default: spec/overlay.yaml]
    #[arg(long)]
    overlay: Option<PathBuf>,
    /// The pin of the upstream document: on that document, an overlay action that matches
    /// nothing is an error (elsewhere a warning). A missing pin file means no document is the
    /// pinned one [default: spec/pin.toml]
    #[arg(long)]
    pin: Option<PathBuf>,
}

#[derive(Args)]
struct CrateArgs {
    #[command(flatten)]
    document: DocumentArgs,
    /// The crate directory [default: generated]
    #[arg(long)]
    out: Option<PathBuf>,
    /// Files of this document's crate (README.md, CHANGELOG.md, examples/), copied into it
    /// (skipped when the folder does not exist) [default: spec/crate]
    #[arg(long)]
    crate_files: Option<PathBuf>,
}

#[derive(Args)]
struct MockArgs {
    #[command(flatten)]
    document: DocumentArgs,
    /// Where to write the document (JSON).
    #[arg(long)]
    out: PathBuf,
}

#[derive(Args)]
struct DiffArgs {
    /// The document before.
    #[arg(long)]
    old: PathBuf,
    /// The document after.
    #[arg(long)]
    new: PathBuf,
    /// The OpenAPI Overlay applied to the new document (and to the old one, unless
    /// --old-overlay is given) [default: spec/overlay.yaml]
    #[arg(long)]
    overlay: Option<PathBuf>,
    /// The overlay the old document was generated with (the committed one, when the overlay
    /// changed too: its renames and groupings are changes users see) [default: --overlay]
    #[arg(long)]
    old_overlay: Option<PathBuf>,
    /// The pin of the upstream document: on the pinned one, an overlay action that matches
    /// nothing is an error [default: spec/pin.toml]
    #[arg(long)]
    pin: Option<PathBuf>,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    format: Format,
    /// The crate template whose `version` the suggested bump starts from (read when the
    /// command runs, so a binary built before the last bump still counts from it); the version
    /// compiled into this binary when the file does not exist
    /// [default: generator/template/Cargo.toml]
    #[arg(long)]
    template: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A CHANGELOG entry.
    Markdown,
    /// The same changes as JSON.
    Json,
}

/// The repository root: the nearest directory at or above the current one with spec/pin.toml;
/// the current directory when there is none (a document outside this repository).
fn repository_root() -> PathBuf {
    let current = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    current
        .ancestors()
        .find(|dir| dir.join("spec/pin.toml").is_file())
        .map(Path::to_path_buf)
        .unwrap_or(current)
}

/// `given`, or `default` below the repository root.
fn or_default(given: &Option<PathBuf>, default: &str) -> PathBuf {
    given
        .clone()
        .unwrap_or_else(|| repository_root().join(default))
}

/// sha256 of the pinned document; `None` when the pin file does not exist. A pin file that
/// exists but cannot be read is an error, not "no pin".
fn pinned_sha256(pin: &Path) -> Result<Option<String>> {
    if pin.exists() {
        read_pinned_sha256(pin).map(Some)
    } else {
        Ok(None)
    }
}

/// The crate version the changelog counts from: the template on disk, else the compiled one.
fn current_version(template: &Option<PathBuf>) -> String {
    std::fs::read_to_string(or_default(template, "generator/template/Cargo.toml"))
        .ok()
        .and_then(|text| authlete_codegen::manifest_version(&text))
        .unwrap_or_else(authlete_codegen::crate_version)
}

impl DocumentArgs {
    fn inputs(&self, crate_files: Option<PathBuf>) -> Result<Inputs> {
        Ok(Inputs {
            spec: or_default(&self.spec, "spec/authlete-openapi.yaml"),
            overlay: or_default(&self.overlay, "spec/overlay.yaml"),
            pinned_sha256: pinned_sha256(&or_default(&self.pin, "spec/pin.toml"))?,
            crate_files,
        })
    }
}

impl CrateArgs {
    fn inputs(&self) -> Result<Inputs> {
        let crate_files = or_default(&self.crate_files, "spec/crate");
        self.document
            .inputs(crate_files.exists().then_some(crate_files))
    }

    fn out(&self) -> PathBuf {
        or_default(&self.out, "generated")
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli.command) {
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

fn run(command: &Command) -> Result<ExitCode> {
    match command {
        Command::Generate(args) => {
            let out = args.out();
            let built = generate(&args.inputs()?, &out)?;
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
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check(args) => {
            let out = args.out();
            let (built, drift) = check(&args.inputs()?, &out)?;
            print_warnings(&built.warnings);
            if drift.is_clean() {
                eprintln!("{} is up to date", out.display());
                return Ok(ExitCode::SUCCESS);
            }
            emit_stdout(&format!("{}\n", drift.diff));
            eprintln!(
                "drift in {}: {} changed, {} missing, {} stale file(s); run `make generate`",
                out.display(),
                drift.changed.len(),
                drift.missing.len(),
                drift.stale.len()
            );
            Ok(ExitCode::from(1))
        }
        Command::DumpIr(args) => {
            let built = build_ir(&args.inputs(None)?)?;
            let json = serde_json::to_string_pretty(&built.api)
                .map_err(|e| CodegenError::new("#", format!("cannot serialize the IR: {e}")))?;
            emit_stdout(&format!("{json}\n"));
            Ok(ExitCode::SUCCESS)
        }
        Command::MockDocument(args) => {
            let document = authlete_codegen::mock_document(&args.document.inputs(None)?)?;
            let text = serde_json::to_string_pretty(&document).map_err(|e| {
                CodegenError::new("#", format!("cannot serialize the document: {e}"))
            })?;
            std::fs::write(&args.out, text).map_err(|e| {
                CodegenError::new(args.out.display().to_string(), format!("cannot write: {e}"))
            })?;
            eprintln!("wrote {}", args.out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::SuggestNames(args) => {
            let built = build_ir(&args.inputs(None)?)?;
            emit_stdout(&authlete_codegen::report::naming_suggestions(&built.api));
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff(args) => {
            let pinned_sha256 = pinned_sha256(&or_default(&args.pin, "spec/pin.toml"))?;
            let overlay = or_default(&args.overlay, "spec/overlay.yaml");
            let old_overlay = args.old_overlay.clone().unwrap_or_else(|| overlay.clone());
            let inputs = |spec: &PathBuf, overlay: &PathBuf| Inputs {
                spec: spec.clone(),
                overlay: overlay.clone(),
                pinned_sha256: pinned_sha256.clone(),
                crate_files: None,
            };
            let changelog = diff_from_version(
                &inputs(&args.old, &old_overlay),
                &inputs(&args.new, &overlay),
                &current_version(&args.template),
            )?;
            match args.format {
                Format::Json => emit_stdout(&format!("{}\n", changelog.to_json())),
                Format::Markdown => emit_stdout(&changelog.to_markdown()),
            }
            Ok(ExitCode::SUCCESS)
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

// Emitting and formatting make and drop millions of small allocations (tokens, syn nodes,
// strings): with the system allocator, malloc and free were 30% of a run's instructions.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
