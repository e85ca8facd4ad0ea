//! Two bucketed future-event lists to weigh against the engine's 4-ary heap
//! (`src/sim/event.rs`): a radix heap and a calendar queue. Both keep the engine's order (one
//! `u128` key per event, `sim::event::order_key`: the time's bits above a sequence number), so
//! either could stand in for the heap without changing a result; the `event_list` bench times
//! all three on the hold model, and docs/engine-bound.md gives what each cost inside the engine.
//!
//! Included by `benches/event_list.rs` and by the integration tests, which check that both pop
//! in the engine's order.

use ccsim::sim::event::{Event, time_of_key};

/// An event and its key.
#[derive(Copy, Clone, Debug)]
pub struct Entry {
    pub key: u128,
    pub event: Event,
}

/// Key of an empty list: after every real key.
pub const NONE: u128 = u128::MAX;

/// A radix heap: entries in buckets by the highest bit in which their key differs from the key
/// last removed (every key held is later). Insertion is a few bit operations and an append;
/// removal empties the lowest bucket, whose least key becomes the reference, into lower ones.
#[derive(Debug)]
pub struct Radix {
    buckets: Vec<Vec<Entry>>,
    /// Bit `b` set when bucket `b` is not empty.
    occupied: u128,
    /// Before every key held (the key last removed; 0 at first, and keys start at 1).
    last: u128,
    least: u128,
    len: usize,
}

impl Default for Radix {
    fn default() -> Radix {
        Radix { buckets: (0..128).map(|_| Vec::new()).collect(), occupied: 0, last: 0, least: NONE, len: 0 }
    }
}

impl Radix {
    fn bucket_of(key: u128, last: u128) -> usize {
        127 - (key ^ last).leading_zeros() as usize
    }

    #[inline(always)]
    pub fn push(&mut self, entry: Entry) {
        if entry.key <= self.last {
            self.rebase(entry.key - 1);
        }
        let b = Self::bucket_of(entry.key, self.last);
        self.buckets[b].push(entry);
        self.occupied |= 1 << b;
        self.least = self.least.min(entry.key);
        self.len += 1;
    }

    /// An entry earlier than the reference (a simulation never schedules one): every entry
    /// moves to its bucket relative to `reference`.
    #[cold]
    fn rebase(&mut self, reference: u128) {
        let held: Vec<Entry> = self.buckets.iter_mut().flat_map(std::mem::take).collect();
        self.occupied = 0;
        self.last = reference;
        for entry in held {
            let b = Self::bucket_of(entry.key, reference);
            self.buckets[b].push(entry);
            self.occupied |= 1 << b;
        }
    }

    #[inline(always)]
    pub fn pop(&mut self) -> Option<Entry> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        let least = self.least;
        let b = self.occupied.trailing_zeros() as usize;
        let mut bucket = std::mem::take(&mut self.buckets[b]);
        self.occupied &= !(1 << b);
        self.last = least;
        let mut found = None;
        for entry in bucket.drain(..) {
            if entry.key == least {
                found = Some(entry);
            } else {
                let lower = Self::bucket_of(entry.key, least);
                self.buckets[lower].push(entry);
                self.occupied |= 1 << lower;
            }
        }
        self.buckets[b] = bucket;
        self.least = match self.occupied {
            0 => NONE,
            occupied => {
                let lowest = &self.buckets[occupied.trailing_zeros() as usize];
                lowest.iter().map(|e| e.key).min().unwrap_or(NONE)
            }
        };
        found
    }
}

/// A calendar queue (R. Brown, 1988): a "year" of buckets, each a "day" long, holding the
/// entries due on its day of any year, sorted with the earliest last. The year doubles or
/// halves with the number of entries, and a day's length is then set to three times the mean
/// spacing of the earliest entries.
#[derive(Debug)]
pub struct Calendar {
    buckets: Vec<Vec<Entry>>,
    /// The number of buckets less one (a power of two less one).
    mask: usize,
    /// Days per second of simulated time.
    per_second: f64,
    /// The day of the entry last removed: every entry held is due on it or later.
    today: u64,
    least: u128,
    least_bucket: usize,
    len: usize,
}

const MIN_DAYS: usize = 16;

impl Default for Calendar {
    fn default() -> Calendar {
        Calendar {
            buckets: (0..MIN_DAYS).map(|_| Vec::with_capacity(4)).collect(),
            mask: MIN_DAYS - 1,
            per_second: 1.0,
            today: 0,
            least: NONE,
            least_bucket: 0,
            len: 0,
        }
    }
}

impl Calendar {
    fn day_of(&self, key: u128) -> u64 {
        (time_of_key(key) * self.per_second) as u64
    }

    #[inline(always)]
    pub fn push(&mut self, entry: Entry) {
        if self.len >= 2 * self.buckets.len() {
            self.resize(2 * self.buckets.len());
        }
        self.insert(entry);
        self.len += 1;
    }

    #[inline(always)]
    fn insert(&mut self, entry: Entry) {
        let day = self.day_of(entry.key);
        self.today = self.today.min(day);
        let b = day as usize & self.mask;
        let bucket = &mut self.buckets[b];
        let mut at = bucket.len();
        while at > 0 && bucket[at - 1].key < entry.key {
            at -= 1;
        }
        bucket.insert(at, entry);
        if entry.key < self.least {
            self.least = entry.key;
            self.least_bucket = b;
        }
    }

    #[inline(always)]
    pub fn pop(&mut self) -> Option<Entry> {
        if self.len == 0 {
            return None;
        }
        let entry = self.buckets[self.least_bucket].pop();
        self.len -= 1;
        self.today = self.day_of(self.least);
        self.least = NONE;
        if self.len > 0 {
            if self.len < self.buckets.len() / 2 && self.buckets.len() > MIN_DAYS {
                self.resize(self.buckets.len() / 2);
            } else {
                self.find_least();
            }
        }
        entry
    }

    /// The first bucket from today whose earliest entry is due on the day the bucket stands
    /// for; after a whole year without one, the earliest entry of all.
    #[inline(always)]
    fn find_least(&mut self) {
        for day in self.today..self.today + self.buckets.len() as u64 {
            let b = day as usize & self.mask;
            if let Some(e) = self.buckets[b].last()
                && self.day_of(e.key) == day
            {
                (self.least, self.least_bucket) = (e.key, b);
                return;
            }
        }
        for (b, bucket) in self.buckets.iter().enumerate() {
            if let Some(e) = bucket.last()
                && e.key < self.least
            {
                (self.least, self.least_bucket) = (e.key, b);
            }
        }
        self.today = self.day_of(self.least);
    }

    #[cold]
    fn resize(&mut self, days: usize) {
        let mut held: Vec<Entry> = self.buckets.iter_mut().flat_map(std::mem::take).collect();
        held.sort_unstable_by_key(|e| e.key);
        let sample = held.len().min(25);
        if sample >= 2 {
            let spread = time_of_key(held[sample - 1].key) - time_of_key(held[0].key);
            if spread > 0.0 {
                self.per_second = (sample - 1) as f64 / (3.0 * spread);
            }
        }
        self.buckets = (0..days).map(|_| Vec::with_capacity(4)).collect();
        self.mask = days - 1;
        self.least = NONE;
        self.today = held.first().map_or(0, |e| self.day_of(e.key));
        for entry in held {
            self.insert(entry);
        }
    }
}
