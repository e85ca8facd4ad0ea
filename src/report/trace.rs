//! The call-by-call log of one replication (`simulate --trace FILE.csv`), so analysts can
//! audit what happened to every contact.

use std::io::Write;

use crate::model::Scenario;
use crate::sim::{Observer, TraceRecord};
use crate::time::ClockTime;

/// An observer that writes one CSV row per contact into `W` (a file, streamed: a long
/// scenario's trace need not fit in memory). Seconds have three decimals (milliseconds).
pub struct TraceCsv<'a, W: Write> {
    scenario: &'a Scenario,
    writer: csv::Writer<W>,
    error: Option<csv::Error>,
}

impl<'a, W: Write> TraceCsv<'a, W> {
    /// A trace with its header row.
    pub fn new(scenario: &'a Scenario, out: W) -> TraceCsv<'a, W> {
        let mut writer = csv::Writer::from_writer(out);
        let error = writer
            .write_record([
                "arrival_s",
                "day",
                "arrival_time",
                "call_type",
                "origin",
                "wait_s",
                "outcome",
                "group",
                "handle_time_s",
            ])
            .err();
        TraceCsv { scenario, writer, error }
    }

    /// Flushes the rows and returns the writer.
    ///
    /// # Errors
    /// When a row could not be written.
    pub fn finish(self) -> std::io::Result<W> {
        if let Some(e) = self.error {
            return Err(e.into());
        }
        self.writer.into_inner().map_err(|e| e.into_error())
    }
}

impl<W: Write> Observer for TraceCsv<'_, W> {
    fn contact_ended(&mut self, r: &TraceRecord) {
        if self.error.is_some() {
            return;
        }
        let day = (r.arrival_s / crate::time::DAY).floor() as i64 + 1;
        let group = r.group.map(|g| self.scenario.agent_groups[usize::from(g)].name.as_str()).unwrap_or("");
        let result = self.writer.write_record([
            format!("{:.3}", r.arrival_s),
            day.to_string(),
            ClockTime::from_secs(r.arrival_s).to_string(),
            self.scenario.call_types[usize::from(r.call_type)].name.clone(),
            r.origin.name().to_string(),
            format!("{:.3}", r.wait_s),
            r.outcome.name().to_string(),
            group.to_string(),
            r.handle_time_s.map(|s| format!("{s:.3}")).unwrap_or_default(),
        ]);
        self.error = result.err();
    }
}
