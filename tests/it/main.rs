//! Integration tests: one binary, one module per area (see each module's doc).

mod charts;
mod compare;
mod engine;
mod erlang;
mod fuzz;
mod outputs;
mod packaging;
mod planning;
mod risk;
mod scenario;
mod shipped;
mod staffing;
mod statistics;
mod util;
