//! Text and URL hygiene: what a hostile page must not carry into the index,
//! a terminal, a spreadsheet or another tool.
//!
//! - Stored text holds no C0 or C1 control character but newline and tab
//!   ([`strip_controls`]): an escape sequence stored from a page would clear a
//!   reader's screen or retitle the terminal when printed.
//! - Text printed on a terminal shows any control character that is still
//!   there (a file name, a query, an index built before) as U+FFFD
//!   ([`escape_controls`]).
//! - A CSV cell that a spreadsheet would run as a formula gets a leading `'`
//!   ([`csv_cell`]), the OWASP advice.
//! - Only absolute http(s) URLs are kept as an article's address ([`web_url`]);
//!   `javascript:` and `data:` links travel to browsers and other tools.

use std::borrow::Cow;

/// A control character that must not be stored: C0 (but newline and tab),
/// DEL, and C1 (U+0080 to U+009F, which some terminals read as escapes).
pub fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || ('\u{80}'..='\u{9f}').contains(&c)
}

/// Whether the text holds a forbidden control character, by bytes: every
/// article body passes here once, and decoding characters cost more. In UTF-8
/// a C0 control or DEL is its own byte, and a C1 control is 0xC2 then
/// 0x80-0x9F.
pub fn has_forbidden_control(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        (c < 0x20 && c != b'\n' && c != b'\t')
            || c == 0x7f
            || (c == 0xc2 && b.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
    })
}

/// The text without forbidden control characters ([`is_forbidden_control`]);
/// borrowed when there was none, which is nearly always.
pub fn strip_controls(s: &str) -> Cow<'_, str> {
    if !has_forbidden_control(s) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().filter(|&c| !is_forbidden_control(c)).collect())
}

/// Strip forbidden control characters in place (no allocation when there is none).
pub fn strip_controls_in_place(s: &mut String) {
    if let Cow::Owned(clean) = strip_controls(s) {
        *s = clean;
    }
}

/// Text for a terminal: every forbidden control character ([`is_forbidden_control`])
/// replaced by U+FFFD, one character for one, so that printing it cannot drive
/// the terminal and character offsets into the text (highlights) still hold.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if !has_forbidden_control(s) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if is_forbidden_control(c) {
                    '\u{fffd}'
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// A CSV cell a spreadsheet will not run: one starting with `=`, `+`, `-`, `@`,
/// tab or carriage return gets a leading `'` (OWASP, "CSV injection"). `raw`
/// keeps the value as it is, for tools that read the file as data.
pub fn csv_cell(value: &str, raw: bool) -> Cow<'_, str> {
    if !raw && value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// The URL when it is an absolute http or https URL with a host, else `None`.
pub fn web_url(s: &str) -> Option<url::Url> {
    let u = url::Url::parse(s.trim()).ok()?;
    (matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty()))
        .then_some(u)
}

/// True for an absolute http(s) URL ([`web_url`]): the only kind kept as an
/// article's `url`, an id or a link.
pub fn is_web_url(s: &str) -> bool {
    web_url(s).is_some()
}

/// Second-level labels under which a country code domain registers names
/// (`bbc.co.uk`, `abc.net.au`): the registered domain then has three labels.
const SECOND_LEVEL: &[&str] = &[
    "ac", "co", "com", "edu", "gov", "govt", "net", "org", "nic", "ltd", "plc", "gob", "mil",
    "nom", "sch", "or", "ne", "go", "gv", "gen",
];

/// The registered domain of a host, approximately and without a public suffix
/// list: the last two labels, or three under a country code's second level
/// (`news.bbc.co.uk` -> `bbc.co.uk`). An IP address is itself.
pub fn registered_domain(host: &str) -> String {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return host;
    }
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    let keep = if n >= 3 && labels[n - 1].len() == 2 && SECOND_LEVEL.contains(&labels[n - 2]) {
        3
    } else {
        2
    };
    labels[n.saturating_sub(keep)..].join(".")
}

/// Whether two URLs are on the same site: same registered domain
/// ([`registered_domain`]), whatever the scheme, port or subdomain
/// (`www.`, `m.`, `news.`). False when either is not a web URL.
pub fn same_site(a: &str, b: &str) -> bool {
    match (web_url(a), web_url(b)) {
        (Some(a), Some(b)) => match (a.host_str(), b.host_str()) {
            (Some(x), Some(y)) => registered_domain(x) == registered_domain(y),
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_stripped_but_newline_and_tab_kept() {
        let hostile = "a\u{1b}[2Jb\u{1b}]0;TITLE\u{7}c\u{9b}31md\r\n\te\u{0}\u{7f}";
        assert_eq!(strip_controls(hostile), "a[2Jb]0;TITLEc31md\n\te");
        assert!(matches!(strip_controls("plain text\n"), Cow::Borrowed(_)));
        // Letters beyond C1 are text.
        assert_eq!(strip_controls("café \u{a0}ü"), "café \u{a0}ü");
    }

    #[test]
    fn the_byte_check_agrees_with_the_character_check() {
        for c in (0u32..0x250).filter_map(char::from_u32) {
            let s = format!("a{c}b");
            assert_eq!(
                has_forbidden_control(&s),
                s.chars().any(is_forbidden_control),
                "{:x}",
                c as u32
            );
        }
    }

    #[test]
    fn terminal_text_shows_controls_escaped() {
        assert_eq!(
            escape_controls("x\u{1b}[2J\u{9b}y\n"),
            "x\u{fffd}[2J\u{fffd}y\n"
        );
    }

    #[test]
    fn formula_cells_are_neutralised_unless_raw() {
        for cell in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_cell(cell, false), format!("'{cell}"));
            assert_eq!(csv_cell(cell, true), cell);
        }
        assert_eq!(csv_cell("Budget = 3", false), "Budget = 3");
        assert_eq!(csv_cell("", false), "");
    }

    #[test]
    fn only_http_urls_are_web_urls() {
        assert!(is_web_url("https://a.example/x"));
        assert!(is_web_url("http://a.example"));
        for bad in [
            "javascript:alert(1)",
            "data:text/html,<b>x</b>",
            "file:///etc/passwd",
            "/relative/path",
            "mailto:a@b.example",
            "https://",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
    }

    #[test]
    fn same_site_compares_registered_domains() {
        assert!(same_site(
            "https://www.ledger.example/a",
            "http://ledger.example/b"
        ));
        assert!(same_site(
            "https://news.bbc.co.uk/1",
            "https://www.bbc.co.uk/2"
        ));
        assert!(!same_site("https://bbc.co.uk/1", "https://itv.co.uk/2"));
        assert!(!same_site(
            "https://ledger.example/a",
            "https://evil.example/a"
        ));
        assert!(!same_site(
            "https://ledger.example.evil.test/a",
            "https://ledger.example/a"
        ));
        assert!(!same_site("javascript:x", "https://ledger.example/a"));
        assert!(same_site("http://10.0.0.1:8080/a", "http://10.0.0.1/b"));
        assert!(!same_site("http://10.0.0.1/a", "http://10.0.0.2/b"));
    }
}
