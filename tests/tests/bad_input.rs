//! Bad input is an error that names the JSON pointer of the offending node, and leaves the output
//! directory exactly as it was.

use authlete_codegen::Inputs;
use authlete_tests::fixtures_dir;

fn run(spec_text: &str) -> (authlete_codegen::CodegenError, bool) {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.yaml");
    std::fs::write(&spec, spec_text).unwrap();
    let out = dir.path().join("generated");
    std::fs::create_dir_all(out.join("src")).unwrap();
    std::fs::write(out.join("src/lib.rs"), "// the previous crate\n").unwrap();
    let inputs = Inputs {
        spec,
        overlay: fixtures_dir().join("empty-overlay.yaml"),
        pinned_sha256: None,
        crate_files: None,
    };
    let error = match authlete_codegen::generate(&inputs, &out) {
        Ok(_) => panic!("generation should fail"),
        Err(e) => e,
    };
    let untouched = std::fs::read_to_string(out.join("src/lib.rs")).unwrap()
        == "// the previous crate\n"
        && std::fs::read_dir(&out).unwrap().count() == 1
        && std::fs::read_dir(dir.path()).unwrap().count() == 2;
    (error, untouched)
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

#[test]
fn malformed_yaml() {
    let (e, untouched) = run("openapi: 3.0.3\ninfo: {title: t\npaths: {}\n");
    assert!(e.message.contains("malformed YAML at line"), "{e}");
    assert!(untouched);
}

#[test]
fn dangling_ref() {
    let spec = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    a:\n      type: object\n      properties:\n        b: {{$ref: '#/components/schemas/missing'}}\n"
    );
    let (e, untouched) = run(&spec);
    assert_eq!(e.pointer, "#/components/schemas/a/properties/b", "{e}");
    assert!(e.message.contains("points at nothing"), "{e}");
    assert!(untouched);
}

#[test]
fn unsupported_one_of() {
    let spec = format!(
        "{HEAD}paths:\n  /api/{{serviceId}}/gm:\n    post:\n      operationId: gm\n      parameters: [{{in: path, name: serviceId, required: true, schema: {{type: string}}}}]\n      requestBody:\n        content:\n          application/json:\n            schema:\n              oneOf: [{{type: string}}, {{type: integer}}]\n      responses: {{'200': {{description: ok}}}}\n"
    );
    let (e, untouched) = run(&spec);
    assert_eq!(
        e.pointer,
        "#/paths/~1api~1{serviceId}~1gm/post/requestBody/content/application~1json/schema",
        "{e}"
    );
    assert!(e.message.contains("oneOf"), "{e}");
    assert!(e.hint.is_some());
    assert!(untouched);
}

#[test]
fn duplicate_method_names() {
    let spec = format!(
        "{HEAD}paths:\n  /a:\n    get: {{operationId: thing_get_api, tags: [T], responses: {{'200': {{description: ok}}}}}}\n  /b:\n    get: {{operationId: thing_get, tags: [T], responses: {{'200': {{description: ok}}}}}}\n"
    );
    let (e, untouched) = run(&spec);
    assert_eq!(e.pointer, "#/paths/~1b/get");
    assert!(
        e.message.contains("already taken by #/paths/~1a/get"),
        "{e}"
    );
    assert!(e.hint.unwrap().contains("x-rust-name"));
    assert!(untouched);
}

#[test]
fn path_parameter_missing_from_the_template() {
    let spec = format!(
        "{HEAD}paths:\n  /a/{{id}}:\n    get:\n      operationId: a\n      responses: {{'200': {{description: ok}}}}\n"
    );
    let (e, untouched) = run(&spec);
    assert_eq!(e.pointer, "#/paths/~1a~1{id}/get");
    assert!(e.message.contains("no path parameter `id`"), "{e}");
    assert!(untouched);
}

#[test]
fn wrong_openapi_version() {
    let (e, untouched) = run("openapi: 2.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
    assert_eq!(e.pointer, "#/openapi");
    assert!(untouched);
}
