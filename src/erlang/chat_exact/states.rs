//! The chain's states below the queue: the compositions of the chats held over the agents
//! (how many agents hold 0, 1, …, K chats), enumerated in lexicographic order and ranked
//! without a table of states.

/// `C(a, b)` for `a ≤ top`, `b ≤ most`, saturating: every entry used counts states.
pub(super) struct Binomials {
    most: usize,
    table: Vec<u64>,
}

impl Binomials {
    pub(super) fn new(top: usize, most: usize) -> Binomials {
        let width = most + 1;
        let mut table = vec![0u64; (top + 1) * width];
        for a in 0..=top {
            table[a * width] = 1;
            for b in 1..=most.min(a) {
                table[a * width + b] =
                    table[(a - 1) * width + b - 1].saturating_add(table[(a - 1) * width + b]);
            }
        }
        Binomials { most, table }
    }

    pub(super) fn get(&self, a: usize, b: usize) -> u64 {
        self.table[a * (self.most + 1) + b]
    }

    /// Compositions of `m` into `parts` parts: `C(m + parts − 1, parts − 1)`.
    pub(super) fn compositions(&self, m: usize, parts: usize) -> usize {
        self.get(m + parts - 1, parts - 1) as usize
    }

    /// Lexicographic rank of `n` among compositions of `c` into `n.len()` parts. The
    /// compositions before it with the same first `i` parts and a smaller `i`-th part number
    /// `C(r + K − i, K − i) − C(r − n_i + K − i, K − i)` (`r` what the first `i` parts leave;
    /// the hockey-stick identity sums their counts).
    pub(super) fn rank(&self, n: &[u32], c: usize) -> usize {
        let k = n.len() - 1;
        let (mut rank, mut left) = (0u64, c);
        for (i, &part) in n[..k].iter().enumerate() {
            let part = part as usize;
            rank += self.get(left + k - i, k - i) - self.get(left - part + k - i, k - i);
            left -= part;
        }
        rank as usize
    }
}

/// Compositions of `c` into `K + 1` parts in lexicographic order, with their level.
pub(super) struct Composition {
    pub(super) parts: Vec<u32>,
    pub(super) level: usize,
}

impl Composition {
    /// `(0, …, 0, c)`: the first in lexicographic order.
    pub(super) fn first(c: usize, k: usize) -> Composition {
        let mut parts = vec![0u32; k + 1];
        parts[k] = c as u32;
        Composition { parts, level: c * k }
    }

    /// The next composition, or `false` after the last, `(c, 0, …, 0)`. Lexicographic order:
    /// the rightmost part but the last that can grow takes one from the tail, which moves
    /// entirely to the last place.
    pub(super) fn advance(&mut self) -> bool {
        let k = self.parts.len() - 1;
        let Some(i) = (0..k).rev().find(|&i| self.parts[i + 1..].iter().any(|&m| m > 0)) else {
            return false;
        };
        let rest: u32 = self.parts[i + 1..].iter().sum();
        self.parts[i] += 1;
        for m in &mut self.parts[i + 1..] {
            *m = 0;
        }
        self.parts[k] = rest - 1;
        self.level = self.parts.iter().enumerate().map(|(j, &m)| j * m as usize).sum();
        true
    }
}
