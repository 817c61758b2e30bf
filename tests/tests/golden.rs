//! Golden tests: each `tests/fixtures/<case>/spec.yaml` (with its `overlay.yaml`, if any) beside
//! the files it must produce under `expected/`: the emitted tree (`src/emitted/**`), the warnings
//! it must print (`warnings.txt`) and its IR (`ir.json`, what `dump-ir` prints).
//! `BLESS=1 cargo test -p authlete-tests --test golden` rewrites the expectations; review the
//! diff before committing it.

use authlete_tests::{clippy_crates, fixture_inputs, fixtures_dir};
use std::collections::BTreeMap;
use std::path::Path;

fn cases() -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("spec.yaml").exists())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases
}

/// The emitted files of a case plus its warnings, as the golden tree holds them.
fn produce(case: &str) -> BTreeMap<String, String> {
    let built =
        authlete_codegen::build_ir(&fixture_inputs(case)).unwrap_or_else(|e| panic!("{case}: {e}"));
    let rendered = authlete_codegen::render(&built.api).unwrap();
    let mut files: BTreeMap<String, String> = rendered
        .into_iter()
        .filter(|(path, _)| path.starts_with("src/emitted/"))
        .collect();
    let warnings: String = built.warnings.iter().map(|w| format!("{w}\n")).collect();
    files.insert("warnings.txt".to_string(), warnings);
    // The IR itself (what `authlete-codegen dump-ir` prints): a decision that changes shows
    // here as data, beside the code it changes.
    let ir = serde_json::to_string_pretty(&built.api).unwrap() + "\n";
    files.insert("ir.json".to_string(), ir);
    files
}

fn read_expected(dir: &Path) -> BTreeMap<String, String> {
    authlete_codegen::write::read_tree(dir).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_fixture_matches_its_golden_output() {
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    let cases = cases();
    assert!(cases.len() >= 9, "fixtures missing: {cases:?}");
    for case in &cases {
        let expected_dir = fixtures_dir().join(case).join("expected");
        let produced = produce(case);
        if bless {
            let _ = std::fs::remove_dir_all(&expected_dir);
            for (path, text) in &produced {
                let target = expected_dir.join(path);
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::write(target, text).unwrap();
            }
            continue;
        }
        let expected = read_expected(&expected_dir);
        if expected.is_empty() {
            failures.push(format!(
                "{case}: no expected/ tree; run with BLESS=1 to create it"
            ));
            continue;
        }
        for (path, text) in &produced {
            match expected.get(path) {
                Some(want) if want == text => {}
                Some(want) => {
                    failures.push(format!("{case}/{path} differs:\n{}", diff(want, text)))
                }
                None => failures.push(format!("{case}/{path}: produced but not expected")),
            }
        }
        for path in expected.keys().filter(|p| !produced.contains_key(*p)) {
            failures.push(format!("{case}/{path}: expected but not produced"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden mismatch(es) (BLESS=1 to accept):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A unified diff, expected → produced, with three lines of context around each change.
fn diff(old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header("expected", "produced")
        .to_string()
}

#[test]
fn a_golden_mismatch_shows_every_changed_line_in_context() {
    let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
    let new = "a\nB\nc\nd\ne\nf\ng\nh\ni\nJ\n";
    let shown = diff(old, new);
    for line in ["--- expected", "+++ produced", "-b", "+B", "-j", "+J", " c"] {
        assert!(
            shown.lines().any(|l| l == line),
            "`{line}` missing:\n{shown}"
        );
    }
}

/// The emitted handles and builders hold, besides what the document names (operations,
/// sub-groups, parameters), only the members the generator's name registry reserves: a member
/// added to emit without being reserved could collide with a document's name and fail to compile.
#[test]
fn emitted_members_beside_the_documents_names_are_reserved() {
    use authlete_codegen::ir::{
        BUILDER_MEMBERS, DERIVED_METHODS, GROUP_RESERVED_METHODS, HANDLE_FIELDS, SERVICE_ID_METHOD,
    };
    let mut checked = 0;
    let mut failures = Vec::new();
    for case in cases() {
        let built = authlete_codegen::build_ir(&fixture_inputs(&case)).unwrap();
        let api = &built.api;
        let rendered = authlete_codegen::render(api).unwrap();
        // impl type -> (the document's names in it, the names reserved for it)
        let mut scopes: BTreeMap<String, (Vec<String>, Vec<&str>)> = BTreeMap::new();
        let mut handle: Vec<String> = Vec::new();
        for group in api.groups.values() {
            let mut names: Vec<String> = group
                .operations
                .iter()
                .map(|o| o.name.to_string())
                .collect();
            names.extend(
                group
                    .children
                    .iter()
                    .map(|c| api.groups[c].accessor.to_string()),
            );
            let group_reserved = [DERIVED_METHODS, GROUP_RESERVED_METHODS].concat();
            scopes.insert(
                group.type_name.to_string(),
                (names.clone(), group_reserved.clone()),
            );
            if let Some(scoped) = &group.scoped_type_name {
                scopes.insert(scoped.to_string(), (names, group_reserved));
            }
            if group.parent.is_none() && group.service_scoped {
                handle.push(group.accessor.to_string());
            }
            for op in &group.operations {
                let params = op.params.iter().map(|p| p.name.to_string()).collect();
                scopes.insert(
                    op.builder.to_string(),
                    (params, [BUILDER_MEMBERS, DERIVED_METHODS].concat()),
                );
            }
        }
        scopes.insert(
            "ServiceHandle".to_string(),
            (handle, [DERIVED_METHODS, &[SERVICE_ID_METHOD]].concat()),
        );
        for (path, text) in rendered
            .iter()
            .filter(|(p, _)| p.starts_with("src/emitted/api/"))
        {
            let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{case}/{path}: {e}"));
            for item in &file.items {
                // (type, its members, whether they are fields)
                let (ty, members, fields) = match item {
                    syn::Item::Impl(block) if block.trait_.is_none() => {
                        let syn::Type::Path(ty) = &*block.self_ty else {
                            continue;
                        };
                        let members: Vec<String> = block
                            .items
                            .iter()
                            .filter_map(|i| match i {
                                syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                                _ => None,
                            })
                            .collect();
                        (
                            ty.path.segments.last().unwrap().ident.to_string(),
                            members,
                            false,
                        )
                    }
                    syn::Item::Struct(s) => {
                        let members = s
                            .fields
                            .iter()
                            .filter_map(|f| f.ident.as_ref().map(|i| i.to_string()))
                            .collect();
                        (s.ident.to_string(), members, true)
                    }
                    _ => continue,
                };
                let Some((document, reserved)) = scopes.get(&ty) else {
                    continue;
                };
                // A builder's parameters are fields and setters; a handle's fields are its own.
                let builder = ty.ends_with("Builder");
                for member in members {
                    checked += 1;
                    let allowed = if fields && !builder {
                        HANDLE_FIELDS.contains(&member.as_str())
                    } else {
                        document.contains(&member) || reserved.contains(&member.as_str())
                    };
                    if !allowed {
                        failures.push(format!("{case}/{path}: `{ty}::{member}` is neither the document's nor reserved"));
                    }
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} members checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every fixture, written as a complete crate, compiles with no warnings (all of them in one
/// cargo run).
#[test]
fn every_fixture_crate_compiles_without_warnings() {
    let workdir = tempfile::tempdir().unwrap();
    let crates: Vec<_> = cases()
        .into_iter()
        .map(|case| {
            let out = workdir.path().join(&case);
            authlete_codegen::generate(&fixture_inputs(&case), &out)
                .unwrap_or_else(|e| panic!("{case}: {e}"));
            out
        })
        .collect();
    assert!(crates.len() >= 5, "only {} fixtures", crates.len());
    clippy_crates(workdir.path(), &crates).unwrap_or_else(|e| panic!("{e}"));
}
