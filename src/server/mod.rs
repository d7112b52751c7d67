//! `civsearch serve`: an HTTP JSON API and a search page over the same library
//! calls as the command line ([`crate::search::search`],
//! [`crate::search::trend::trend`], [`crate::index::stats::stats`],
//! [`CivIndex::article`]).
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use civsearch::index::CivIndex;
//! let idx = CivIndex::open_watched(std::path::Path::new("index"))?;
//! let app = civsearch::server::router(idx);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:7700").await?;
//! civsearch::server::serve(listener, app, std::future::pending()).await?;
//! # Ok(())
//! # }
//! ```
//!
//! Endpoints (documented in README.md and served as `/api/openapi.json`):
//! `GET /api/search`, `GET /api/trend`, `GET /api/articles/{id}`, `GET /api/stats`,
//! `GET /healthz`, and the page at `/` (`/app.js`, `/style.css`), embedded in the
//! binary.
//!
//! Every search runs on tokio's blocking pool, at most [`ServerConfig::max_concurrent`]
//! at once. Bad parameters are answered with 400 and a JSON body naming the
//! parameter; a panic is answered with a bare 500 (no message, no trace). A
//! request under a foreign `Host` name is answered with 421 ([`HostPolicy`]);
//! request headers must arrive within [`HEADER_READ_TIMEOUT`].

mod api;
mod assets;
mod params;

use crate::index::CivIndex;
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;

pub use api::{MAX_LIMIT, MAX_OFFSET, MAX_TREND_PERIODS, MAX_TREND_QUERIES};

/// Longest request URI accepted (path and query string), in bytes.
pub const MAX_URI_BYTES: usize = 32 * 1024;
/// Largest request body accepted (the API takes none).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// The Content-Security-Policy sent with every response: only this origin's own
/// files, no inline script, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Time a client has to send a request's headers (each request of a
/// keep-alive connection): a connection whose headers never finish is closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Settings of the server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Searches (and other index work) running at once; more wait their turn.
    pub max_concurrent: usize,
    /// Which `Host` headers are answered ([`HostPolicy`]).
    pub hosts: HostPolicy,
}

impl Default for ServerConfig {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        ServerConfig {
            max_concurrent: (cores * 2).max(4),
            hosts: HostPolicy::default(),
        }
    }
}

/// The `Host` headers a request may carry. A web page on another site can make
/// a browser send requests to this server under the page's own name (DNS
/// rebinding) and read the answers; refusing every name but the server's own
/// stops that. Accepted: `localhost`, the bound IP address (any IP address when
/// bound to all interfaces, e.g. `0.0.0.0`; a loopback address when not told),
/// and the names given (`--allow-host`). The port is not compared. A request
/// without a `Host` header (HTTP/1.0) is no rebinding and is answered.
#[derive(Debug, Clone, Default)]
pub struct HostPolicy {
    /// The address the server listens on, when known.
    pub bound: Option<std::net::IpAddr>,
    /// More names accepted, lowercase.
    pub names: Vec<String>,
}

impl HostPolicy {
    /// Whether a `Host` header value is accepted.
    pub fn allows(&self, host: &str) -> bool {
        let name = host_name(host);
        if name == "localhost" || self.names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            return true;
        }
        let Ok(ip) = name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
        else {
            return false;
        };
        match self.bound {
            Some(b) if b.is_unspecified() => true,
            Some(b) => b == ip,
            None => ip.is_loopback(),
        }
    }
}

/// The host part of a `Host` header (`[::1]:7700` -> `[::1]`, `a.b:80` ->
/// `a.b`), lowercase, without a trailing dot.
fn host_name(host: &str) -> String {
    let host = host.trim();
    let name = if host.starts_with('[') {
        host.split_inclusive(']').next().unwrap_or(host)
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// What every handler shares.
#[derive(Clone)]
pub(crate) struct AppState {
    pub idx: Arc<CivIndex>,
    pub permits: Arc<Semaphore>,
}

/// The application with default settings. Open the index with
/// [`CivIndex::open_watched`] so searches follow new commits cheaply.
pub fn router(idx: CivIndex) -> Router {
    router_with(idx, ServerConfig::default())
}

/// The application: API routes, the page, security headers and limits.
pub fn router_with(idx: CivIndex, config: ServerConfig) -> Router {
    let state = AppState {
        idx: Arc::new(idx),
        permits: Arc::new(Semaphore::new(config.max_concurrent.max(1))),
    };
    Router::new()
        .route("/api/search", get(api::search))
        .route("/api/trend", get(api::trend))
        .route("/api/articles/{*id}", get(api::article))
        .route("/api/stats", get(api::stats))
        .route("/api/openapi.json", get(assets::openapi))
        .route("/healthz", get(api::healthz))
        .route("/", get(assets::index_html))
        .route("/app.js", get(assets::app_js))
        .route("/style.css", get(assets::style_css))
        .route("/favicon.ico", get(assets::favicon))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(
            Arc::new(config.hosts),
            host_guard,
        ))
        .layer(middleware::from_fn(guard))
        .layer(CatchPanicLayer::custom(panic_response))
}

/// Serve `app` on `listener` until `shutdown` resolves; then stop accepting
/// and let the connections finish what they are answering. Each request's
/// headers must arrive within [`HEADER_READ_TIMEOUT`].
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with_timeout(listener, app, shutdown, HEADER_READ_TIMEOUT).await
}

/// [`serve`] with another header read timeout.
pub async fn serve_with_timeout(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    header_timeout: Duration,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(header_timeout);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        while connections.try_join_next().is_some() {}
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: wait, do not spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let conn = http.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
        let mut stop = stop_rx.clone();
        connections.spawn(async move {
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stop.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// Refuse a request whose `Host` is not this server's ([`HostPolicy`]) with
/// 421 and a JSON error.
async fn host_guard(
    axum::extract::State(hosts): axum::extract::State<Arc<HostPolicy>>,
    req: Request,
    next: Next,
) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned());
    match host {
        Some(h) if !hosts.allows(&h) => api::ApiError::new(
            StatusCode::MISDIRECTED_REQUEST,
            "this server does not answer to that Host name (see --allow-host)".to_string(),
        )
        .into_response(),
        _ => next.run(req).await,
    }
}

/// True when `addr` can only be reached from this machine.
pub fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

/// Refuse overlong URIs before any parsing; add security and cache headers to
/// every response.
async fn guard(req: Request, next: Next) -> Response {
    let uri_len = req.uri().path().len() + req.uri().query().map_or(0, str::len);
    let api = req.uri().path().starts_with("/api/") || req.uri().path() == "/healthz";
    let mut resp = if uri_len > MAX_URI_BYTES {
        api::ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!("request URI longer than {MAX_URI_BYTES} bytes"),
        )
        .into_response()
    } else {
        next.run(req).await
    };
    let h = resp.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(h, header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "no-referrer");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(
        h,
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        h,
        header::HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        set(
            h,
            header::CACHE_CONTROL,
            if api { "no-store" } else { "no-cache" },
        );
    }
    resp
}

/// A panic anywhere in a handler: 500 with a fixed JSON body. The panic message
/// goes to the server's standard error, never to the client.
fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let msg = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    eprintln!("civsearch serve: a request handler panicked: {msg}");
    let mut resp = api::ApiError::internal().into_response();
    resp.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    resp.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}
