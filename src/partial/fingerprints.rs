//! Fingerprints: what ties a part to its run (the validated models and options) and to its
//! own bytes (the body), so that a part of another run or a damaged one is refused.

use std::path::PathBuf;

use super::Request;
use crate::model::Scenario;

/// The fingerprint that ties a part to its run: the validated models simulated (every field,
/// through their `Debug` form, except the path they were read from, so that the same files
/// under another directory agree, and the file's default seed and replications, which the
/// request's replace), the command, seed, replications and shrinkage, and the cases of a run
/// sharded by case (each case's model follows from the models and the cases).
pub fn fingerprint_run(request: &Request, shrinkage: f64, simulated: &[Scenario]) -> String {
    let mut text = format!(
        "{:?} seed {} replications {} shrinkage {:?}\n",
        request.command, request.seed, request.replications, shrinkage
    );
    if let Some(cases) = &request.cases {
        text.push_str(&format!("{cases:?}\n"));
    }
    for scenario in simulated {
        let anywhere = Scenario {
            source: PathBuf::new(),
            files_read: Vec::new(),
            simulation: crate::model::SimulationSettings { replications: 0, seed: 0 },
            ..scenario.clone()
        };
        text.push_str(&format!("{anywhere:?}\n"));
    }
    fingerprint(text.as_bytes())
}

/// A 128-bit fingerprint (two FNV-1a 64 passes with different offsets) as 32 hex digits:
/// stable across platforms and versions of Rust, which `std`'s hasher is not. It guards
/// against mistakes and damage, not against forgery.
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut f = Fingerprint::new();
    f.update(bytes);
    f.hex()
}

/// [`fingerprint`] of bytes that come a piece at a time.
#[derive(Clone, Copy, Debug)]
pub(super) struct Fingerprint {
    a: u64,
    b: u64,
}

impl Fingerprint {
    pub(super) fn new() -> Fingerprint {
        Fingerprint { a: 0xcbf2_9ce4_8422_2325, b: 0x6c62_272e_07bb_0142 }
    }

    pub(super) fn update(&mut self, bytes: &[u8]) {
        const PRIME: u64 = 0x0000_0100_0000_01b3;
        for &byte in bytes {
            self.a = (self.a ^ u64::from(byte)).wrapping_mul(PRIME);
            self.b = (self.b ^ u64::from(byte.rotate_left(3))).wrapping_mul(PRIME);
        }
    }

    pub(super) fn hex(&self) -> String {
        format!("{:016x}{:016x}", self.a, self.b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_differ_for_different_bytes() {
        assert_ne!(fingerprint(b"seed 1"), fingerprint(b"seed 2"));
        assert_eq!(fingerprint(b"").len(), 32);
    }
}
