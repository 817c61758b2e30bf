//! The SDK against a real HTTP server on loopback (wiremock, plus a raw TCP server for a reset):
//! each error class, retries and `Retry-After`, timeouts, forward compatibility, the form
//! encoding on the wire, pagination, service handles, and the token kept out of every output.

use authlete::models::{
    GrantType, Property, ServiceGetListResponse, TokenCreateRequest, TokenResponseAction,
};
use authlete::{Client, Cluster, Error, RetryPolicy, RetrySafety, TransportErrorKind};
use futures_util::TryStreamExt;
use std::time::{Duration, Instant};
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const TOKEN: &str = "tok-7Hq2-secret-bearer";

fn client(server: &MockServer) -> Client {
    client_with(
        server,
        RetryPolicy::default().initial_backoff(Duration::from_millis(10)),
    )
}

fn client_with(server: &MockServer, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(server.uri())
        .allow_http_loopback()
        .bearer_token(TOKEN)
        .retry_policy(retry)
        .build()
        .unwrap()
}

fn result(code: &str, message: &str) -> serde_json::Value {
    serde_json::json!({"resultCode": code, "resultMessage": message})
}

fn assert_no_token(text: &str) {
    assert!(!text.contains(TOKEN), "the bearer token leaked: {text}");
}

#[tokio::test]
async fn sends_the_bearer_token_user_agent_and_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/715948317/service/get"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("user-agent", concat!("authlete-rust/", "0.1.0")))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"serviceName": "My Service", "apiKey": 9007199254740993_i64}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let service = client(&server)
        .services()
        .get("715948317")
        .send()
        .await
        .unwrap();
    assert_eq!(service.service_name.as_deref(), Some("My Service"));
    assert_eq!(
        service.api_key,
        Some(9_007_199_254_740_993),
        "int64 ids stay exact"
    );
}

#[tokio::test]
async fn a_callers_http_client_gets_the_token_user_agent_and_default_headers_on_each_request() {
    // The SDK's own HTTP client carries these as its defaults; a caller's client does not, so
    // they go on each request instead.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("user-agent", "my-app/2"))
        .and(header("x-tenant", "blue"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"serviceName": "S"})),
        )
        .expect(2)
        .mount(&server)
        .await;
    for http in [Some(reqwest::Client::new()), None] {
        let builder = Client::builder()
            .base_url(server.uri())
            .allow_http_loopback()
            .bearer_token(TOKEN);
        let builder = builder
            .user_agent("my-app/2")
            .default_header("x-tenant", "blue");
        let builder = match http {
            Some(http) => builder.http_client(http),
            None => builder,
        };
        let service = builder
            .build()
            .unwrap()
            .services()
            .get("1")
            .send()
            .await
            .unwrap();
        assert_eq!(service.service_name.as_deref(), Some("S"));
    }
}

#[tokio::test]
async fn declared_error_status_decodes_the_result_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(result(
            "A001202",
            "[A001202] Authorization header is missing.",
        )))
        .expect(1)
        .mount(&server)
        .await;
    let error = client(&server)
        .services()
        .get("1")
        .send()
        .await
        .unwrap_err();
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.status(), 401);
    assert_eq!(api.result_code(), Some("A001202"));
    assert_eq!(
        api.result_message(),
        Some("[A001202] Authorization header is missing.")
    );
    assert_eq!(error.retry_safety(), RetrySafety::No);
    assert_no_token(&format!("{error} {error:?}"));
}

#[tokio::test]
async fn undeclared_status_is_an_unexpected_response_with_the_raw_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(418).set_body_string("I'm a teapot"))
        .mount(&server)
        .await;
    let error = client(&server)
        .services()
        .get("1")
        .send()
        .await
        .unwrap_err();
    let Error::UnexpectedResponse(unexpected) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(unexpected.status(), 418);
    assert_eq!(unexpected.body(), "I'm a teapot");
    assert_no_token(&format!("{error} {error:?}"));
}

#[tokio::test]
async fn html_502_is_kept_raw_and_a_post_is_not_retried() {
    let server = MockServer::start().await;
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_string(page)
                .insert_header("content-type", "text/html"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let body = TokenCreateRequest::new(GrantType::AuthorizationCode, 1_i64);
    let error = client(&server)
        .token()
        .management()
        .create("1", body.clone())
        .send()
        .await
        .unwrap_err();
    let Error::UnexpectedResponse(unexpected) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(unexpected.body(), page);
    assert_eq!(error.retry_safety(), RetrySafety::IfIdempotent);
    assert!(
        !error.is_retryable(),
        "a POST may have been processed behind a 502"
    );
}

#[tokio::test]
async fn html_502_on_a_get_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html/>"))
        .expect(3)
        .mount(&server)
        .await;
    let error = client(&server)
        .services()
        .get("1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(502));
}

#[tokio::test]
async fn retry_after_is_honored_between_503_and_200() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"serviceName": "after retry"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let started = Instant::now();
    let service = client(&server).services().get("1").send().await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(service.service_name.as_deref(), Some("after retry"));
    assert!(
        elapsed >= Duration::from_secs(1),
        "Retry-After: 1 was not honored ({elapsed:?})"
    );
}

#[tokio::test]
async fn a_429_post_is_retried_because_it_was_not_processed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).set_body_json(result("A000429", "too many")))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"action": "OK", "accessToken": "at"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let body = TokenCreateRequest::new(GrantType::AuthorizationCode, 1_i64);
    let created = client(&server)
        .token()
        .management()
        .create("1", body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(created.access_token.as_deref(), Some("at"));
}

#[tokio::test]
async fn exhausted_retries_return_the_last_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("still down"))
        .expect(4)
        .mount(&server)
        .await;
    let retry = RetryPolicy::default()
        .max_attempts(4)
        .initial_backoff(Duration::from_millis(5));
    let error = client_with(&server, retry)
        .services()
        .get("1")
        .send()
        .await
        .unwrap_err();
    let Error::UnexpectedResponse(last) = &error else {
        panic!("{error:?}")
    };
    assert_eq!((last.status(), last.body()), (503, "still down"));
    assert!(error.is_retryable());
}

#[tokio::test]
async fn no_retry_per_call() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let error = client(&server)
        .services()
        .get("1")
        .no_retry()
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
}

#[tokio::test]
async fn a_timeout_is_a_transport_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({}))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    // The server answers after 5 s: an error of kind Timeout shows the 200 ms timeout fired.
    let error = client(&server)
        .services()
        .get("1")
        .timeout(Duration::from_millis(200))
        .no_retry()
        .send()
        .await
        .unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::Timeout);
    assert_eq!(error.retry_safety(), RetrySafety::IfIdempotent);
    assert!(std::error::Error::source(transport.as_ref()).is_some());
    assert_no_token(&format!("{error} {error:?}"));
}

#[tokio::test]
async fn connection_refused_is_retried_and_safe() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener); // nothing listens there now
    let client = Client::builder()
        .base_url(url)
        .allow_http_loopback()
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(5)))
        .build()
        .unwrap();
    let error = client
        .token()
        .management()
        .create("1", TokenCreateRequest::new(GrantType::Password, 1_i64))
        .send()
        .await
        .unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("{error:?}")
    };
    assert!(transport.is_connect());
    assert_eq!(error.retry_safety(), RetrySafety::Safe);
    assert!(
        error.is_retryable(),
        "nothing was sent, so even a POST is safe to repeat"
    );
}

#[tokio::test]
async fn a_connection_reset_mid_response_is_a_transport_error() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let served = tokio::spawn(async move {
        let mut accepted = 0;
        while let Ok(Ok((mut socket, _))) =
            tokio::time::timeout(Duration::from_secs(3), listener.accept()).await
        {
            accepted += 1;
            let mut buffer = [0_u8; 4096];
            let _ = socket.read(&mut buffer).await;
            // Promise 1000 bytes, send 10, then close: the response is cut off.
            let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"service").await;
            let _ = socket.shutdown().await;
            if accepted == 3 {
                break;
            }
        }
        accepted
    });
    let client = Client::builder()
        .base_url(format!("http://{addr}"))
        .allow_http_loopback()
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(5)))
        .build()
        .unwrap();
    let error = client.services().get("1").send().await.unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::Other);
    assert_eq!(error.retry_safety(), RetrySafety::IfIdempotent);
    assert_eq!(
        served.await.unwrap(),
        3,
        "a GET cut off mid-response is retried (3 attempts)"
    );
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_is_a_decode_error_with_the_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(r#"{"serviceName": "x", "apiKey": "not a number"}"#),
        )
        .mount(&server)
        .await;
    let error = client(&server)
        .services()
        .get("1")
        .send()
        .await
        .unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.path(), "apiKey");
    assert!(decode.target().ends_with("Service"), "{}", decode.target());
    assert!(decode.body().contains("not a number"));
}

#[tokio::test]
async fn unknown_enum_values_and_fields_are_tolerated_and_round_trip() {
    let server = MockServer::start().await;
    let body = serde_json::json!({"action": "BRAND_NEW_ACTION", "responseContent": "{}", "fieldFromTheFuture": {"a": 1}});
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .mount(&server)
        .await;
    let request = authlete::models::TokenRequest::new("grant_type=authorization_code&code=x");
    let response = client(&server)
        .token()
        .process_request("1", request.clone())
        .send()
        .await
        .unwrap();
    let action = response.action.clone().unwrap();
    assert!(
        matches!(action, TokenResponseAction::Unrecognized(_)),
        "{action:?}"
    );
    assert_eq!(action.as_str(), "BRAND_NEW_ACTION");
    let again = serde_json::to_value(&response).unwrap();
    assert_eq!(again["action"], "BRAND_NEW_ACTION");
    // A caller can send a value newer than this SDK, too.
    assert_eq!(
        serde_json::to_value(GrantType::from("urn:example:new-grant")).unwrap(),
        "urn:example:new-grant"
    );
}

#[tokio::test]
async fn a_204_is_unit_and_200_or_204_is_an_option() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/api/1/service/delete"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/1/service/jwks/get"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    client.services().delete("1").send().await.unwrap();
    assert_eq!(client.jwk_set().get("1").send().await.unwrap(), None);
}

#[tokio::test]
async fn send_with_meta_gives_status_and_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({}))
                .insert_header("x-request-id", "r-1"),
        )
        .mount(&server)
        .await;
    let response = client(&server)
        .services()
        .get("1")
        .send_with_meta()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-request-id"], "r-1");
}

#[tokio::test]
async fn the_form_encoding_on_the_wire_byte_for_byte() {
    let server = MockServer::start().await;
    let expected = "accessTokenPersistent=true&clientId=9007199254740993&grantType=AUTHORIZATION_CODE\
        &properties=%5B%7B%22key%22%3A%22k%22%2C%22value%22%3A%22v+w%22%7D%5D&scopes=openid&scopes=profile";
    Mock::given(method("POST"))
        .and(path("/api/1/auth/token/create"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(expected))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"action": "OK"})))
        .expect(1)
        .mount(&server)
        .await;
    let body = TokenCreateRequest::new(GrantType::AuthorizationCode, 9_007_199_254_740_993_i64)
        .with_scopes(vec!["openid".to_string(), "profile".to_string()])
        .with_access_token_persistent(true)
        .with_properties(vec![Property::default().with_key("k").with_value("v w")]);
    let result = client(&server)
        .token()
        .management()
        .create("1", body.clone())
        .form()
        .send()
        .await;
    if let Err(e) = &result {
        let received = server.received_requests().await.unwrap_or_default();
        let bodies: Vec<String> = received
            .iter()
            .map(|r| String::from_utf8_lossy(&r.body).into_owned())
            .collect();
        panic!("{e}: the server got {bodies:?}");
    }
}

#[tokio::test]
async fn json_is_the_default_encoding_and_absent_fields_are_omitted() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("content-type", "application/json"))
        .and(body_string(
            r#"{"grantType":"PASSWORD","clientId":5,"scopes":[]}"#,
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .expect(1)
        .mount(&server)
        .await;
    // An empty list is sent as one: it is not the same as an absent field.
    let body =
        TokenCreateRequest::new(GrantType::Password, 5_i64).with_scopes(Vec::<String>::new());
    client(&server)
        .token()
        .management()
        .create("1", body.clone())
        .send()
        .await
        .unwrap();
}

/// Serves `/api/service/get/list` from `total` services, honoring `start` and `end`.
struct ServicePages {
    total: i64,
}

impl Respond for ServicePages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let param = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.parse::<i64>().unwrap())
        };
        let (start, end) = (param("start").unwrap_or(0), param("end").unwrap_or(5));
        let services: Vec<_> = (start..end.min(self.total))
            .map(|n| serde_json::json!({"apiKey": n}))
            .collect();
        ResponseTemplate::new(200).set_body_json(serde_json::json!({"start": start, "end": end, "totalCount": self.total, "services": services}))
    }
}

#[tokio::test]
async fn pagination_streams_every_item_over_three_pages() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/service/get/list"))
        .respond_with(ServicePages { total: 5 })
        .expect(3)
        .mount(&server)
        .await;
    let keys: Vec<i64> = client(&server)
        .services()
        .list()
        .stream(2)
        .map_ok(|service| service.api_key.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(keys, vec![0, 1, 2, 3, 4]);
    let pages: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        pages,
        vec!["start=0&end=2", "start=2&end=4", "start=4&end=6"]
    );
    // The page type is still there for callers who want one page.
    let _: fn(ServiceGetListResponse) = |_| {};
}

#[tokio::test]
async fn a_service_handle_supplies_the_service_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/715948317/client/get/42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"clientId": 42})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/715948317/auth/token/get/list"))
        .and(query_param("subject", "alice"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"totalCount": 0, "accessTokens": []})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let service = client.service("715948317");
    let fetched = service.clients().get("42").send().await.unwrap();
    assert_eq!(fetched.client_id, Some(42));
    service
        .token()
        .management()
        .list()
        .subject("alice")
        .send()
        .await
        .unwrap();
}

/// What an axum handler's state needs: owned, cloneable, shareable across tasks.
fn assert_storable<T: Clone + Send + Sync + 'static>(_: &T) {}

#[tokio::test]
async fn handles_builders_and_streams_are_owned_and_can_be_spawned() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/715948317/service/get"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"serviceName": "spawned"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/715948317/auth/authorization"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"action": "INTERACTION", "ticket": "t"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/715948317/client/get/list"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"totalCount": 1, "clients": [{"clientId": 7}]})),
        )
        .mount(&server)
        .await;
    // A handle made in a temporary scope and stored: no borrow of the client remains.
    let service = {
        let client = client(&server);
        client.service("715948317")
    };
    assert_storable(&service);
    // A request whose body is a temporary, sent later (E0716 when builders borrowed the body).
    let call =
        service
            .authorization()
            .process_request(authlete::models::AuthorizationRequest::new(
                "response_type=code",
            ));
    let spawned = tokio::spawn(call.send());
    assert_eq!(spawned.await.unwrap().unwrap().ticket.as_deref(), Some("t"));
    // A future of a group reached through a temporary, spawned.
    let get = tokio::spawn(client(&server).services().get("715948317").send());
    assert_eq!(
        get.await.unwrap().unwrap().service_name.as_deref(),
        Some("spawned")
    );
    // A stream from a temporary chain, moved to another task.
    let stream = service.clients().list().stream(10);
    let ids: Vec<i64> =
        tokio::spawn(async move { stream.map_ok(|c| c.client_id.unwrap()).try_collect().await })
            .await
            .unwrap()
            .unwrap();
    assert_eq!(ids, vec![7]);
}

#[tokio::test]
async fn papercuts_lists_from_arrays_ids_from_integers_headers_per_call() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/715948317/client/get/1140735077"))
        .and(header("x-request-id", "req-42"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"clientId": 1140735077_i64})),
        )
        .expect(1)
        .mount(&server)
        .await;
    // Lists take arrays of &str; ids read from a model (i64) go into a path as they are.
    let request = TokenCreateRequest::new(GrantType::AuthorizationCode, 26888344961664_i64)
        .with_scopes(["history.read", "timeline.read"]);
    assert_eq!(
        request.scopes.as_deref(),
        Some(&["history.read".to_string(), "timeline.read".to_string()][..])
    );
    let client_id: i64 = 1140735077;
    let service = client(&server).service(715948317_i64);
    let fetched = service
        .clients()
        .get(client_id)
        .header("X-Request-Id", "req-42")
        .send()
        .await
        .unwrap();
    assert_eq!(fetched.client_id, Some(client_id));
    // A per-call header that is invalid or would replace the bearer token is refused unsent.
    for (name, value) in [
        ("Authorization", "Bearer other"),
        ("bad header", "x"),
        ("x-ok", "line\nbreak"),
    ] {
        let error = service
            .clients()
            .get(client_id)
            .header(name, value)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::InvalidArgument(_)),
            "{name}: {error:?}"
        );
    }
    // The stream traits come from the crate itself (no direct futures-util dependency needed).
    let next = authlete::StreamExt::next(&mut futures_util::stream::iter([1])).await;
    assert_eq!(next, Some(1));
}

#[tokio::test]
async fn a_declared_status_without_a_body_is_an_api_error() {
    let server = MockServer::start().await;
    // service get declares 400, 401, 403 and 500.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(403))
        .mount(&server)
        .await;
    let error = client(&server)
        .services()
        .get("1")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Api(_)), "{error:?}");
    assert_eq!((error.status(), error.result_code()), (Some(403), None));
}

/// get → modify → update keeps the members this SDK does not know, in their order.
#[tokio::test]
async fn unknown_members_survive_get_modify_update() {
    let server = MockServer::start().await;
    let newer = serde_json::json!({"zFeature": {"enabled": true, "level": 3}, "aFlag": [1, 2]});
    let mut read = serde_json::json!({"clientId": 1140735077_i64, "clientName": "before"});
    read.as_object_mut()
        .unwrap()
        .extend(newer.as_object().unwrap().clone());
    Mock::given(method("GET"))
        .and(path("/api/1/client/get/1140735077"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&read))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/1/client/update/1140735077"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&read))
        .mount(&server)
        .await;
    let service = client(&server).service(1);
    let mut app = service.clients().get(1140735077_i64).send().await.unwrap();
    app.client_name = Some("after".into());
    service
        .clients()
        .update(1140735077_i64, app)
        .send()
        .await
        .unwrap();
    let sent: serde_json::Value =
        serde_json::from_slice(&server.received_requests().await.unwrap()[1].body).unwrap();
    assert_eq!(sent["clientName"], "after");
    assert_eq!(sent["zFeature"], newer["zFeature"]);
    assert_eq!(sent["aFlag"], newer["aFlag"]);
    let keys: Vec<&String> = sent
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| newer.get(k.as_str()).is_some())
        .collect();
    assert_eq!(keys, vec!["zFeature", "aFlag"], "in the order received");

    // The same for a service, decoded and encoded without a server.
    let service: authlete::models::Service =
        serde_json::from_value(serde_json::json!({"serviceName": "s", "newerSetting": {"x": 1}, "supportedScopes": [{"name": "openid", "newerScopeFlag": true}]})).unwrap();
    let service = service.with_service_name("renamed");
    let encoded = serde_json::to_value(&service).unwrap();
    assert_eq!(encoded["newerSetting"], serde_json::json!({"x": 1}));
    assert_eq!(
        encoded["supportedScopes"][0]["newerScopeFlag"], true,
        "nested values keep theirs too"
    );
    assert_eq!(encoded["serviceName"], "renamed");
}

/// A member the document marks optional and nullable is `Option<Option<T>>`: a client read with
/// `userInfoSignAlg: null` sends `null` back, one without the member leaves it out, and an
/// application can send `null` to clear it.
#[test]
fn null_and_absent_stay_apart_through_a_read_and_a_write() {
    use authlete::models::{JwsAlg, OauthClient};
    let read: OauthClient =
        serde_json::from_str(r#"{"clientId":1,"userInfoSignAlg":null}"#).unwrap();
    assert_eq!(read.user_info_sign_alg, Some(None));
    assert_eq!(read.user_info_encryption_alg, None);
    let sent = serde_json::to_value(&read).unwrap();
    assert_eq!(sent.get("userInfoSignAlg"), Some(&serde_json::Value::Null));
    assert_eq!(sent.get("userInfoEncryptionAlg"), None);

    let set = read.with_user_info_sign_alg(JwsAlg::Rs256);
    let sent = serde_json::to_value(&set).unwrap();
    assert_eq!(sent["userInfoSignAlg"], "RS256");
    let mut cleared = set;
    cleared.user_info_sign_alg = Some(None);
    let sent = serde_json::to_value(&cleared).unwrap();
    assert_eq!(sent.get("userInfoSignAlg"), Some(&serde_json::Value::Null));
}

#[tokio::test]
async fn the_discovery_document_comes_back_in_the_servers_order() {
    let server = MockServer::start().await;
    let document = r#"{"issuer":"https://as.example","authorization_endpoint":"https://as.example/authorize","scopes_supported":["openid"],"mtls_endpoint_aliases":{"token_endpoint":"https://mtls.example/token","a":"b"}}"#;
    Mock::given(method("GET"))
        .and(path("/api/715948317/service/configuration"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(document, "application/json"))
        .mount(&server)
        .await;
    let metadata = client(&server)
        .service("715948317")
        .discovery()
        .get_configuration()
        .send()
        .await
        .unwrap();
    assert_eq!(
        serde_json::to_string(&metadata).unwrap(),
        document,
        "served as received: order kept at every depth"
    );
}

#[test]
fn cluster_selects_the_host() {
    let client = Client::builder()
        .cluster(Cluster::Jp)
        .bearer_token(TOKEN)
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://jp.authlete.com");
    assert_eq!(Cluster::Us.url(), "https://us.authlete.com");
}

#[test]
fn the_token_can_come_from_the_environment() {
    // The only test that touches AUTHLETE_BEARER.
    std::env::set_var(authlete::BEARER_ENV, "from-env-token");
    let client = Client::builder()
        .base_url("https://example.com")
        .bearer_token_from_env()
        .build();
    std::env::remove_var(authlete::BEARER_ENV);
    assert!(!format!("{:?}", client.unwrap()).contains("from-env-token"));
    let missing = Client::builder()
        .base_url("https://example.com")
        .bearer_token_from_env()
        .build()
        .unwrap_err();
    assert!(missing.to_string().contains("AUTHLETE_BEARER"), "{missing}");
}

#[tokio::test]
async fn the_token_is_absent_from_debug_output_and_logs() {
    use std::sync::{Arc, Mutex};
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Buffer {
        fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(data);
            Ok(data.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let logs = Buffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("down"))
        .mount(&server)
        .await;
    let client = client(&server);
    assert_no_token(&format!("{client:?}"));
    let request = client.services().get("1");
    assert_no_token(&format!("{request:?}"));
    let error = request.send().await.unwrap_err();
    assert_no_token(&format!("{error} {error:?}"));

    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("service_get_api") && logs.contains("/api/{serviceId}/service/get"),
        "spans carry the operation: {logs}"
    );
    assert!(logs.contains("attempt=3"), "{logs}");
    assert_no_token(&logs);
}
