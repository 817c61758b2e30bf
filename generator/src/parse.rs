//! Stage 3: the overlaid JSON document into the typed OpenAPI 3.0 model (openapiv3).
//! A node of the wrong shape is reported with its JSON pointer (serde_path_to_error).

use crate::error::{CodegenError, Result};
use serde_json::Value;

/// A job for the thread beside the caller's.
pub type Job = Box<dyn FnOnce() + Send>;

/// Jobs for a thread beside the caller's, which runs them in order.
pub type Beside = std::sync::mpsc::Sender<Job>;

pub fn parse_openapi(value: Value) -> Result<openapiv3::OpenAPI> {
    parse_openapi_beside(value, None)
}

/// [`parse_openapi`], with the `components` read on the thread beside when there is one.
pub fn parse_openapi_beside(
    mut value: Value,
    beside: Option<&Beside>,
) -> Result<openapiv3::OpenAPI> {
    match value.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => {}
        Some(v) => {
            return Err(
                CodegenError::new("#/openapi", format!("unsupported OpenAPI version {v}"))
                    .with_hint("this generator reads OpenAPI 3.0.x documents"),
            )
        }
        None => {
            return Err(
                CodegenError::new("#/openapi", "missing `openapi` version field")
                    .with_hint("an OpenAPI 3.0 document starts with `openapi: 3.0.3`"),
            )
        }
    }
    // Without path tracking first (a quarter faster on the pinned document); only a document
    // that fails is parsed again to find where.
    let read = match beside {
        Some(beside) => read_components_beside(&mut value, beside)?,
        None => <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&value).ok(),
    };
    if let Some(doc) = read {
        return Ok(doc);
    }
    match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&value) {
        Ok(doc) => Ok(doc),
        // openapiv3 flattens some maps (paths, responses), which hides the path below them;
        // parsing the parts one by one finds the node itself.
        Err(e) => Err(locate_invalid_node(&value).unwrap_or_else(|| {
            CodegenError::new(
                crate::error::pointer_of_path("#", e.path()),
                format!("not a valid OpenAPI 3.0 node: {}", e.inner()),
            )
        })),
    }
}

/// The typed document, its `components` (nearly half of the reading, on the pinned document)
/// read on the thread beside while the rest is read here; they are also dropped there. `None`
/// if the document does not read: `value` is then as it was but for `components` when they
/// did read, and the reading again with path tracking finds the same first error.
fn read_components_beside(
    value: &mut Value,
    beside: &Beside,
) -> Result<Option<openapiv3::OpenAPI>> {
    use serde::Deserialize;
    let Some(components) = value.get_mut("components").map(Value::take) else {
        return Ok(openapiv3::OpenAPI::deserialize(&*value).ok());
    };
    let (send, receive) = std::sync::mpsc::channel();
    let job: Job = Box::new(move || {
        // A panic (a bug of the reader) stays in the job, so that the thread goes on: this
        // side then finds the result's sender gone.
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            Option::<openapiv3::Components>::deserialize(&components)
        }));
        if let Ok(read) = read {
            let _ = send.send(read.map_err(|_| components));
        }
    });
    // A thread that has ended returns the job: it runs here then.
    if let Err(std::sync::mpsc::SendError(job)) = beside.send(job) {
        job();
    }
    // `components` is null meanwhile, which reads as none.
    let rest = openapiv3::OpenAPI::deserialize(&*value).ok();
    match receive.recv() {
        Ok(Ok(components)) => Ok(rest.map(|doc| openapiv3::OpenAPI { components, ..doc })),
        Ok(Err(components)) => {
            if let Some(slot) = value.get_mut("components") {
                *slot = components;
            }
            Ok(None)
        }
        // The job panicked, or was dropped unrun: the components are gone with it.
        Err(_) => Err(crate::write::thread_panicked()),
    }
}

/// Parses each path item and each component on its own, and reports the first that fails.
fn locate_invalid_node(value: &Value) -> Option<CodegenError> {
    use openapiv3::{Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
    fn try_parse<T: serde::de::DeserializeOwned>(
        node: &Value,
        base: &[&str],
    ) -> Option<CodegenError> {
        serde_path_to_error::deserialize::<_, T>(node)
            .err()
            .map(|e| {
                let inner = crate::error::pointer_of_path("#", e.path());
                let base = crate::error::pointer("#", base);
                CodegenError::new(
                    format!("{base}{}", &inner[1..]),
                    format!("not a valid OpenAPI 3.0 node: {}", e.inner()),
                )
            })
    }
    if let Some(paths) = value.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            if path.starts_with("x-") {
                continue;
            }
            if let Some(item_map) = item.as_object() {
                for (method, op) in item_map {
                    if [
                        "get", "put", "post", "delete", "patch", "head", "options", "trace",
                    ]
                    .contains(&method.as_str())
                    {
                        if let Some(e) =
                            try_parse::<openapiv3::Operation>(op, &["paths", path, method])
                        {
                            return Some(e);
                        }
                    }
                }
            }
            if let Some(e) = try_parse::<ReferenceOr<PathItem>>(item, &["paths", path]) {
                return Some(e);
            }
        }
    }
    let components = value.get("components")?;
    type Check = fn(&Value, &[&str]) -> Option<CodegenError>;
    let sections: [(&str, Check); 4] = [
        ("schemas", try_parse::<ReferenceOr<Schema>>),
        ("responses", try_parse::<ReferenceOr<Response>>),
        ("parameters", try_parse::<ReferenceOr<Parameter>>),
        ("requestBodies", try_parse::<ReferenceOr<RequestBody>>),
    ];
    for (section, parse) in sections {
        for (key, node) in components
            .get(section)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(e) = parse(node, &["components", section, key]) {
                return Some(e);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refuses_openapi_31() {
        let e = parse_openapi(json!({"openapi": "3.1.0"})).unwrap_err();
        assert_eq!(e.pointer, "#/openapi");
    }

    #[test]
    fn wrong_shape_names_the_node() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": 5}}}}}});
        let e = parse_openapi(doc).unwrap_err();
        assert!(e.pointer.starts_with("#/paths/~1a/get"), "{e}");
    }

    fn document(schema: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
            "components": {"schemas": {"A": schema}}, "x-note": 1})
    }

    /// Runs `read` with a thread beside that takes jobs until `read` returns, and runs each
    /// (`run`) or drops it unrun; with how many jobs it took.
    fn with_thread_beside<T>(run: bool, read: impl FnOnce(&Beside) -> T) -> (T, usize) {
        let (beside, jobs) = std::sync::mpsc::channel::<Job>();
        std::thread::scope(|scope| {
            let side = scope.spawn(move || {
                jobs.iter()
                    .map(|job| {
                        if run {
                            job();
                        }
                    })
                    .count()
            });
            let out = read(&beside);
            drop(beside);
            (out, side.join().unwrap())
        })
    }

    #[test]
    fn components_read_beside_give_the_same_document() {
        for doc in [
            document(json!({"type": "object", "properties": {"b": {"type": "string"}}})),
            json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}),
        ] {
            let alone = parse_openapi(doc.clone()).unwrap();
            let (beside, jobs) =
                with_thread_beside(true, |b| parse_openapi_beside(doc.clone(), Some(b)));
            assert_eq!(beside.unwrap(), alone);
            let expected_jobs = usize::from(doc.get("components").is_some());
            assert_eq!(jobs, expected_jobs, "components go to the thread beside");
        }
    }

    #[test]
    fn an_error_read_beside_is_the_same_error() {
        // In the components, then in the rest (with valid components).
        let bad_schema = document(json!({"type": "object", "properties": 5}));
        let mut bad_rest = document(json!({"type": "string"}));
        bad_rest["paths"]["/a"]["get"]["responses"]["200"]["description"] = json!(5);
        for doc in [bad_schema, bad_rest] {
            let alone = parse_openapi(doc.clone()).unwrap_err();
            let (beside, _) =
                with_thread_beside(true, |b| parse_openapi_beside(doc.clone(), Some(b)));
            let beside = beside.unwrap_err();
            assert_eq!(
                (beside.pointer, beside.message),
                (alone.pointer, alone.message)
            );
        }
    }

    #[test]
    fn a_job_that_never_reports_is_an_internal_error_not_a_document_without_components() {
        let doc = document(json!({"type": "string"}));
        // A thread beside that drops its jobs unrun, as a job that panicked ends.
        let (read, dropped) = with_thread_beside(false, |b| parse_openapi_beside(doc, Some(b)));
        assert_eq!(dropped, 1);
        let error = read.unwrap_err();
        assert!(error.message.contains("internal error"), "{error}");
    }

    #[test]
    fn a_thread_beside_that_has_ended_leaves_the_job_here() {
        let (beside, jobs) = std::sync::mpsc::channel::<Job>();
        drop(jobs);
        let doc = document(json!({"type": "string"}));
        let read = parse_openapi_beside(doc.clone(), Some(&beside)).unwrap();
        assert_eq!(read, parse_openapi(doc).unwrap());
        assert!(read.components.is_some());
    }
}
