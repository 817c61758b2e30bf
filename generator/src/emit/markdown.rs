//! The document's prose (CommonMark with some HTML) made safe for rustdoc: what reads as an
//! intra-doc link, a bare URL or an HTML tag would be a `cargo doc` warning or a broken page.
//! Code blocks and code spans are left as they are (blocks that are not Rust are marked `text`
//! elsewhere, so rustdoc does not compile them).

/// Cleans one description. Prose between code fences is cleaned as a whole, since a link's
/// text may run over several lines.
pub fn clean(text: &str) -> String {
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
    out.join("\n")
}

/// Outside code spans: escape brackets that are not Markdown links, wrap bare URLs in `<…>`,
/// escape `<` that does not open such an autolink.
fn clean_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                // A code span runs to the next run of the same number of backticks.
                let ticks = chars[i..].iter().take_while(|&&t| t == '`').count();
                let fence: String = "`".repeat(ticks);
                let rest: String = chars[i + ticks..].iter().collect();
                match rest.find(&fence) {
                    Some(end) => {
                        out.push_str(&fence);
                        out.push_str(&rest[..end + ticks]);
                        i += ticks + rest[..end].chars().count() + ticks;
                    }
                    None => {
                        out.push_str(&fence);
                        i += ticks;
                    }
                }
            }
            '[' => match link_end(&chars, i) {
                Some(end) => {
                    let link: String = chars[i..end].iter().collect();
                    out.push_str(&link);
                    i = end;
                }
                None => {
                    out.push_str("\\[");
                    i += 1;
                }
            },
            ']' => {
                out.push_str("\\]");
                i += 1;
            }
            '<' => {
                let rest: String = chars[i..].iter().collect();
                if let Some(close) = rest.find('>').filter(|_| rest.starts_with("<http://") || rest.starts_with("<https://")) {
                    out.push_str(&rest[..=close]);
                    i += rest[..=close].chars().count();
                } else {
                    out.push_str("&lt;");
                    i += 1;
                }
            }
            // Links are copied whole above, so a URL met here is bare (even after a `(`, as in
            // `[text]\n(url)` or `text](url)` with its `[` missing).
            'h' if starts_url(&chars, i) && (i == 0 || chars[i - 1] != '<') => {
                let mut end = i;
                while end < chars.len() && !chars[end].is_whitespace() && !matches!(chars[end], '<' | '>' | '"' | ')' | ']' | '`') {
                    end += 1;
                }
                while end > i && matches!(chars[end - 1], '.' | ',' | ';' | ':' | '!' | '?') {
                    end -= 1;
                }
                let url: String = chars[i..end].iter().collect();
                out.push('<');
                out.push_str(&url);
                out.push('>');
                i = end;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn starts_url(chars: &[char], i: usize) -> bool {
    let rest: String = chars[i..chars.len().min(i + 8)].iter().collect();
    rest.starts_with("http://") || rest.starts_with("https://")
}

/// The end (exclusive) of an inline Markdown link `[text](target)` starting at `start`.
fn link_end(chars: &[char], start: usize) -> Option<usize> {
    let mut depth = 0;
    let mut i = start;
    while i < chars.len() {
        match chars[i] {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if i >= chars.len() || chars.get(i + 1) != Some(&'(') {
        return None;
    }
    let close = chars[i + 2..].iter().position(|&c| c == ')')? + i + 2;
    Some(close + 1)
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn cleans_what_rustdoc_would_warn_about() {
        let cases = [
            ("[A001201] TLS must be used.", "\\[A001201\\] TLS must be used."),
            ("See [RFC 6749](https://www.rfc-editor.org/rfc/rfc6749) now.", "See [RFC 6749](https://www.rfc-editor.org/rfc/rfc6749) now."),
            ("Go to https://example.com/a?b=1.", "Go to <https://example.com/a?b=1>."),
            ("Header `Authorization: Bearer <token>` stays.", "Header `Authorization: Bearer <token>` stays."),
            ("a <br> tag and <https://x.example> link", "a &lt;br> tag and <https://x.example> link"),
            ("[https://a.example/b]", "\\[<https://a.example/b>\\]"),
            ("Metadata](https://a.example/m).", "Metadata\\](<https://a.example/m>)."),
            ("JSON array [\"a\", \"b\"]", "JSON array \\[\"a\", \"b\"\\]"),
        ];
        for (input, want) in cases {
            assert_eq!(clean(input), want, "{input}");
        }
    }

    #[test]
    fn a_link_may_span_lines() {
        assert_eq!(clean("[Form Post\nResponse Mode](https://a.example/x) end"), "[Form Post\nResponse Mode](https://a.example/x) end");
    }

    #[test]
    fn leaves_code_blocks_alone() {
        let text = "before [x]\n```text\n[y] <z> https://q\n```\nafter";
        assert_eq!(clean(text), "before \\[x\\]\n```text\n[y] <z> https://q\n```\nafter");
    }
}
