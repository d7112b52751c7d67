//! The page's files, embedded in the binary (no build step, nothing fetched at
//! run time), and the OpenAPI description.

use axum::http::header;
use axum::response::{IntoResponse, Response};

const INDEX_HTML: &str = include_str!("page/index.html");
const APP_JS: &str = include_str!("page/app.js");
const STYLE_CSS: &str = include_str!("page/style.css");
const OPENAPI_JSON: &str = include_str!("openapi.json");
/// A magnifier glyph, so browsers asking for a favicon get one and no 404.
const FAVICON_SVG: &str = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'>\
<circle cx='6.5' cy='6.5' r='4.5' fill='none' stroke='#1f5f8b' stroke-width='2'/>\
<path d='M10 10l4.5 4.5' stroke='#1f5f8b' stroke-width='2'/></svg>";

fn file(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

pub(crate) async fn index_html() -> Response {
    file("text/html; charset=utf-8", INDEX_HTML)
}

pub(crate) async fn app_js() -> Response {
    file("text/javascript; charset=utf-8", APP_JS)
}

pub(crate) async fn style_css() -> Response {
    file("text/css; charset=utf-8", STYLE_CSS)
}

pub(crate) async fn favicon() -> Response {
    file("image/svg+xml", FAVICON_SVG)
}

pub(crate) async fn openapi() -> Response {
    file("application/json; charset=utf-8", OPENAPI_JSON)
}
