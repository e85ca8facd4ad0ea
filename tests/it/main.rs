//! Integration tests: one binary, one module per area (see each module's doc).

mod callbacks;
mod channels;
mod channels_planning;
mod chart_layout;
mod charts;
mod chat_estimate;
mod compare;
mod email;
mod engine;
mod erlang;
mod fit;
mod fuzz;
mod lines;
mod outputs;
mod packaging;
mod planning;
mod readme;
mod reports;
mod risk;
mod scenario;
mod shards;
mod shipped;
mod staffing;
mod statistics;
mod sweep;
mod util;
