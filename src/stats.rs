//! Statistics over replications and over calls: [`Estimate`] (mean with a Student-t confidence
//! half-width) and [`WaitHistogram`] (a mergeable log-bucketed histogram whose percentiles are
//! within 1% relative error and whose memory does not grow with the number of calls).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use statrs::distribution::{ContinuousCDF, StudentsT};

/// An estimate over replications with the half-width of its confidence interval: the mean of
/// a count or a percentile, the ratio of the totals of a rate ([`RatioTally`]).
///
/// `mean` is NaN where no replication defined the value (e.g. ASA with no answered call);
/// `half_width` is NaN with fewer than two such replications, and 0 for an analytic value.
/// Non-finite values are written as JSON `null`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The estimate: the mean over the replications that define the value, or a rate's ratio of
    /// totals.
    #[serde(serialize_with = "finite_or_null", deserialize_with = "null_as_nan")]
    pub mean: f64,
    /// Half-width of the 95% (unless said otherwise) Student-t confidence interval.
    #[serde(serialize_with = "finite_or_null", deserialize_with = "null_as_nan")]
    pub half_width: f64,
}

impl Default for Estimate {
    fn default() -> Self {
        Estimate { mean: f64::NAN, half_width: f64::NAN }
    }
}

/// Confidence level of every interval ccsim reports.
pub const CONFIDENCE: f64 = 0.95;

impl Estimate {
    /// An exact value (no sampling error).
    pub fn exact(value: f64) -> Estimate {
        Estimate { mean: value, half_width: 0.0 }
    }

    /// Mean and 95% Student-t half-width of the finite samples.
    pub fn from_samples(samples: &[f64]) -> Estimate {
        Self::with_confidence(samples, CONFIDENCE)
    }

    /// Mean and Student-t half-width at `confidence` (e.g. 0.99) of the finite samples.
    pub fn with_confidence(samples: &[f64], confidence: f64) -> Estimate {
        let mut tally = Tally::default();
        for &x in samples.iter().filter(|x| x.is_finite()) {
            tally.add(x);
        }
        tally.estimate(confidence)
    }

    /// Lower end of the interval.
    pub fn low(&self) -> f64 {
        self.mean - self.half_width
    }
    /// Upper end of the interval.
    pub fn high(&self) -> f64 {
        self.mean + self.half_width
    }
    /// Whether `value` lies in the interval.
    pub fn covers(&self, value: f64) -> bool {
        (self.mean - value).abs() <= self.half_width
    }
}

/// An estimate whose 95% interval need not be symmetric about it: a share of replications
/// near 0 or 1 (Wilson score interval), a quantile read off order statistics. `half_width` is
/// the larger of the two sides, for readers of the plain [`Estimate`] shape; `low` and `high`
/// are the interval itself, always within the values the quantity can take.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntervalEstimate {
    /// The estimate.
    #[serde(serialize_with = "finite_or_null", deserialize_with = "null_as_nan")]
    pub mean: f64,
    /// The larger of `mean - low` and `high - mean`.
    #[serde(serialize_with = "finite_or_null", deserialize_with = "null_as_nan")]
    pub half_width: f64,
    /// Lower end of the 95% interval.
    #[serde(serialize_with = "finite_or_null", deserialize_with = "null_as_nan", default = "nan")]
    pub low: f64,
    /// Upper end of the 95% interval.
    #[serde(serialize_with = "finite_or_null", deserialize_with = "null_as_nan", default = "nan")]
    pub high: f64,
}

impl Default for IntervalEstimate {
    fn default() -> Self {
        IntervalEstimate { mean: f64::NAN, half_width: f64::NAN, low: f64::NAN, high: f64::NAN }
    }
}

impl IntervalEstimate {
    /// `value` with the interval from `low` to `high` (NaN ends: no interval).
    pub fn new(value: f64, low: f64, high: f64) -> IntervalEstimate {
        IntervalEstimate { mean: value, half_width: (value - low).max(high - value), low, high }
    }
}

fn nan() -> f64 {
    f64::NAN
}

/// Two-sided Student-t critical value with `df` degrees of freedom.
pub fn t_critical(confidence: f64, df: f64) -> f64 {
    // A report asks for thousands of estimates, nearly all over the same replications: the last
    // answer is kept, as the inverse CDF costs microseconds.
    thread_local! {
        static LAST: std::cell::Cell<(f64, f64, f64)> = const { std::cell::Cell::new((f64::NAN, f64::NAN, f64::NAN)) };
    }
    LAST.with(|last| {
        let (c, d, t) = last.get();
        if c == confidence && d == df {
            return t;
        }
        let t =
            StudentsT::new(0.0, 1.0, df).map(|t| t.inverse_cdf(0.5 + confidence / 2.0)).unwrap_or(f64::NAN);
        last.set((confidence, df, t));
        t
    })
}

/// Running mean and variance (Welford), mergeable in a fixed order.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tally {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Tally {
    /// Adds one observation.
    pub fn add(&mut self, x: f64) {
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }
    /// Number of observations.
    pub fn count(&self) -> u64 {
        self.n
    }
    /// Mean (NaN when empty).
    pub fn mean(&self) -> f64 {
        if self.n == 0 { f64::NAN } else { self.mean }
    }
    /// Sample variance (NaN with fewer than two observations).
    pub fn variance(&self) -> f64 {
        if self.n < 2 { f64::NAN } else { self.m2 / (self.n - 1) as f64 }
    }
    /// Mean with its Student-t half-width at `confidence`.
    pub fn estimate(&self, confidence: f64) -> Estimate {
        let half_width = if self.n < 2 {
            f64::NAN
        } else {
            t_critical(confidence, (self.n - 1) as f64) * (self.variance() / self.n as f64).sqrt()
        };
        Estimate { mean: self.mean(), half_width }
    }
}

/// Running means and co-moments (Welford) of `K` quantities observed together once a
/// replication, for an estimate that is a smooth function of their means: a ratio of two totals
/// ([`RatioTally`]), a difference of two such ratios ([`RatioDifferenceTally`]). Its half-width
/// is the delta method's: the function's gradient at the means, applied to the quantities'
/// sample covariance, with the Student-t critical value of the replications.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Moments<const K: usize> {
    n: u64,
    mean: [f64; K],
    comoment: [[f64; K]; K],
}

impl<const K: usize> Default for Moments<K> {
    fn default() -> Self {
        Moments { n: 0, mean: [0.0; K], comoment: [[0.0; K]; K] }
    }
}

impl<const K: usize> Moments<K> {
    fn add(&mut self, x: [f64; K]) {
        self.n += 1;
        let before: [f64; K] = std::array::from_fn(|i| x[i] - self.mean[i]);
        for (mean, delta) in self.mean.iter_mut().zip(before) {
            *mean += delta / self.n as f64;
        }
        for (row, delta) in self.comoment.iter_mut().zip(before) {
            for ((c, &xj), &mean) in row.iter_mut().zip(&x).zip(&self.mean) {
                *c += delta * (xj - mean);
            }
        }
    }

    /// `value` (a function of the means) with its half-width at `confidence`, `gradient` being
    /// that function's gradient at the means.
    fn estimate(&self, value: f64, gradient: [f64; K], confidence: f64) -> Estimate {
        let half_width = if self.n < 2 || !value.is_finite() {
            f64::NAN
        } else {
            let mut variance = 0.0;
            for (row, gi) in self.comoment.iter().zip(gradient) {
                for (c, gj) in row.iter().zip(gradient) {
                    variance += gi * gj * c;
                }
            }
            // Rounding may leave a variance of nothing a hair below 0.
            let variance = (variance / (self.n - 1) as f64).max(0.0);
            t_critical(confidence, (self.n - 1) as f64) * (variance / self.n as f64).sqrt()
        };
        Estimate { mean: value, half_width }
    }
}

/// A replication's `rate` of `base` as (numerator, base): nothing of nothing where the rate is
/// not defined (no base, or no finite rate).
fn ratio_parts(rate: f64, base: f64) -> (f64, f64) {
    if base > 0.0 && rate.is_finite() { (rate * base, base) } else { (0.0, 0.0) }
}

/// A rate over replications as the ratio of its totals: everything its numerator counts in
/// every replication over everything its base counts (answered within target over offered,
/// busy time over time on duty). A replication counts however few contacts it had, with its
/// weight: the mean of the replications' own rates would give an interval of 2 calls as much
/// say as one of 200, and, since a busier interval of the same staffing has the worse service
/// level, would read better than the share of contacts served. The half-width is the ratio
/// estimator's (delta method) over the replications.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RatioTally(Moments<2>);

impl RatioTally {
    /// Adds one replication's `rate` of `base` (a rate that is not finite has a base of 0, and
    /// counts as a replication with nothing to count).
    pub fn add(&mut self, rate: f64, base: f64) {
        let (numerator, base) = ratio_parts(rate, base);
        self.0.add([numerator, base]);
    }

    /// The ratio of the totals (NaN when no replication had a base) with its half-width.
    pub fn estimate(&self, confidence: f64) -> Estimate {
        let [numerator, base] = self.0.mean;
        if self.0.n == 0 || base <= 0.0 {
            return Estimate::default();
        }
        let ratio = numerator / base;
        self.0.estimate(ratio, [1.0 / base, -ratio / base], confidence)
    }
}

/// The difference of two rates met by the same callers (common random numbers), each a
/// [`RatioTally`]'s ratio of totals: plan minus base, with the half-width of the paired
/// difference (delta method over the totals of each replication). The moments are kept of the
/// plan's numerator and base and of their differences from the base plan's, so that two plans
/// that agree in a replication add nothing but to the plan's own moments, and a plan compared
/// with itself differs by exactly 0 ± 0.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RatioDifferenceTally(Moments<4>);

impl RatioDifferenceTally {
    /// Adds one replication's rate and base of the plan, then of the base plan.
    pub fn add(&mut self, (rate, base): (f64, f64), (base_rate, base_base): (f64, f64)) {
        let ((n, d), (nb, db)) = (ratio_parts(rate, base), ratio_parts(base_rate, base_base));
        self.0.add([n, d, n - nb, d - db]);
    }

    /// The plan's ratio of totals minus the base plan's (NaN when either had no base).
    pub fn estimate(&self, confidence: f64) -> Estimate {
        let [n, d, dn, dd] = self.0.mean;
        let (nb, db) = (n - dn, d - dd);
        if self.0.n == 0 || d <= 0.0 || db <= 0.0 {
            return Estimate::default();
        }
        let (ratio, base_ratio) = (n / d, nb / db);
        // The gradient of n/d - (n - dn)/(d - dd) in (n, d, dn, dd).
        let gradient = [1.0 / d - 1.0 / db, base_ratio / db - ratio / d, 1.0 / db, -base_ratio / db];
        self.0.estimate(ratio - base_ratio, gradient, confidence)
    }
}

/// Histogram of waits in seconds with a zero bucket (answered at once) and log-linear buckets
/// from [`WaitHistogram::MIN_WAIT`] upward: each doubling of the wait is split into 64 equal
/// buckets (as in HDR histograms), so a bucket is at most 1/64 of its lower bound wide and its
/// geometric midpoint is within 0.8% of any wait in it. The bucket of a wait is read off its
/// floating-point exponent and top mantissa bits, with no logarithm.
///
/// Only non-empty buckets are stored, as sorted bucket numbers with their counts, so memory
/// never exceeds [`WaitHistogram::N_BUCKETS`] entries whatever the number of calls, and a
/// histogram costs about 10 bytes per distinct bucket its waits fall in. Every interval and
/// call type has one: an hour's waits typically touch a few hundred buckets (a few KB), where
/// a dense array of all buckets took 16 KB, which a year of hourly intervals turned into
/// 140 MB.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WaitHistogram {
    zero: u64,
    /// Numbers of the non-empty buckets, ascending.
    bucket_idx: Vec<u16>,
    /// Count of each bucket in `bucket_idx`.
    bucket_n: Vec<u64>,
    total: u64,
    max: f64,
}

/// Sub-buckets per doubling, as a power of two.
const SUB_BITS: u32 = 6;
const SUB: usize = 1 << SUB_BITS;

impl WaitHistogram {
    /// Smallest wait told apart from zero, in seconds; shorter waits share the first bucket.
    pub const MIN_WAIT: f64 = 0.01;
    /// Number of buckets: 31 doublings from 0.01 s reach 2.1 x 10^7 s (248 days).
    pub const N_BUCKETS: usize = 1 + 31 * SUB;

    /// Records one wait in seconds.
    #[inline]
    pub fn add(&mut self, wait: f64) {
        self.total += 1;
        if wait > self.max {
            self.max = wait;
        }
        if wait <= 0.0 {
            self.zero += 1;
            return;
        }
        let bucket = Self::bucket_of(wait) as u16;
        match self.bucket_idx.binary_search(&bucket) {
            Ok(i) => self.bucket_n[i] += 1,
            Err(i) => self.insert_bucket(i, bucket, 1),
        }
    }

    /// Inserts a new non-empty bucket at position `i`, with room for a few more at first so
    /// that a busy interval does not reallocate at every new bucket.
    #[cold]
    fn insert_bucket(&mut self, i: usize, bucket: u16, n: u64) {
        if self.bucket_idx.capacity() == 0 {
            self.bucket_idx.reserve(32);
            self.bucket_n.reserve(32);
        }
        self.bucket_idx.insert(i, bucket);
        self.bucket_n.insert(i, n);
    }

    #[inline]
    fn bucket_of(wait: f64) -> usize {
        let x = wait / Self::MIN_WAIT;
        if x < 1.0 {
            return 0;
        }
        let bits = x.to_bits();
        let exponent = ((bits >> 52) as usize).saturating_sub(1023);
        let sub = ((bits >> (52 - SUB_BITS)) as usize) & (SUB - 1);
        (1 + exponent * SUB + sub).min(Self::N_BUCKETS - 1)
    }

    /// Bounds `[low, high)` of bucket `idx` in seconds (bucket 0 is `(0, MIN_WAIT)`).
    pub fn bucket_bounds(idx: usize) -> (f64, f64) {
        if idx == 0 {
            return (0.0, Self::MIN_WAIT);
        }
        let (exponent, sub) = ((idx - 1) / SUB, (idx - 1) % SUB);
        let octave = Self::MIN_WAIT * 2f64.powi(exponent as i32);
        let width = octave / SUB as f64;
        (octave + sub as f64 * width, octave + (sub + 1) as f64 * width)
    }

    /// All observations of `hists`: the same as merging them one by one, in time proportional
    /// to their buckets rather than to the growing total's (a total over every interval of a
    /// day merges hundreds of small histograms).
    pub fn sum<'a>(hists: impl IntoIterator<Item = &'a WaitHistogram>) -> WaitHistogram {
        let mut dense = vec![0u64; Self::N_BUCKETS];
        let mut out = WaitHistogram::default();
        for h in hists {
            out.zero += h.zero;
            out.total += h.total;
            out.max = out.max.max(h.max);
            for (&idx, &n) in h.bucket_idx.iter().zip(&h.bucket_n) {
                dense[usize::from(idx)] += n;
            }
        }
        for (idx, &n) in dense.iter().enumerate().filter(|(_, n)| **n > 0) {
            out.bucket_idx.push(idx as u16);
            out.bucket_n.push(n);
        }
        out
    }

    /// Adds all of `other`'s observations.
    pub fn merge(&mut self, other: &WaitHistogram) {
        self.zero += other.zero;
        self.total += other.total;
        self.max = self.max.max(other.max);
        if other.bucket_idx.is_empty() {
            return;
        }
        // Both lists are sorted. Merged in place, from the back, after growing by the buckets
        // only `other` has: summaries merge every cell of every replication, and once a total
        // has seen the common waits it rarely grows, so a merge mostly allocates nothing.
        let (ours, theirs) = (self.bucket_idx.len(), other.bucket_idx.len());
        let (mut i, mut j, mut new) = (0, 0, 0);
        while j < theirs {
            if i < ours && self.bucket_idx[i] < other.bucket_idx[j] {
                i += 1;
            } else {
                if i < ours && self.bucket_idx[i] == other.bucket_idx[j] {
                    i += 1;
                } else {
                    new += 1;
                }
                j += 1;
            }
        }
        self.bucket_idx.resize(ours + new, 0);
        self.bucket_n.resize(ours + new, 0);
        let (mut i, mut j, mut k) = (ours, theirs, ours + new);
        // Until `other` is used up; then what is left of ours is already in place (k == i).
        while j > 0 {
            k -= 1;
            let theirs_idx = other.bucket_idx[j - 1];
            if i > 0 && self.bucket_idx[i - 1] >= theirs_idx {
                let same = self.bucket_idx[i - 1] == theirs_idx;
                self.bucket_idx[k] = self.bucket_idx[i - 1];
                self.bucket_n[k] = self.bucket_n[i - 1] + if same { other.bucket_n[j - 1] } else { 0 };
                i -= 1;
                j -= usize::from(same);
            } else {
                self.bucket_idx[k] = theirs_idx;
                self.bucket_n[k] = other.bucket_n[j - 1];
                j -= 1;
            }
        }
        debug_assert_eq!(k, i);
    }

    /// Whether the histogram keeps its invariants (sorted, known buckets; counts that add up),
    /// as one read back from a file must before it is merged.
    pub fn is_well_formed(&self) -> bool {
        self.bucket_idx.len() == self.bucket_n.len()
            && self.bucket_idx.windows(2).all(|w| w[0] < w[1])
            && self.bucket_idx.last().is_none_or(|&i| usize::from(i) < Self::N_BUCKETS)
            && self.bucket_n.iter().try_fold(self.zero, |sum, &n| sum.checked_add(n)) == Some(self.total)
    }

    /// Number of waits recorded.
    pub fn count(&self) -> u64 {
        self.total
    }
    /// Waits of exactly zero (answered at once).
    pub fn zero_count(&self) -> u64 {
        self.zero
    }
    /// Longest wait recorded (0 when empty).
    pub fn max(&self) -> f64 {
        self.max
    }

    /// The `q`-quantile (0 < q <= 1) of the recorded waits, within 1% relative error; NaN when
    /// empty. Uses the nearest-rank definition: the smallest wait with at least `q * n` waits
    /// at or below it.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.total == 0 {
            return f64::NAN;
        }
        let rank = ((q * self.total as f64).ceil() as u64).clamp(1, self.total);
        if rank <= self.zero {
            return 0.0;
        }
        let mut seen = self.zero;
        for (&idx, &n) in self.bucket_idx.iter().zip(&self.bucket_n) {
            let idx = usize::from(idx);
            seen += n;
            if seen >= rank {
                let (low, high) = Self::bucket_bounds(idx);
                // The geometric midpoint is within 0.8% of every value in the bucket.
                let mid = if idx == 0 { Self::MIN_WAIT / 2.0 } else { (low * high).sqrt() };
                return mid.min(self.max);
            }
        }
        self.max
    }

    /// Non-empty buckets as (low_s, high_s, count), the zero bucket first as (0, 0, n).
    pub fn nonempty_buckets(&self) -> Vec<(f64, f64, u64)> {
        let mut out = Vec::new();
        if self.zero > 0 {
            out.push((0.0, 0.0, self.zero));
        }
        for (&idx, &n) in self.bucket_idx.iter().zip(&self.bucket_n) {
            let (low, high) = Self::bucket_bounds(usize::from(idx));
            out.push((low, high, n));
        }
        out
    }
}

fn finite_or_null<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.is_finite() { s.serialize_f64(*v) } else { s.serialize_none() }
}

fn null_as_nan<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

/// Serializes an `f64` as a number when finite and `null` otherwise (for `serialize_with`).
pub fn serialize_finite<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    finite_or_null(v, s)
}

/// Reads `null` as NaN (for `deserialize_with`), the inverse of [`serialize_finite`].
pub fn deserialize_finite<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    null_as_nan(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ratio estimator written out from every replication at once: Σn/Σd, and the
    /// Student-t half-width of the residuals n - R d over the mean base.
    fn ratio_by_hand(parts: &[(f64, f64)]) -> (f64, f64) {
        let k = parts.len() as f64;
        let (n, d): (f64, f64) = parts.iter().fold((0.0, 0.0), |(a, b), &(x, y)| (a + x, b + y));
        let r = n / d;
        let ss: f64 = parts.iter().map(|&(x, y)| (x - r * y).powi(2)).sum();
        (r, t_critical(0.95, k - 1.0) * (ss / (k - 1.0) / k).sqrt() / (d / k))
    }

    #[test]
    fn a_ratio_of_totals_weights_each_replication_by_its_base() {
        // (answered within target, offered) of five replications, one with no calls.
        let parts = [(18.0, 20.0), (5.0, 12.0), (30.0, 31.0), (0.0, 0.0), (9.0, 16.0)];
        let mut t = RatioTally::default();
        for &(n, d) in &parts {
            t.add(if d > 0.0 { n / d } else { f64::NAN }, d);
        }
        let (r, hw) = ratio_by_hand(&parts);
        let e = t.estimate(0.95);
        assert!((e.mean - r).abs() < 1e-12 && (e.half_width - hw).abs() < 1e-12, "{e:?} against {r} ± {hw}");
        assert!((e.mean - 62.0 / 79.0).abs() < 1e-12);
        // The mean of the replications' own rates is another figure (0.709 here).
        let own = Estimate::from_samples(&[0.9, 5.0 / 12.0, 30.0 / 31.0, 9.0 / 16.0]).mean;
        assert!((own - e.mean).abs() > 0.07, "{own} {}", e.mean);
    }

    #[test]
    fn with_a_base_of_one_a_ratio_is_the_plain_mean() {
        let values = [3.0, 7.5, 1.25, 9.0, 4.0, 4.0];
        let (mut ratio, mut plain) = (RatioTally::default(), Tally::default());
        for v in values {
            ratio.add(v, 1.0);
            plain.add(v);
        }
        let (a, b) = (ratio.estimate(0.95), plain.estimate(0.95));
        assert!(
            (a.mean - b.mean).abs() < 1e-12 && (a.half_width - b.half_width).abs() < 1e-12,
            "{a:?} {b:?}"
        );
    }

    #[test]
    fn a_difference_of_ratios_is_paired_by_replication() {
        let plan = [(18.0, 20.0), (8.0, 12.0), (29.0, 31.0), (12.0, 16.0)];
        let base = [(15.0, 20.0), (5.0, 12.0), (26.0, 31.0), (9.0, 16.0)];
        let mut t = RatioDifferenceTally::default();
        for (&(n, d), &(nb, db)) in plan.iter().zip(&base) {
            t.add((n / d, d), (nb / db, db));
        }
        // The same callers, so the bases agree: the difference is that of the numerators, and
        // its residuals are those of the paired differences.
        let diffs: Vec<(f64, f64)> = plan.iter().zip(&base).map(|(a, b)| (a.0 - b.0, a.1)).collect();
        let (r, hw) = ratio_by_hand(&diffs);
        let e = t.estimate(0.95);
        assert!((e.mean - r).abs() < 1e-12 && (e.half_width - hw).abs() < 1e-9, "{e:?} against {r} ± {hw}");
        // A plan against itself: no difference, and no spread.
        let mut same = RatioDifferenceTally::default();
        for &(n, d) in &plan {
            same.add((n / d, d), (n / d, d));
        }
        assert_eq!(same.estimate(0.95).mean, 0.0);
        assert!(same.estimate(0.95).half_width < 1e-12);
        // A rate no replication defines has no estimate.
        let mut none = RatioTally::default();
        none.add(f64::NAN, 0.0);
        none.add(f64::NAN, 0.0);
        assert!(none.estimate(0.95).mean.is_nan());
    }

    #[test]
    fn t_interval_matches_the_textbook_value() {
        // Samples 1..=5: mean 3, s = sqrt(2.5), t(0.975, 4) = 2.776445.
        let e = Estimate::from_samples(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(e.mean, 3.0);
        let expected = 2.776_445_105_197_793 * (2.5f64 / 5.0).sqrt();
        assert!((e.half_width - expected).abs() < 1e-9, "{}", e.half_width);
    }

    #[test]
    fn estimate_ignores_undefined_replications_and_writes_null() {
        let e = Estimate::from_samples(&[f64::NAN, 2.0]);
        assert_eq!(e.mean, 2.0);
        assert!(e.half_width.is_nan());
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(json, r#"{"mean":2.0,"half_width":null}"#);
        let back: Estimate = serde_json::from_str(&json).unwrap();
        assert!(back.half_width.is_nan());
    }

    #[test]
    fn histogram_quantiles_are_within_one_percent() {
        let mut h = WaitHistogram::default();
        let waits: Vec<f64> = (1..=10_000).map(|i| f64::from(i) * 0.37).collect();
        for &w in &waits {
            h.add(w);
        }
        for q in [0.5, 0.8, 0.9, 0.95, 0.99, 1.0] {
            let exact = waits[((q * waits.len() as f64).ceil() as usize).clamp(1, waits.len()) - 1];
            let got = h.quantile(q);
            assert!((got - exact).abs() <= 0.01 * exact, "q {q}: {got} vs {exact}");
        }
        assert_eq!(h.max(), 3700.0);
    }

    #[test]
    fn every_wait_lies_in_its_bucket_and_buckets_are_narrow() {
        let mut w = 0.004;
        while w < 1e7 {
            let idx = WaitHistogram::bucket_of(w);
            let (low, high) = WaitHistogram::bucket_bounds(idx);
            assert!(low <= w * (1.0 + 1e-12) && w < high * (1.0 + 1e-12), "{w} not in [{low}, {high})");
            if idx > 0 {
                assert!((high - low) / low <= 1.0 / 64.0 + 1e-12);
            }
            w *= 1.003;
        }
    }

    #[test]
    fn sparse_buckets_hold_the_same_counts_as_a_dense_array_and_merge_exactly() {
        use rand::{RngExt, SeedableRng};
        let mut rng = crate::stream::Rng::seed_from_u64(5);
        let (mut a, mut b, mut all) =
            (WaitHistogram::default(), WaitHistogram::default(), WaitHistogram::default());
        let mut dense = vec![0u64; WaitHistogram::N_BUCKETS];
        for i in 0..20_000 {
            // Waits from 1 ms to about 3 days, and some zeros.
            let wait = if i % 7 == 0 { 0.0 } else { 10f64.powf(rng.random_range(-3.0..5.4)) };
            if wait > 0.0 {
                dense[WaitHistogram::bucket_of(wait)] += 1;
            }
            if i % 3 == 0 {
                a.add(wait)
            } else {
                b.add(wait)
            }
            all.add(wait);
        }
        let expected: Vec<(f64, f64, u64)> = dense
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(idx, &n)| {
                let (low, high) = WaitHistogram::bucket_bounds(idx);
                (low, high, n)
            })
            .collect();
        assert_eq!(all.nonempty_buckets()[1..], expected[..]);
        let mut merged = a.clone();
        merged.merge(&b);
        assert_eq!(merged, all);
        let mut merged = b;
        merged.merge(&a);
        assert_eq!(merged, all);
    }

    #[test]
    fn merging_many_sparse_histograms_equals_counting_every_wait_in_one() {
        // Small histograms over scattered ranges: most merges add buckets the total lacks,
        // in front of, between and after its own.
        use rand::{RngExt, SeedableRng};
        let mut rng = crate::stream::Rng::seed_from_u64(9);
        let (mut merged, mut all) = (WaitHistogram::default(), WaitHistogram::default());
        let mut dense = vec![0u64; WaitHistogram::N_BUCKETS];
        let mut parts = Vec::new();
        for _ in 0..2_000 {
            let mut part = WaitHistogram::default();
            let centre: f64 = rng.random_range(-2.0..5.0);
            for _ in 0..rng.random_range(0..6) {
                let wait = if rng.random_range(0..10) == 0 {
                    0.0
                } else {
                    10f64.powf(centre + rng.random_range(-0.3..0.3))
                };
                if wait > 0.0 {
                    dense[WaitHistogram::bucket_of(wait)] += 1;
                }
                part.add(wait);
                all.add(wait);
            }
            merged.merge(&part);
            parts.push(part);
        }
        assert_eq!(merged, all);
        assert_eq!(WaitHistogram::sum(&parts), all, "sum and merge disagree");
        let buckets: Vec<u64> = merged.bucket_n.clone();
        let expected: Vec<u64> = dense.into_iter().filter(|&n| n > 0).collect();
        assert_eq!(buckets, expected);
        assert!(merged.bucket_idx.windows(2).all(|w| w[0] < w[1]), "buckets out of order");
    }

    #[test]
    fn histogram_counts_immediate_answers_as_zero() {
        let mut h = WaitHistogram::default();
        for _ in 0..60 {
            h.add(0.0);
        }
        for _ in 0..40 {
            h.add(100.0);
        }
        assert_eq!(h.quantile(0.6), 0.0);
        assert!((h.quantile(0.61) - 100.0).abs() <= 1.0);
        let mut merged = WaitHistogram::default();
        merged.merge(&h);
        merged.merge(&h);
        assert_eq!(merged.count(), 200);
        assert_eq!(merged.quantile(0.6), 0.0);
    }
}
