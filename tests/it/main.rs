//! Integration tests: one binary, one module per area (see each module's doc).

mod chart_layout;
mod charts;
mod compare;
mod engine;
mod erlang;
mod fuzz;
mod outputs;
mod packaging;
mod planning;
mod reports;
mod scenario;
mod shipped;
mod staffing;
mod statistics;
mod util;
