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
}

/// A generator for one use of one contact's seed.
#[inline]
pub fn contact_rng(contact_seed: u64, draw: Draw) -> Rng {
    seed_from_u64(mix(contact_seed ^ ((draw as u64) << 56)))
}

/// The same generator as `Rng::seed_from_u64(seed)`: its four state words are SplitMix64
/// outputs `mix(seed + i·φ)`, i = 0..4 (rand's implementation, checked by a test), computed
/// here one word at a time. Rand's loop is vectorised by the compiler into 64-bit multiplies
/// emulated with 32-bit SSE2 ones, which made seeding about a tenth of the engine's time, as
/// every offered contact seeds a generator.
#[inline]
fn seed_from_u64(seed: u64) -> Rng {
    const PHI: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut words = [0u64; 4];
    let mut state = seed;
    for word in &mut words {
        // The barrier keeps the four words out of vector registers.
        *word = mix(std::hint::black_box(state));
        state = state.wrapping_add(PHI);
    }
    let mut bytes = [0u8; 32];
    for (chunk, word) in bytes.chunks_exact_mut(8).zip(words) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    Rng::from_seed(bytes)
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
    fn contact_generators_are_rands_seed_from_u64() {
        for seed in [0, 1, 42, u64::MAX, 0x9E37_79B9_7F4A_7C15, mix(7)] {
            let mut ours = seed_from_u64(seed);
            let mut rands = Rng::seed_from_u64(seed);
            for _ in 0..8 {
                assert_eq!(ours.next_u64(), rands.next_u64(), "seed {seed}");
            }
        }
    }

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
