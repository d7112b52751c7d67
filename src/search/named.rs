//! Closed sets of named values (`sort=newest`, `--by week`, `undated=only`),
//! parsed the same way by every face: the CLI, the HTTP API and library callers.
//! The library does not depend on an argument parser; the CLI lists the names
//! from [`Named::NAMES`].

/// A value chosen by name from a fixed list, case-insensitively.
pub trait Named: Sized + Copy + 'static {
    /// What the value is called in messages (`sort`, `interval`).
    const WHAT: &'static str;
    /// Every name, in the order shown to users.
    const NAMES: &'static [&'static str];
    /// The value of a name (exact, lowercase).
    fn from_name(name: &str) -> Option<Self>;
    /// The name of the value.
    fn name(self) -> &'static str;
}

/// A name that is not one of the list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} must be one of {}, not `{given}`", .allowed.join(", "))]
pub struct UnknownName {
    /// What was being chosen (`sort`, `interval`, `undated`).
    pub what: &'static str,
    /// The text given.
    pub given: String,
    /// The names that exist.
    pub allowed: &'static [&'static str],
}

/// Parse a name case-insensitively.
pub fn parse_named<T: Named>(s: &str) -> Result<T, UnknownName> {
    T::from_name(&s.trim().to_ascii_lowercase()).ok_or_else(|| UnknownName {
        what: T::WHAT,
        given: s.to_string(),
        allowed: T::NAMES,
    })
}

/// Declare a [`Named`] enum: `named_enum!(Sort, "sort", Relevance => "relevance", ...)`
/// implements `Named`, `FromStr` and `Display` from one list of names.
macro_rules! named_enum {
    ($ty:ident, $what:literal, $($variant:ident => $name:literal),+ $(,)?) => {
        impl $crate::search::named::Named for $ty {
            const WHAT: &'static str = $what;
            const NAMES: &'static [&'static str] = &[$($name),+];
            fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($name => Some($ty::$variant),)+
                    _ => None,
                }
            }
            fn name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name,)+
                }
            }
        }
        impl std::str::FromStr for $ty {
            type Err = $crate::search::named::UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $crate::search::named::parse_named(s)
            }
        }
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::search::named::Named::name(*self))
            }
        }
    };
}
pub(crate) use named_enum;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::trend::Interval;
    use crate::search::{Sort, Undated};

    #[test]
    fn names_parse_case_insensitively_and_round_trip() {
        assert_eq!("Newest".parse::<Sort>(), Ok(Sort::Newest));
        assert_eq!(" week ".parse::<Interval>(), Ok(Interval::Week));
        assert_eq!("ONLY".parse::<Undated>(), Ok(Undated::Only));
        for name in Sort::NAMES {
            assert_eq!(name.parse::<Sort>().unwrap().to_string(), *name);
        }
        for name in Interval::NAMES {
            assert_eq!(name.parse::<Interval>().unwrap().name(), *name);
        }
    }

    #[test]
    fn an_unknown_name_lists_the_names_that_exist() {
        let err = "sideways".parse::<Sort>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "sort must be one of relevance, newest, oldest, not `sideways`"
        );
    }
}
