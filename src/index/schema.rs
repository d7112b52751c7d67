//! The one place that defines what the index holds and how text is tokenized.

use super::tokenizer::WordTokenizer;
use tantivy::Term;
use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING,
    Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::TextAnalyzer;

/// Name of the analyzer used for every text field.
pub const TOKENIZER: &str = "civ";

/// Bumped whenever the schema or the tokenizer changes meaning; an index written
/// with another version must be rebuilt.
pub const SCHEMA_VERSION: u32 = 4;

/// Fast-column names read by searches, facets, trends and statistics: the
/// publication day (a date column; absent for undated articles).
pub const DATE_COLUMN: &str = "date";
/// The outlet as stored, one string per article (facets and filters).
pub const OUTLET_COLUMN: &str = "outlet_exact";
/// The source file's path of each document (re-indexing and pruning).
pub const SOURCE_COLUMN: &str = "source";

/// The analyzer: words are maximal runs of letters and digits, lowercased, accents
/// folded (`Café` = `cafe`), no stemming and no stop words, so counts are exact and
/// reproducible. Tokens of 100 bytes or more (base64 junk) are dropped. The same
/// terms as tantivy's `SimpleTokenizer` with `RemoveLongFilter`, `LowerCaser`
/// and `AsciiFoldingFilter`, made in one pass ([`WordTokenizer`]).
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::from(WordTokenizer::default())
}

/// Handles to every field of the schema.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Document identity (canonical URL or relative path), stored.
    pub id: Field,
    /// The id's 128-bit hash ([`id_key`]), indexed: replacing and looking up a
    /// document by id. A hash, not the id itself, because the term dictionary of
    /// a unique 100-byte string per document was 2.5% of indexing.
    pub id_key: Field,
    /// Absolute path of the source file; exact, fast (for re-index and prune).
    pub source: Field,
    /// Content hash of the source bytes and the extractor version; fast.
    pub hash: Field,
    /// Fingerprint of the source file's size and modification time (with the
    /// extractor version and sidecar), 0 when not to be trusted; fast. A re-run
    /// skips a file whose stamp is unchanged without reading it.
    pub stamp: Field,
    /// Path relative to the indexed root; stored for display.
    pub path: Field,
    /// The page's URL (canonical when the page gives one); words, positions, stored.
    pub url: Field,
    /// The headline; words with positions, stored.
    pub title: Field,
    /// The article text; words with positions, stored (snippets come from it).
    pub body: Field,
    /// Outlet as words, for `outlet:word` queries.
    pub outlet: Field,
    /// Outlet exactly as written; fast, for filters and facets.
    pub outlet_exact: Field,
    /// The byline's names; words with positions, stored.
    pub author: Field,
    /// Publication day (midnight UTC of the publisher's local day); fast.
    pub date: Field,
    /// 1 for articles without a publication date.
    pub undated: Field,
    /// Which evidence gave the date (`json-ld`, `meta`, `url`, ...); stored only.
    pub date_source: Field,
    /// The page's declared language (`en-US`), as one raw term; stored.
    pub language: Field,
    /// Hosts of the body's outbound links and every parent domain of each
    /// ([`link_domains`]), lowercase raw terms: `link:DOMAIN` is one term lookup.
    pub link: Field,
    /// The outbound links, one stored value each: `URL<TAB>anchor text`.
    pub links: Field,
}

impl Fields {
    /// Look up the fields in an index's schema.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: f("id")?,
            id_key: f("id_key")?,
            source: f(SOURCE_COLUMN)?,
            hash: f("hash")?,
            stamp: f("stamp")?,
            path: f("path")?,
            url: f("url")?,
            title: f("title")?,
            body: f("body")?,
            outlet: f("outlet")?,
            outlet_exact: f(OUTLET_COLUMN)?,
            author: f("author")?,
            date: f(DATE_COLUMN)?,
            undated: f("undated")?,
            date_source: f("date_source")?,
            language: f("language")?,
            link: f("link")?,
            links: f("links")?,
        })
    }
}

impl Fields {
    /// The term that finds the document with this id.
    pub fn id_term(&self, id: &str) -> Term {
        self.id_key_term(&id_key(id))
    }

    /// The term of an id's key ([`id_key`]).
    pub fn id_key_term(&self, key: &[u8; 16]) -> Term {
        Term::from_field_bytes(self.id_key, key)
    }
}

/// 128 bits of an id's BLAKE3 hash: a collision among a billion documents has
/// a probability under 1e-20.
pub fn id_key(id: &str) -> [u8; 16] {
    let h = blake3::hash(id.as_bytes());
    h.as_bytes()[..16].try_into().expect("16 bytes")
}

/// Build the schema.
pub fn build_schema() -> Schema {
    let mut b = Schema::builder();
    let words = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let opts = TextOptions::default().set_indexing_options(indexing);
        if stored { opts.set_stored() } else { opts }
    };
    b.add_text_field("id", STORED);
    b.add_bytes_field("id_key", INDEXED);
    b.add_text_field(SOURCE_COLUMN, STRING.set_fast("raw"));
    b.add_u64_field("hash", FAST);
    b.add_u64_field("stamp", FAST);
    b.add_text_field("path", STORED);
    b.add_text_field("url", words(true));
    b.add_text_field("title", words(true));
    b.add_text_field("body", words(true));
    b.add_text_field("outlet", words(false));
    b.add_text_field(OUTLET_COLUMN, (STRING | STORED).set_fast("raw"));
    b.add_text_field("author", words(true));
    b.add_date_field(
        DATE_COLUMN,
        DateOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    b.add_u64_field("undated", INDEXED | FAST);
    b.add_text_field("date_source", STORED);
    b.add_text_field("language", STRING | STORED);
    b.add_text_field("link", STRING);
    b.add_text_field("links", STORED);
    b.build()
}

/// The `link` terms of one host: the host and each parent domain, so that
/// `link:oaklandca.gov` finds links to `oaklandca.gov`, `www.oaklandca.gov` and
/// `docs.oaklandca.gov` and nothing else (`link:gov`, every `.gov` host). An
/// IP address is one term. `host` is lowercase, as `url` gives it.
pub fn link_domains(host: &str) -> impl Iterator<Item = &str> {
    let is_ip = host.starts_with('[') || host.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let host = host.trim_end_matches('.');
    let parents = host
        .match_indices('.')
        .map(move |(i, _)| &host[i + 1..])
        .filter(move |d| !d.is_empty() && !is_ip);
    std::iter::once(host).chain(parents)
}

/// The host of an absolute URL as the `url` crate writes it
/// (`scheme://[user@]host[:port]/...`), read without parsing the URL again:
/// every link is indexed by its host, and a second parse per link was most of
/// the cost of indexing links.
pub fn url_host(url: &str) -> Option<&str> {
    let rest = &url[url.find("://")? + 3..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        &host_port[..host_port.find(']')? + 1]
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    (!host.is_empty()).then_some(host)
}

/// The host a `link:` query names: a domain (`OaklandCA.gov`) or a URL
/// (`https://www.oaklandca.gov/x`), lowercased and in the form the `url` crate
/// gives hosts (IDNA punycode), so that it meets the indexed terms. `None` when
/// it names no host.
pub fn link_query_host(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches('/');
    let with_scheme = if text.contains("://") {
        text.to_string()
    } else {
        format!("http://{text}")
    };
    let url = url::Url::parse(&with_scheme).ok()?;
    let host = url.host_str()?.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

/// A link as stored in the `links` field: `URL<TAB>text` (a URL has no
/// whitespace and the text is collapsed, so the tab is unambiguous).
pub fn stored_link(link: &crate::article::Link) -> String {
    format!("{}\t{}", link.url, link.text)
}

/// The link of a stored `links` value.
pub fn parse_stored_link(value: &str) -> crate::article::Link {
    let (url, text) = value.split_once('\t').unwrap_or((value, ""));
    crate::article::Link {
        url: url.to_string(),
        text: text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_gives_itself_and_every_parent_domain() {
        let d: Vec<&str> = link_domains("docs.oaklandca.gov").collect();
        assert_eq!(d, ["docs.oaklandca.gov", "oaklandca.gov", "gov"]);
        assert_eq!(link_domains("localhost").collect::<Vec<_>>(), ["localhost"]);
        // Addresses are not domains: no "0.1" parent of 10.0.0.1.
        assert_eq!(link_domains("10.0.0.1").collect::<Vec<_>>(), ["10.0.0.1"]);
        assert_eq!(link_domains("[::1]").collect::<Vec<_>>(), ["[::1]"]);
    }

    #[test]
    fn a_link_query_names_a_host_by_domain_or_url() {
        let h = |s: &str| link_query_host(s);
        assert_eq!(h("OaklandCA.gov").as_deref(), Some("oaklandca.gov"));
        assert_eq!(h("oaklandca.gov.").as_deref(), Some("oaklandca.gov"));
        assert_eq!(
            h("https://www.oaklandca.gov/x?y=1").as_deref(),
            Some("www.oaklandca.gov")
        );
        assert_eq!(h("oaklandca.gov/budget").as_deref(), Some("oaklandca.gov"));
        assert_eq!(
            h("bücher.example").as_deref(),
            Some("xn--bcher-kva.example")
        );
        assert_eq!(h(""), None);
        assert_eq!(h("a b"), None);
    }

    #[test]
    fn hosts_of_urls() {
        assert_eq!(
            url_host("https://docs.example.org/a/b?c#d"),
            Some("docs.example.org")
        );
        assert_eq!(
            url_host("http://user:pw@Host.example:8080/x"),
            Some("Host.example")
        );
        assert_eq!(url_host("http://[::1]:80/"), Some("[::1]"));
        assert_eq!(url_host("https://example.org"), Some("example.org"));
        assert_eq!(url_host("not a url"), None);
        assert_eq!(url_host("http:///x"), None);
    }

    #[test]
    fn stored_links_read_back() {
        let l = crate::article::Link {
            url: "https://a.example/x?q=1".into(),
            text: "the report".into(),
        };
        assert_eq!(parse_stored_link(&stored_link(&l)), l);
    }
}
