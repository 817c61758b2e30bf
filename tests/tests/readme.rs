//! The project README's usage example is in the crate's README, whose examples compile as
//! doctests (the crate's docs are its README); this keeps the two identical.

use authlete_tests::repo_root;

#[test]
fn readme_example_is_the_compiled_doctest() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let start = readme.find("```rust\n").expect("README has a rust example") + "```rust\n".len();
    let example = &readme[start..start + readme[start..].find("```").unwrap()];
    let crate_readme = std::fs::read_to_string(repo_root().join("generated/README.md")).unwrap();
    assert!(
        crate_readme.contains(example.trim_end()),
        "README.md's example differs from the one in spec/crate/README.md"
    );
}
