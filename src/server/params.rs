//! Query-string parameters: repeatable keys, strict names, errors that name the
//! parameter.

use super::api::ApiError;
use crate::datespec;
use crate::search::named::{Named, parse_named};
use chrono::NaiveDate;

/// The decoded `key=value` pairs of a query string, checked against the names an
/// endpoint takes.
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Decode `raw` (`a=1&b=2`, `+` as space); an unknown key is an error so that
    /// a typo (`form=2018`) is not silently ignored.
    pub fn parse(raw: Option<&str>, allowed: &[&str]) -> Result<Params, ApiError> {
        let mut pairs = Vec::new();
        for (k, v) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            if !allowed.contains(&k.as_ref()) {
                return Err(ApiError::bad(
                    &k,
                    format!(
                        "unknown parameter `{k}` (this endpoint takes: {})",
                        allowed.join(", ")
                    ),
                ));
            }
            pairs.push((k.into_owned(), v.into_owned()));
        }
        Ok(Params { pairs })
    }

    /// Every value of a repeatable parameter, blanks dropped.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The value of a single parameter (blank counts as absent); given twice with
    /// different values is an error.
    pub fn one(&self, name: &str) -> Result<Option<&str>, ApiError> {
        let mut found: Option<&str> = None;
        for (k, v) in &self.pairs {
            if k != name || v.trim().is_empty() {
                continue;
            }
            match found {
                Some(prev) if prev != v => {
                    return Err(ApiError::bad(
                        name,
                        format!("parameter `{name}` given twice with different values"),
                    ));
                }
                _ => found = Some(v.as_str()),
            }
        }
        Ok(found.map(str::trim))
    }

    /// A number in `0..=max` with a default.
    pub fn number(&self, name: &str, default: usize, max: usize) -> Result<usize, ApiError> {
        match self.one(name)? {
            None => Ok(default),
            Some(s) => {
                let n: usize = s.parse().map_err(|_| {
                    ApiError::bad(
                        name,
                        format!("`{name}` must be a whole number from 0 to {max}, not `{s}`"),
                    )
                })?;
                if n > max {
                    return Err(ApiError::bad(
                        name,
                        format!("`{name}` is {n}; the largest allowed is {max}"),
                    ));
                }
                Ok(n)
            }
        }
    }

    /// A yes/no flag: `1`, `true`, `yes`, `on` or `0`, `false`, `no`, `off`.
    pub fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.one(name)?.map(str::to_ascii_lowercase).as_deref() {
            None | Some("0" | "false" | "no" | "off") => Ok(false),
            Some("1" | "true" | "yes" | "on") => Ok(true),
            Some(other) => Err(ApiError::bad(
                name,
                format!("`{name}` must be 1 or 0 (true/false), not `{other}`"),
            )),
        }
    }

    /// One of a closed set of names (`sort=newest`, `by=week`).
    pub fn choice<T: Named>(&self, name: &str) -> Result<Option<T>, ApiError> {
        match self.one(name)? {
            None => Ok(None),
            Some(s) => parse_named::<T>(s).map(Some).map_err(|e| {
                ApiError::bad(
                    name,
                    format!(
                        "`{name}` must be one of {}, not `{s}`",
                        e.allowed.join(", ")
                    ),
                )
            }),
        }
    }

    /// `from` and `to` in the command line's date forms (`2018`, `2018-01`,
    /// `2024-Q2`, `-30d`, `last-year` ...), checked to be in order.
    pub fn date_range(
        &self,
        today: NaiveDate,
    ) -> Result<(Option<NaiveDate>, Option<NaiveDate>), ApiError> {
        let from = self
            .one("from")?
            .map(|s| datespec::parse_from(s, today))
            .transpose()
            .map_err(|e| ApiError::bad("from", e))?;
        let to = self
            .one("to")?
            .map(|s| datespec::parse_to(s, today))
            .transpose()
            .map_err(|e| ApiError::bad("to", e))?;
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(ApiError::bad(
                "from",
                format!("`from` ({f}) is after `to` ({t})"),
            ));
        }
        Ok((from, to))
    }
}
