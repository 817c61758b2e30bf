//! `calls <sdk|floor> <operation> <n>`: n calls on one thread against the loopback server in
//! this process. Run under callgrind by `make bench`: instruction counts do not drift with the
//! machine, so the SDK's per-call cost over the floor shows even where wall time is noisy.

use authlete::models::{IntrospectionRequest, IntrospectionResponse, Service};
use authlete_bench::{floor, payload, server};

const SERVICE_ID: &str = "715948317";
const TOKEN: &str = "bench-token";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(side), Some(operation), Some(n)) = (
        args.get(1),
        args.get(2),
        args.get(3).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: calls <sdk|floor> <introspection|service_get> <n>");
        std::process::exit(2);
    };
    let payloads = payload::payloads().expect("payloads");
    let server_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let bodies = server::Bodies {
        introspection: payloads.introspection.into(),
        service: payloads.service.into(),
        client_list: payloads.client_list.into(),
    };
    let base = format!("http://{}", server_runtime.block_on(server::spawn(bodies)));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let sdk = authlete::Client::builder()
        .base_url(&base)
        .bearer_token(TOKEN)
        .allow_http_loopback()
        .build()
        .unwrap();
    let http = reqwest::Client::new();
    let request = IntrospectionRequest::new("Ad3EFlXo3Kdo0pVZy3sT0Ifz_9ac3d1lP4WTz-N0KR8");
    runtime.block_on(async {
        for _ in 0..n {
            match (side.as_str(), operation.as_str()) {
                ("sdk", "introspection") => {
                    std::hint::black_box(
                        sdk.service(SERVICE_ID)
                            .introspection()
                            .process_request(request.clone())
                            .send()
                            .await
                            .unwrap(),
                    );
                }
                ("floor", "introspection") => {
                    let url = format!("{base}/api/{SERVICE_ID}/auth/introspection");
                    std::hint::black_box(
                        floor::post::<_, IntrospectionResponse>(&http, &url, TOKEN, &request).await,
                    );
                }
                ("sdk", "service_get") => {
                    std::hint::black_box(
                        sdk.service(SERVICE_ID)
                            .services()
                            .get()
                            .send()
                            .await
                            .unwrap(),
                    );
                }
                ("floor", "service_get") => {
                    let url = format!("{base}/api/{SERVICE_ID}/service/get");
                    std::hint::black_box(floor::get::<Service>(&http, &url, TOKEN).await);
                }
                _ => {
                    eprintln!("unknown side or operation");
                    std::process::exit(2);
                }
            }
        }
    });
}
