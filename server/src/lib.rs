//! The Minyi server: command line, HTTP router, middleware.

pub mod admission;
pub mod api_v1;
pub mod cli;
pub mod evidence;
pub mod export;
pub mod feeds;
pub mod ical;
pub mod loopback;
pub mod metrics;
pub mod middleware;
pub mod page_cache;
pub mod router;
pub mod serve;
pub mod testing;
