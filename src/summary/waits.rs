//! The distribution of waits of answered contacts.

use serde::{Deserialize, Serialize};

/// Histogram of waits of answered contacts, summed over all replications.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WaitDistribution {
    /// Call type, or `null` for all contacts.
    pub call_type: Option<String>,
    /// Non-empty buckets in increasing order; the first is `[0, 0]` for immediate answers.
    pub buckets: Vec<WaitBucket>,
    /// Offered contacts the service level leaves out, over all replications: emails still
    /// inside their target when the run ends (no outcome yet) and callback customers its rule
    /// leaves out. The chart's "answered within x" divides by the offered contacts less these,
    /// as the service level does. Absent when there are none.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub offered_not_judged: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One histogram bucket: waits in `[low_s, high_s)` (the zero bucket: exactly 0).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct WaitBucket {
    /// Lower bound in seconds.
    pub low_s: f64,
    /// Upper bound in seconds.
    pub high_s: f64,
    /// Answered contacts, over all replications.
    pub count: u64,
}
