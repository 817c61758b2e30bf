//! The loopback HTTP server of the runtime benchmark: canned JSON bodies, no work per request
//! beyond HTTP itself, so the client side is what is measured.

use axum::body::Bytes;
use axum::http::header::CONTENT_TYPE;
use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;

/// The canned bodies, served at the paths of the operations they answer.
pub struct Bodies {
    pub introspection: Bytes,
    pub service: Bytes,
    pub client_list: Bytes,
}

/// Binds 127.0.0.1 on a free port and serves until the runtime ends.
pub async fn spawn(bodies: Bodies) -> SocketAddr {
    let json = |body: Bytes| {
        move || std::future::ready(([(CONTENT_TYPE, "application/json")], body.clone()))
    };
    let app = Router::new()
        .route(
            "/api/{service_id}/auth/introspection",
            post(json(bodies.introspection)),
        )
        .route("/api/{service_id}/service/get", get(json(bodies.service)))
        .route(
            "/api/{service_id}/client/get/list",
            get(json(bodies.client_list)),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let address = listener.local_addr().expect("local address");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    address
}
