//! A generation killed (SIGKILL, no chance to clean up) while it writes leaves the output
//! directory holding the old crate or the new one, byte for byte, never a mix.

mod common;

use common::{repo, snapshot};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A document of `count` object schemas named `{prefix}{i}`: enough files that writing them
/// takes a while.
fn document(prefix: &str, count: usize) -> String {
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
    );
    for i in 0..count {
        text.push_str(&format!(
            "    {prefix}{i}:\n      type: object\n      properties:\n"
        ));
        for p in 0..8 {
            text.push_str(&format!(
                "        field{p}: {{type: string, description: the field {p} of {prefix} {i}}}\n"
            ));
        }
    }
    text
}

fn spawn_generate(spec: &Path, out: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_authlete-codegen"))
        .args([
            "generate",
            "--pin",
            "/nonexistent",
            "--crate-files",
            "/nonexistent",
        ])
        .arg("--spec")
        .arg(spec)
        .arg("--overlay")
        .arg(repo().join("tests/fixtures/empty-overlay.yaml"))
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn generate(spec: &Path, out: &Path) {
    assert!(spawn_generate(spec, out).wait().unwrap().success());
}

/// How many model files the run's staging tree (`.crate.new-*` beside the output) holds.
fn staged_models(parent: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".crate.new-"))
        .filter_map(|e| std::fs::read_dir(e.path().join("src/emitted/models")).ok())
        .map(|models| models.count())
        .max()
        .unwrap_or(0)
}

/// Runs of the generator killed, half of them mid-write.
const ATTEMPTS: usize = 12;

/// A hang guard, not a speed claim: a generation that has not ended after this long never
/// will (one takes seconds even as a debug build on a loaded machine).
const HANG_GUARD: Duration = Duration::from_secs(600);

#[test]
fn a_run_killed_mid_write_leaves_the_old_tree_or_the_new_never_a_mix() {
    let work = tempfile::tempdir().unwrap();
    let (old_spec, new_spec) = (work.path().join("old.yaml"), work.path().join("new.yaml"));
    std::fs::write(&old_spec, document("before", 100)).unwrap();
    std::fs::write(&new_spec, document("after", 400)).unwrap();
    let out = work.path().join("crate");

    let reference = work.path().join("reference");
    generate(&new_spec, &reference);
    let new_tree = snapshot(&reference);
    generate(&old_spec, &out);
    let old_tree = snapshot(&out);
    assert_ne!(old_tree, new_tree);

    // Half the runs are killed once the staging tree holds some model files (mid-write, seen
    // from outside); the other half after a delay that sweeps over the whole run, so that some
    // kills land around the swap.
    let started = Instant::now();
    generate(&new_spec, &work.path().join("timing"));
    let full_run = started.elapsed();
    let (mut killed_mid_write, mut outcomes_old, mut outcomes_new) = (0, 0, 0);
    for attempt in 0..ATTEMPTS {
        let mut child = spawn_generate(&new_spec, &out);
        let started = Instant::now();
        if attempt % 2 == 0 {
            loop {
                if staged_models(work.path()) >= 20 {
                    child.kill().unwrap();
                    killed_mid_write += 1;
                    break;
                }
                if child.try_wait().unwrap().is_some() {
                    break;
                }
                if started.elapsed() > HANG_GUARD {
                    let _ = child.kill();
                    panic!("attempt {attempt}: the generation did not end within {HANG_GUARD:?}");
                }
            }
        } else {
            // When to kill, not a limit: whatever the machine's speed, the outcome must be the
            // old tree or the new one (asserted below); nothing here asserts how long a run takes.
            let delay = full_run.mul_f64(0.5 + attempt as f64 / ATTEMPTS as f64);
            while started.elapsed() < delay && child.try_wait().unwrap().is_none() {
                std::thread::sleep(Duration::from_micros(200));
            }
            let _ = child.kill();
        }
        let _ = child.wait();
        let tree = snapshot(&out);
        if tree == old_tree {
            outcomes_old += 1;
        } else if tree == new_tree {
            outcomes_new += 1;
            generate(&old_spec, &out);
        } else {
            panic!("attempt {attempt}: the output is neither the old tree nor the new one");
        }
    }
    eprintln!("killed mid-write {killed_mid_write} times; old tree kept {outcomes_old}, new tree {outcomes_new}");
    assert!(
        killed_mid_write >= ATTEMPTS / 4,
        "caught only {killed_mid_write} runs mid-write: the test did not test"
    );
    assert!(
        outcomes_old >= killed_mid_write,
        "a run killed mid-write must leave the old tree"
    );

    // The next run clears what the killed ones left beside the output.
    generate(&new_spec, &out);
    assert_eq!(snapshot(&out), new_tree);
    let beside: Vec<String> = std::fs::read_dir(work.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".crate."))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}
