//! Runtime overhead of the SDK: one call through it against the same request written by hand
//! with reqwest + serde_json (the floor), on a loopback server; and decode throughput of the
//! large payloads, typed against `serde_json::Value`.

use authlete::models::{
    ClientGetListResponse, IntrospectionRequest, IntrospectionResponse, Service,
};
use authlete_bench::{floor, payload, server};
use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};
use serde::de::DeserializeOwned;
use std::time::Duration;

const SERVICE_ID: &str = "715948317";
const TOKEN: &str = "bench-token";

struct Setup {
    /// The client side: one thread, so that what is measured is the call, not scheduling.
    runtime: tokio::runtime::Runtime,
    /// The server side, on a thread of its own.
    _server: tokio::runtime::Runtime,
    base: String,
    sdk: authlete::Client,
    floor: reqwest::Client,
    service: Vec<u8>,
    client_list: Vec<u8>,
}

fn setup() -> Setup {
    let payload::Payloads {
        introspection,
        service,
        client_list,
    } = payload::payloads().expect("the payloads");
    // The payloads must decode into the SDK's types with nothing left over: a benchmark of a
    // failing or partial decode would measure the wrong thing.
    assert_round_trips::<IntrospectionResponse>(&introspection);
    assert_round_trips::<Service>(&service);
    assert_round_trips::<ClientGetListResponse>(&client_list);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let bodies = server::Bodies {
        introspection: introspection.into(),
        service: service.clone().into(),
        client_list: client_list.clone().into(),
    };
    let address = server_runtime.block_on(server::spawn(bodies));
    let base = format!("http://{address}");
    let sdk = authlete::Client::builder()
        .base_url(&base)
        .bearer_token(TOKEN)
        .allow_http_loopback()
        .build()
        .unwrap();
    let floor = reqwest::Client::builder().build().unwrap();
    Setup {
        runtime,
        _server: server_runtime,
        base,
        sdk,
        floor,
        service,
        client_list,
    }
}

fn assert_round_trips<T: DeserializeOwned + serde::Serialize>(bytes: &[u8]) {
    let typed: T = serde_json::from_slice(bytes).expect("the payload decodes into the SDK type");
    let again = serde_json::to_value(&typed).unwrap();
    let original: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    if let Some(difference) = payload::first_difference(&original, &again, "") {
        panic!("the SDK type drops or changes part of the payload at {difference} (present in the payload vs after a round trip)");
    }
}

fn calls(c: &mut Criterion) {
    let s = setup();
    let mut group = c.benchmark_group("call");
    group.measurement_time(Duration::from_secs(8));

    let request = IntrospectionRequest::new("Ad3EFlXo3Kdo0pVZy3sT0Ifz_9ac3d1lP4WTz-N0KR8");
    let url = format!("{}/api/{SERVICE_ID}/auth/introspection", s.base);
    group.bench_function(BenchmarkId::new("introspection", "sdk"), |b| {
        b.to_async(&s.runtime).iter(|| async {
            s.sdk
                .service(SERVICE_ID)
                .introspection()
                .process_request(request.clone())
                .send()
                .await
                .unwrap()
        })
    });
    group.bench_function(BenchmarkId::new("introspection", "floor"), |b| {
        b.to_async(&s.runtime)
            .iter(|| floor::post::<_, IntrospectionResponse>(&s.floor, &url, TOKEN, &request))
    });

    let url = format!("{}/api/{SERVICE_ID}/service/get", s.base);
    group.bench_function(BenchmarkId::new("service_get", "sdk"), |b| {
        b.to_async(&s.runtime).iter(|| async {
            s.sdk
                .service(SERVICE_ID)
                .services()
                .get()
                .send()
                .await
                .unwrap()
        })
    });
    group.bench_function(BenchmarkId::new("service_get", "floor"), |b| {
        b.to_async(&s.runtime)
            .iter(|| floor::get::<Service>(&s.floor, &url, TOKEN))
    });

    let url = format!("{}/api/{SERVICE_ID}/client/get/list", s.base);
    group.bench_function(BenchmarkId::new("client_list_1000", "sdk"), |b| {
        b.to_async(&s.runtime).iter(|| async {
            s.sdk
                .service(SERVICE_ID)
                .clients()
                .list()
                .send()
                .await
                .unwrap()
        })
    });
    group.bench_function(BenchmarkId::new("client_list_1000", "floor"), |b| {
        b.to_async(&s.runtime)
            .iter(|| floor::get::<ClientGetListResponse>(&s.floor, &url, TOKEN))
    });
    group.finish();

    let mut group = c.benchmark_group("decode");
    for (name, bytes) in [
        ("service", &s.service),
        ("client_list_1000", &s.client_list),
    ] {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        if name == "service" {
            group.bench_function(BenchmarkId::new(name, "typed"), |b| {
                b.iter(|| serde_json::from_slice::<Service>(bytes).unwrap())
            });
        } else {
            group.bench_function(BenchmarkId::new(name, "typed"), |b| {
                b.iter(|| serde_json::from_slice::<ClientGetListResponse>(bytes).unwrap())
            });
        }
        group.bench_function(BenchmarkId::new(name, "value"), |b| {
            b.iter(|| serde_json::from_slice::<serde_json::Value>(bytes).unwrap())
        });
    }
    group.finish();
}

/// Seconds for `n` calls of `call`, one after another.
fn time_block<F, Fut, T>(runtime: &tokio::runtime::Runtime, n: usize, call: F) -> f64
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    runtime.block_on(async {
        let started = std::time::Instant::now();
        for _ in 0..n {
            std::hint::black_box(call().await);
        }
        started.elapsed().as_secs_f64()
    })
}

/// The overhead measured in pairs: blocks of SDK calls and of floor calls alternate (in turn
/// first), so that both see the same state of the machine; each pair gives one ratio. Drift
/// between criterion's separate runs of the two cancels out here. Written as JSON to `path`.
fn paired(path: &str) {
    const ROUNDS: usize = 40;
    let s = setup();
    let request = IntrospectionRequest::new("Ad3EFlXo3Kdo0pVZy3sT0Ifz_9ac3d1lP4WTz-N0KR8");
    let introspection_url = format!("{}/api/{SERVICE_ID}/auth/introspection", s.base);
    let service_url = format!("{}/api/{SERVICE_ID}/service/get", s.base);
    let list_url = format!("{}/api/{SERVICE_ID}/client/get/list", s.base);
    type Block<'a> = Box<dyn Fn(usize) -> f64 + 'a>;
    let cases: Vec<(&str, usize, Block, Block)> = vec![
        (
            "introspection",
            200,
            Box::new(|n| {
                time_block(&s.runtime, n, || async {
                    s.sdk
                        .service(SERVICE_ID)
                        .introspection()
                        .process_request(request.clone())
                        .send()
                        .await
                        .unwrap()
                })
            }),
            Box::new(|n| {
                time_block(&s.runtime, n, || {
                    floor::post::<_, IntrospectionResponse>(
                        &s.floor,
                        &introspection_url,
                        TOKEN,
                        &request,
                    )
                })
            }),
        ),
        (
            "service_get",
            200,
            Box::new(|n| {
                time_block(&s.runtime, n, || async {
                    s.sdk
                        .service(SERVICE_ID)
                        .services()
                        .get()
                        .send()
                        .await
                        .unwrap()
                })
            }),
            Box::new(|n| {
                time_block(&s.runtime, n, || {
                    floor::get::<Service>(&s.floor, &service_url, TOKEN)
                })
            }),
        ),
        (
            "client_list_1000",
            5,
            Box::new(|n| {
                time_block(&s.runtime, n, || async {
                    s.sdk
                        .service(SERVICE_ID)
                        .clients()
                        .list()
                        .send()
                        .await
                        .unwrap()
                })
            }),
            Box::new(|n| {
                time_block(&s.runtime, n, || {
                    floor::get::<ClientGetListResponse>(&s.floor, &list_url, TOKEN)
                })
            }),
        ),
    ];
    let mut out = serde_json::Map::new();
    for (name, block, sdk, floor) in &cases {
        sdk(block * 2); // warm-up
        floor(block * 2);
        let ratios: Vec<f64> = (0..ROUNDS)
            .map(|round| {
                if round % 2 == 0 {
                    let a = sdk(*block);
                    a / floor(*block)
                } else {
                    let b = floor(*block);
                    sdk(*block) / b
                }
            })
            .collect();
        out.insert(name.to_string(), serde_json::json!(ratios));
    }
    std::fs::write(path, serde_json::to_string_pretty(&out).unwrap())
        .expect("write the paired results");
}

criterion_group!(benches, calls);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    if let Ok(path) = std::env::var("BENCH_PAIRED_OUT") {
        paired(&path);
    }
}
