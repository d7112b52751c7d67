//! The user query language, parsed into a small tree.
//!
//! ```text
//! council budget            both words (AND is implicit)
//! "sanctuary city"          exact phrase
//! "city council"~3          phrase with up to 3 words of slack
//! police OR sheriff         either
//! police -fire              police but not fire (also: police NOT fire)
//! (police OR sheriff) raid  grouping
//! title:budget              a word in one field: title, outlet, author, url, body
//! title:"city council"      a phrase in one field
//! link:oaklandca.gov        articles whose body links to that domain or its subdomains
//! "city council" NEAR/10 sanctuary   both within 10 words of each other (either order)
//! *                         every article
//! ```
//!
//! Operators are upper case (`OR`, `AND`, `NOT`, `NEAR/N`); lower-case `or` is a word.

use std::fmt;

/// Fields a query can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldName {
    /// `title:` (also `headline:`): the headline.
    Title,
    /// `body:` (also `text:`): the article text.
    Body,
    /// `outlet:` (also `source:`, `site:`): the outlet's name, word by word.
    Outlet,
    /// `author:` (also `by:`): the byline's names.
    Author,
    /// `url:`: the words of the article's URL.
    Url,
    /// The hosts of the body's outbound links: `link:DOMAIN` (or a URL, for its
    /// host) matches a link to that domain or any of its subdomains.
    Link,
}

/// Every field a query can name, with the names it answers to. The first name of
/// each is the one error messages list, so a new field is one line here.
const FIELDS: &[(FieldName, &[&str])] = &[
    (FieldName::Title, &["title", "headline"]),
    (FieldName::Body, &["body", "text"]),
    (FieldName::Outlet, &["outlet", "source", "site"]),
    (FieldName::Author, &["author", "by"]),
    (FieldName::Url, &["url"]),
    (FieldName::Link, &["link"]),
];

impl FieldName {
    fn parse(s: &str) -> Option<FieldName> {
        FIELDS
            .iter()
            .find(|(_, names)| names.contains(&s))
            .map(|(f, _)| *f)
    }
}

/// "title, body, outlet, author, url": the fields an error message offers.
pub fn field_list() -> String {
    FIELDS
        .iter()
        .map(|(_, names)| names[0])
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `word` (one unquoted query word) starts with what can only be meant
/// as a field prefix that names no field: letters, then `:`, then more text.
/// `10:30`, `a:` at the end of a word and URLs (`https://...`) stay text.
fn unknown_field_prefix(word: &[char]) -> Option<String> {
    let colon = word.iter().position(|&c| c == ':')?;
    let (prefix, rest) = (&word[..colon], &word[colon + 1..]);
    let all_letters = !prefix.is_empty() && prefix.iter().all(|c| c.is_alphabetic());
    let has_text = rest.first().is_some_and(|&c| c != '/' && c != ':');
    let name: String = prefix.iter().collect::<String>().to_lowercase();
    (all_letters && has_text && FieldName::parse(&name).is_none()).then_some(name)
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryNode {
    /// One word as typed (it may analyze to several tokens, e.g. `covid-19`).
    Word {
        /// The field named with `field:`; `None` searches the headline and the body.
        field: Option<FieldName>,
        /// The word, as typed.
        text: String,
    },
    /// A quoted phrase with optional slop.
    Phrase {
        /// The field named with `field:`; `None` searches the headline and the body.
        field: Option<FieldName>,
        /// The words between the quotes, as typed.
        text: String,
        /// Words of slack allowed (`"city council"~3`); 0 for an exact phrase.
        slop: u32,
    },
    /// Every part must match (words side by side, or `AND`).
    And(Vec<QueryNode>),
    /// Any part may match (`OR`).
    Or(Vec<QueryNode>),
    /// The part must not match (`-word`, `NOT word`); alone, every other article.
    Not(Box<QueryNode>),
    /// Two words or phrases within `distance` words of each other, in either order.
    Near {
        /// The first word or phrase.
        left: Box<QueryNode>,
        /// The second word or phrase.
        right: Box<QueryNode>,
        /// Most words between the two (`NEAR/10`).
        distance: u32,
    },
}

/// A syntax error with the 1-based character position it refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// 1-based character position in the query where the error is.
    pub position: usize,
    /// What is wrong, in words for a person.
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "query syntax error at position {}: {}",
            self.position, self.message
        )
    }
}

impl std::error::Error for QueryError {}

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 4096;
/// Deepest parenthesis nesting accepted.
const MAX_NESTING: usize = 64;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Phrase(String, u32),
    Field(FieldName),
    LParen,
    RParen,
    Minus,
    Or,
    And,
    Not,
    Near(u32),
}

/// Tokens with their 1-based character positions.
fn lex(input: &str) -> Result<Vec<(Tok, usize)>, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let pos = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            out.push((Tok::LParen, pos));
            i += 1;
        } else if c == ')' {
            out.push((Tok::RParen, pos));
            i += 1;
        } else if c == '"' || c == '“' || c == '”' {
            let start = i + 1;
            let mut j = start;
            while j < chars.len() && !matches!(chars[j], '"' | '”' | '“') {
                j += 1;
            }
            if j >= chars.len() {
                return Err(QueryError {
                    position: pos,
                    message: "unclosed quote".into(),
                });
            }
            let text: String = chars[start..j].iter().collect();
            i = j + 1;
            let mut slop = 0;
            if i < chars.len() && chars[i] == '~' {
                let digits: String = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                if digits.is_empty() {
                    return Err(QueryError {
                        position: i + 1,
                        message: "`~` after a phrase needs a number, as in \"city council\"~3"
                            .into(),
                    });
                }
                slop = digits.parse().map_err(|_| QueryError {
                    position: i + 1,
                    message: "slop number too large".into(),
                })?;
                i += 1 + digits.len();
            }
            out.push((Tok::Phrase(text, slop), pos));
        } else if c == '-'
            && i + 1 < chars.len()
            && !chars[i + 1].is_whitespace()
            && chars[i + 1] != '-'
        {
            out.push((Tok::Minus, pos));
            i += 1;
        } else {
            let start = i;
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], '(' | ')' | '"' | '“' | '”')
            {
                // `field:` ends a field prefix; anything else continues the word.
                if chars[i] == ':' {
                    let prefix: String = chars[start..i].iter().collect();
                    if let Some(f) = FieldName::parse(&prefix.to_lowercase()) {
                        out.push((Tok::Field(f), start + 1));
                        i += 1;
                        break;
                    }
                }
                i += 1;
            }
            if matches!(out.last(), Some((Tok::Field(_), p)) if *p == start + 1) {
                continue;
            }
            if let Some(name) = unknown_field_prefix(&chars[start..i]) {
                return Err(QueryError {
                    position: pos,
                    message: format!(
                        "unknown field \"{name}\"; fields are {} (quote the text to search it as words)",
                        field_list()
                    ),
                });
            }
            let word: String = chars[start..i].iter().collect();
            let tok = match word.as_str() {
                "OR" | "|" | "||" => Tok::Or,
                "AND" | "&&" => Tok::And,
                "NOT" => Tok::Not,
                w if w.starts_with("NEAR/") => {
                    let n = w["NEAR/".len()..].parse().map_err(|_| QueryError {
                        position: pos,
                        message: "NEAR needs a distance, as in NEAR/10".into(),
                    })?;
                    Tok::Near(n)
                }
                "NEAR" => Tok::Near(10),
                _ => Tok::Word(word),
            };
            out.push((tok, pos));
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    end: usize,
    depth: usize,
}

/// Parse a query string.
pub fn parse_query(input: &str) -> Result<QueryNode, QueryError> {
    if input.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryError {
            position: MAX_QUERY_CHARS,
            message: format!("query longer than {MAX_QUERY_CHARS} characters"),
        });
    }
    let toks = lex(input)?;
    if toks.is_empty() {
        return Err(QueryError {
            position: 1,
            message: "empty query".into(),
        });
    }
    let mut p = Parser {
        toks,
        pos: 0,
        end: input.chars().count() + 1,
        depth: 0,
    };
    let node = p.or()?;
    if let Some((tok, at)) = p.toks.get(p.pos) {
        let message = if *tok == Tok::RParen {
            "unmatched `)`".to_string()
        } else {
            format!("unexpected {}", describe(tok))
        };
        return Err(QueryError {
            position: *at,
            message,
        });
    }
    Ok(node)
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Word(w) => format!("word `{w}`"),
        Tok::Phrase(..) => "phrase".into(),
        Tok::Field(_) => "field prefix".into(),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::Minus => "`-`".into(),
        Tok::Or => "`OR`".into(),
        Tok::And => "`AND`".into(),
        Tok::Not => "`NOT`".into(),
        Tok::Near(_) => "`NEAR`".into(),
    }
}

impl Parser {
    /// The word or quoted text after `link:`, which must name a host.
    fn link(&mut self, at: usize) -> Result<QueryNode, QueryError> {
        let text = match self.toks.get(self.pos) {
            Some((Tok::Word(t) | Tok::Phrase(t, _), _)) => t.clone(),
            _ => String::new(),
        };
        if crate::index::schema::link_query_host(&text).is_none() {
            return Err(QueryError {
                position: at,
                message: "`link:` needs a domain or a URL right after the colon, as in link:oaklandca.gov"
                    .into(),
            });
        }
        self.pos += 1;
        Ok(QueryNode::Word {
            field: Some(FieldName::Link),
            text,
        })
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn at(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end, |(_, p)| *p)
    }

    fn or(&mut self) -> Result<QueryNode, QueryError> {
        let mut items = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            let op_at = self.at();
            self.pos += 1;
            if matches!(self.peek(), None | Some(Tok::RParen | Tok::Or)) {
                return Err(QueryError {
                    position: op_at,
                    message: "`OR` needs a term on both sides".into(),
                });
            }
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one")
        } else {
            QueryNode::Or(items)
        })
    }

    fn and(&mut self) -> Result<QueryNode, QueryError> {
        let mut items = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::RParen | Tok::Or) => break,
                Some(Tok::And) => {
                    let op_at = self.at();
                    self.pos += 1;
                    if items.is_empty()
                        || matches!(self.peek(), None | Some(Tok::RParen | Tok::Or | Tok::And))
                    {
                        return Err(QueryError {
                            position: op_at,
                            message: "`AND` needs a term on both sides".into(),
                        });
                    }
                }
                _ => {
                    let item = self.near()?;
                    items.push(item);
                }
            }
        }
        match items.len() {
            0 => Err(QueryError {
                position: self.at(),
                message: "expected a word or phrase".into(),
            }),
            1 => Ok(items.pop().expect("one")),
            _ => Ok(QueryNode::And(items)),
        }
    }

    fn near(&mut self) -> Result<QueryNode, QueryError> {
        let left = self.unary()?;
        if let Some(Tok::Near(distance)) = self.peek().cloned() {
            let op_at = self.at();
            self.pos += 1;
            let right = self.unary()?;
            let is_leaf =
                |n: &QueryNode| matches!(n, QueryNode::Word { .. } | QueryNode::Phrase { .. });
            let is_link = |n: &QueryNode| {
                matches!(
                    n,
                    QueryNode::Word {
                        field: Some(FieldName::Link),
                        ..
                    } | QueryNode::Phrase {
                        field: Some(FieldName::Link),
                        ..
                    }
                )
            };
            if is_link(&left) || is_link(&right) {
                return Err(QueryError {
                    position: op_at,
                    message:
                        "NEAR joins words of the text; `link:` names a linked domain, not words"
                            .into(),
                });
            }
            if !is_leaf(&left) || !is_leaf(&right) {
                return Err(QueryError {
                    position: op_at,
                    message: "NEAR joins two words or phrases".into(),
                });
            }
            return Ok(QueryNode::Near {
                left: Box::new(left),
                right: Box::new(right),
                distance,
            });
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<QueryNode, QueryError> {
        match self.peek() {
            Some(Tok::Minus | Tok::Not) => {
                let op_at = self.at();
                self.pos += 1;
                if matches!(self.peek(), None | Some(Tok::RParen | Tok::Or | Tok::And)) {
                    return Err(QueryError {
                        position: op_at,
                        message: "nothing to exclude after `-`/`NOT`".into(),
                    });
                }
                Ok(QueryNode::Not(Box::new(self.unary()?)))
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<QueryNode, QueryError> {
        let at = self.at();
        let Some((tok, _)) = self.toks.get(self.pos).cloned() else {
            return Err(QueryError {
                position: at,
                message: "expected a word or phrase".into(),
            });
        };
        self.pos += 1;
        match tok {
            Tok::Word(text) => Ok(QueryNode::Word { field: None, text }),
            Tok::Phrase(text, slop) => Ok(QueryNode::Phrase {
                field: None,
                text,
                slop,
            }),
            Tok::Field(FieldName::Link) => self.link(at),
            Tok::Field(field) => match self.toks.get(self.pos).cloned() {
                Some((Tok::Word(text), _)) => {
                    self.pos += 1;
                    Ok(QueryNode::Word {
                        field: Some(field),
                        text,
                    })
                }
                Some((Tok::Phrase(text, slop), _)) => {
                    self.pos += 1;
                    Ok(QueryNode::Phrase {
                        field: Some(field),
                        text,
                        slop,
                    })
                }
                _ => Err(QueryError {
                    position: at,
                    message: "a field prefix needs a word or phrase right after the colon".into(),
                }),
            },
            Tok::LParen => {
                self.depth += 1;
                if self.depth > MAX_NESTING {
                    return Err(QueryError {
                        position: at,
                        message: "parentheses nested too deeply".into(),
                    });
                }
                let inner = self.or()?;
                self.depth -= 1;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(QueryError {
                        position: at,
                        message: "unclosed `(`".into(),
                    });
                }
                self.pos += 1;
                Ok(inner)
            }
            other => Err(QueryError {
                position: at,
                message: format!("unexpected {}", describe(&other)),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(t: &str) -> QueryNode {
        QueryNode::Word {
            field: None,
            text: t.into(),
        }
    }

    #[test]
    fn words_are_anded_and_or_binds_looser() {
        assert_eq!(
            parse_query("a b").unwrap(),
            QueryNode::And(vec![w("a"), w("b")])
        );
        assert_eq!(
            parse_query("a b OR c").unwrap(),
            QueryNode::Or(vec![QueryNode::And(vec![w("a"), w("b")]), w("c")])
        );
        assert_eq!(
            parse_query("a AND b").unwrap(),
            QueryNode::And(vec![w("a"), w("b")])
        );
        assert_eq!(
            parse_query("a or b").unwrap(),
            QueryNode::And(vec![w("a"), w("or"), w("b")])
        );
    }

    #[test]
    fn phrases_slop_fields_negation_groups() {
        assert_eq!(
            parse_query("\"city council\"~3").unwrap(),
            QueryNode::Phrase {
                field: None,
                text: "city council".into(),
                slop: 3
            }
        );
        assert_eq!(
            parse_query("title:budget").unwrap(),
            QueryNode::Word {
                field: Some(FieldName::Title),
                text: "budget".into()
            }
        );
        assert_eq!(
            parse_query("outlet:\"the ledger\"").unwrap(),
            QueryNode::Phrase {
                field: Some(FieldName::Outlet),
                text: "the ledger".into(),
                slop: 0
            }
        );
        assert_eq!(
            parse_query("police -fire").unwrap(),
            QueryNode::And(vec![w("police"), QueryNode::Not(Box::new(w("fire")))])
        );
        assert_eq!(
            parse_query("police AND NOT fire").unwrap(),
            parse_query("police NOT fire").unwrap()
        );
        assert_eq!(
            parse_query("(a OR b) c").unwrap(),
            QueryNode::And(vec![QueryNode::Or(vec![w("a"), w("b")]), w("c")])
        );
        // Not letters before the colon, or nothing after it: the colon is part of the word.
        assert_eq!(parse_query("10:30").unwrap(), w("10:30"));
        assert_eq!(parse_query("note:").unwrap(), w("note:"));
        assert_eq!(
            parse_query("https://example.org/x").unwrap(),
            w("https://example.org/x")
        );
        // A link prefix takes a domain or a whole URL as its word.
        assert_eq!(
            parse_query("link:https://www.oaklandca.gov/x budget").unwrap(),
            QueryNode::And(vec![
                QueryNode::Word {
                    field: Some(FieldName::Link),
                    text: "https://www.oaklandca.gov/x".into()
                },
                w("budget")
            ])
        );
        assert!(parse_query("link:oaklandca.gov NEAR/5 budget").is_err());
        assert_eq!(
            parse_query("link:\"Example.org\"").unwrap(),
            QueryNode::Word {
                field: Some(FieldName::Link),
                text: "Example.org".into()
            }
        );
        let e = parse_query("budget link:").unwrap_err();
        assert_eq!(e.position, 8);
        assert!(parse_query("link:(a)").is_err());
        // A hyphen inside a word is not negation.
        assert_eq!(parse_query("covid-19").unwrap(), w("covid-19"));
    }

    #[test]
    fn near() {
        assert_eq!(
            parse_query("\"city council\" NEAR/10 sanctuary").unwrap(),
            QueryNode::Near {
                left: Box::new(QueryNode::Phrase {
                    field: None,
                    text: "city council".into(),
                    slop: 0
                }),
                right: Box::new(w("sanctuary")),
                distance: 10
            }
        );
    }

    #[test]
    fn errors_name_the_position() {
        let e = parse_query("budget \"sanctuary city").unwrap_err();
        assert_eq!(e.position, 8);
        assert!(e.message.contains("unclosed quote"));
        assert_eq!(parse_query("(a b").unwrap_err().position, 1);
        assert_eq!(parse_query("a b)").unwrap_err().position, 4);
        assert_eq!(parse_query("a OR").unwrap_err().position, 3);
        assert_eq!(parse_query("   ").unwrap_err().message, "empty query");
        assert!(parse_query("title:").is_err());
        assert!(parse_query("\"x\"~").is_err());
        assert!(parse_query(&"(".repeat(1000)).is_err());
    }

    #[test]
    fn unknown_field_prefix_is_an_error_naming_the_fields() {
        let e = parse_query("budget titel:budget").unwrap_err();
        assert_eq!(e.position, 8);
        assert!(
            e.message.starts_with(
                "unknown field \"titel\"; fields are title, body, outlet, author, url"
            ),
            "{}",
            e.message
        );
        assert!(
            parse_query("date:2018")
                .unwrap_err()
                .message
                .contains("\"date\"")
        );
        // Quoted, it is text.
        assert_eq!(
            parse_query("\"titel:budget\"").unwrap(),
            QueryNode::Phrase {
                field: None,
                text: "titel:budget".into(),
                slop: 0
            }
        );
        // Known fields and their aliases still work, in any case.
        assert!(parse_query("Headline:budget").is_ok());
    }
}
