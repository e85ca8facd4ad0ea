//! Splitting a run into shards that separate processes (the tasks of a Slurm job array, the
//! pods of a Kubernetes Indexed Job) run on their own, to be merged exactly by `ccsim merge`.
//!
//! Shard `K` of `N` (1-based `K`) runs the contiguous block of replications
//!
//! ```text
//! [ floor((K-1)·R / N), floor(K·R / N) )
//! ```
//!
//! of the `R` replications: blocks differ in size by at most one, their union is `0..R`, and
//! shard `K`'s block comes before shard `K+1`'s, so reading the parts in shard order gives the
//! records in replication order. Replication `r` draws from `(seed, r)` as in a one-process run,
//! so a shard's records are exactly those of the same replications in the whole run.
//!
//! This module only says which shard a process is and which replications it owns; it does not
//! run anything.

use std::fmt;
use std::ops::Range;

use crate::error::BadInput;

/// Environment variable giving the number of shards of a Kubernetes Indexed Job (which tells a
/// pod its index, `JOB_COMPLETION_INDEX`, but not the number of completions).
pub const SHARD_COUNT_ENV: &str = "CCSIM_SHARD_COUNT";

/// Most shards of one run: more would only make parts too small to be worth a process.
pub const MAX_SHARDS: u32 = 100_000;

/// One shard of a run: `index` of `count`, `index` from 1.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    index: u32,
    count: u32,
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Shard `index` of `count` (1 <= index <= count <= [`MAX_SHARDS`]).
    ///
    /// # Errors
    /// A message saying what is allowed.
    pub fn new(index: u32, count: u32) -> Result<Shard, String> {
        if count == 0 || count > MAX_SHARDS {
            return Err(format!("the number of shards must be 1 to {MAX_SHARDS}, got {count}"));
        }
        if index == 0 || index > count {
            return Err(format!("the shard number must be 1 to {count} (shards count from 1), got {index}"));
        }
        Ok(Shard { index, count })
    }

    /// The whole run as its only shard.
    pub fn whole() -> Shard {
        Shard { index: 1, count: 1 }
    }

    /// Shard number, from 1.
    pub fn index(self) -> u32 {
        self.index
    }

    /// Number of shards.
    pub fn count(self) -> u32 {
        self.count
    }

    /// This shard's block of `0..total`.
    pub fn block(self, total: u32) -> Range<u32> {
        let bound = |k: u32| (u64::from(k) * u64::from(total) / u64::from(self.count)) as u32;
        bound(self.index - 1)..bound(self.index)
    }

    /// Whether the parts are all well formed (used when reading a part back).
    pub fn is_valid(self) -> bool {
        Shard::new(self.index, self.count).is_ok()
    }
}

/// What `--shard` says: a shard given by hand, or one read from the batch system.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ShardSpec {
    /// `--shard K/N`.
    Given(Shard),
    /// `--shard auto`.
    Auto,
}

impl std::str::FromStr for ShardSpec {
    type Err = String;

    /// `K/N` or `auto` (clap's value parser).
    fn from_str(text: &str) -> Result<ShardSpec, String> {
        if text == "auto" {
            return Ok(ShardSpec::Auto);
        }
        let parse = |part: &str| part.trim().parse::<u32>().ok();
        match text.split_once('/').map(|(k, n)| (parse(k), parse(n))) {
            Some((Some(index), Some(count))) => Shard::new(index, count).map(ShardSpec::Given),
            _ => Err(format!("expected K/N (e.g. 3/8: the third of eight shards) or auto, got {text:?}")),
        }
    }
}

impl ShardSpec {
    /// The shard this process runs: the one given, or for `auto` the one the environment of a
    /// Slurm job array or a Kubernetes Indexed Job says, read through `env` (the process
    /// environment in the CLI, a table in tests). `shard_count` is `--shard-count`.
    ///
    /// Slurm: shard `SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN + 1` of
    /// `SLURM_ARRAY_TASK_COUNT` (the array's ids must be consecutive, e.g. `--array=0-7`: no
    /// step, no gap).
    /// Kubernetes: shard `JOB_COMPLETION_INDEX + 1` of `--shard-count` or `CCSIM_SHARD_COUNT`
    /// (both given, they must agree).
    ///
    /// # Errors
    /// [`BadInput`] naming the flag or variable that is missing or wrong.
    pub fn resolve(
        self,
        shard_count: Option<u32>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Shard, BadInput> {
        let given = match self {
            ShardSpec::Given(shard) => shard,
            ShardSpec::Auto => from_environment(shard_count, env)?,
        };
        match shard_count {
            Some(count) if count != given.count => Err(BadInput(format!(
                "--shard-count: {count} disagrees with the shard {given} (--shard or the batch system)"
            ))),
            _ => Ok(given),
        }
    }
}

fn from_environment(
    shard_count: Option<u32>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Shard, BadInput> {
    let number = |name: &str| -> Result<Option<u32>, BadInput> {
        env(name)
            .map(|v| {
                v.trim().parse::<u32>().map_err(|_| {
                    BadInput(format!("--shard auto: {name}={v:?} in the environment is not a whole number"))
                })
            })
            .transpose()
    };
    let bad = |message: String| BadInput(format!("--shard auto: {message}"));
    if let Some(task) = number("SLURM_ARRAY_TASK_ID")? {
        let count = number("SLURM_ARRAY_TASK_COUNT")?
            .ok_or_else(|| bad("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not".into()))?;
        let given_min = number("SLURM_ARRAY_TASK_MIN")?;
        let min = given_min.unwrap_or(0);
        if let Some(step) = number("SLURM_ARRAY_TASK_STEP")?.filter(|&s| s != 1) {
            return Err(bad(format!(
                "the job array has step {step}; shards need consecutive task ids (e.g. --array=0-7)"
            )));
        }
        let consecutive = "submit the shards as one array of consecutive task ids (e.g. \
                           --array=0-7), or give each task --shard K/N";
        // An array with gaps (`--array=0-3,6`) has step 1 too, yet its ids are not shards
        // 1..=COUNT: read as such, the tasks past the gap have no shard and the last shards no
        // task. Slurm always sets MAX with MIN and COUNT, which is what shows the gap.
        if let (Some(min), Some(max)) = (given_min, number("SLURM_ARRAY_TASK_MAX")?)
            && max.checked_sub(min).map(|span| u64::from(span) + 1) != Some(u64::from(count))
        {
            return Err(bad(format!(
                "SLURM_ARRAY_TASK_MIN={min}, SLURM_ARRAY_TASK_MAX={max}, \
                 SLURM_ARRAY_TASK_COUNT={count}: the job array's task ids are not consecutive \
                 ({count} tasks from {min} to {max}, as with --array=0-3,6), so they cannot be \
                 numbered as shards; {consecutive}"
            )));
        }
        let index = task.checked_sub(min).map(|k| k + 1).unwrap_or(0);
        return Shard::new(index, count).map_err(|m| {
            let min = match given_min {
                Some(min) => format!("SLURM_ARRAY_TASK_MIN={min}"),
                None => "SLURM_ARRAY_TASK_MIN unset (taken as 0)".to_string(),
            };
            bad(format!(
                "SLURM_ARRAY_TASK_ID={task}, {min}, SLURM_ARRAY_TASK_COUNT={count}: {m}; {consecutive}"
            ))
        });
    }
    if let Some(k) = number("JOB_COMPLETION_INDEX")? {
        // The flag and the variable are often set in different places (the container's args
        // and the manifest's env): neither silently wins, since either may be the stale one,
        // and a shard of the wrong count runs the wrong block of the work.
        let count = match (shard_count, number(SHARD_COUNT_ENV)?) {
            (Some(flag), Some(var)) if flag != var => {
                return Err(bad(format!(
                    "--shard-count {flag} and {SHARD_COUNT_ENV}={var} in the environment disagree on the \
                     number of shards; give one of them, or make both the Job's completions"
                )));
            }
            (Some(count), _) | (None, Some(count)) => count,
            (None, None) => {
                return Err(bad(format!(
                    "JOB_COMPLETION_INDEX is set but the number of shards is not: give --shard-count N \
                     or set {SHARD_COUNT_ENV} (the Job's completions)"
                )));
            }
        };
        return Shard::new(k.saturating_add(1), count).map_err(|m| {
            bad(format!("JOB_COMPLETION_INDEX={k} (shard {} of {count}): {m}", k.saturating_add(1)))
        });
    }
    Err(bad("neither SLURM_ARRAY_TASK_ID (a Slurm job array) nor JOB_COMPLETION_INDEX (a Kubernetes \
         Indexed Job) is set; give --shard K/N instead"
        .into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn blocks_cover_every_replication_once_in_order() {
        for total in [0, 1, 5, 7, 64, 1000] {
            for count in [1, 2, 3, 7, 8, 13] {
                let mut next = 0;
                for index in 1..=count {
                    let block = Shard::new(index, count).unwrap().block(total);
                    assert_eq!(block.start, next, "{index}/{count} of {total}");
                    assert!(block.len() as u32 <= total / count + 1);
                    next = block.end;
                }
                assert_eq!(next, total, "{count} shards of {total}");
            }
        }
    }

    #[test]
    fn parses_k_of_n_and_auto_and_rejects_the_rest() {
        assert_eq!("3/8".parse(), Ok(ShardSpec::Given(Shard { index: 3, count: 8 })));
        assert_eq!("auto".parse(), Ok(ShardSpec::Auto));
        for bad in ["0/4", "5/4", "1/0", "3", "a/b", "", "1/2/3"] {
            assert!(bad.parse::<ShardSpec>().is_err(), "{bad}");
        }
    }

    #[test]
    fn auto_reads_slurm_arrays_relative_to_their_first_task() {
        let env = env_of(&[
            ("SLURM_ARRAY_TASK_ID", "12"),
            ("SLURM_ARRAY_TASK_MIN", "10"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert_eq!(ShardSpec::Auto.resolve(None, &env), Ok(Shard { index: 3, count: 4 }));
        assert!(ShardSpec::Auto.resolve(Some(5), &env).is_err(), "a contradicting --shard-count");
        let stepped = env_of(&[
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
        ]);
        assert!(ShardSpec::Auto.resolve(None, &stepped).unwrap_err().0.contains("step 2"));
        let gapped = env_of(&[
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_MAX", "6"),
            ("SLURM_ARRAY_TASK_COUNT", "5"),
            ("SLURM_ARRAY_TASK_STEP", "1"),
        ]);
        let message = ShardSpec::Auto.resolve(None, &gapped).unwrap_err().0;
        assert!(message.contains("not consecutive") && message.contains("--shard K/N"), "{message}");
        // A value the user never set is not quoted as if they had.
        let past = env_of(&[("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_COUNT", "3")]);
        let message = ShardSpec::Auto.resolve(None, &past).unwrap_err().0;
        assert!(
            message.contains("SLURM_ARRAY_TASK_MIN unset (taken as 0)") && !message.contains("MIN=0"),
            "{message}"
        );
    }

    #[test]
    fn auto_reads_kubernetes_indexed_jobs_with_a_given_count() {
        let env = env_of(&[("JOB_COMPLETION_INDEX", "0")]);
        assert_eq!(ShardSpec::Auto.resolve(Some(6), &env), Ok(Shard { index: 1, count: 6 }));
        let message = ShardSpec::Auto.resolve(None, &env).unwrap_err().0;
        assert!(message.contains("--shard-count") && message.contains(SHARD_COUNT_ENV), "{message}");
        let env = env_of(&[("JOB_COMPLETION_INDEX", "5"), (SHARD_COUNT_ENV, "6")]);
        assert_eq!(ShardSpec::Auto.resolve(None, &env), Ok(Shard { index: 6, count: 6 }));
        let env = env_of(&[("JOB_COMPLETION_INDEX", "6"), (SHARD_COUNT_ENV, "6")]);
        assert!(ShardSpec::Auto.resolve(None, &env).is_err(), "index past the count");
        // Flag and variable: agreeing, either is the count; disagreeing, both are named.
        let env = env_of(&[("JOB_COMPLETION_INDEX", "1"), (SHARD_COUNT_ENV, "6")]);
        assert_eq!(ShardSpec::Auto.resolve(Some(6), &env), Ok(Shard { index: 2, count: 6 }));
        let message = ShardSpec::Auto.resolve(Some(4), &env).unwrap_err().0;
        assert!(message.contains("--shard-count 4") && message.contains("CCSIM_SHARD_COUNT=6"), "{message}");
        let message = ShardSpec::Auto.resolve(None, &env_of(&[])).unwrap_err().0;
        assert!(message.contains("--shard K/N"), "{message}");
    }
}
