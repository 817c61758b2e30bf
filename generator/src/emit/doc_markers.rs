//! Doc comments kept out of the token streams while a unit is emitted and formatted.
//!
//! A doc line as a `#[doc = " …"]` attribute costs three times over: proc-macro2 escapes the
//! text into a string literal, syn parses the literal back (every `parse2` of a file), and
//! prettyplease cooks it again to print it as `///`. For the pinned document that was about a
//! tenth of a whole run's instructions (callgrind; BENCHMARKS.md). Instead, while a unit is
//! emitted ([`collecting`]), each doc comment becomes a marker attribute holding only its number,
//! `#[__authlete_codegen_doc(7)]`, which prettyplease prints on a line of its own; [`splice`]
//! then puts the `///` lines in its place, with its indentation. The output is byte-identical to
//! printing the attributes (the drift check on the pinned document and the golden fixtures hold
//! it to that).

use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens};
use std::cell::RefCell;

/// The marker attribute's name: not a real attribute, so a marker left in the output would not
/// compile rather than pass unnoticed.
const MARKER: &str = "__authlete_codegen_doc";

/// The doc comments of one unit, by marker number: each one's lines, as `#[doc]` values (`" text"`
/// or `""`).
#[derive(Debug, Default)]
pub struct Docs(Vec<Vec<String>>);

thread_local! {
    /// The docs of the unit being emitted on this thread, while [`collecting`] runs.
    static COLLECTED: RefCell<Option<Docs>> = const { RefCell::new(None) };
}

/// Runs `emit` with doc comments collected: its output, and the docs its markers refer to.
pub fn collecting<T>(emit: impl FnOnce() -> T) -> (T, Docs) {
    let outer = COLLECTED.with(|c| c.replace(Some(Docs::default())));
    let output = emit();
    let docs = COLLECTED.with(|c| c.replace(outer)).unwrap_or_default();
    (output, docs)
}

/// The tokens of one doc comment: a marker while collecting, `#[doc]` attributes otherwise.
pub fn attrs(lines: Vec<String>) -> TokenStream {
    if lines.is_empty() {
        return TokenStream::new();
    }
    match collected(lines) {
        Ok(n) => {
            let name = super::ident(MARKER);
            let n = Literal::usize_unsuffixed(n);
            quote! { #[#name(#n)] }
        }
        Err(lines) => quote! { #( #[doc = #lines] )* },
    }
}

/// [`attrs`] as attribute trees, for items built as trees.
pub fn attr_trees(lines: Vec<String>) -> Vec<syn::Attribute> {
    if lines.is_empty() {
        return Vec::new();
    }
    match collected(lines) {
        Ok(n) => vec![super::syntax::list_attr(
            MARKER,
            Literal::usize_unsuffixed(n).into_token_stream(),
        )],
        Err(lines) => lines
            .iter()
            .map(|line| super::syntax::doc_attr(line))
            .collect(),
    }
}

/// The marker number of a doc comment's lines, kept for [`splice`] while collecting; the lines
/// back otherwise.
fn collected(lines: Vec<String>) -> Result<usize, Vec<String>> {
    COLLECTED.with(|c| match c.borrow_mut().as_mut() {
        Some(docs) => {
            docs.0.push(lines);
            Ok(docs.0.len() - 1)
        }
        None => Err(lines),
    })
}

/// Formatted text with each marker line replaced by its `///` lines. A marker that is not alone
/// on its line (prettyplease put the attribute inline) is an error, not a doc comment lost.
/// The text between markers is copied in whole runs: only the marker lines are looked at.
pub fn splice(text: &str, docs: &Docs) -> Result<String, String> {
    let prefix = format!("#[{MARKER}(");
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    let mut copied = 0;
    while let Some(found) = text[copied..].find(MARKER) {
        let at = copied + found;
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
        let body = text[line_start..line_end].trim_end_matches('\n');
        let code = body.trim_start();
        let lines = code
            .strip_prefix(prefix.as_str())
            .and_then(|rest| rest.strip_suffix(")]"))
            .ok_or_else(|| format!("a doc comment marker inside a line: `{body}`"))?
            .parse::<usize>()
            .ok()
            .and_then(|n| docs.0.get(n))
            .ok_or_else(|| format!("a doc comment marker without its doc: `{body}`"))?;
        out.push_str(&text[copied..line_start]);
        let indent = &body[..body.len() - code.len()];
        for doc in lines {
            out.push_str(indent);
            out.push_str("///");
            // prettyplease's own rule for a doc line: trailing spaces trimmed
            out.push_str(doc.trim_end());
            out.push('\n');
        }
        copied = line_end;
    }
    out.push_str(&text[copied..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unparse(tokens: TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(tokens).unwrap())
    }

    #[test]
    fn spliced_docs_are_what_prettyplease_prints_for_the_attributes() {
        let item = |doc: TokenStream, field_doc: TokenStream| {
            quote! {
                #doc
                pub struct A {
                    #field_doc
                    pub x: u8,
                }
                impl A {
                    #doc
                    pub fn f(&self) {}
                }
                #doc
                pub struct B;
            }
        };
        let lines = vec![" One.".to_string(), String::new(), " Two  ".to_string()];
        let field = vec![" The field.".to_string()];
        let plain = unparse(item(attrs(lines.clone()), attrs(field.clone())));
        let (tokens, docs) = collecting(|| item(attrs(lines.clone()), attrs(field.clone())));
        let marked = unparse(tokens);
        assert!(marked.contains(MARKER), "{marked}");
        assert_eq!(splice(&marked, &docs).unwrap(), plain);
    }

    #[test]
    fn an_inline_or_unknown_marker_is_an_error() {
        let docs = Docs(vec![vec![" a".into()]]);
        assert!(splice("fn f(#[__authlete_codegen_doc(0)] x: u8) {}\n", &docs).is_err());
        assert!(splice("#[__authlete_codegen_doc(1)]\n", &docs).is_err());
        assert_eq!(
            splice("    #[__authlete_codegen_doc(0)]\n    x: u8,\n", &docs).unwrap(),
            "    /// a\n    x: u8,\n"
        );
    }
}
