//! The floor the SDK is measured against: the same request written by hand with reqwest +
//! serde_json, decoded into the same SDK type.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// GET `url` with the bearer token; the body decoded as `T`.
pub async fn get<T: DeserializeOwned>(http: &reqwest::Client, url: &str, token: &str) -> T {
    let response = http.get(url).bearer_auth(token).send().await.unwrap();
    assert!(response.status().is_success());
    serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
}

/// POST `body` as JSON to `url` with the bearer token; the response decoded as `T`.
pub async fn post<B: Serialize, T: DeserializeOwned>(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    body: &B,
) -> T {
    let response = http
        .post(url)
        .bearer_auth(token)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(serde_json::to_vec(body).unwrap())
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
}
