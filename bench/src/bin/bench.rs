//! `make bench`: measures, in one run on this machine, generation speed (ours per stage, and the
//! two peers on the same document), the compile cost of each generated crate, and the SDK's
//! runtime overhead (criterion, loopback server), then writes BENCHMARKS.md at the repository
//! root. Every figure is a spread of repeated runs, with the command that produced it.

use authlete_bench::stats::{duration, time_runs, Spread};
use authlete_bench::{payload, progenitor_peer, repo, scale};
use authlete_codegen::{emit, ir, load, overlay, parse, write};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// Runs of each generation measurement (the issue asks for at least 10).
fn runs() -> usize {
    std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15)
        .max(3)
}

/// Runs of each compile measurement.
fn compile_runs() -> usize {
    std::env::var("BENCH_COMPILE_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let root = repo();
    let spec = root.join("spec/authlete-openapi.yaml");
    if !spec.exists() {
        return Err(format!("{} is missing: run `make spec`", spec.display()));
    }
    let work = root.join("bench/target/bench-work");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;

    let mut md = String::new();
    writeln!(md, "# Benchmarks\n").unwrap();
    writeln!(
        md,
        "Written by `make bench` (`bench/src/bin/bench.rs`) on {}; every figure is the median of repeated runs \
         with the minimum and maximum beside it, `median (min–max)`. Re-run `make bench` to refresh; numbers from \
         another machine are not comparable with these.\n",
        today()
    )
    .unwrap();
    md.push_str(&machine_facts());

    // BENCH_ONLY=instructions: the callgrind section alone, printed.
    if std::env::var("BENCH_ONLY").as_deref() == Ok("instructions") {
        print!("{}", instructions(&root, &work)?);
        return Ok(());
    }

    // BENCH_ONLY=scaling: the scaling section alone, printed.
    if std::env::var("BENCH_ONLY").as_deref() == Ok("scaling") {
        print!("{}", scaling(&root, &spec)?);
        return Ok(());
    }

    eprintln!("bench: generation");
    let generation = generation(&root, &spec, &work)?;
    md.push_str(&generation.markdown);

    // BENCH_ONLY=generation: the first section alone, printed, BENCHMARKS.md left as it is.
    if std::env::var("BENCH_ONLY").as_deref() == Ok("generation") {
        print!("{md}");
        return Ok(());
    }

    eprintln!("bench: compile cost");
    md.push_str(&compile_cost(&root, &work, &generation)?);

    eprintln!("bench: runtime (criterion, twice)");
    md.push_str(&runtime(&root, &work)?);

    eprintln!("bench: instructions per call (callgrind)");
    md.push_str(&instructions(&root, &work)?);

    eprintln!("bench: scaling (the document ×1, ×10, ×100)");
    md.push_str(&scaling(&root, &spec)?);

    // Before/after figures of past changes, measured once and kept (a run shows only "after").
    if let Ok(history) = std::fs::read_to_string(root.join("bench/history.md")) {
        md.push_str(&history);
    }
    std::fs::write(root.join("BENCHMARKS.md"), md).map_err(|e| e.to_string())?;
    eprintln!("bench: wrote BENCHMARKS.md");
    Ok(())
}

fn today() -> String {
    command_output("date", &["-u", "+%Y-%m-%d %H:%M UTC"])
        .unwrap_or_else(|| "(date unknown)".into())
}

fn command_output(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    let text = if output.stdout.is_empty() {
        output.stderr
    } else {
        output.stdout
    };
    Some(
        String::from_utf8_lossy(&text)
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string(),
    )
}

fn machine_facts() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .map(|l| l.trim().to_string());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let mut md = String::from("## Machine\n\n| | |\n|---|---|\n");
    let facts = [
        ("CPU", cpu.unwrap_or_else(|| "unknown".into())),
        ("cores available", cores.to_string()),
        ("memory", memory.unwrap_or_else(|| "unknown".into())),
        (
            "kernel",
            command_output("uname", &["-sr"]).unwrap_or_default(),
        ),
        (
            "rustc",
            command_output("rustc", &["-V"]).unwrap_or_default(),
        ),
        (
            "java",
            command_output("java", &["-version"]).unwrap_or_default(),
        ),
    ];
    for (name, value) in facts {
        writeln!(md, "| {name} | {value} |").unwrap();
    }
    md.push('\n');
    md
}

/// One run of a command to its end: (wall seconds, CPU seconds of the process and its children,
/// user plus system). The CPU time is the change of `getrusage(RUSAGE_CHILDREN)` across the
/// wait, which is this child's alone because the bench runs one command at a time.
fn run_process(command: &mut Command) -> Result<(f64, f64), String> {
    fn children_cpu() -> f64 {
        // SAFETY: getrusage only writes the struct it is given.
        let usage = unsafe {
            let mut usage: libc::rusage = std::mem::zeroed();
            libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
            usage
        };
        let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
        seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
    // Dirty pages of the previous command (a tree written, a JVM's output) are written back
    // first, outside the timing, so that their flushing falls on no command.
    // SAFETY: sync takes no arguments and cannot fail.
    unsafe { libc::sync() };
    let cpu_before = children_cpu();
    let started = Instant::now();
    let status = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    let wall = started.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!("{command:?} failed: {status}"));
    }
    Ok((wall, children_cpu() - cpu_before))
}

/// `authlete-codegen generate --out <out>`, run from the repository root.
fn generate(binary: &Path, out: &Path, root: &Path) -> Command {
    let mut command = Command::new(binary);
    command
        .args(["generate", "--out"])
        .arg(out)
        .current_dir(root);
    command
}

/// The whole-process commands of a round, in the order of the first round.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ProcessCommand {
    OursExisting,
    OursEmpty,
    OursCheck,
    ProgenitorPositional,
    ProgenitorBuilder,
}

impl ProcessCommand {
    const ALL: [ProcessCommand; 5] = [
        ProcessCommand::OursExisting,
        ProcessCommand::OursEmpty,
        ProcessCommand::OursCheck,
        ProcessCommand::ProgenitorPositional,
        ProcessCommand::ProgenitorBuilder,
    ];
}

/// The generators as whole processes, each once per round.
#[derive(Default)]
struct Processes {
    ours_existing: ProcessTimes,
    ours_empty: ProcessTimes,
    ours_check: ProcessTimes,
    progenitor_positional: ProcessTimes,
    progenitor_builder: ProcessTimes,
    openapi_generator: ProcessTimes,
}

impl Processes {
    fn of(&mut self, command: ProcessCommand) -> &mut ProcessTimes {
        match command {
            ProcessCommand::OursExisting => &mut self.ours_existing,
            ProcessCommand::OursEmpty => &mut self.ours_empty,
            ProcessCommand::OursCheck => &mut self.ours_check,
            ProcessCommand::ProgenitorPositional => &mut self.progenitor_positional,
            ProcessCommand::ProgenitorBuilder => &mut self.progenitor_builder,
        }
    }

    /// The side-by-side table, and the aims against progenitor's positional style.
    fn table(&self) -> String {
        let mut md = String::from(
            "\n### Whole processes, side by side\n\nEach command once per round, one after the other, \
             each round starting one command further down this table (so that each runs first equally \
             often), after `sync` (so that no command pays for the previous one's file writes), \
             process start included; openapi-generator in rounds of its own after the others (a \
             JVM run slows whatever runs next for over a second); CPU is user + system time of the process \
             (`getrusage(RUSAGE_CHILDREN)` across its wait). progenitor runs as `progenitor-gen` \
             (`bench/src/bin/progenitor-gen.rs`: the same read, edits, generation, prettyplease and write as \
             in process).\n\n| command | wall | CPU | wall vs progenitor positional |\n|---|---|---|---|\n",
        );
        let reference = Spread::of(self.progenitor_positional.wall.clone()).median;
        let rows = [
            (
                "**authlete-codegen generate**, into the existing tree",
                &self.ours_existing,
            ),
            (
                "**authlete-codegen generate**, into an empty directory",
                &self.ours_empty,
            ),
            ("**authlete-codegen check**", &self.ours_check),
            (
                "progenitor 0.15 positional (`progenitor-gen … positional`)",
                &self.progenitor_positional,
            ),
            (
                "progenitor 0.15 builder (`progenitor-gen … builder`)",
                &self.progenitor_builder,
            ),
            (
                "openapi-generator `rust` (JVM start included)",
                &self.openapi_generator,
            ),
        ];
        for (name, times) in rows {
            if times.wall.is_empty() {
                writeln!(md, "| {name} | not measured | | |").unwrap();
                continue;
            }
            let wall = Spread::of(times.wall.clone());
            writeln!(
                md,
                "| {name} | {} | {} | {:.2}× |",
                wall.seconds(),
                Spread::of(times.cpu.clone()).seconds(),
                wall.median / reference
            )
            .unwrap();
        }
        let median = |v: &Vec<f64>| Spread::of(v.clone()).median;
        let verdict = |met: bool| if met { "met" } else { "**not met**" };
        let generate = median(&self.ours_existing.wall);
        let check = median(&self.ours_check.wall);
        let (cpu, progenitor_cpu) = (
            median(&self.ours_existing.cpu),
            median(&self.progenitor_positional.cpu),
        );
        writeln!(
            md,
            "\n**Aims.** `generate` ≤ 0.10 s and below progenitor positional: {} ({} against {}). \
             `check` ≤ 0.08 s: {} ({}). CPU of `generate` ≤ progenitor positional's: {} ({} against {}).",
            verdict(generate <= 0.10 && generate < reference),
            duration(generate),
            duration(reference),
            verdict(check <= 0.08),
            duration(check),
            verdict(cpu <= progenitor_cpu),
            duration(cpu),
            duration(progenitor_cpu),
        )
        .unwrap();
        md
    }
}

/// Wall and CPU times of repeated runs of one command.
#[derive(Default)]
struct ProcessTimes {
    wall: Vec<f64>,
    cpu: Vec<f64>,
}

impl ProcessTimes {
    fn push(&mut self, (wall, cpu): (f64, f64)) {
        self.wall.push(wall);
        self.cpu.push(cpu);
    }
}

struct Generation {
    markdown: String,
    /// The peers' output crates, for the compile measurement.
    progenitor_crate: PathBuf,
    openapi_generator_crate: Option<PathBuf>,
}

fn generation(root: &Path, spec: &Path, work: &Path) -> Result<Generation, String> {
    let runs = runs();
    let overlay_path = root.join("spec/overlay.yaml");
    let mut md = String::from("## 1. Generation\n\n");
    writeln!(
        md,
        "The pinned document (`spec/authlete-openapi.yaml`, {} KB), {runs} rounds, each generator once per round (so that a slow stretch of the machine falls on all of them; openapi-generator in rounds of its own, see below).\n",
        std::fs::metadata(spec).map(|m| m.len() / 1024).unwrap_or(0)
    )
    .unwrap();

    // Ours, stage by stage, in process (the library's own stage functions).
    let stage_names = [
        "load (read, YAML, sha256)",
        "overlay",
        "parse (openapiv3)",
        "IR",
        "emit (quote) and format (prettyplease), the two halves on two threads",
        "write (atomic swap)",
    ];
    let binary = root.join("target/release/authlete-codegen");
    if !binary.exists() {
        return Err(format!(
            "{} is missing: `make bench` builds it first",
            binary.display()
        ));
    }
    let oag = root.join("bench/.venv/bin/openapi-generator-cli");
    let (out, cli_out, oag_out) = (
        work.join("ours"),
        work.join("ours-cli"),
        work.join("openapi-generator-authlete"),
    );
    let progenitor_crate = work.join("progenitor-authlete");

    let mut stage_times: Vec<Vec<f64>> = vec![Vec::new(); stage_names.len()];
    let mut totals = Vec::new();
    let (mut single_emit, mut single_format) = (Vec::new(), Vec::new());
    let mut progenitor_stages: Vec<Vec<f64>> = vec![Vec::new(); 4];
    let mut progenitor_totals = Vec::new();
    let mut processes = Processes::default();
    let empty_out = work.join("ours-cli-empty");
    // progenitor-gen is built beside this binary (`make bench` builds all the bench's binaries).
    let progenitor_gen = std::env::current_exe()
        .map_err(|e| e.to_string())?
        .with_file_name("progenitor-gen");
    if !progenitor_gen.exists() {
        return Err(format!(
            "{} is missing: `make bench` builds it first",
            progenitor_gen.display()
        ));
    }
    // `check` compares with the tree the command writes: it must be there before the first
    // round, whichever command that round starts with.
    run_process(&mut generate(&binary, &cli_out, root))?;
    // Round by round, each generator once per round: a slow stretch of this shared machine
    // then falls on all of them alike instead of on whichever ran during it.
    for round in 0..runs {
        eprintln!("bench: generation round {}/{runs}", round + 1);
        // Ours, stage by stage, in process (the library's own stage functions).
        let mut t = Vec::new();
        let mut clock = Instant::now();
        let mut lap = |t: &mut Vec<f64>| {
            t.push(clock.elapsed().as_secs_f64());
            clock = Instant::now();
        };
        let mut document = load::read_document(spec).map_err(|e| e.to_string())?;
        lap(&mut t);
        let overlay = overlay::read_overlay(&overlay_path).map_err(|e| e.to_string())?;
        overlay::apply(&overlay, &mut document.value);
        let fixes = overlay::example_fixes(&overlay);
        lap(&mut t);
        let openapi = parse::parse_openapi(document.value).map_err(|e| e.to_string())?;
        lap(&mut t);
        let api = ir::build(&openapi, &document.sha256, fixes).map_err(|e| e.to_string())?;
        lap(&mut t);
        let rendered = authlete_codegen::render(&api).map_err(|e| e.to_string())?;
        lap(&mut t);
        write::write_atomic(&rendered, &out).map_err(|e| e.to_string())?;
        lap(&mut t);
        totals.push(t.iter().sum());
        for (i, v) in t.into_iter().enumerate() {
            stage_times[i].push(v);
        }
        // The same work on one thread, outside the total: how it divides between emit and format.
        let started = Instant::now();
        let emitted = emit::emit(&api);
        single_emit.push(started.elapsed().as_secs_f64());
        let started = Instant::now();
        write::format_emitted(emitted, &api.spec_sha256).map_err(|e| e.to_string())?;
        single_format.push(started.elapsed().as_secs_f64());

        // The whole commands: ours as `make generate` runs it (process start, crate files
        // included) into the tree of the previous round (the maintainer's case) and into an empty
        // directory, `check` of that tree, and progenitor in both interface styles. Each round
        // starts one command further along the list, so that each runs first (right after the
        // in-process work above, its threads and its burst of allocation) equally often.
        let commands = ProcessCommand::ALL;
        for k in 0..commands.len() {
            let which = commands[(round + k) % commands.len()];
            let mut command = match which {
                ProcessCommand::OursExisting => generate(&binary, &cli_out, root),
                ProcessCommand::OursEmpty => {
                    let _ = std::fs::remove_dir_all(&empty_out);
                    generate(&binary, &empty_out, root)
                }
                ProcessCommand::OursCheck => {
                    let mut command = Command::new(&binary);
                    command
                        .args(["check", "--out"])
                        .arg(&cli_out)
                        .current_dir(root);
                    command
                }
                ProcessCommand::ProgenitorPositional | ProcessCommand::ProgenitorBuilder => {
                    let style = if which == ProcessCommand::ProgenitorPositional {
                        "positional"
                    } else {
                        "builder"
                    };
                    let mut command = Command::new(&progenitor_gen);
                    command
                        .arg(spec)
                        .arg(work.join(format!("progenitor-process-{style}")))
                        .arg(style);
                    command
                }
            };
            processes.of(which).push(run_process(&mut command)?);
        }

        // progenitor 0.15, in process, on the edited document.
        let s = progenitor_peer::run(spec, &progenitor_crate)?;
        let values = [s.load_and_edit, s.generate, s.format, s.write];
        progenitor_totals.push(values.iter().sum());
        for (i, v) in values.into_iter().enumerate() {
            progenitor_stages[i].push(v);
        }
    }
    // openapi-generator's `rust` generator, from its PyPI wheel (bench/requirements.txt), in
    // rounds of its own: a 4-second JVM run disturbs whatever runs next for a while (measured on
    // this machine: the next command 107 ms instead of 78 ms, and still slow a second later),
    // which would fall on the millisecond commands above.
    if oag.exists() {
        for round in 0..runs {
            eprintln!("bench: openapi-generator round {}/{runs}", round + 1);
            let _ = std::fs::remove_dir_all(&oag_out);
            processes.openapi_generator.push(run_process(
                Command::new(&oag)
                    .args([
                        "generate",
                        "-g",
                        "rust",
                        "--package-name",
                        "openapi_generator_authlete",
                        "-i",
                    ])
                    .arg(spec)
                    .arg("-o")
                    .arg(&oag_out),
            )?);
        }
    }
    std::fs::write(
        progenitor_crate.join("Cargo.toml"),
        progenitor_peer::CARGO_TOML,
    )
    .map_err(|e| e.to_string())?;
    let ours_total = Spread::of(totals);
    let cli = Spread::of(processes.ours_existing.wall.clone());
    let progenitor_total = Spread::of(progenitor_totals);
    let oag_times = &processes.openapi_generator.wall;
    let openapi_generator = (!oag_times.is_empty()).then(|| Spread::of(oag_times.clone()));

    writeln!(
        md,
        "| generator | wall time per run | vs ours (in process) |\n|---|---|---|"
    )
    .unwrap();
    writeln!(
        md,
        "| **authlete-codegen**, in process (sum of the stages below) | {} | 1× |",
        ours_total.seconds()
    )
    .unwrap();
    writeln!(md, "| **authlete-codegen**, the command (`authlete-codegen generate`, process start and crate files included) | {} | {:.1}× |", cli.seconds(), cli.median / ours_total.median).unwrap();
    writeln!(
        md,
        "| progenitor 0.15.0, in process, edited document (see below) | {} | {:.1}× |",
        progenitor_total.seconds(),
        progenitor_total.median / ours_total.median
    )
    .unwrap();
    match &openapi_generator {
        Some(s) => writeln!(md, "| openapi-generator 7.26.0 `rust` (`openapi-generator-cli generate -g rust`, JVM start included) | {} | {:.1}× |", s.seconds(), s.median / ours_total.median).unwrap(),
        None => writeln!(md, "| openapi-generator | not measured: `bench/.venv` is missing (`make bench` creates it) | |").unwrap(),
    }
    md.push_str(&processes.table());
    writeln!(md, "\n### Our stages\n\n| stage | time |\n|---|---|").unwrap();
    for (name, values) in stage_names.iter().zip(stage_times) {
        writeln!(md, "| {name} | {} |", Spread::of(values).seconds()).unwrap();
    }
    writeln!(
        md,
        "| *(the same on one thread: emit)* | *{}* |",
        Spread::of(single_emit).seconds()
    )
    .unwrap();
    writeln!(
        md,
        "| *(the same on one thread: format)* | *{}* |",
        Spread::of(single_format).seconds()
    )
    .unwrap();
    writeln!(
        md,
        "\n### progenitor's stages\n\n| stage | time |\n|---|---|"
    )
    .unwrap();
    for (name, values) in [
        "read, YAML, edits, openapiv3",
        "generate_tokens",
        "format (prettyplease)",
        "write",
    ]
    .iter()
    .zip(progenitor_stages)
    {
        writeln!(md, "| {name} | {} |", Spread::of(values).seconds()).unwrap();
    }
    writeln!(md, "\nprogenitor 0.15 does not accept the document as it is (it stops with an error, or panics); these edits, applied in code to a copy (`bench/src/progenitor_peer.rs`), are the fewest that let it through:\n").unwrap();
    for edit in progenitor_peer::EDITS {
        writeln!(md, "- {edit}").unwrap();
    }
    writeln!(md, "\nSo its output has no form-encoded variants, no second success type (204) and one error type per operation; ours has all three.\n").unwrap();

    let verdict = |met: bool| if met { "met" } else { "**not met**" };
    writeln!(
        md,
        "**Aims.** Under 0.25 s: in process {} ({}), as a command {} ({}; the difference is process start, reading the crate files and the page cache of a fresh process).",
        verdict(ours_total.median < 0.25),
        duration(ours_total.median),
        verdict(cli.median < 0.25),
        duration(cli.median)
    )
    .unwrap();
    if let Some(s) = &openapi_generator {
        let ratio = s.median / cli.median;
        writeln!(md, "At least 10× faster than openapi-generator: {} ({ratio:.1}×, command against command).", verdict(ratio >= 10.0)).unwrap();
    }
    md.push('\n');
    let openapi_generator_crate = openapi_generator.is_some().then_some(oag_out);
    Ok(Generation {
        markdown: md,
        progenitor_crate,
        openapi_generator_crate,
    })
}

/// Lines of Rust under `dir/src`: all lines, and doc-comment lines.
fn lines_of_code(dir: &Path) -> (usize, usize, usize) {
    let mut stack = vec![dir.join("src")];
    let (mut files, mut lines, mut docs) = (0, 0, 0);
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                files += 1;
                lines += text.lines().count();
                docs += text
                    .lines()
                    .filter(|l| {
                        l.trim_start().starts_with("///") || l.trim_start().starts_with("//!")
                    })
                    .count();
            }
        }
    }
    (files, lines, docs)
}

/// A crate's compile times with its dependencies already built: `cargo check` and
/// `cargo build --release` after touching its lib.rs.
fn compile_times(dir: &Path) -> Result<(Spread, Spread), String> {
    let cargo = |args: &[&str]| -> Result<f64, String> {
        let started = Instant::now();
        let output = Command::new("cargo")
            .args(args)
            .current_dir(dir)
            .env_remove("RUSTFLAGS")
            .output()
            .map_err(|e| e.to_string())?;
        if !output.status.success() {
            return Err(format!(
                "cargo {} in {} failed:\n{}",
                args.join(" "),
                dir.display(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        Ok(started.elapsed().as_secs_f64())
    };
    let touch = || {
        let lib = dir.join("src/lib.rs");
        let text = std::fs::read(&lib).expect("lib.rs");
        std::fs::write(&lib, text).expect("touch lib.rs");
    };
    cargo(&["check", "-q"])?; // dependencies
    let mut check = Vec::new();
    for _ in 0..compile_runs() {
        touch();
        check.push(cargo(&["check", "-q"])?);
    }
    cargo(&["build", "-q", "--release"])?;
    let mut release = Vec::new();
    for _ in 0..compile_runs() {
        touch();
        release.push(cargo(&["build", "-q", "--release"])?);
    }
    Ok((Spread::of(check), Spread::of(release)))
}

/// Makes `dir` a workspace of its own (it sits below this repository's workspaces).
fn own_workspace(dir: &Path) -> Result<(), String> {
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    if !text.contains("[workspace]") {
        std::fs::write(&manifest, format!("{text}\n[workspace]\n")).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn compile_cost(root: &Path, work: &Path, generation: &Generation) -> Result<String, String> {
    let ours = work.join("compile-authlete");
    copy_tree(&root.join("generated"), &ours)?;
    std::fs::copy(root.join("Cargo.lock"), ours.join("Cargo.lock")).map_err(|e| e.to_string())?;
    own_workspace(&ours)?;
    let mut crates = vec![
        ("authlete (ours)", ours),
        (
            "progenitor 0.15 output",
            generation.progenitor_crate.clone(),
        ),
    ];
    if let Some(dir) = &generation.openapi_generator_crate {
        own_workspace(dir)?;
        crates.push(("openapi-generator `rust` output", dir.clone()));
    }
    let mut md = String::from("## 2. Compile cost of the generated crate\n\n");
    writeln!(
        md,
        "The crate alone, its dependencies already built: `touch src/lib.rs && cargo check` and `… && cargo build --release`, {} runs each. Lines are all lines of `src/**/*.rs`; doc lines are `///` and `//!` lines.\n",
        compile_runs()
    )
    .unwrap();
    writeln!(md, "| crate | files | lines | doc lines | `cargo check` | `cargo build --release` |\n|---|---|---|---|---|---|").unwrap();
    let mut checks = Vec::new();
    for (name, dir) in &crates {
        eprintln!("bench: compiling {name}");
        let (files, lines, docs) = lines_of_code(dir);
        let (check, release) = compile_times(dir)?;
        writeln!(
            md,
            "| {name} | {files} | {lines} | {docs} | {} | {} |",
            check.seconds(),
            release.seconds()
        )
        .unwrap();
        checks.push(check.median);
    }
    // The aim: at most 0.8 of progenitor's time, for more API (the form variants, 204
    // responses, typed errors, pagination and the docs).
    let ratio = checks[0] / checks[1];
    let aim = if ratio <= 0.8 { "met" } else { "**not met**" };
    writeln!(
        md,
        "\n**Aim.** `cargo check` in at most 0.8× the time of progenitor's output: {aim} ({} against {}, {ratio:.2}×; ours also has the form variants, 204 responses, typed errors, pagination and the docs).\n",
        duration(checks[0]),
        duration(checks[1])
    )
    .unwrap();
    Ok(md)
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    for (relative, text) in write::read_tree(from).map_err(|e| e.to_string())? {
        let path = to.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).map_err(|e| e.to_string())?;
        std::fs::write(&path, text).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Per-iteration times of one criterion benchmark, from its samples (seconds).
fn criterion_samples(root: &Path, id: &str) -> Result<Spread, String> {
    let path = root
        .join("bench/target/criterion")
        .join(id)
        .join("new/sample.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let iters = json["iters"].as_array().ok_or("no iters")?;
    let times = json["times"].as_array().ok_or("no times")?;
    let per_iteration: Vec<f64> = iters
        .iter()
        .zip(times)
        .filter_map(|(i, t)| Some(t.as_f64()? / i.as_f64()? / 1e9))
        .collect();
    Ok(Spread::of(per_iteration))
}

fn runtime(root: &Path, work: &Path) -> Result<String, String> {
    let calls = ["introspection", "service_get", "client_list_1000"];
    let mut rounds: Vec<Vec<(Spread, Spread)>> = Vec::new();
    let mut decode: Vec<(String, Spread, Spread)> = Vec::new();
    let mut paired: Vec<serde_json::Value> = Vec::new();
    for round in 1..=2 {
        let log = work.join(format!("criterion-{round}.log"));
        let paired_out = work.join(format!("paired-{round}.json"));
        let status = Command::new("cargo")
            .args(["bench", "--bench", "runtime", "--", "--noplot"])
            .env("BENCH_PAIRED_OUT", &paired_out)
            .current_dir(root.join("bench"))
            .stdout(std::fs::File::create(&log).map_err(|e| e.to_string())?)
            .stderr(Stdio::inherit())
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("cargo bench failed (see {})", log.display()));
        }
        let text = std::fs::read_to_string(&paired_out)
            .map_err(|e| format!("{}: {e}", paired_out.display()))?;
        paired.push(serde_json::from_str(&text).map_err(|e| e.to_string())?);
        let mut results = Vec::new();
        for call in calls {
            results.push((
                criterion_samples(root, &format!("call/{call}/sdk"))?,
                criterion_samples(root, &format!("call/{call}/floor"))?,
            ));
        }
        rounds.push(results);
        decode.clear();
        for payload in ["service", "client_list_1000"] {
            decode.push((
                payload.to_string(),
                criterion_samples(root, &format!("decode/{payload}/typed"))?,
                criterion_samples(root, &format!("decode/{payload}/value"))?,
            ));
        }
    }
    let sizes = payload_sizes()?;

    let mut md = String::from("## 3. Runtime overhead\n\n");
    md.push_str(
        "`cd bench && cargo bench --bench runtime` (criterion, `bench/benches/runtime.rs`), run twice. A loopback HTTP server \
         (axum, `bench/src/server.rs`) answers with canned bodies; one call through the SDK is compared with the same \
         request written by hand with reqwest + serde_json, decoded into the same SDK type (the floor). The large payloads \
         are made from the generator's IR with every field set (`bench/src/payload.rs`) and checked to decode into the \
         SDK types with nothing dropped. Times are per call, over criterion's 100 samples: `median (min–max)`.\n\n",
    );
    writeln!(
        md,
        "| call | run | SDK | floor | overhead (medians) |\n|---|---|---|---|---|"
    )
    .unwrap();
    for (i, call) in calls.iter().enumerate() {
        for (round, results) in rounds.iter().enumerate() {
            let (sdk, floor) = results[i];
            let overhead = (sdk.median / floor.median - 1.0) * 100.0;
            writeln!(
                md,
                "| {call} | {} | {} | {} | {overhead:+.1}% |",
                round + 1,
                sdk.seconds(),
                floor.seconds()
            )
            .unwrap();
        }
    }
    md.push_str(
        "\nThe two criterion measurements of a pair run one after the other, and on this shared 2-core machine the figures \
         drift between them by more than the overhead being measured. So the overhead is also measured in pairs (same \
         binary, after criterion): blocks of SDK calls and of floor calls alternate, 40 rounds, each round one ratio \
         (200 calls a block; 5 for the client list). `median (min–max)` of the 40 overheads:\n\n",
    );
    writeln!(md, "| call | run 1 | run 2 |\n|---|---|---|").unwrap();
    let mut medians = Vec::new();
    for call in calls {
        let mut cells = Vec::new();
        for run in &paired {
            let ratios: Vec<f64> = run[call]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_f64())
                .map(|r| (r - 1.0) * 100.0)
                .collect();
            if ratios.is_empty() {
                return Err(format!("no paired results for {call}"));
            }
            let spread = Spread::of(ratios);
            medians.push(spread.median);
            cells.push(format!(
                "{:+.1}% ({:+.1}% – {:+.1}%)",
                spread.median, spread.min, spread.max
            ));
        }
        writeln!(md, "| {call} | {} |", cells.join(" | ")).unwrap();
    }
    let worst = medians.iter().cloned().fold(f64::MIN, f64::max);
    let aim = if worst <= 5.0 { "met" } else { "**not met**" };
    writeln!(md, "\n**Aim.** At most 5% over the floor: {aim} (the largest paired median in either run: {worst:+.1}%).\n").unwrap();

    writeln!(md, "### Decode throughput\n\n`serde_json::from_slice` into the SDK type against `serde_json::Value`, the second run:\n").unwrap();
    writeln!(
        md,
        "| payload | size | typed (SDK) | `serde_json::Value` |\n|---|---|---|---|"
    )
    .unwrap();
    for (name, typed, value) in &decode {
        let bytes = sizes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| *b)
            .unwrap_or(0) as f64;
        let mbps = |s: &Spread| bytes / s.median / 1e6;
        writeln!(
            md,
            "| {name} | {:.0} KB | {:.0} MB/s ({}) | {:.0} MB/s ({}) |",
            bytes / 1e3,
            mbps(typed),
            typed.seconds(),
            mbps(value),
            value.seconds()
        )
        .unwrap();
    }
    md.push('\n');
    Ok(md)
}

/// The sizes of the bodies the runtime benchmark decodes.
fn payload_sizes() -> Result<Vec<(String, usize)>, String> {
    let payloads = payload::payloads()?;
    Ok(vec![
        ("service".into(), payloads.service.len()),
        ("client_list_1000".into(), payloads.client_list.len()),
    ])
}

/// Instructions of `n` calls (client and server, one process) under callgrind.
fn callgrind_instructions(
    root: &Path,
    work: &Path,
    side: &str,
    operation: &str,
    n: usize,
) -> Result<u64, String> {
    let out = work.join(format!("callgrind.{side}.{operation}.{n}"));
    let output = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(root.join("bench/target/release/examples/calls"))
        .args([side, operation, &n.to_string()])
        .output()
        .map_err(|e| format!("cannot run valgrind: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("callgrind of {side} {operation} failed:\n{stderr}"));
    }
    stderr
        .lines()
        .find_map(|l| l.split("Collected :").nth(1))
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| format!("no instruction count in callgrind's output:\n{stderr}"))
}

/// The SDK's cost per call over the floor in instructions, which do not drift with the machine:
/// (instructions of 600 calls − of 100 calls) / 500, so the set-up cancels out.
fn instructions(root: &Path, work: &Path) -> Result<String, String> {
    if Command::new("valgrind").arg("--version").output().is_err() {
        return Ok("## 4. Instructions per call\n\nNot measured: valgrind is missing.\n".into());
    }
    let status = Command::new("cargo")
        .args(["build", "-q", "--release", "--example", "calls"])
        .current_dir(root.join("bench"))
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("cannot build bench/examples/calls.rs".into());
    }
    let mut md = String::from("## 4. Instructions per call\n\n");
    md.push_str(
        "`valgrind --tool=callgrind bench/target/release/examples/calls <sdk|floor> <operation> <n>`: n calls on one thread \
         against the loopback server in the same process, so client and server are both counted (the server's share is \
         the same for both sides). Per call = (count for 600 calls − count for 100) / 500. Instruction counts repeat \
         exactly for the same binary and input, so this is the overhead without the machine's noise.\n\n",
    );
    writeln!(md, "| call | SDK | floor | overhead |\n|---|---|---|---|").unwrap();
    for operation in ["introspection", "service_get"] {
        let mut per_call = Vec::new();
        for side in ["sdk", "floor"] {
            let few = callgrind_instructions(root, work, side, operation, 100)?;
            let many = callgrind_instructions(root, work, side, operation, 600)?;
            per_call.push(many.saturating_sub(few) as f64 / 500.0);
        }
        writeln!(
            md,
            "| {operation} | {:.0} | {:.0} | {:+.1}% |",
            per_call[0],
            per_call[1],
            (per_call[0] / per_call[1] - 1.0) * 100.0
        )
        .unwrap();
    }
    md.push('\n');
    Ok(md)
}

/// Generation of the pinned document made 10 and 100 times larger (`authlete_bench::scale`: copies
/// of every schema and path): normalize + parse + IR, and emit + format, in memory. Linear work
/// shows as a constant time per copy.
fn scaling(root: &Path, spec: &Path) -> Result<String, String> {
    let mut document = load::read_document(spec).map_err(|e| e.to_string())?;
    let overlay =
        overlay::read_overlay(&root.join("spec/overlay.yaml")).map_err(|e| e.to_string())?;
    overlay::apply(&overlay, &mut document.value);
    // The copies are made of the overlaid document (its names and groups included), then run
    // through the pipeline with an overlay that does nothing.
    let empty: overlay::Overlay = serde_json::from_value(serde_json::json!({
        "overlay": "1.0.0", "info": {"title": "none", "version": "1"}, "actions": []
    }))
    .map_err(|e| e.to_string())?;
    let mut md = String::from("## 5. Scaling\n\n");
    md.push_str(
        "`BENCH_ONLY=scaling make bench` (or part of `make bench`): the overlaid pinned document with k − 1 copies of \
         every schema and path (`bench/src/scale.rs`), through normalize + parse + IR and through emit + format \
         (prettyplease), in memory, nothing written. Per copy = median / k: constant when the work grows linearly.\n\n",
    );
    writeln!(
        md,
        "| k | schemas | operations | output lines | normalize + parse + IR | per copy | emit + format | per copy |\n|---|---|---|---|---|---|---|---|"
    )
    .unwrap();
    for (k, runs) in [(1, 5), (10, 3), (100, 1)] {
        eprintln!("bench: scaling ×{k}");
        let value = scale::scaled(&document.value, k);
        let schemas = value
            .pointer("/components/schemas")
            .and_then(|s| s.as_object())
            .map_or(0, |s| s.len());
        let (mut front, mut back) = (Vec::new(), Vec::new());
        let mut facts = (0, 0);
        for _ in 0..runs {
            let input = load::Document {
                path: format!("×{k}"),
                sha256: document.sha256.clone(),
                value: value.clone(),
            };
            let started = Instant::now();
            let built = authlete_codegen::build_ir_from(input, &empty, "none", None)
                .map_err(|e| format!("×{k}: {e}"))?;
            front.push(started.elapsed().as_secs_f64());
            let started = Instant::now();
            let rendered = authlete_codegen::render(&built.api).map_err(|e| e.to_string())?;
            back.push(started.elapsed().as_secs_f64());
            let operations = built.api.groups.values().map(|g| g.operations.len()).sum();
            let lines = rendered.values().map(|text| text.lines().count()).sum();
            facts = (operations, lines);
        }
        let (front, back) = (Spread::of(front), Spread::of(back));
        writeln!(
            md,
            "| {k} | {schemas} | {} | {} | {} | {} | {} | {} |",
            facts.0,
            facts.1,
            front.seconds(),
            duration(front.median / k as f64),
            back.seconds(),
            duration(back.median / k as f64)
        )
        .unwrap();
    }
    md.push('\n');
    md.push_str(&hostile_shapes(&empty)?);
    Ok(md)
}

/// Shapes that made earlier versions superlinear: a chain of n `$ref` aliases, and n structs that
/// all refer to the next and to the first (every field boxed). Doubling n should double the time.
fn hostile_shapes(empty: &overlay::Overlay) -> Result<String, String> {
    let mut md = String::from(
        "Shapes that were superlinear before (a chain of n `$ref` aliases; n structs each referring to the next \
         and to the first): the whole pipeline in memory, median of 3.\n\n| n | alias chain | mutual references |\n|---|---|---|\n",
    );
    let document = |schemas: serde_json::Map<String, serde_json::Value>| {
        serde_json::json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": schemas}})
    };
    let reference = |i: usize, prefix: &str| serde_json::json!({"$ref": format!("#/components/schemas/{prefix}{i}")});
    for n in [1000, 2000, 4000] {
        let mut chain = serde_json::Map::new();
        for i in 0..n {
            chain.insert(format!("a{i}"), reference(i + 1, "a"));
        }
        chain.insert(
            format!("a{n}"),
            serde_json::json!({"type": "object", "properties": {"x": {"type": "string"}}}),
        );
        let mut mutual = serde_json::Map::new();
        for i in 0..n {
            mutual.insert(
                format!("s{i}"),
                serde_json::json!({"type": "object", "properties": {"next": reference((i + 1) % n, "s"), "first": reference(0, "s")}}),
            );
        }
        let mut cells = Vec::new();
        for value in [document(chain), document(mutual)] {
            let times = time_runs(3, || {
                let input = load::Document {
                    path: "shape".into(),
                    sha256: String::new(),
                    value: value.clone(),
                };
                let built = authlete_codegen::build_ir_from(input, empty, "none", None)
                    .expect("the shape generates");
                authlete_codegen::render(&built.api).expect("the shape renders")
            });
            cells.push(Spread::of(times).seconds());
        }
        writeln!(md, "| {n} | {} | {} |", cells[0], cells[1]).unwrap();
    }
    md.push('\n');
    Ok(md)
}
