//! The rules of public participation as plain Rust: no I/O, no clock (time is an
//! argument), no framework. Everything here compiles to wasm as well, so the browser
//! can show the same rule the server enforces.

/// A closed set of named choices (a kind, a level, a status): each variant with the
/// text it is stored and sent as, `ALL`, `as_str`, and `parse` (empty: `Required`;
/// anything else unknown: `UnknownChoice`).
macro_rules! named_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Result<Self, Rule> {
                match raw.trim() {
                    $($text => Ok($name::$variant),)+
                    "" => Err(Rule::Required),
                    _ => Err(Rule::UnknownChoice),
                }
            }
        }
    };
}

pub mod account;
pub mod attachment;
pub mod audit;
pub mod calendar;
pub mod campaign;
pub mod comment;
pub mod diff;
pub mod draw;
pub mod feedback;
pub mod gate;
pub mod hearing;
pub mod ical;
pub mod lifecycle;
pub mod markdown;
pub mod mask;
pub mod moderation;
pub mod penalty;
pub mod project;
pub mod proposal;
pub mod review;
pub mod role;
pub mod rule;
pub mod search;
pub mod signin;
pub mod tally;
pub mod text;
pub mod time;

pub use rule::{FieldError, Rule};
