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
}

impl CodegenError {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        CodegenError {
            pointer: pointer.into(),
            message: message.into(),
            hint: None,
        }
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
            write!(f, "\n  fix: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CodegenError {}

pub type Result<T, E = CodegenError> = std::result::Result<T, E>;

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
        assert_eq!(e.to_string(), "#/x: bad\n  fix: do y");
    }
}
