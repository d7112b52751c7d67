//! Reading a stored document straight into an [`Article`].
//!
//! tantivy's own `TantivyDocument` copies every stored string into its node
//! buffer, and building an article from it copied each string again. A hit page
//! reads ten stored bodies of a few kilobytes each, so the second copy and the
//! node bookkeeping were a measurable part of a warm query (see the README's
//! query-latency notes). This reader deserializes each stored value once into
//! an owned string and moves it into the article.

use super::{Fields, datetime_to_day};
use crate::article::Article;
use tantivy::DateTime;
use tantivy::schema::Field;
use tantivy::schema::document::{
    DeserializeError, DocumentDeserialize, DocumentDeserializer, ValueDeserialize,
    ValueDeserializer, ValueVisitor,
};

/// One stored value: civsearch stores text and the publication date; anything
/// else (from a future schema) is kept as `Other` rather than failing the read.
enum StoredValue {
    Text(String),
    Date(DateTime),
    Other,
}

/// A stored document as (field, value) pairs, in stored order.
pub(crate) struct StoredFields(Vec<(Field, StoredValue)>);

impl DocumentDeserialize for StoredFields {
    fn deserialize<'de, D>(mut deserializer: D) -> Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        let mut values = Vec::with_capacity(deserializer.size_hint());
        while let Some(pair) = deserializer.next_field::<StoredValue>()? {
            values.push(pair);
        }
        Ok(StoredFields(values))
    }
}

impl ValueDeserialize for StoredValue {
    fn deserialize<'de, D>(deserializer: D) -> Result<Self, DeserializeError>
    where
        D: ValueDeserializer<'de>,
    {
        deserializer.deserialize_any(StoredVisitor)
    }
}

struct StoredVisitor;

impl ValueVisitor for StoredVisitor {
    type Value = StoredValue;

    fn visit_null(&self) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }
    fn visit_string(&self, val: String) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Text(val))
    }
    fn visit_u64(&self, _val: u64) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }
    fn visit_i64(&self, _val: i64) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }
    fn visit_f64(&self, _val: f64) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }
    fn visit_bool(&self, _val: bool) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }
    fn visit_datetime(&self, val: DateTime) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Date(val))
    }
    fn visit_bytes(&self, _val: Vec<u8>) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }
}

impl StoredFields {
    /// The article these values describe; the first value of a field wins, as
    /// with `TantivyDocument::get_first`.
    pub(crate) fn into_article(self, f: &Fields) -> Article {
        let mut a = Article::default();
        let (mut id, mut title, mut body) = (None, None, None);
        for (field, value) in self.0 {
            match value {
                StoredValue::Text(s) if field == f.links => {
                    a.links.push(super::schema::parse_stored_link(&s));
                }
                StoredValue::Text(s) => {
                    let slot = if field == f.id {
                        &mut id
                    } else if field == f.title {
                        &mut title
                    } else if field == f.body {
                        &mut body
                    } else if field == f.url {
                        &mut a.url
                    } else if field == f.path {
                        &mut a.path
                    } else if field == f.outlet_exact {
                        &mut a.outlet
                    } else if field == f.author {
                        &mut a.author
                    } else if field == f.date_source {
                        &mut a.date_source
                    } else if field == f.language {
                        &mut a.language
                    } else {
                        continue;
                    };
                    if slot.is_none() {
                        *slot = Some(s);
                    }
                }
                StoredValue::Date(d) if field == f.date && a.date.is_none() => {
                    a.date = Some(datetime_to_day(d));
                }
                _ => {}
            }
        }
        a.id = id.unwrap_or_default();
        a.title = title.unwrap_or_default();
        a.body = body.unwrap_or_default();
        a
    }
}
