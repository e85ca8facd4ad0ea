//! Tests of the shift optimiser.
