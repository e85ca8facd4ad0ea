//! The parts given to `merge` as a set: found on disk, and checked to be every shard of one
//! run exactly once.

use std::path::{Path, PathBuf};

use super::{FILE_NAME, Part};
use crate::error::BadInput;

/// The part files found for `merge`, and where the search did not look.
#[derive(Debug, Default)]
pub struct Found {
    /// The part files, sorted by path, each once.
    pub files: Vec<PathBuf>,
    /// Directories not searched: hidden ones (a shard's staging directory is one), and those
    /// more than `MAX_DEPTH` levels below an argument.
    pub skipped: Vec<PathBuf>,
}

impl Found {
    /// Where the search looked, for a message about parts it did not find: the rule, and the
    /// first directories it skipped.
    pub fn where_looked(&self) -> String {
        const SHOWN: usize = 5;
        let mut text = format!(
            "merge searches each directory given and {MAX_DEPTH} levels below it, skipping hidden \
             directories, whose names start with '.'"
        );
        if !self.skipped.is_empty() {
            let shown: Vec<String> =
                self.skipped.iter().take(SHOWN).map(|p| p.display().to_string()).collect();
            let more = self.skipped.len().saturating_sub(SHOWN);
            text += &format!(
                "; not searched: {}{}",
                shown.join(", "),
                if more > 0 { format!(" and {more} more") } else { String::new() }
            );
        }
        text
    }
}

/// The part files named by `args`: a file is taken as a part; a directory is searched, with its
/// subdirectories down to `MAX_DEPTH` levels (hidden ones excepted), for files named
/// [`FILE_NAME`].
///
/// # Errors
/// [`BadInput`] naming an argument that does not exist, or one that holds no part.
pub fn find(args: &[PathBuf]) -> Result<Found, BadInput> {
    let mut found = Found::default();
    for arg in args {
        if arg.is_file() {
            found.files.push(arg.clone());
        } else if arg.is_dir() {
            let before = found.files.len();
            search(arg, 0, &mut found);
            if found.files.len() == before {
                return Err(BadInput(format!(
                    "{}: no {FILE_NAME} in this directory or below it ({}); give the --out \
                     directories of the shards",
                    arg.display(),
                    found.where_looked()
                )));
            }
        } else if arg.exists() {
            return Err(BadInput(format!(
                "{}: neither a part file ({FILE_NAME}) nor a directory of parts",
                arg.display()
            )));
        } else {
            return Err(BadInput(format!("{}: no such file or directory", arg.display())));
        }
    }
    // The same file named twice (a directory and a file in it) is one part; a copy is not.
    let mut files: Vec<(PathBuf, PathBuf)> =
        found.files.into_iter().map(|p| (p.canonicalize().unwrap_or_else(|_| p.clone()), p)).collect();
    files.sort();
    files.dedup_by(|a, b| a.0 == b.0);
    found.files = files.into_iter().map(|(_, p)| p).collect();
    Ok(found)
}

/// What sets part header `h` apart from `reference` as a part of another run, in words; empty
/// for two parts of one run.
fn differences(h: &super::PartHeader, reference: &super::PartHeader) -> Vec<String> {
    let mut differs = Vec::new();
    if h.ccsim_version != reference.ccsim_version {
        differs.push(format!("ccsim version {} vs {}", h.ccsim_version, reference.ccsim_version));
    }
    if h.request.command != reference.request.command {
        differs.push(format!("command {} vs {}", h.request.command.name(), reference.request.command.name()));
    }
    if h.scenario != reference.scenario {
        differs.push(format!("scenario {:?} vs {:?}", h.scenario, reference.scenario));
    }
    if h.request.seed != reference.request.seed {
        differs.push(format!("seed {} vs {}", h.request.seed, reference.request.seed));
    }
    if h.request.replications != reference.request.replications {
        differs
            .push(format!("replications {} vs {}", h.request.replications, reference.request.replications));
    }
    if h.shard.count() != reference.shard.count() {
        differs.push(format!("{} shards vs {}", h.shard.count(), reference.shard.count()));
    }
    if h.request.cases != reference.request.cases {
        differs.push("the cases differ (--vary, --plan or --agents-range)".into());
    }
    if h.records_per_replication != reference.records_per_replication {
        differs.push(format!(
            "records per replication {} vs {}",
            h.records_per_replication, reference.records_per_replication
        ));
    }
    if h.model_hash != reference.model_hash && differs.is_empty() {
        differs.push("the scenario, plan or shrinkage differ (model fingerprint)".into());
    }
    differs
}

/// Directory levels searched below each argument: enough for `--out DIR/shard-K-of-N` under a
/// few levels of job directories, without walking a whole home directory given by mistake.
const MAX_DEPTH: usize = 4;

fn search(dir: &Path, depth: usize, found: &mut Found) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden || depth >= MAX_DEPTH {
                found.skipped.push(path);
            } else {
                search(&path, depth + 1, found);
            }
        } else if path.is_file() && path.file_name().is_some_and(|n| n == FILE_NAME) {
            found.files.push(path);
        }
    }
}

/// Checks that `parts` are the shards of one run, each exactly once, and returns them in
/// shard order (replication order).
///
/// # Errors
/// [`BadInput`] naming the part from another run (and what differs), the shard given twice,
/// or the shards missing, with where `found` looked for them.
pub fn check_set(mut parts: Vec<Part>, found: &Found) -> Result<Vec<Part>, BadInput> {
    if parts.is_empty() {
        return Err(BadInput("no partial results to merge".into()));
    }
    // The run most parts belong to is the one being merged: a stray part (a task resubmitted
    // alone as shard 1/1, a part left from an earlier run) is the one to name, not every good
    // part that happens to sort after it. Runs are told apart by the same differences the
    // refusal names; (a part of the run, how many parts it has), in order of first appearance.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        match runs.iter_mut().find(|(k, _)| differences(&part.header, &parts[*k].header).is_empty()) {
            Some(run) => run.1 += 1,
            None => runs.push((i, 1)),
        }
    }
    let largest = runs.iter().map(|r| r.1).max().unwrap_or(0);
    let first = runs.iter().find(|r| r.1 == largest).map_or_else(|| parts[0].clone(), |r| parts[r.0].clone());
    let reference = &first.header;
    for part in &parts {
        let differs = differences(&part.header, reference);
        if !differs.is_empty() {
            let others = match largest - 1 {
                0 => String::new(),
                1 => " and 1 other part".to_string(),
                n => format!(" and {n} other parts"),
            };
            return Err(BadInput(format!(
                "{}: not a part of the same run as {}{others}: {}; merge the parts of one run: move \
                 this one out of the directories given (and run again, with the run's --shard K/N, \
                 any shard then missing)",
                part.path.display(),
                first.path.display(),
                differs.join(", ")
            )));
        }
    }
    parts.sort_by_key(|p| p.header.shard.index());
    for pair in parts.windows(2) {
        if pair[0].header.shard == pair[1].header.shard {
            // A shard run twice writes the same bytes: which copy is kept does not matter then.
            let keep = if pair[0].header.body_hash == pair[1].header.body_hash {
                "the same part, bit for bit"
            } else {
                "their bodies differ, though a shard run twice writes the same bytes: one of them is \
                 damaged"
            };
            return Err(BadInput(format!(
                "shard {} is given twice: {} and {} ({keep}); keep one and move the other out of \
                 the directories given",
                pair[0].header.shard,
                pair[0].path.display(),
                pair[1].path.display()
            )));
        }
    }
    let count = reference.shard.count();
    let present: Vec<u32> = parts.iter().map(|p| p.header.shard.index()).collect();
    let missing: Vec<String> =
        (1..=count).filter(|k| !present.contains(k)).map(|k| format!("{k}/{count}")).collect();
    if !missing.is_empty() {
        const SHOWN: usize = 10;
        let more = if missing.len() > SHOWN {
            format!(" and {} more", missing.len() - SHOWN)
        } else {
            String::new()
        };
        return Err(BadInput(format!(
            "missing shard{} {}{more} of the run of {} (found {} of {count} parts; {}); give the \
             directory of each missing part, or the part file",
            if missing.len() > 1 { "s" } else { "" },
            missing[..missing.len().min(SHOWN)].join(", "),
            first.path.display(),
            parts.len(),
            found.where_looked()
        )));
    }
    for part in &parts {
        let h = &part.header;
        let replications = h.request.replications;
        // A run sharded by case runs every replication of its cases.
        let (unit, held, expected, all) = match (&h.request.cases, h.first_case, h.end_case) {
            (Some(cases), Some(first), Some(end)) => {
                ("cases", first..end, h.shard.block(cases.count), 0..replications)
            }
            _ => {
                let block = h.shard.block(replications);
                ("replications", h.first_replication..h.end_replication, block.clone(), block)
            }
        };
        if held != expected || (h.first_replication..h.end_replication) != all {
            return Err(BadInput(format!(
                "{}: holds {unit} {}..{}, but shard {} of this run is {}..{}",
                part.path.display(),
                held.start,
                held.end,
                h.shard,
                expected.start,
                expected.end
            )));
        }
    }
    Ok(parts)
}
