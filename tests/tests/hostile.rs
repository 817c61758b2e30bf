//! The SDK against hostile servers on loopback, with byte-level control: raw
//! `tokio::net::TcpListener`s, and TLS (rustls, a CA made in the test) for the cases that need
//! https or HTTP/2. Each test counts what reached the server (requests, bytes written) instead
//! of timing anything; every wait has a generous hang guard only.
//!
//! Covered: redirects are never followed (every 3xx, same and other host, https → http);
//! bodies are read with limits (announced and endless, success and error, a gzip bomb);
//! timeouts (headers never sent, a trickled body, a whole-call deadline); HTTP/2
//! `REFUSED_STREAM` retried by the SDK's own policy once per attempt (reqwest's hidden retries
//! off); path parameters that would change the endpoint; secrets and server text in `Debug`
//! and `Display`; `Error::source`; authoritative retry statuses; pagination without progress.

use authlete::models::{TokenIssueRequest, TokenIssueResponse};
use authlete::{Client, ClientBuilder, Error, RetryPolicy, RetrySafety, TransportErrorKind};
use futures_util::StreamExt;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "tok-hostile-5ecret-bearer";

/// Far above any expected run: reaching it means the SDK hung.
const HANG_GUARD: Duration = Duration::from_secs(60);

async fn guarded<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(HANG_GUARD, future)
        .await
        .expect("the call hung (hang guard)")
}

/// What a raw server saw.
#[derive(Default)]
struct Seen {
    requests: AtomicUsize,
    bytes_written: AtomicUsize,
    /// The head (request line and headers) of the last request.
    last_head: std::sync::Mutex<String>,
}

impl Seen {
    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
    fn bytes_written(&self) -> usize {
        self.bytes_written.load(Ordering::SeqCst)
    }
    fn last_head(&self) -> String {
        self.last_head.lock().unwrap().clone()
    }
}

/// Reads one request (head and a `Content-Length` body); `None` when the peer closed.
async fn read_request(socket: &mut TcpStream) -> Option<String> {
    let mut data = Vec::new();
    let mut buffer = [0_u8; 8192];
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_string();
            let length = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0);
            while data.len() < end + 4 + length {
                let n = socket.read(&mut buffer).await.ok()?;
                if n == 0 {
                    return None;
                }
                data.extend_from_slice(&buffer[..n]);
            }
            return Some(head);
        }
        let n = socket.read(&mut buffer).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buffer[..n]);
    }
}

/// Writes `bytes`, counting them; `false` once the peer is gone.
async fn write_counted(socket: &mut TcpStream, seen: &Seen, bytes: &[u8]) -> bool {
    match socket.write_all(bytes).await {
        Ok(()) => {
            seen.bytes_written.fetch_add(bytes.len(), Ordering::SeqCst);
            true
        }
        Err(_) => false,
    }
}

/// A plain-HTTP server on loopback: `respond` writes the answer to each request itself.
async fn raw_server<F, Fut>(respond: F) -> (SocketAddr, Arc<Seen>)
where
    F: Fn(TcpStream, Arc<Seen>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Seen::default());
    let respond = Arc::new(respond);
    let server_seen = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (seen, respond) = (server_seen.clone(), respond.clone());
            tokio::spawn(async move {
                let Some(head) = read_request(&mut socket).await else {
                    return;
                };
                seen.requests.fetch_add(1, Ordering::SeqCst);
                *seen.last_head.lock().unwrap() = head;
                respond(socket, seen).await;
            });
        }
    });
    (addr, seen)
}

/// A server answering every request with the same bytes.
async fn fixed_server(response: String) -> (SocketAddr, Arc<Seen>) {
    raw_server(move |mut socket, seen| {
        let response = response.clone();
        async move {
            write_counted(&mut socket, &seen, response.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    })
    .await
}

fn builder(addr: SocketAddr) -> ClientBuilder {
    Client::builder()
        .base_url(format!("http://{addr}"))
        .allow_http_loopback()
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(5)))
}

fn client(addr: SocketAddr) -> Client {
    builder(addr).build().unwrap()
}

fn issue_request() -> TokenIssueRequest {
    TokenIssueRequest::new("ticket-1", "john")
}

fn json_response(status: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
}

fn assert_no_secret(text: &str, secret: &str) {
    assert!(!text.contains(secret), "a secret leaked: {text}");
}

// ---------------------------------------------------------------------------------------------
// Redirects

#[tokio::test]
async fn no_redirect_is_followed_to_another_host_or_the_same() {
    let (elsewhere, elsewhere_seen) =
        fixed_server(json_response("200 OK", r#"{"action":"OK"}"#)).await;
    for status in [
        "301 Moved Permanently",
        "302 Found",
        "303 See Other",
        "307 Temporary Redirect",
        "308 Permanent Redirect",
    ] {
        for same_host in [false, true] {
            let (addr, seen) = if same_host {
                raw_server(move |mut socket, seen| async move {
                    let location = format!("http://{}/moved", socket.local_addr().unwrap());
                    let response = format!(
                        "HTTP/1.1 {status}\r\nlocation: {location}\r\ncontent-length: 0\r\n\r\n"
                    );
                    write_counted(&mut socket, &seen, response.as_bytes()).await;
                })
                .await
            } else {
                fixed_server(format!("HTTP/1.1 {status}\r\nlocation: http://{elsewhere}/auth/token/issue\r\ncontent-length: 0\r\n\r\n")).await
            };
            let error = guarded(client(addr).token().issue("1", issue_request()).send())
                .await
                .unwrap_err();
            let code: u16 = status[..3].parse().unwrap();
            assert_eq!(error.status(), Some(code), "{status}: {error:?}");
            let Error::UnexpectedResponse(response) = &error else {
                panic!("{status}: {error:?}")
            };
            assert!(response
                .location()
                .is_some_and(|l| l.contains("/moved") || l.contains("/auth/token/issue")));
            assert!(error.to_string().contains("not followed"), "{error}");
            assert_eq!(error.retry_safety(), RetrySafety::No);
            assert_eq!(seen.requests(), 1, "{status}: one request, not repeated");
        }
    }
    assert_eq!(
        elsewhere_seen.requests(),
        0,
        "no redirect reached the other host"
    );
}

#[tokio::test]
async fn an_https_to_http_redirect_never_sends_the_token_in_cleartext() {
    // The cleartext side: anything that arrives here would carry the token unencrypted.
    let (plain, plain_seen) = fixed_server(json_response("200 OK", r#"{"action":"OK"}"#)).await;
    let location = format!("http://localhost:{}/api/1/auth/token/issue", plain.port());
    let tls = TlsServer::start(move |_request| HttpAnswer::Redirect(location.clone())).await;
    let client = tls.client_builder().build().unwrap();
    let error = guarded(client.token().issue("1", issue_request()).send())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(307), "{error:?}");
    assert_eq!(tls.seen.requests(), 1);
    assert_eq!(
        plain_seen.requests(),
        0,
        "the redirect to http:// was not followed"
    );
}

#[tokio::test]
async fn a_caller_client_that_follows_redirects_is_caught_after_the_fact() {
    let (elsewhere, _) = fixed_server(json_response("200 OK", "{}")).await;
    let (addr, _) = fixed_server(format!("HTTP/1.1 307 Temporary Redirect\r\nlocation: http://{elsewhere}/x\r\ncontent-length: 0\r\n\r\n")).await;
    let following = reqwest::Client::builder().build().unwrap(); // reqwest's default follows
    let client = builder(addr).http_client(following).build().unwrap();
    let error = guarded(client.token().issue("1", issue_request()).send())
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Config(_)) && error.to_string().contains("redirect"),
        "{error:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Bodies

/// A server announcing `announced` bytes (or chunked, endless, if `None`) and writing zeros until
/// the client goes away.
async fn endless_body_server(
    status: &'static str,
    announced: Option<u64>,
) -> (SocketAddr, Arc<Seen>) {
    raw_server(move |mut socket, seen| async move {
        let framing = match announced {
            Some(length) => format!("content-length: {length}"),
            None => "transfer-encoding: chunked".to_string(),
        };
        let head =
            format!("HTTP/1.1 {status}\r\ncontent-type: application/json\r\n{framing}\r\n\r\n");
        if !write_counted(&mut socket, &seen, head.as_bytes()).await {
            return;
        }
        let chunk = vec![b' '; 64 * 1024];
        let framed = [
            format!("{:x}\r\n", chunk.len()).into_bytes(),
            chunk.clone(),
            b"\r\n".to_vec(),
        ]
        .concat();
        let piece = if announced.is_some() { &chunk } else { &framed };
        // Bounded: 2 GiB at most, far past any limit.
        for _ in 0..(2 * 1024 * 1024 * 1024 / chunk.len()) {
            if !write_counted(&mut socket, &seen, piece).await {
                return;
            }
        }
    })
    .await
}

const MIB: usize = 1024 * 1024;

#[tokio::test]
async fn an_announced_1_gib_body_is_refused_before_it_is_read() {
    let (addr, seen) = endless_body_server("200 OK", Some(1 << 30)).await;
    let error = guarded(client(addr).services().get("1").send())
        .await
        .unwrap_err();
    let Error::ResponseTooLarge(too_large) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(too_large.content_length(), Some(1 << 30));
    assert_eq!(too_large.limit(), authlete::defaults::MAX_RESPONSE_BODY);
    assert_eq!(error.retry_safety(), RetrySafety::No);
    assert_eq!(seen.requests(), 1, "not retried");
    // What the server managed to write before the client hung up: socket buffers, no more.
    assert!(
        seen.bytes_written() < 16 * MIB,
        "{} bytes were taken from the server",
        seen.bytes_written()
    );
}

#[tokio::test]
async fn an_endless_body_stops_at_the_limit() {
    let (addr, seen) = endless_body_server("200 OK", None).await;
    let client = builder(addr).max_response_body(MIB).build().unwrap();
    let error = guarded(client.services().get("1").send())
        .await
        .unwrap_err();
    let Error::ResponseTooLarge(too_large) = &error else {
        panic!("{error:?}")
    };
    assert_eq!((too_large.limit(), too_large.content_length()), (MIB, None));
    assert!(
        seen.bytes_written() < 16 * MIB,
        "{} bytes were taken from the server",
        seen.bytes_written()
    );
}

#[tokio::test]
async fn an_endless_body_stops_at_the_default_limit() {
    let (addr, seen) = endless_body_server("200 OK", None).await;
    let error = guarded(client(addr).services().get("1").send())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::ResponseTooLarge(e) if e.limit() == 16 * MIB),
        "{error:?}"
    );
    let written = seen.bytes_written();
    assert!(
        (16 * MIB..48 * MIB).contains(&written),
        "{written} bytes were taken from the server"
    );
}

#[tokio::test]
async fn a_1_gib_error_body_is_cut_at_64_kib_without_being_read() {
    for announced in [Some(1_u64 << 30), None] {
        let (addr, seen) = endless_body_server("500 Internal Server Error", announced).await;
        let error = guarded(client(addr).services().get("1").no_retry().send())
            .await
            .unwrap_err();
        let Error::UnexpectedResponse(response) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(response.status(), 500);
        assert_eq!(response.body().len(), authlete::defaults::MAX_ERROR_BODY);
        assert!(
            seen.bytes_written() < 16 * MIB,
            "{announced:?}: {} bytes were taken from the server",
            seen.bytes_written()
        );
    }
}

#[tokio::test]
async fn a_gzip_bomb_is_not_inflated_even_with_reqwest_gzip_turned_on() {
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;
    // 256 MiB of JSON whitespace inflated, about 256 KiB on the wire.
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    let zeros = vec![b' '; MIB];
    for _ in 0..256 {
        encoder.write_all(&zeros).unwrap();
    }
    let bomb = Arc::new(encoder.finish().unwrap());
    let (addr, seen) = raw_server(move |mut socket, seen| {
        let bomb = bomb.clone();
        async move {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\ncontent-length: {}\r\n\r\n",
                bomb.len()
            );
            write_counted(&mut socket, &seen, head.as_bytes()).await;
            write_counted(&mut socket, &seen, &bomb).await;
        }
    })
    .await;
    let error = guarded(client(addr).services().get("1").send())
        .await
        .unwrap_err();
    // Not inflated: the gzip bytes themselves fail to decode as JSON.
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert!(
        !seen
            .last_head()
            .to_ascii_lowercase()
            .contains("accept-encoding"),
        "{}",
        seen.last_head()
    );
}

// ---------------------------------------------------------------------------------------------
// Timeouts

#[tokio::test]
async fn a_server_that_never_sends_headers_times_out() {
    let (addr, seen) = raw_server(|socket, _| async move {
        tokio::time::sleep(HANG_GUARD * 2).await;
        drop(socket);
    })
    .await;
    let client = builder(addr)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = guarded(client.token().issue("1", issue_request()).send())
        .await
        .unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::Timeout);
    assert_eq!(
        seen.requests(),
        1,
        "a POST that may have been processed is not repeated"
    );
}

#[tokio::test]
async fn a_trickled_body_times_out() {
    let (addr, _) = raw_server(|mut socket, seen| async move {
        let head =
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n";
        write_counted(&mut socket, &seen, head.as_bytes()).await;
        for _ in 0..100_000 {
            if !write_counted(&mut socket, &seen, b" ").await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    let client = builder(addr)
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let error = guarded(client.services().get("1").no_retry().send())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Transport(t) if t.is_timeout()),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_call_timeout_ends_the_retries() {
    let (addr, seen) = fixed_server(json_response("503 Service Unavailable", "{}")).await;
    let policy = RetryPolicy::default()
        .max_attempts(1_000)
        .initial_backoff(Duration::from_millis(50))
        .jitter(false)
        .max_backoff(Duration::from_millis(50));
    let client = builder(addr)
        .retry_policy(policy)
        .call_timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let error = guarded(client.services().get("1").send())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    // 400 ms of 50 ms waits: at most 9 attempts (fewer on a slow machine), far from the 1,000
    // the policy allows. Only the upper bound is the property; it does not depend on speed.
    assert!(
        (1..=9).contains(&seen.requests()),
        "{} attempts",
        seen.requests()
    );
}

// ---------------------------------------------------------------------------------------------
// HTTP/2 refused streams

#[tokio::test]
async fn an_h2_refused_stream_is_retried_by_the_sdk_once_per_attempt() {
    // Every stream refused: each attempt must reach the server exactly once (reqwest's own
    // retries would add more), and the SDK's policy decides how many attempts.
    let tls = TlsServer::start(|_| HttpAnswer::RefuseStream).await;
    let client = tls
        .client_builder()
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(5)),
        )
        .build()
        .unwrap();
    let error = guarded(client.token().issue("1", issue_request()).send())
        .await
        .unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::Refused, "{error:?}");
    assert_eq!(error.retry_safety(), RetrySafety::Safe);
    assert_eq!(tls.seen.requests(), 3, "three attempts, one stream each");
    assert!(tls.h2_only(), "the streams were HTTP/2");

    let error = guarded(client.token().issue("1", issue_request()).no_retry().send())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Transport(t) if t.kind() == TransportErrorKind::Refused),
        "{error:?}"
    );
    assert_eq!(tls.seen.requests(), 4, "no_retry: exactly one more stream");
}

#[tokio::test]
async fn an_h2_refused_stream_then_success_succeeds() {
    let tls = TlsServer::start(|n| {
        if n == 1 {
            HttpAnswer::RefuseStream
        } else {
            HttpAnswer::Json(r#"{"action":"OK"}"#.into())
        }
    })
    .await;
    let client = tls
        .client_builder()
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(5)))
        .build()
        .unwrap();
    let response = guarded(client.token().issue("1", issue_request()).send())
        .await
        .unwrap();
    assert_eq!(
        response.action.map(|a| a.to_string()).as_deref(),
        Some("OK")
    );
    assert_eq!(tls.seen.requests(), 2);
}

// ---------------------------------------------------------------------------------------------
// Path parameters

#[tokio::test]
async fn path_parameters_that_change_the_endpoint_are_refused_before_sending() {
    let (addr, seen) = fixed_server(json_response("200 OK", "{}")).await;
    let client = client(addr);
    for value in ["..", ".", ""] {
        let error = client
            .token()
            .issue(value, issue_request())
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::InvalidArgument(_)),
            "{value:?}: {error:?}"
        );
        assert!(error.to_string().contains("serviceId"), "{error}");
        let error = client
            .service(value)
            .token()
            .issue(issue_request())
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::InvalidArgument(_)),
            "{value:?}: {error:?}"
        );
        let error = client.clients().get("1", value).send().await.unwrap_err();
        assert!(
            matches!(error, Error::InvalidArgument(_)),
            "{value:?}: {error:?}"
        );
    }
    assert_eq!(seen.requests(), 0, "nothing was sent");
    // Dots inside a value are one segment, sent as they are.
    client.clients().get("1", "a..b").send().await.unwrap();
    assert!(
        seen.last_head().starts_with("GET /api/1/client/get/a..b "),
        "{}",
        seen.last_head()
    );
}

// ---------------------------------------------------------------------------------------------
// Secrets and server text

#[tokio::test]
async fn debug_of_a_token_response_and_of_its_decode_error_shows_no_token() {
    let access = "AT-9f8e7d-secret";
    let refresh = "RT-1a2b3c-secret";
    let body = format!(
        r#"{{"action":"OK","accessToken":"{access}","refreshToken":"{refresh}","responseContent":"{{\"access_token\":\"{access}\"}}"}}"#
    );
    let (addr, _) = fixed_server(json_response("200 OK", &body)).await;
    let response: TokenIssueResponse = client(addr)
        .token()
        .issue("1", issue_request())
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.access_token.as_deref(),
        Some(access),
        "the value is there for code"
    );
    let shown = format!("{response:?} {response:#?}");
    assert_no_secret(&shown, access);
    assert_no_secret(&shown, refresh);
    assert!(shown.contains("Some(***)"), "{shown}");

    let with_meta = client(addr)
        .token()
        .issue("1", issue_request())
        .send_with_meta()
        .await
        .unwrap();
    assert_no_secret(&format!("{with_meta:?}"), access);

    // The same token in a body that fails to decode (a string where an integer is expected).
    let bad =
        format!(r#"{{"action":"OK","accessToken":"{access}","accessTokenExpiresAt":"{refresh}"}}"#);
    let (addr, _) = fixed_server(json_response("200 OK", &bad)).await;
    let error = client(addr)
        .token()
        .issue("1", issue_request())
        .send()
        .await
        .unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert!(
        decode.body().contains(access),
        "the raw body is there through the accessor"
    );
    let shown = format!("{error:?} {error} {decode:?}");
    assert_no_secret(&shown, access);
    assert_no_secret(&shown, refresh);
    assert_no_secret(&shown, TOKEN);
}

#[tokio::test]
async fn server_text_cannot_forge_log_lines() {
    let body = r#"{"resultCode":"A001","resultMessage":"denied\n2026-01-01 INFO forged: login ok\r\u202e"}"#;
    let (addr, _) = fixed_server(json_response("400 Bad Request", body)).await;
    let error = client(addr)
        .token()
        .issue("1", issue_request())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Api(_)), "{error:?}");
    let shown = error.to_string();
    assert!(!shown.contains(['\n', '\r', '\u{202e}']), "{shown:?}");
    assert!(
        shown.contains("denied\\u{a}2026-01-01 INFO forged"),
        "{shown}"
    );
    assert!(
        error.result_message().unwrap().contains('\n'),
        "the accessor keeps the text as sent"
    );

    let (addr, _) = fixed_server(
        "HTTP/1.1 302 Found\r\nlocation: /x\r\n\tforged\r\ncontent-length: 0\r\n\r\n".to_string(),
    )
    .await;
    let error = client(addr).services().get("1").send().await.unwrap_err();
    assert!(
        !error.to_string().contains(['\n', '\r', '\t']),
        "{:?}",
        error.to_string()
    );
}

#[tokio::test]
async fn transport_errors_chain_to_their_cause() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let error = client(addr)
        .services()
        .get("1")
        .no_retry()
        .send()
        .await
        .unwrap_err();
    let mut chain = Vec::new();
    let mut cause = std::error::Error::source(&error);
    while let Some(current) = cause {
        chain.push(current.to_string());
        cause = current.source();
    }
    assert!(!chain.is_empty(), "source() is None");
    assert!(
        chain
            .iter()
            .any(|c| c.to_ascii_lowercase().contains("connection refused")),
        "{chain:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Retry statuses and pagination

#[tokio::test]
async fn listed_retry_statuses_are_retried_even_outside_the_default_set() {
    let (addr, seen) = fixed_server(json_response(
        "500 Internal Server Error",
        r#"{"resultCode":"A","resultMessage":"m"}"#,
    ))
    .await;
    let policy = RetryPolicy::default()
        .statuses([500])
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(5));
    let error = guarded(
        client(addr)
            .services()
            .get("1")
            .retry_policy(policy.clone())
            .send(),
    )
    .await
    .unwrap_err();
    assert_eq!(error.status(), Some(500));
    assert_eq!(seen.requests(), 3, "a GET with a listed 500 is retried");
    let error = guarded(
        client(addr)
            .token()
            .issue("1", issue_request())
            .retry_policy(policy)
            .send(),
    )
    .await
    .unwrap_err();
    assert_eq!(error.status(), Some(500));
    assert_eq!(
        seen.requests(),
        4,
        "a POST is not: it may have been processed"
    );
}

#[tokio::test]
async fn a_stream_against_a_server_that_ignores_start_ends() {
    let page = r#"{"start":0,"end":2,"totalCount":1000000,"services":[{"apiKey":1},{"apiKey":2}]}"#;
    let (addr, seen) = fixed_server(json_response("200 OK", page)).await;
    let results: Vec<Result<authlete::models::Service, Error>> =
        guarded(client(addr).services().list().stream(2).collect()).await;
    assert_eq!(
        seen.requests(),
        2,
        "the repeated page is noticed on the second request"
    );
    assert_eq!(results.len(), 3, "two items, then the error");
    assert!(
        matches!(results.last(), Some(Err(Error::Pagination(_)))),
        "{:?}",
        results.last()
    );
}

// ---------------------------------------------------------------------------------------------
// A TLS server (HTTP/2 and HTTP/1.1 by ALPN) with a certificate made here.

enum HttpAnswer {
    Json(String),
    Redirect(String),
    RefuseStream,
}

struct TlsServer {
    addr: SocketAddr,
    ca_pem: String,
    seen: Arc<Seen>,
    h2_streams: Arc<AtomicUsize>,
}

impl TlsServer {
    /// `answer` gets the request's number (from 1).
    async fn start(answer: impl Fn(usize) -> HttpAnswer + Send + Sync + 'static) -> TlsServer {
        let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
        let ca_pem = certified.cert.pem();
        let cert = rustls::pki_types::CertificateDer::from(certified.cert.der().to_vec());
        let key =
            rustls::pki_types::PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
        let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap();
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Seen::default());
        let h2_streams = Arc::new(AtomicUsize::new(0));
        let answer = Arc::new(answer);
        let (server_seen, server_h2) = (seen.clone(), h2_streams.clone());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (acceptor, seen, h2_streams, answer) = (
                    acceptor.clone(),
                    server_seen.clone(),
                    server_h2.clone(),
                    answer.clone(),
                );
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(socket).await else {
                        return;
                    };
                    let is_h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
                    if is_h2 {
                        serve_h2(tls, &seen, &h2_streams, &*answer).await;
                    } else {
                        serve_h1(tls, &seen, &*answer).await;
                    }
                });
            }
        });
        TlsServer {
            addr,
            ca_pem,
            seen,
            h2_streams,
        }
    }

    fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .base_url(format!("https://localhost:{}", self.addr.port()))
            .bearer_token(TOKEN)
            .add_root_certificate(reqwest::Certificate::from_pem(self.ca_pem.as_bytes()).unwrap())
    }

    /// Every request the server saw came over HTTP/2.
    fn h2_only(&self) -> bool {
        self.h2_streams.load(Ordering::SeqCst) == self.seen.requests()
    }
}

async fn serve_h2<S>(
    tls: S,
    seen: &Seen,
    h2_streams: &AtomicUsize,
    answer: &(dyn Fn(usize) -> HttpAnswer + Send + Sync),
) where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let Ok(mut connection) = h2::server::handshake(tls).await else {
        return;
    };
    while let Some(Ok((request, mut respond))) = connection.accept().await {
        let number = seen.requests.fetch_add(1, Ordering::SeqCst) + 1;
        h2_streams.fetch_add(1, Ordering::SeqCst);
        *seen.last_head.lock().unwrap() = format!("{} {}", request.method(), request.uri());
        match answer(number) {
            HttpAnswer::RefuseStream => respond.send_reset(h2::Reason::REFUSED_STREAM),
            HttpAnswer::Redirect(location) => {
                let response = http::Response::builder()
                    .status(307)
                    .header("location", location)
                    .body(())
                    .unwrap();
                let _ = respond.send_response(response, true);
            }
            HttpAnswer::Json(body) => {
                let response = http::Response::builder()
                    .status(200)
                    .header("content-type", "application/json")
                    .body(())
                    .unwrap();
                if let Ok(mut stream) = respond.send_response(response, false) {
                    let _ = stream.send_data(bytes::Bytes::from(body), true);
                }
            }
        }
    }
}

async fn serve_h1<S>(mut tls: S, seen: &Seen, answer: &(dyn Fn(usize) -> HttpAnswer + Send + Sync))
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let mut buffer = vec![0_u8; 64 * 1024];
    let Ok(n) = tls.read(&mut buffer).await else {
        return;
    };
    if n == 0 {
        return;
    }
    let number = seen.requests.fetch_add(1, Ordering::SeqCst) + 1;
    let response = match answer(number) {
        HttpAnswer::Redirect(location) => format!(
            "HTTP/1.1 307 Temporary Redirect\r\nlocation: {location}\r\ncontent-length: 0\r\n\r\n"
        ),
        HttpAnswer::Json(body) => json_response("200 OK", &body),
        HttpAnswer::RefuseStream => return,
    };
    let _ = tls.write_all(response.as_bytes()).await;
    let _ = tls.shutdown().await;
}
