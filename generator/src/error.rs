//! The one error type of the generator. Every error names the JSON pointer of the node it is about
//! (or the file, for I/O), what is wrong, and what would fix it.

use std::fmt;

/// An error that stops generation. `pointer` is a JSON pointer into the document after the overlay
/// was applied (for example `#/paths/~1api~1{serviceId}~1gm/post/requestBody`), or a file path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodegenError {
    pub pointer: String,
    pub message: String,
    pub hint: Option<String>,
    /// The other errors found in the same run (independent schemas, operations, overlay
    /// actions), so that a maintainer fixes a document in one pass rather than one error per run.
    pub others: Vec<CodegenError>,
}

impl CodegenError {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        CodegenError {
            pointer: pointer.into(),
            message: message.into(),
            hint: None,
            others: Vec::new(),
        }
    }

    /// The errors as one (the first, carrying the rest), in order, duplicates dropped (an error
    /// reached from two places, such as a broken schema that two operations use, is reported
    /// once); `None` when there is none.
    pub fn combine(errors: impl IntoIterator<Item = CodegenError>) -> Option<CodegenError> {
        let mut seen: std::collections::HashSet<(String, String)> = Default::default();
        let unique: Vec<CodegenError> = errors
            .into_iter()
            .flat_map(CodegenError::into_all)
            .filter(|e| seen.insert((e.pointer.clone(), e.message.clone())))
            .collect();
        let mut unique = unique.into_iter();
        let mut first = unique.next()?;
        first.others = unique.collect();
        Some(first)
    }

    /// This error and the others of its run, each on its own.
    pub fn into_all(mut self) -> Vec<CodegenError> {
        let others = std::mem::take(&mut self.others);
        std::iter::once(self)
            .chain(others.into_iter().flat_map(CodegenError::into_all))
            .collect()
    }

    /// How many errors the run found (1 + the others).
    pub fn count(&self) -> usize {
        1 + self.others.iter().map(CodegenError::count).sum::<usize>()
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  help: {hint}")?;
        }
        // The others follow as the binary prints the first: `error: ` before each. A document
        // with thousands (a hostile one, or one mistake copied everywhere) shows the first ones.
        for other in self.others.iter().take(MAX_SHOWN - 1) {
            write!(f, "\nerror: {other}")?;
        }
        if self.others.len() >= MAX_SHOWN {
            write!(
                f,
                "\n… and {} more errors of the same run",
                self.others.len() + 1 - MAX_SHOWN
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for CodegenError {}

pub type Result<T, E = CodegenError> = std::result::Result<T, E>;

/// How many errors of one run `Display` shows (the count says how many there were).
pub const MAX_SHOWN: usize = 50;

/// The errors of the independent parts of a run (each schema, each operation, each overlay
/// action): a part that fails is recorded and the next one is tried, and the run ends with all
/// of them.
#[derive(Debug, Default)]
pub struct Errors(Vec<CodegenError>);

impl Errors {
    /// The value of `result`, or `None` after recording its error.
    pub fn keep<T>(&mut self, result: Result<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.0.push(error);
                None
            }
        }
    }

    pub fn push(&mut self, error: CodegenError) {
        self.0.push(error);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when nothing was recorded, else every error as one (and none is left recorded).
    pub fn finish(&mut self) -> Result<()> {
        match CodegenError::combine(std::mem::take(&mut self.0)) {
            None => Ok(()),
            Some(error) => Err(error),
        }
    }
}

/// Builds the JSON pointer of `segments` below `base`, escaping `~` and `/` as RFC 6901 requires.
pub fn pointer(base: &str, segments: &[&str]) -> String {
    let mut out = String::from(base);
    for segment in segments {
        out.push('/');
        out.push_str(&segment.replace('~', "~0").replace('/', "~1"));
    }
    out
}

/// serde_path_to_error's path (`paths./api/x.get`, `actions[0]`) as a JSON pointer below `base`,
/// the form every error of the generator uses.
pub fn pointer_of_path(base: &str, path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let segments: Vec<String> = path
        .iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect();
    let refs: Vec<&str> = segments.iter().map(String::as_str).collect();
    pointer(base, &refs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_slashes_and_tildes() {
        assert_eq!(
            pointer("#/paths", &["/api/{serviceId}/gm", "post"]),
            "#/paths/~1api~1{serviceId}~1gm/post"
        );
        assert_eq!(pointer("#", &["a~b"]), "#/a~0b");
    }

    #[test]
    fn display_names_pointer_message_and_fix() {
        let e = CodegenError::new("#/x", "bad").with_hint("do y");
        assert_eq!(e.to_string(), "#/x: bad\n  help: do y");
    }

    #[test]
    fn errors_of_a_run_are_kept_in_order_once_each() {
        let mut errors = Errors::default();
        assert_eq!(errors.keep(Ok::<_, CodegenError>(1)), Some(1));
        assert!(errors.is_empty());
        assert_eq!(
            errors.keep::<()>(Err(CodegenError::new("#/a", "one"))),
            None
        );
        errors.push(CodegenError::new("#/b", "two").with_hint("h"));
        errors.push(CodegenError::new("#/a", "one"));
        let error = errors.finish().unwrap_err();
        assert_eq!(error.count(), 2);
        assert_eq!(error.to_string(), "#/a: one\nerror: #/b: two\n  help: h");
        let pointers: Vec<String> = error.into_all().into_iter().map(|e| e.pointer).collect();
        assert_eq!(pointers, ["#/a", "#/b"]);
        assert!(Errors::default().finish().is_ok());
    }
}
