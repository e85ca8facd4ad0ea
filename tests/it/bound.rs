//! The references of docs/engine-bound.md (the recursion and the least event-driven
//! simulation, both in `benches/support/bound.rs`) compute what the engine computes on their
//! case: a ratio of CPU times means something only if the three do the same work's answer.

#[allow(dead_code)]
#[path = "../../benches/support/bound.rs"]
mod bound_case;

use bound_case::{BOUND_SEED, bound_case, engine_counts, mmc_bound, mmc_events};

#[test]
fn the_recursion_the_event_driven_reference_and_the_engine_count_the_same_calls_and_waits() {
    let (recursion, events, engine) =
        (mmc_bound(BOUND_SEED), mmc_events(BOUND_SEED), engine_counts(&bound_case()));
    // About a million calls, some of them waiting: a comparison that can fail.
    assert!(engine.offered > 1_000_000, "{engine:?}");
    assert!(engine.answered_within_target < engine.answered, "{engine:?}");
    for reference in [&recursion, &events] {
        assert_eq!(
            (reference.offered, reference.answered, reference.answered_within_target),
            (engine.offered, engine.answered, engine.answered_within_target)
        );
        // The engine adds the waits by interval, the references in one sum.
        let gap = (reference.wait_answered_s - engine.wait_answered_s).abs();
        assert!(gap <= 1e-9 * engine.wait_answered_s, "{reference:?} against {engine:?}");
    }
}
