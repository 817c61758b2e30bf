//! The document's YAML read into JSON values with saphyr's parser, giving the values serde_yaml
//! gives.
//!
//! Reading the pinned document is the longest step before anything can run on the second core,
//! and serde_yaml (libyaml's port) spends a third of it decoding the input a character at a time.
//! saphyr's parser reads the same text in about 40% fewer instructions (BENCHMARKS.md). It only
//! gives events, so the values are made here, with serde_yaml 0.9's own rules for what a plain
//! scalar means (null, bool, integer, float, else string), copied below.
//!
//! A large document is read in two halves on two cores ([`halves`], [`join`]): cut before a
//! top-level key near its middle, each half a mapping of its own.
//!
//! This reader takes the YAML that OpenAPI documents are written in: one document of mappings,
//! sequences and scalars. Anything else — a tag, an anchor or alias, a key that is not a scalar,
//! a second document, an integer beyond 64 bits, nesting deeper than [`MAX_DEPTH`], a byte-order
//! mark, or text saphyr does not accept — is `None`, and the caller reads the text with
//! serde_yaml, which gives the value or the error (with its line and column) as before. The
//! tests hold both readers to the same values on every document of the repository.

use saphyr_parser::{Event, Parser, ScalarStyle, StrInput};
use serde_json::{Map, Value};
use std::num::ParseIntError;

/// Deeper than this is left to serde_yaml, which has its own limit (and error) for it.
const MAX_DEPTH: usize = 100;

/// The value of `text`, or `None` where serde_yaml must decide (see the module's doc).
pub fn parse(text: &str) -> Option<Value> {
    if text.starts_with('\u{feff}') {
        return None;
    }
    let mut reader = Reader {
        parser: Parser::new_from_str(text),
        depth: 0,
    };
    reader.next_is(|e| matches!(e, Event::StreamStart))?;
    reader.next_is(|e| matches!(e, Event::DocumentStart(_)))?;
    let first = reader.next()?;
    let value = reader.value(first)?;
    reader.next_is(|e| matches!(e, Event::DocumentEnd))?;
    reader.next_is(|e| matches!(e, Event::StreamEnd))?;
    Some(value)
}

/// Below this, a document is read in one piece: two threads would not pay for themselves.
const SPLIT_FROM: usize = 256 * 1024;

/// `text` cut before the line nearest its middle that starts a top-level key (a letter, `_` or
/// a quote at the start of a line, with a `:` in it): the two halves of one mapping, if the cut
/// is where it seems. [`join`] checks that: both halves must read as mappings with no key in
/// common, and anything else (a cut inside a quoted scalar, say) reads the whole text.
pub fn halves(text: &str) -> Option<(&str, &str)> {
    if text.len() < SPLIT_FROM {
        return None;
    }
    cut_near_middle(text).map(|cut| text.split_at(cut))
}

/// Where [`halves`] cuts `text`, whatever its size.
fn cut_near_middle(text: &str) -> Option<usize> {
    let starts_key = |start: usize| {
        let line = text[start..].split('\n').next().unwrap_or_default();
        line.starts_with(|c: char| c.is_ascii_alphabetic() || "_\"'".contains(c))
            && line.contains(':')
    };
    let middle = text.len() / 2;
    let after = text[middle..]
        .match_indices('\n')
        .map(|(at, _)| middle + at + 1)
        .find(|&start| starts_key(start));
    let before = text[..middle]
        .rmatch_indices('\n')
        .map(|(at, _)| at + 1)
        .find(|&start| starts_key(start));
    let cut = match (before, after) {
        (Some(before), Some(after)) => {
            if middle - before < after - middle {
                before
            } else {
                after
            }
        }
        (cut, None) | (None, cut) => cut?,
    };
    // A cut at the very start leaves nothing to read aside.
    (cut > 0).then_some(cut)
}

/// The two halves' values as one mapping, in order, if both are mappings and share no key.
pub fn join(first: Option<Value>, second: Option<Value>) -> Option<Value> {
    let (Some(Value::Object(mut first)), Some(Value::Object(second))) = (first, second) else {
        return None;
    };
    if second.keys().any(|key| first.contains_key(key)) {
        return None;
    }
    first.extend(second);
    Some(Value::Object(first))
}

struct Reader<'a> {
    parser: Parser<'a, StrInput<'a>>,
    /// Mappings and sequences open around the next event.
    depth: usize,
}

impl<'a> Reader<'a> {
    /// The next event; `None` at the end or where saphyr finds an error.
    fn next(&mut self) -> Option<Event<'a>> {
        self.parser.next()?.ok().map(|(event, _span)| event)
    }

    /// The next event, if it is the one `wanted` says; `None` otherwise.
    fn next_is(&mut self, wanted: impl Fn(&Event<'a>) -> bool) -> Option<()> {
        self.next().filter(|event| wanted(event)).map(|_| ())
    }

    /// The value that starts with `event`. Anchor id 0 is "no anchor".
    fn value(&mut self, event: Event<'a>) -> Option<Value> {
        match event {
            Event::Scalar(text, ScalarStyle::Plain, 0, None) => plain(&text),
            Event::Scalar(text, _, 0, None) => Some(Value::String(text.into_owned())),
            Event::SequenceStart(0, None) => {
                self.enter()?;
                let mut items = Vec::new();
                loop {
                    match self.next()? {
                        Event::SequenceEnd => break,
                        event => items.push(self.value(event)?),
                    }
                }
                self.depth -= 1;
                Some(Value::Array(items))
            }
            Event::MappingStart(0, None) => {
                self.enter()?;
                let mut members = Map::new();
                loop {
                    // serde_json reads every key as a string, whatever its style (`200:` too).
                    let key = match self.next()? {
                        Event::MappingEnd => break,
                        Event::Scalar(text, _, 0, None) => text.into_owned(),
                        _ => return None,
                    };
                    let event = self.next()?;
                    // A repeated key keeps its first place and its last value, as serde_json's
                    // own map visitor does.
                    members.insert(key, self.value(event)?);
                }
                self.depth -= 1;
                Some(Value::Object(members))
            }
            _ => None,
        }
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }
}

/// A plain scalar as serde_yaml 0.9 reads it into a `serde_json::Value` (`visit_untagged_scalar`
/// in its `de.rs`). An integer that needs more than 64 bits is `None`: serde_json has no value
/// for it, and serde_yaml's error is the answer.
fn plain(text: &str) -> Option<Value> {
    Some(match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => {
            if let Some(n) = unsigned(text, u64::from_str_radix) {
                Value::from(n)
            } else if let Some(n) = negative(text, i64::from_str_radix) {
                Value::from(n)
            } else if unsigned(text, u128::from_str_radix).is_some()
                || negative(text, i128::from_str_radix).is_some()
            {
                return None;
            } else if let Some(n) = float(text).filter(|_| !digits_but_not_number(text)) {
                // serde_json's own conversion: a non-finite float is null
                Value::from(n)
            } else {
                Value::String(text.to_owned())
            }
        }
    })
}

type FromStrRadix<T> = fn(&str, u32) -> Result<T, ParseIntError>;

/// serde_yaml's `parse_unsigned_int`: `+` allowed, `0x`/`0o`/`0b` prefixes, no leading zeros.
fn unsigned<T>(scalar: &str, from_str_radix: FromStrRadix<T>) -> Option<T> {
    let unpositive = scalar.strip_prefix('+').unwrap_or(scalar);
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = unpositive.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(int) = from_str_radix(rest, radix) {
                return Some(int);
            }
        }
    }
    if unpositive.starts_with(['+', '-']) || digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(unpositive, 10).ok()
}

/// serde_yaml's `parse_negative_int`: `-0x`/`-0o`/`-0b` prefixes, no leading zeros.
fn negative<T>(scalar: &str, from_str_radix: FromStrRadix<T>) -> Option<T> {
    for (prefix, radix) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
        if let Some(rest) = scalar.strip_prefix(prefix) {
            if let Ok(int) = from_str_radix(&format!("-{rest}"), radix) {
                return Some(int);
            }
        }
    }
    if digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(scalar, 10).ok()
}

/// serde_yaml's `parse_f64`: YAML's `.inf` and `.nan` spellings, else Rust's float syntax for
/// finite numbers.
fn float(scalar: &str) -> Option<f64> {
    let unpositive = match scalar.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => scalar,
    };
    if let ".inf" | ".Inf" | ".INF" = unpositive {
        return Some(f64::INFINITY);
    }
    if let "-.inf" | "-.Inf" | "-.INF" = scalar {
        return Some(f64::NEG_INFINITY);
    }
    if let ".nan" | ".NaN" | ".NAN" = scalar {
        return Some(f64::NAN);
    }
    unpositive.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Leading zeros before digits make a string in YAML 1.2 (`0123`), as in serde_yaml.
fn digits_but_not_number(scalar: &str) -> bool {
    let scalar = scalar.strip_prefix(['-', '+']).unwrap_or(scalar);
    scalar.len() > 1 && scalar.starts_with('0') && scalar[1..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn serde_yaml(text: &str) -> Option<Value> {
        serde_yaml::from_str(text).ok()
    }

    /// Same value, and the same JSON text (which tells `1` from `1.0`).
    fn assert_same(text: &str, what: &str) {
        let fast = parse(text);
        let slow = serde_yaml(text);
        assert_eq!(
            fast.as_ref().map(Value::to_string),
            slow.as_ref().map(Value::to_string),
            "{what}: {text:?}"
        );
    }

    #[test]
    fn plain_scalars_mean_what_they_mean_to_serde_yaml() {
        let scalars = [
            "",
            "~",
            "null",
            "Null",
            "NULL",
            "nULL",
            "true",
            "True",
            "TRUE",
            "tRUE",
            "false",
            "yes",
            "no",
            "on",
            "off",
            "y",
            "0",
            "1",
            "-1",
            "+1",
            "++1",
            "+-1",
            "-0",
            "007",
            "-007",
            "+007",
            "0.5",
            "00.5",
            "1e3",
            "1E-3",
            "-1.5e+3",
            "1_000",
            "0x1F",
            "0X1F",
            "0x-1",
            "+0x1F",
            "-0x1F",
            "0o17",
            "-0o17",
            "0b101",
            "-0b101",
            "0b2",
            "0xG",
            ".5",
            "5.",
            ".inf",
            "+.inf",
            "-.inf",
            ".Inf",
            "-.INF",
            ".nan",
            ".NaN",
            "nan",
            "inf",
            "infinity",
            "1e400",
            "-1e400",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "18446744073709551615",
            "12:30",
            "2024-01-01",
            "v1.2",
            "1.2.3",
            "text with spaces",
            "a: b",
        ];
        for scalar in scalars {
            let quoted = format!("k: {scalar}\n");
            // a scalar with `: ` in it is a mapping in flow, quoted here in single quotes too
            assert_same(&quoted, "a plain value");
            assert_same(&format!("k: '{scalar}'\n"), "a single-quoted value");
            assert_same(&format!("? {scalar}\n: v\n"), "a key");
        }
    }

    #[test]
    fn big_integers_and_other_yaml_are_left_to_serde_yaml() {
        let left = [
            "k: 18446744073709551616\n",
            "k: -9223372036854775809\n",
            "k: !!str 12\n",
            "k: !custom x\n",
            "a: &x 1\nb: *x\n",
            "? [a, b]\n: c\n",
            "a: 1\n---\nb: 2\n",
            "\u{feff}a: 1\n",
            "a: [unclosed\n",
            "a: 1\n a: 2\n",
        ];
        for text in left {
            assert_eq!(parse(text), None, "{text:?}");
        }
        let deep = format!(
            "{}1{}",
            "[".repeat(MAX_DEPTH + 1),
            "]".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(parse(&deep), None);
        assert!(parse(&format!(
            "{}1{}",
            "[".repeat(MAX_DEPTH),
            "]".repeat(MAX_DEPTH)
        ))
        .is_some());
    }

    #[test]
    fn styles_keys_and_repeats_read_as_serde_yaml_reads_them() {
        let texts = [
            "a: |\n  line one\n  line two\n\nb: >-\n  folded\n  text\n",
            "a: |+\n  kept\n\n\nb: 1\n",
            "a: \"esc\\t\\u00e9\\n\"\nb: 'it''s'\n",
            "200:\n  description: ok\n1.5: x\ntrue: y\nnull: z\n",
            "a: 1\nb: 2\na: 3\n",
            "list:\n- 1\n- - 2\n  - 3\n- {x: 1, y: [a, b]}\n- \n",
            "empty_map: {}\nempty_list: []\nnothing:\n",
            "# only a comment\na: 1 # trailing\n",
            "--- \na: 1\n...\n",
            "{\"json\": [1, 2.5, true, null, \"s\"]}",
        ];
        for text in texts {
            assert!(parse(text).is_some(), "the fast reader takes {text:?}");
            assert_same(text, "a document");
        }
    }

    /// Both halves read aside and joined, or the whole text where they do not join.
    fn read_in_two(text: &str) -> Option<Value> {
        let (first, second) = text.split_at(cut_near_middle(text)?);
        join(parse(first), parse(second)).or_else(|| parse(text))
    }

    #[test]
    fn a_document_is_cut_before_the_top_level_key_nearest_its_middle() {
        let text = "a: 1\nb:\n  c: 2\n  d: 3\n  e: 4\n\"f g\": 5\nh: [6]\n";
        let cut = cut_near_middle(text).unwrap();
        assert_eq!(&text[cut..], "\"f g\": 5\nh: [6]\n");
        assert_eq!(read_in_two(text), parse(text));
        assert_eq!(cut_near_middle("only:\n  one: key\n  and: more\n"), None);
        assert_eq!(halves(text), None, "a small document is read whole");
    }

    #[test]
    fn halves_that_do_not_join_are_read_whole() {
        // A line that looks like a key inside a quoted scalar: the first half does not read.
        let quoted = "a: \"one\ntwo: three\"\nb: 1\nc: 2\n";
        assert_eq!(
            join(parse("a: \"one\n"), parse("two: three\"\nb: 1\nc: 2\n")),
            None
        );
        assert_eq!(read_in_two(quoted), parse(quoted));
        assert_eq!(parse(quoted), None, "serde_yaml decides about this one");
        let read = crate::load::parse_text("quoted.yaml", quoted.as_bytes()).unwrap();
        assert_eq!(read["a"], Value::String("one two: three".into()));
        // A key in both halves, or a half that is not a mapping, is not joined.
        assert_eq!(join(parse("a: 1\n"), parse("a: 2\n")), None);
        assert_eq!(join(parse("a: 1\n"), parse("- 2\n")), None);
        assert_eq!(
            join(parse("a: 1\nb: 2\n"), parse("c: 3\n")).map(|v| v.to_string()),
            Some(r#"{"a":1,"b":2,"c":3}"#.to_string())
        );
    }

    /// Every large document here (the pinned one, the Authlete versions in `../shared/spec`)
    /// reads the same in two halves as whole, and is cut in two.
    #[test]
    fn large_documents_read_the_same_in_two_halves() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        for dir in ["spec", "../shared/spec", "tests/fixtures"] {
            collect(&root.join(dir), &mut files);
        }
        let mut checked = 0;
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let Some((first, second)) = halves(&text) else {
                continue;
            };
            let joined = join(parse(first), parse(second));
            assert!(joined.is_some(), "{} does not join", file.display());
            assert_eq!(joined, parse(&text), "{}", file.display());
            checked += 1;
        }
        if checked == 0 {
            // `make test` (CI=1) fetches the pinned document first: there, none is a failure.
            assert!(
                std::env::var_os("CI").is_none(),
                "no large document to read in two halves: run `make spec`"
            );
            eprintln!("SKIPPED: no large document to read in two halves (run `make spec`)");
        }
    }

    /// Every YAML and JSON document of the repository (fixtures, the bad-input corpus, the
    /// pinned document once `make spec` has fetched it, and the Authlete versions in
    /// `../shared/spec` when that folder is there) reads to the same value both ways.
    #[test]
    fn every_document_of_the_repository_reads_the_same_both_ways() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        for dir in [
            "tests/fixtures",
            "spec",
            "../shared/spec",
            "generator/template",
        ] {
            collect(&root.join(dir), &mut files);
        }
        let mut compared = 0;
        for file in &files {
            let Ok(text) = std::fs::read_to_string(file) else {
                continue;
            };
            if let Some(fast) = parse(&text) {
                assert_eq!(
                    Some(fast.to_string()),
                    serde_yaml(&text).map(|v| v.to_string()),
                    "{}",
                    file.display()
                );
                compared += 1;
            }
        }
        // the fixtures alone hold far more documents than this; fewer means the walk broke
        assert!(compared >= 50, "only {compared} documents compared");
    }

    fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                collect(&path, files);
            } else if path
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            {
                files.push(path);
            }
        }
    }
}
