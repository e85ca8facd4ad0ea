//! Random streams: one generator per (seed, replication, purpose, index), never shared.
//!
//! Replication `r` draws only from streams derived from `(seed, r)`, so results do not depend
//! on which thread ran it or in which order. Within a replication each purpose has its own
//! stream, so that two shift plans simulated on the same seed meet the same callers (common
//! random numbers): arrival times come from the arrival stream of their call type, and every
//! fresh caller gets a *contact seed* from the caller stream of its call type, from which its
//! handle time, patience and later decisions (transfer, redial, repeat) are drawn. Nothing a
//! plan changes (who waits, who abandons) shifts another caller's draws.

use rand::SeedableRng;

/// The generator used everywhere: fast, 256-bit state, good statistical quality.
pub type Rng = rand::rngs::Xoshiro256PlusPlus;

/// What a stream is for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// Interarrival draws of fresh calls of one call type.
    Arrivals = 1,
    /// Contact seeds of fresh callers of one call type.
    Callers = 2,
    /// Volume factors of a replication (forecast error): index 0 shared, 1 + call type each.
    Volume = 3,
    /// Handle-time factors of a replication.
    HandleTime = 4,
    /// Absences: index 0 shift agents, 1 + group the pool of a staffing-vector group.
    Absence = 5,
    /// Contact seeds of the initial email backlog of one call type.
    Backlog = 6,
    /// Interarrival draws of the fresh calls of one call type that events add to its volume.
    AddedArrivals = 7,
    /// Contact seeds of the fresh callers of one call type that events add.
    AddedCallers = 8,
    /// Whether each fresh call of one call type is kept where events lower its volume.
    Thinning = 9,
}

/// SplitMix64 finaliser: a bijective mix of 64 bits, so nearby inputs give unrelated outputs.
#[inline]
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The stream for `purpose` number `index` (e.g. a call type) of replication `replication`.
pub fn stream(seed: u64, replication: u32, purpose: Purpose, index: u32) -> Rng {
    let key = mix(mix(mix(seed) ^ u64::from(replication)) ^ (purpose as u64)) ^ u64::from(index);
    Rng::seed_from_u64(mix(key))
}

/// What a contact's seed is used for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Draw {
    /// Handle time, patience and the decision uniforms, at arrival.
    Arrival = 11,
    /// Delay and target of whatever follows the contact (transfer, redial, repeat).
    FollowUp = 12,
    /// The seed of the contact that follows this one.
    Child = 13,
    /// Whether the caller accepts a callback, then whether each call back reaches it.
    Callback = 14,
}

/// A generator for one use of one contact's seed.
#[inline]
pub fn contact_rng(contact_seed: u64, draw: Draw) -> Rng {
    Rng::seed_from_u64(mix(contact_seed ^ ((draw as u64) << 56)))
}

/// The seed of the contact that follows `contact_seed` (a redial, repeat or transfer).
#[inline]
pub fn child_seed(contact_seed: u64) -> u64 {
    mix(contact_seed ^ ((Draw::Child as u64) << 56))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng as _;

    #[test]
    fn streams_differ_by_every_part_of_their_key() {
        let first = |seed, rep, purpose, idx| stream(seed, rep, purpose, idx).next_u64();
        let base = first(42, 0, Purpose::Arrivals, 0);
        assert_eq!(base, first(42, 0, Purpose::Arrivals, 0), "same key, same stream");
        for other in [
            first(43, 0, Purpose::Arrivals, 0),
            first(42, 1, Purpose::Arrivals, 0),
            first(42, 0, Purpose::Callers, 0),
            first(42, 0, Purpose::Arrivals, 1),
        ] {
            assert_ne!(base, other);
        }
    }
}
