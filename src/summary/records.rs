//! Records of figures `S` by call type, by interval and call type, and by interval: the rows
//! of the sections only some scenarios have (lines, callbacks).

use serde::{Deserialize, Serialize};

/// One call type's record of figures `S` (lines, callbacks).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallTypeRecord<S> {
    /// Call type name.
    pub name: String,
    /// Its figures.
    #[serde(flatten)]
    pub stats: S,
}

/// One call type's record of figures `S` in one interval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntervalRecord<S> {
    /// Day, from 1.
    pub day: usize,
    /// Clock time `HH:MM` at which the interval starts.
    pub start: String,
    /// Call type name.
    pub call_type: String,
    /// Its figures.
    #[serde(flatten)]
    pub stats: S,
}

/// The record of figures `S` of one interval, all call types together.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntervalTotalRecord<S> {
    /// Day, from 1.
    pub day: usize,
    /// Clock time `HH:MM` at which the interval starts.
    pub start: String,
    /// Its figures.
    #[serde(flatten)]
    pub stats: S,
}
