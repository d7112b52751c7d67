//! The JSON endpoints. Each handler checks its parameters, then runs the same
//! library call as the command line on the blocking pool.

use super::AppState;
use super::params::Params;
use crate::index::CivIndex;
use crate::search::query::MAX_QUERY_CHARS;
use crate::search::trend::{Interval, TrendRequest};
use crate::search::{QueryError, SearchRequest, Sort, Undated};
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

/// Largest `limit` of `/api/search`.
pub const MAX_LIMIT: usize = 100;
/// Largest `offset` of `/api/search` (deep pages cost memory; export with the CLI).
pub const MAX_OFFSET: usize = 10_000;
/// Most `q` series in one `/api/trend`.
pub const MAX_TREND_QUERIES: usize = 8;
/// Most periods in one `/api/trend` answer.
pub const MAX_TREND_PERIODS: usize = 5_000;

/// An error answer: status, message, and the parameter (or query position) at fault.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    parameter: Option<String>,
    position: Option<usize>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            parameter: None,
            position: None,
        }
    }

    /// 400 naming the parameter.
    pub fn bad(parameter: &str, message: impl Into<String>) -> Self {
        ApiError {
            parameter: Some(parameter.to_string()),
            ..Self::new(StatusCode::BAD_REQUEST, message)
        }
    }

    /// 500 without details (they go to the server's log).
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error; see the server log",
        )
    }

    /// Map a library error: a query syntax error is the client's (400 with the
    /// position), anything else is logged and answered with a bare 500.
    fn from_library(err: anyhow::Error, query_param: &str) -> Self {
        if let Some(q) = err.downcast_ref::<QueryError>() {
            return ApiError {
                position: Some(q.position),
                ..Self::bad(query_param, q.to_string())
            };
        }
        eprintln!("civsearch serve: {err:#}");
        Self::internal()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = serde_json::Map::new();
        body.insert("error".into(), json!(self.message));
        if let Some(p) = self.parameter {
            body.insert("parameter".into(), json!(p));
        }
        if let Some(p) = self.position {
            body.insert("position".into(), json!(p));
        }
        (self.status, Json(serde_json::Value::Object(body))).into_response()
    }
}

/// Run `f` on the blocking pool, at most `max_concurrent` at once.
async fn blocking<T: Send + 'static>(
    st: &AppState,
    f: impl FnOnce(&CivIndex) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let _permit = st
        .permits
        .acquire()
        .await
        .map_err(|_| ApiError::internal())?;
    let idx = st.idx.clone();
    match tokio::task::spawn_blocking(move || f(&idx)).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("civsearch serve: a search task failed: {e}");
            Err(ApiError::internal())
        }
    }
}

/// The query text of `q`: present, not blank, not too long.
fn query_text(q: Option<&str>, name: &str) -> Result<String, ApiError> {
    let q = q.ok_or_else(|| {
        ApiError::bad(
            name,
            format!("`{name}` is required (the query; `*` matches every article)"),
        )
    })?;
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::bad(
            name,
            format!("the query is longer than {MAX_QUERY_CHARS} characters"),
        ));
    }
    Ok(q.to_string())
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// `GET /api/search`
pub(crate) async fn search(
    State(st): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(
        raw.as_deref(),
        &[
            "q", "from", "to", "outlet", "sort", "limit", "offset", "facets", "undated", "stem",
            "links",
        ],
    )?;
    let query = query_text(p.one("q")?, "q")?;
    let (from, to) = p.date_range(today())?;
    let undated: Option<Undated> = p.choice("undated")?;
    if undated == Some(Undated::Only) && (from.is_some() || to.is_some()) {
        return Err(ApiError::bad(
            "undated",
            "`undated=only` cannot be combined with `from`/`to`: undated articles have no date to compare",
        ));
    }
    let req = SearchRequest {
        from,
        to,
        outlets: p.all("outlet"),
        undated,
        sort: p.choice::<Sort>("sort")?.unwrap_or_default(),
        limit: p.number("limit", 10, MAX_LIMIT)?,
        offset: p.number("offset", 0, MAX_OFFSET)?,
        stem: p.flag("stem")?,
        facets: p.flag("facets")?,
        links: p.flag("links")?,
        ..SearchRequest::new(query)
    };
    let body = blocking(&st, move |idx| {
        let results =
            crate::search::search(idx, &req).map_err(|e| ApiError::from_library(e, "q"))?;
        let answer = SearchAnswer {
            total: results.total,
            offset: req.offset,
            limit: req.limit,
            hits: &results.hits,
            facets: results.facets.as_ref(),
            undated_excluded: results.undated_excluded,
            unknown_outlets: &results.unknown_outlets,
        };
        serde_json::to_vec(&answer).map_err(|_| ApiError::internal())
    })
    .await?;
    Ok(json_bytes(body))
}

/// The body of a `/api/search` answer.
#[derive(Serialize)]
struct SearchAnswer<'a> {
    total: usize,
    offset: usize,
    limit: usize,
    hits: &'a [crate::search::Hit],
    #[serde(skip_serializing_if = "Option::is_none")]
    facets: Option<&'a crate::search::Facets>,
    #[serde(skip_serializing_if = "Option::is_none")]
    undated_excluded: Option<usize>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    unknown_outlets: &'a [String],
}

/// The body of a `/api/trend` answer: the library's [`Trend`] plus the flag.
#[derive(Serialize)]
struct TrendAnswer<'a> {
    #[serde(flatten)]
    trend: &'a crate::search::trend::Trend,
    normalize: bool,
}

/// `GET /api/trend`
pub(crate) async fn trend(
    State(st): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(
        raw.as_deref(),
        &[
            "q",
            "by",
            "normalize",
            "from",
            "to",
            "outlet",
            "by_outlet",
            "stem",
        ],
    )?;
    let queries = p.all("q");
    if queries.is_empty() {
        query_text(None, "q")?;
    }
    if queries.len() > MAX_TREND_QUERIES {
        return Err(ApiError::bad(
            "q",
            format!(
                "{} queries; at most {MAX_TREND_QUERIES} series at once",
                queries.len()
            ),
        ));
    }
    for q in &queries {
        query_text(Some(q), "q")?;
    }
    let (from, to) = p.date_range(today())?;
    let by_outlet = match p.one("by_outlet")? {
        None => None,
        Some(_) => Some(p.number("by_outlet", 5, 20)?),
    };
    let req = TrendRequest {
        from,
        to,
        outlets: p.all("outlet"),
        by_outlet,
        stem: p.flag("stem")?,
        ..TrendRequest::new(queries, p.choice::<Interval>("by")?.unwrap_or_default())
    };
    let normalize = p.flag("normalize")?;
    let body = blocking(&st, move |idx| {
        let t = crate::search::trend::trend(idx, &req).map_err(|e| {
            if e.to_string().contains("periods") {
                ApiError::bad("by", e.to_string())
            } else {
                ApiError::from_library(e, "q")
            }
        })?;
        let periods = t.series.first().map_or(0, |s| s.points.len());
        if periods > MAX_TREND_PERIODS {
            return Err(ApiError::bad(
                "by",
                format!(
                    "{periods} periods; at most {MAX_TREND_PERIODS}: use a wider `by` or a narrower range"
                ),
            ));
        }
        serde_json::to_vec(&TrendAnswer {
            trend: &t,
            normalize,
        })
        .map_err(|_| ApiError::internal())
    })
    .await?;
    Ok(json_bytes(body))
}

/// `GET /api/articles/{id}`: the id is percent-decoded by the router.
pub(crate) async fn article(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    // A path that does not decode to UTF-8 (`%ff%fe`) gets the JSON error every
    // API answer has, not axum's plain-text rejection.
    let Path(id) = id.map_err(|_| {
        ApiError::bad(
            "id",
            "the article id is not valid UTF-8 once percent-decoded",
        )
    })?;
    if id.is_empty() {
        return Err(ApiError::bad("id", "an article id is required"));
    }
    let body = blocking(&st, move |idx| match idx.article(&id) {
        Ok(Some(a)) => serde_json::to_vec(&a).map_err(|_| ApiError::internal()),
        Ok(None) => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no article with id `{id}`"),
        )),
        Err(e) => Err(ApiError::from_library(e, "id")),
    })
    .await?;
    Ok(json_bytes(body))
}

/// `GET /api/stats`
pub(crate) async fn stats(
    State(st): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref(), &[])?;
    let body = blocking(&st, |idx| {
        let s = crate::index::stats::stats(idx).map_err(|e| ApiError::from_library(e, ""))?;
        serde_json::to_vec(&s).map_err(|_| ApiError::internal())
    })
    .await?;
    Ok(json_bytes(body))
}

/// `GET /healthz`: the index can be read.
pub(crate) async fn healthz(State(st): State<AppState>) -> Result<Response, ApiError> {
    let docs = st
        .idx
        .searcher()
        .map_err(|e| ApiError::from_library(e, ""))?
        .num_docs();
    Ok(Json(json!({"status": "ok", "documents": docs})).into_response())
}

/// Anything else.
pub(crate) async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not found")
}

/// A known path asked with another method than GET: the JSON error body every
/// answer has (axum's own 405 is empty).
pub(crate) async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method not allowed: use GET",
    )
}

fn json_bytes(body: Vec<u8>) -> Response {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/json; charset=utf-8",
        )],
        body,
    )
        .into_response()
}
