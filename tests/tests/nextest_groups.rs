//! `.config/nextest.toml` puts the tests that run a nested cargo over generated crates in one
//! group (one at a time, started first): they share a target directory, whose lock lets one
//! cargo in at a time. It names them one by one, so a new such test would run beside the others
//! and hold a test slot waiting on the lock, and a renamed one would silently leave the group.
//! This test finds them in the sources (a `#[test]` function that reaches a nested cargo run
//! through the functions of its own file) and holds the configuration to exactly that list.

use authlete_tests::repo_root;
use quote::ToTokens;
use std::collections::BTreeSet;

/// The calls that start a nested cargo run (tests/src/nested_cargo.rs and the corpus's docs).
const NESTED_CARGO: &[&str] = &["clippy_crates", "cargo_docs"];

/// The names of the `#[test]` functions of `file` that reach a nested cargo run.
fn nested_cargo_tests(file: &syn::File) -> BTreeSet<String> {
    let functions: Vec<(String, bool, String)> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Fn(f) => Some((
                f.sig.ident.to_string(),
                f.attrs.iter().any(|a| a.path().is_ident("test")),
                f.block.to_token_stream().to_string(),
            )),
            _ => None,
        })
        .collect();
    // The functions that reach one, through the file's own helpers, to a fixed point.
    let mut reaching: BTreeSet<String> = BTreeSet::new();
    loop {
        let before = reaching.len();
        for (name, _, body) in &functions {
            let calls = |callee: &str| body.contains(&format!("{callee} ("));
            if NESTED_CARGO.iter().any(|c| calls(c)) || reaching.iter().any(|r| calls(r)) {
                reaching.insert(name.clone());
            }
        }
        if reaching.len() == before {
            break;
        }
    }
    functions
        .into_iter()
        .filter(|(name, test, _)| *test && reaching.contains(name))
        .map(|(name, _, _)| name)
        .collect()
}

#[test]
fn the_nested_cargo_group_lists_exactly_the_tests_that_run_a_nested_cargo() {
    let root = repo_root();
    let mut found = BTreeSet::new();
    for dir in ["generator/tests", "tests/tests"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            found.extend(nested_cargo_tests(&file));
        }
    }
    assert!(
        found.len() >= 4,
        "only {found:?} found: the search is broken"
    );
    let config = std::fs::read_to_string(root.join(".config/nextest.toml")).unwrap();
    let listed: BTreeSet<String> = config
        .split("test(=")
        .skip(1)
        .filter_map(|rest| rest.split_once(')').map(|(name, _)| name.to_string()))
        .collect();
    assert_eq!(
        listed, found,
        ".config/nextest.toml's nested-cargo group (left) and the tests that run a nested cargo (right) differ"
    );
}
