//! `civsearch serve`: the search page and the HTTP JSON API.

use anyhow::{Context, Result};
use civsearch::index::{CivIndex, resolve_index_dir};
use civsearch::server::{self, ServerConfig};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `civsearch serve`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  civsearch serve                          # http://127.0.0.1:7700/
  civsearch serve --index news-index --addr 127.0.0.1:8080

API (JSON): GET /api/search?q=..., /api/trend?q=..., /api/articles/{id},
/api/stats, /healthz; described at /api/openapi.json and in README.md.
The server binds the loopback address unless --addr names another one; it has no
authentication, so think twice before exposing it. Every API answer, errors
included, is JSON: {\"error\": ..., \"parameter\": ...} with status 400, 404, 405,
414, 421 or 500. Queries are at most 4,096 characters.

Limits: requests are answered only under the Host names localhost, the bound
IP address (any IP address when bound to 0.0.0.0 or ::) and those given with
--allow-host; any other Host gets 421 with a JSON error (a web page cannot read
the index through DNS rebinding). Request headers must arrive within 10 s, or
the connection is closed. Request URIs up to 32 KiB, bodies up to 16 KiB; the
API reads no body, so a request is answered without waiting for one and its
connection is then closed.

Exit status: 0 after a clean shutdown (Ctrl-C), 2 when the index cannot be opened
or the address cannot be bound.")]
pub struct ServeArgs {
    /// Index folder [default: $CIVSEARCH_INDEX, else ./index]
    #[arg(long)]
    pub index: Option<PathBuf>,
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:7700")]
    pub addr: String,
    /// Searches running at once [default: 2 x cores, at least 4]
    #[arg(long)]
    pub max_concurrent: Option<usize>,
    /// Also answer requests whose Host header names NAME (the name this
    /// server is reached under behind a proxy or on a network); repeatable.
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
}

pub fn run(args: &ServeArgs) -> Result<i32> {
    let dir = resolve_index_dir(args.index.as_deref());
    let idx = CivIndex::open_watched(&dir)?;
    let docs = idx.searcher()?.num_docs();
    let mut config = ServerConfig::default();
    if let Some(n) = args.max_concurrent {
        config.max_concurrent = n.max(1);
    }
    let threads = config.max_concurrent + 4;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(threads)
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let local = listener.local_addr()?;
        config.hosts = server::HostPolicy {
            bound: Some(local.ip()),
            names: args.allow_host.iter().map(|n| n.to_ascii_lowercase()).collect(),
        };
        if !server::is_loopback(&local) {
            eprintln!(
                "civsearch: warning: listening on {local}, reachable from other machines; the server has no authentication"
            );
        }
        eprintln!(
            "civsearch: serving {} ({docs} articles) at http://{local}/  (Ctrl-C stops)",
            dir.display()
        );
        let app = server::router_with(idx, config);
        server::serve(listener, app, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("the server stopped")?;
        eprintln!("civsearch: stopped");
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(0)
}
