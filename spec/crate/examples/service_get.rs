//! Fetches a service: `cargo run --example service_get`.
//!
//! Reads AUTHLETE_BEARER (a service access token), AUTHLETE_SERVICE_ID and, optionally,
//! AUTHLETE_BASE_URL (default: the US cluster).

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let Some(settings) = Settings::from_env() else {
        return ExitCode::from(2);
    };
    let client = match settings.client() {
        Ok(client) => client,
        Err(e) => {
            eprintln!("cannot configure the client: {e}");
            return ExitCode::from(2);
        }
    };
    match client.services().get(&settings.service_id).send().await {
        Ok(service) => {
            println!(
                "service {}: {}",
                settings.service_id,
                service.service_name.unwrap_or_default()
            );
            println!("issuer: {}", service.issuer.unwrap_or_default());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("service get failed: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Settings {
    service_id: String,
    base_url: Option<String>,
}

impl Settings {
    /// The settings, or a message saying which variable to set.
    fn from_env() -> Option<Settings> {
        let missing: Vec<&str> = [authlete::BEARER_ENV, "AUTHLETE_SERVICE_ID"]
            .into_iter()
            .filter(|name| std::env::var(name).map_or(true, |v| v.is_empty()))
            .collect();
        if !missing.is_empty() {
            eprintln!(
                "set {} to run this example (AUTHLETE_BASE_URL is optional)",
                missing.join(" and ")
            );
            return None;
        }
        Some(Settings {
            service_id: std::env::var("AUTHLETE_SERVICE_ID").ok()?,
            base_url: std::env::var("AUTHLETE_BASE_URL")
                .ok()
                .filter(|v| !v.is_empty()),
        })
    }

    fn client(&self) -> Result<authlete::Client, authlete::Error> {
        let builder = authlete::Client::builder().bearer_token_from_env();
        let builder = match &self.base_url {
            // A mock server on this machine (`http://127.0.0.1:4010`) is allowed; any other
            // `http://` host is still refused.
            Some(url) => builder.base_url(url).allow_http_loopback(),
            None => builder.cluster(authlete::Cluster::Us),
        };
        builder.build()
    }
}
