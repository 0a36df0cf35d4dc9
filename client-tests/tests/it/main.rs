//! Tests of the generated client over real HTTP on 127.0.0.1, in one test
//! binary so that the 100k-line client is linked once.

mod auth0_behaviour;
mod auth0_shapes;
mod auth0_streams;
mod contract;
mod cookbook;
mod hostile_servers;
mod pages;
mod paging_conventions;
mod paging_markers;
mod paging_nested;
mod runtime_auth;
mod runtime_blocking;
mod runtime_events;
mod runtime_headers;
mod runtime_limits;
mod runtime_observability;
mod runtime_retries;
mod runtime_tokens;
mod seed;
mod support;
mod undeclared_statuses;
