//! The README's usage example is the crate's doctest (generated/src/lib.rs), which the compiler
//! checks; this keeps the two identical.

use authlete_tests::repo_root;

#[test]
fn readme_example_is_the_compiled_doctest() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let start = readme.find("```rust\n").expect("README has a rust example") + "```rust\n".len();
    let example = &readme[start..start + readme[start..].find("```").unwrap()];
    let lib = std::fs::read_to_string(repo_root().join("generated/src/lib.rs")).unwrap();
    let doctest: String = lib
        .lines()
        .filter_map(|line| line.strip_prefix("//!"))
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(doctest.contains(example.trim_end()), "README example differs from the doctest in generator/template/src/lib.rs");
}
