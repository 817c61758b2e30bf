//! Support of the emitted tests of the crate (`tests/examples.rs`, `tests/conformance.rs`):
//! JSON comparison, and the Prism mock server the conformance test validates requests with.

#![allow(dead_code)] // each test file uses part of it

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A hang guard, not a speed claim: Prism loads the document in seconds; waiting longer than
/// this means it will never listen. Nothing here measures how fast anything is.
const PRISM_HANG_GUARD: Duration = Duration::from_secs(300);

/// Decodes `json` as `T`, encodes it back, and compares: the re-encoded JSON must be the example,
/// except for fields the example sets to `null` (an absent optional field is not sent).
pub(crate) fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(
    source: &str,
    json: &str,
    failures: &mut Vec<String>,
) {
    let example: serde_json::Value =
        serde_json::from_str(json).expect("the generator embeds valid JSON");
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let value: T = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(value) => value,
        Err(e) => {
            failures.push(format!(
                "{source}: does not decode as {} at `{}`: {}",
                std::any::type_name::<T>(),
                e.path(),
                e.inner()
            ));
            return;
        }
    };
    let encoded = serde_json::to_value(&value).expect("a decoded value encodes");
    if let Err(difference) = same("", &example, &encoded) {
        failures.push(format!(
            "{source}: re-encoded as {} differs: {difference}",
            std::any::type_name::<T>()
        ));
    }
}

/// Decodes `json` (a sample whose sensitive strings hold `secret`) as `T`: `Debug` must show
/// `***` and never `secret`; encoding must still carry `secret`.
pub(crate) fn debug_hides_secrets<
    T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
>(
    name: &str,
    json: &str,
    secret: &str,
    failures: &mut Vec<String>,
) {
    let value: T = match serde_json::from_str(json) {
        Ok(value) => value,
        Err(e) => return failures.push(format!("{name}: the sample does not decode: {e}")),
    };
    let shown = format!("{value:?} {value:#?}");
    if shown.contains(secret) {
        failures.push(format!("{name}: Debug shows a secret: {shown}"));
    } else if !shown.contains("***") {
        failures.push(format!("{name}: Debug shows no `***`"));
    }
    let encoded = serde_json::to_string(&value).expect("a decoded value encodes");
    if !encoded.contains(secret) {
        failures.push(format!("{name}: the secret is not encoded: {encoded}"));
    }
}

fn same(at: &str, example: &serde_json::Value, encoded: &serde_json::Value) -> Result<(), String> {
    use serde_json::Value;
    match (example, encoded) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => same(&format!("{at}/{key}"), value, other)?,
                    None if value.is_null() => {}
                    None => return Err(format!("`{at}/{key}` is dropped (not in the schema?)")),
                }
            }
            match b.keys().find(|k| !a.contains_key(*k)) {
                Some(extra) => Err(format!("`{at}/{extra}` appears")),
                None => Ok(()),
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .try_for_each(|(i, (x, y))| same(&format!("{at}/{i}"), x, y)),
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => Ok(()),
        (a, b) if a == b => Ok(()),
        (a, b) => Err(format!("`{at}`: {a} became {b}")),
    }
}

/// A line for the test log that is shown even when the test passes (the harness captures
/// `println!`, not writes to the stderr handle).
pub(crate) fn report(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Decodes an example the generator embedded for a call; a failure names the type and path.
pub(crate) fn example<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, String> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        format!(
            "the example does not decode as {} at `{}`: {}",
            std::any::type_name::<T>(),
            e.path(),
            e.inner()
        )
    })
}

/// An error as the conformance report shows it: with Prism's violations where it sent some.
pub(crate) fn describe(error: authlete::Error) -> String {
    let violations = error
        .headers()
        .and_then(|h| h.get("sl-violations"))
        .and_then(|v| v.to_str().ok())
        .map(|v| format!(" violations: {v}"))
        .unwrap_or_default();
    let body = match &error {
        authlete::Error::Api(e) => e.body().to_string(),
        authlete::Error::UnexpectedResponse(e) => e.body().to_string(),
        authlete::Error::Decode(e) => e.body().chars().take(300).collect(),
        _ => String::new(),
    };
    format!("{error}{violations} {body}")
}

/// Prism (`@stoplight/prism-cli`) serving the document on a free loopback port, with `--errors`
/// so that any request that violates the document is answered with an error. Stopped on drop,
/// also when the test fails.
pub(crate) struct Prism {
    child: Child,
    pub url: String,
    log: PathBuf,
}

impl Prism {
    /// Starts Prism; `None` (after one loud line) when it or its document is missing and this is
    /// not CI: a plain `cargo test` on a fresh clone skips the conformance test and says so,
    /// while `make test` (which installs both) and CI (`CI` set) fail instead.
    pub(crate) fn start() -> Option<Prism> {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let prism = std::env::var_os("PRISM")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("node_modules/.bin/prism"));
        let spec = std::env::var_os("AUTHLETE_SPEC")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("spec/authlete-openapi.mock.json"));
        let missing = if !prism.exists() {
            Some(format!("Prism is not installed at {}: run `make prism` (it needs node and npm), or set PRISM", prism.display()))
        } else if !spec.exists() {
            Some(format!("the mock server's document is missing at {}: run `make mock-document`, or set AUTHLETE_SPEC", spec.display()))
        } else {
            None
        };
        if let Some(missing) = missing {
            assert!(std::env::var_os("CI").is_none(), "{missing}");
            report(&format!(
                "SKIPPED the conformance test: {missing} (`make test` runs it)"
            ));
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let log = std::env::temp_dir().join(format!("authlete-prism-{port}.log"));
        let log_file = std::fs::File::create(&log).expect("a log file");
        let child = Command::new(&prism)
            .args([
                "mock",
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--errors",
                "--dynamic=false",
            ])
            .arg(&spec)
            .stdout(Stdio::from(log_file.try_clone().expect("log")))
            .stderr(Stdio::from(log_file))
            .stdin(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", prism.display()));
        let mut server = Prism {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log,
        };
        server.wait_until_listening(port, PRISM_HANG_GUARD);
        Some(server)
    }

    fn wait_until_listening(&mut self, port: u16, limit: Duration) {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("Prism exited ({status}) before listening:\n{}", self.log());
            }
            // Prism opens the port only once the document is loaded.
            if TcpStream::connect_timeout(
                &([127, 0, 0, 1], port).into(),
                Duration::from_millis(200),
            )
            .is_ok()
            {
                return;
            }
            if started.elapsed() > limit {
                panic!("Prism did not listen within {limit:?}:\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub(crate) fn client(&self) -> authlete::Client {
        authlete::Client::builder()
            .base_url(&self.url)
            .allow_http_loopback()
            .bearer_token("conformance-test-token")
            .retry_policy(authlete::RetryPolicy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .expect("a client")
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// The calls of the conformance test and their outcomes.
#[derive(Default)]
pub(crate) struct Calls {
    results: Vec<(&'static str, &'static str, Result<(), String>)>,
}

impl Calls {
    pub(crate) fn record(
        &mut self,
        operation_id: &'static str,
        variant: &'static str,
        result: Result<(), String>,
    ) {
        self.results.push((operation_id, variant, result));
    }

    /// Prints the count, and fails on any failed call or any operation not exercised.
    pub(crate) fn finish(self, operations: &[&str]) {
        let passed = self.results.iter().filter(|r| r.2.is_ok()).count();
        report(&format!(
            "conformance: {} calls, {} passed",
            self.results.len(),
            passed
        ));
        let mut problems: Vec<String> = self
            .results
            .iter()
            .filter_map(|(op, variant, r)| {
                r.as_ref().err().map(|e| format!("{op} ({variant}): {e}"))
            })
            .collect();
        for op in operations {
            if !self.results.iter().any(|r| r.0 == *op) {
                problems.push(format!("{op}: not exercised"));
            }
        }
        assert!(
            problems.is_empty(),
            "{} problem(s):\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
}
