//! The document's prose (CommonMark with some HTML) made safe for rustdoc: what reads as an
//! intra-doc link, a bare URL or an HTML tag would be a `cargo doc` warning or a broken page.
//! Code blocks and code spans are left as they are (blocks that are not Rust are marked `text`
//! elsewhere, so rustdoc does not compile them).

/// Cleans one description. Prose between code fences is cleaned as a whole, since a link's
/// text may run over several lines.
pub fn clean(text: &str) -> String {
    let text = blocks_and_links(&without_controls(text));
    let mut out: Vec<String> = Vec::new();
    let mut prose: Vec<&str> = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let fence = line.trim_start().starts_with("```");
        if in_fence || fence {
            if !prose.is_empty() {
                out.push(clean_line(&prose.join("\n")));
                prose.clear();
            }
            out.push(line.to_string());
            if fence {
                in_fence = !in_fence;
            }
        } else {
            prose.push(line);
        }
    }
    if !prose.is_empty() {
        out.push(clean_line(&prose.join("\n")));
    }
    if in_fence {
        // A fence the description never closes would swallow what follows it in the same doc
        // comment (the errors section, the example): close it here.
        out.push("```".to_string());
    }
    out.join("\n")
}

/// Text without the characters that break a Rust source file or read differently than they
/// are: a lone carriage return (not allowed in a doc comment), other control characters, and
/// bidirectional overrides and isolates (denied in comments by rustc).
pub fn without_controls(text: &str) -> String {
    // Most text is printable ASCII, which has none of them: no need to look at characters.
    let plain = |b: &u8| (0x20..0x7f).contains(b) || *b == b'\n' || *b == b'\t';
    if text.as_bytes().iter().all(plain) {
        return text.to_string();
    }
    let kept = |c: char| {
        let bidi = matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        !bidi && (!c.is_control() || c == '\n' || c == '\t')
    };
    // Other text (typographic quotes, accents) usually has none either: copied whole.
    if text.chars().all(kept) {
        return text.to_string();
    }
    text.replace("\r\n", "\n")
        .chars()
        .filter(|&c| kept(c))
        .collect()
}

/// What CommonMark (pulldown-cmark, rustdoc's parser) sees that a line-by-line reading would
/// not: indented and `~~~` code blocks become ```` ```text ```` fences (rustdoc would compile
/// them as Rust doctests), and links whose target is not an absolute URL (relative paths that
/// only resolve on the document's own site) become their text.
fn blocks_and_links(text: &str) -> String {
    use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut code: Option<(std::ops::Range<usize>, String)> = None;
    let mut link: Option<(std::ops::Range<usize>, String)> = None;
    for (event, range) in Parser::new_ext(text, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let fenced_with_backticks = matches!(&kind, CodeBlockKind::Fenced(_))
                    && text[range.clone()].trim_start().starts_with("```");
                if !fenced_with_backticks {
                    // From the start of the line: the indentation of an indented block is
                    // outside its range, and would indent the fence that replaces it.
                    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
                    let start = if text[line_start..range.start].trim().is_empty() {
                        line_start
                    } else {
                        range.start
                    };
                    code = Some((start..range.end, String::new()));
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((range, body)) = code.take() {
                    let newline = if body.ends_with('\n') { "" } else { "\n" };
                    let end = if text[..range.end].ends_with('\n') {
                        "\n"
                    } else {
                        ""
                    };
                    edits.push((range, format!("```text\n{body}{newline}```{end}")));
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) if !is_absolute(&dest_url) => {
                link = Some((range, String::new()))
            }
            Event::End(TagEnd::Link) => {
                if let Some((range, label)) = link.take() {
                    edits.push((range, label));
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, label)) = link.as_mut() {
                    label.push(' ');
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, body)) = code.as_mut() {
                    body.push_str(&t);
                } else if let Some((_, label)) = link.as_mut() {
                    label.push_str(&t);
                }
            }
            _ => {}
        }
    }
    let mut out = text.to_string();
    // Ranges do not overlap (a link cannot hold a code block); apply from the end.
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    for (range, replacement) in edits {
        out.replace_range(range, &replacement);
    }
    out
}

fn is_absolute(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://") || url.starts_with("mailto:")
}

/// Outside code spans: escape brackets that are not Markdown links, wrap bare URLs in `<…>`,
/// escape `<` that does not open such an autolink.
fn clean_line(line: &str) -> String {
    let special = |b: u8| matches!(b, b'`' | b'[' | b']' | b'<');
    if !line.bytes().any(special) && !line.contains("http://") && !line.contains("https://") {
        // Most prose: nothing below would change it.
        return line.to_string();
    }
    // Every character acted on is ASCII, so the line is walked by bytes: an index stopped at
    // one of them is a character boundary, and the runs between are copied whole.
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    while i < bytes.len() {
        let rest = &line[i..];
        match bytes[i] {
            b'`' => {
                // A code span runs to the next run of the same number of backticks.
                let ticks = rest.bytes().take_while(|&t| t == b'`').count();
                let fence = &rest[..ticks];
                out.push_str(fence);
                i += ticks;
                if let Some(end) = line[i..].find(fence) {
                    out.push_str(&line[i..i + end + ticks]);
                    i += end + ticks;
                }
            }
            b'[' => match link_end(bytes, i) {
                Some(end) => {
                    out.push_str(&line[i..end]);
                    i = end;
                }
                None => {
                    out.push_str("\\[");
                    i += 1;
                }
            },
            b']' => {
                out.push_str("\\]");
                i += 1;
            }
            b'<' => {
                if let Some(close) = rest
                    .find('>')
                    .filter(|_| rest.starts_with("<http://") || rest.starts_with("<https://"))
                {
                    out.push_str(&rest[..=close]);
                    i += close + 1;
                } else {
                    out.push_str("&lt;");
                    i += 1;
                }
            }
            // Links are copied whole above, so a URL met here is bare (even after a `(`, as in
            // `[text]\n(url)` or `text](url)` with its `[` missing).
            b'h' if (rest.starts_with("http://") || rest.starts_with("https://"))
                && (i == 0 || bytes[i - 1] != b'<') =>
            {
                let mut end = rest
                    .char_indices()
                    .find(|&(_, c)| {
                        c.is_whitespace() || matches!(c, '<' | '>' | '"' | ')' | ']' | '`')
                    })
                    .map_or(line.len(), |(at, _)| i + at);
                while end > i && matches!(bytes[end - 1], b'.' | b',' | b';' | b':' | b'!' | b'?') {
                    end -= 1;
                }
                out.push('<');
                out.push_str(&line[i..end]);
                out.push('>');
                i = end;
            }
            _ => {
                // The run up to the next character a branch above could take, copied whole.
                let run = bytes[i + 1..]
                    .iter()
                    .position(|&b| matches!(b, b'`' | b'[' | b']' | b'<' | b'h'))
                    .map_or(bytes.len(), |n| i + 1 + n);
                out.push_str(&line[i..run]);
                i = run;
            }
        }
    }
    out
}

/// The end (exclusive, a byte index) of an inline Markdown link `[text](target)` starting at
/// `start`.
fn link_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if i >= bytes.len() || bytes.get(i + 1) != Some(&b'(') {
        return None;
    }
    let close = bytes[i + 2..].iter().position(|&b| b == b')')? + i + 2;
    Some(close + 1)
}

#[cfg(test)]
mod tests {
    use super::{clean, without_controls};

    #[test]
    fn cleans_what_rustdoc_would_warn_about() {
        let cases = [
            (
                "[A001201] TLS must be used.",
                "\\[A001201\\] TLS must be used.",
            ),
            (
                "See [RFC 6749](https://www.rfc-editor.org/rfc/rfc6749) now.",
                "See [RFC 6749](https://www.rfc-editor.org/rfc/rfc6749) now.",
            ),
            (
                "Go to https://example.com/a?b=1.",
                "Go to <https://example.com/a?b=1>.",
            ),
            (
                "Header `Authorization: Bearer <token>` stays.",
                "Header `Authorization: Bearer <token>` stays.",
            ),
            (
                "a <br> tag and <https://x.example> link",
                "a &lt;br> tag and <https://x.example> link",
            ),
            ("[https://a.example/b]", "\\[<https://a.example/b>\\]"),
            (
                "Metadata](https://a.example/m).",
                "Metadata\\](<https://a.example/m>).",
            ),
            ("JSON array [\"a\", \"b\"]", "JSON array \\[\"a\", \"b\"\\]"),
            (
                "Voir « [lien](https://a.example) » et https://é.example/x, `c` ] ü<b>",
                "Voir « [lien](https://a.example) » et <https://é.example/x>, `c` \\] ü&lt;b>",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(clean(input), want, "{input}");
        }
    }

    #[test]
    fn a_link_may_span_lines() {
        assert_eq!(
            clean("[Form Post\nResponse Mode](https://a.example/x) end"),
            "[Form Post\nResponse Mode](https://a.example/x) end"
        );
    }

    #[test]
    fn code_blocks_rustdoc_would_compile_become_text_fences() {
        let indented = clean("Send:\n\n    POST /x HTTP/1.1\n    {}\n\nDone.");
        assert_eq!(
            indented,
            "Send:\n\n```text\nPOST /x HTTP/1.1\n{}\n```\n\nDone."
        );
        let tildes = clean("~~~\nlet x = 1;\n~~~");
        assert_eq!(tildes, "```text\nlet x = 1;\n```");
    }

    #[test]
    fn links_that_are_not_absolute_become_their_text() {
        assert_eq!(
            clean("see [the\nguide](guide/intro.md) or [site](https://example.com)"),
            "see the guide or [site](https://example.com)"
        );
    }

    #[test]
    fn an_unclosed_fence_is_closed() {
        assert_eq!(clean("text\n```\ncode"), "text\n```\ncode\n```");
    }

    #[test]
    fn controls_and_bidi_are_dropped() {
        assert_eq!(without_controls("a\r\nb\rc\u{202e}d\u{2066}e"), "a\nbcde");
    }

    #[test]
    fn leaves_code_blocks_alone() {
        let text = "before [x]\n```text\n[y] <z> https://q\n```\nafter";
        assert_eq!(
            clean(text),
            "before \\[x\\]\n```text\n[y] <z> https://q\n```\nafter"
        );
    }
}
