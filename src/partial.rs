//! Partial results: what one shard of a run ([`crate::shard`]) writes, and how `ccsim merge`
//! reads the parts back and checks that they make one whole run.
//!
//! A part holds the per-replication records ([`Replication`]) of its block of replications, in
//! replication order, with every `f64` stored bit for bit: the state every estimate of the
//! summary is computed from, not rounded figures. Merging feeds the records of the parts, in
//! shard order (which is replication order), to the same running tallies a one-process run
//! feeds, so the merged summary is byte-identical to the one-process run's, for any number of
//! shards. A figure added to [`Replication`] travels through parts with no change here.
//!
//! # The file `partial.ccsim`
//!
//! ```text
//! ccsim partial v3\n           the magic line: the format and its version
//! {...}\n                      the header, one line of JSON (PartHeader), padded with
//!                              spaces (written last, into room left for it)
//! <body>                       header.body_bytes bytes: one CBOR (RFC 8949) item per
//!                              replication, in replication order: the array of its records,
//!                              one per simulated plan
//! ```
//!
//! The header names the run (command, scenario and plan files, seed, replications, shrinkage),
//! the shard and its replications, a fingerprint of the validated models and options
//! (`model_hash`) and a fingerprint of the body (`body_hash`), so a part from another run, a
//! changed scenario file, or a damaged file is rejected rather than merged.
//!
//! # Parts of runs sharded by case
//!
//! A sweep and a risk curve are many cases (a case of a sweep, a headcount of the curve), each
//! simulated on every replication. They are sharded by case instead: shard `K` of `N` owns the
//! block of case numbers [`Shard::block`] gives for the number of cases, and its part's body
//! holds one CBOR item per case, in case order: the case's finished figures, every `f64` bit
//! for bit. The request names the cases ([`Cases`]), the header the block (`first_case`,
//! `end_case`); the checks are those of every part. A case's figures depend only on the case
//! and the seeds, so concatenating the parts in shard order gives the one-process result.
//!
//! This module reads and writes parts and checks sets of them; what a merged run reports is
//! the business of the command that made the parts.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::BadInput;
use crate::model::Scenario;
use crate::replicate::{Options, Replication};
use crate::shard::Shard;

/// File name of a part inside its directory.
pub const FILE_NAME: &str = "partial.ccsim";

/// First line of every part.
const MAGIC: &str = "ccsim partial v3\n";

/// Version of the format, also in the magic line.
pub const FORMAT_VERSION: u32 = 3;

/// The version of ccsim that writes parts, and the only one whose parts it merges.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Longest header accepted (a header names a few files; anything longer is not a part).
const MAX_HEADER_BYTES: u64 = 1 << 20;

mod fingerprints;
mod set;

use fingerprints::Fingerprint;
pub use fingerprints::{fingerprint, fingerprint_run};
pub use set::{Found, check_set, find};

/// The command whose run a part belongs to.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Command {
    /// `ccsim simulate`: one record per replication.
    Simulate,
    /// `ccsim compare`: one record per plan per replication.
    Compare,
    /// `ccsim sweep`: sharded by case; one item per case ([`crate::sweep::CaseResult`]).
    Sweep,
    /// `ccsim risk`: sharded by headcount; one item per headcount ([`crate::risk::CurvePoint`]).
    Risk,
}

impl Command {
    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Command::Simulate => "simulate",
            Command::Compare => "compare",
            Command::Sweep => "sweep",
            Command::Risk => "risk",
        }
    }
}

/// The cases of a run sharded by case: what makes them, and how many there are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cases {
    /// What makes the cases, one entry per dimension, as `NAME=V1,V2,...`: each `--vary` of a
    /// sweep with every value written out; `headcount=...` for a risk curve.
    pub axes: Vec<String>,
    /// Number of cases (numbered from 0 in the run's order).
    pub count: u32,
}

/// What was run, as needed to rebuild the models at merge time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// The command.
    pub command: Command,
    /// Scenario file, absolute.
    pub scenario_file: PathBuf,
    /// Plan files: `simulate --plan` (none or one), or every `compare --plan` in order
    /// (`scenario` for the scenario's own plan), absolute.
    pub plan_files: Vec<PathBuf>,
    /// The plan files as given on the command line (reports name them so).
    #[serde(default)]
    pub plan_files_given: Vec<PathBuf>,
    /// Base seed.
    pub seed: u64,
    /// Replications of the whole run.
    pub replications: u32,
    /// Whether `--apply-shrinkage` was given.
    pub apply_shrinkage: bool,
    /// The cases of a run sharded by case (`sweep`, `risk`); absent for runs sharded by
    /// replication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cases: Option<Cases>,
}

impl Request {
    /// The replication options of the run (the thread count is the merging machine's).
    pub fn options(&self) -> Options {
        Options { replications: self.replications, seed: self.seed, threads: None }
    }
}

/// The header line of a part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartHeader {
    /// [`FORMAT_VERSION`].
    pub format: u32,
    /// Version of ccsim that wrote it: parts merge only with parts of the same version, whose
    /// engine draws the same numbers.
    pub ccsim_version: String,
    /// Scenario name, for people.
    pub scenario: String,
    /// The run.
    pub request: Request,
    /// Fingerprint of the validated models simulated and the options ([`fingerprint_run`]).
    pub model_hash: String,
    /// Which shard.
    pub shard: Shard,
    /// First replication in the part.
    pub first_replication: u32,
    /// One past the last replication in the part.
    pub end_replication: u32,
    /// First case in the part (runs sharded by case; they hold every replication of a case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_case: Option<u32>,
    /// One past the last case in the part (runs sharded by case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_case: Option<u32>,
    /// The files the models were read from (scenario, plan files, the files the scenario
    /// names), each with a fingerprint of its bytes: when the models rebuilt at merge time
    /// differ, the files that changed are named.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<SourceFile>,
    /// Records per replication (plans simulated).
    pub records_per_replication: usize,
    /// Length of the body in bytes.
    pub body_bytes: u64,
    /// Fingerprint of the body.
    pub body_hash: String,
}

/// A file the models of a part were read from, as the shard found it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceFile {
    /// The file, absolute.
    pub path: PathBuf,
    /// [`fingerprint`] of its bytes.
    pub hash: String,
}

/// The files `simulated` (the models of the run `request`) were read from, in order, each
/// once: the scenario, the plan files, then the files the scenarios name (forecasts,
/// observed durations). A file that cannot be read now is left out; it was read moments ago.
pub fn source_files(request: &Request, simulated: &[Scenario]) -> Vec<SourceFile> {
    let named = simulated.iter().flat_map(|s| s.files_read.iter().map(|(_, path)| path));
    // `scenario` names a compared scenario's own plan, not a file.
    let plans = request.plan_files.iter().filter(|p| p.as_os_str() != "scenario");
    let mut files: Vec<SourceFile> = Vec::new();
    for path in std::iter::once(&request.scenario_file).chain(plans).chain(named) {
        let Ok(path) = path.canonicalize() else { continue };
        if files.iter().any(|f| f.path == path) {
            continue;
        }
        if let Ok(bytes) = std::fs::read(&path) {
            files.push(SourceFile { hash: fingerprint(&bytes), path });
        }
    }
    files
}

/// The files of `part`'s [`PartHeader::files`] whose bytes are not those the shard read (or
/// that cannot be read), with `scenario` read in place of the recorded scenario file.
fn changed_files(part: &Part, scenario: &Path) -> Vec<PathBuf> {
    let recorded = &part.header.request.scenario_file;
    (part.header.files.iter())
        .filter_map(|f| {
            let now = if &f.path == recorded { scenario } else { f.path.as_path() };
            let same = std::fs::read(now).is_ok_and(|bytes| fingerprint(&bytes) == f.hash);
            (!same).then(|| now.to_path_buf())
        })
        .collect()
}

/// A part being written, straight to its file: the magic line, room for the header line, then
/// the body, item by item (the records of each replication, or the figures of each case, in
/// order). Only the item being encoded is in memory, so a shard needs no more memory for a part
/// of a thousand replications than for one of ten. [`PartWriter::finish`] writes the header
/// into its room once the body's length and fingerprint are known; the room is the header's
/// longest form, and what the header leaves of it is spaces, which JSON reads as nothing.
///
/// A write error is kept, like a full disk's, and reported by [`finish`](Self::finish): what
/// is pushed after it is dropped, and the part is never moved into place.
pub struct PartWriter {
    header: PartHeader,
    room: usize,
    body: BodySink,
    items: u32,
    failed: Option<anyhow::Error>,
}

/// The file a body goes to, with its running length and fingerprint.
struct BodySink {
    file: BufWriter<File>,
    bytes: u64,
    fingerprint: Fingerprint,
}

impl Write for BodySink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.fingerprint.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl PartWriter {
    /// Starts the part described by `header` (its `body_bytes` and `body_hash` are filled in
    /// by [`finish`](Self::finish)) in `file`, a new empty file.
    ///
    /// # Errors
    /// Write errors.
    pub fn start(file: File, header: PartHeader) -> anyhow::Result<PartWriter> {
        let longest = PartHeader { body_bytes: u64::MAX, body_hash: "0".repeat(32), ..header.clone() };
        let room = serde_json::to_vec(&longest)?.len();
        let mut file = BufWriter::new(file);
        file.write_all(MAGIC.as_bytes())?;
        file.write_all(&vec![b' '; room])?;
        file.write_all(b"\n")?;
        Ok(PartWriter {
            header,
            room,
            body: BodySink { file, bytes: 0, fingerprint: Fingerprint::new() },
            items: 0,
            failed: None,
        })
    }

    /// The header the part will have (its body's length and fingerprint not yet known).
    pub fn header(&self) -> &PartHeader {
        &self.header
    }

    /// Appends the next item: the records of the next replication (`[Replication]`), or the
    /// figures of the next case.
    pub fn push<T: Serialize + ?Sized>(&mut self, item: &T) {
        if self.failed.is_none()
            && let Err(e) = ciborium::into_writer(item, &mut self.body)
        {
            self.failed = Some(e.into());
        }
        self.items += 1;
    }

    /// Items appended.
    pub fn items(&self) -> u32 {
        self.items
    }

    /// Writes the header, completed with the body's length and fingerprint, into its room.
    ///
    /// # Errors
    /// The first write error.
    pub fn finish(self) -> anyhow::Result<()> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        let header =
            PartHeader { body_bytes: self.body.bytes, body_hash: self.body.fingerprint.hex(), ..self.header };
        let line = serde_json::to_vec(&header)?;
        anyhow::ensure!(line.len() <= self.room, "the part's header outgrew its room");
        let mut file = self.body.file.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(MAGIC.len() as u64))?;
        file.write_all(&line)?;
        Ok(())
    }
}

/// A part found on disk, its header read.
#[derive(Clone, Debug)]
pub struct Part {
    /// Its file.
    pub path: PathBuf,
    /// Its header.
    pub header: PartHeader,
    /// Where the body starts in the file.
    body_offset: u64,
}

/// Reads a part's magic line and header.
///
/// # Errors
/// [`BadInput`] naming the file when it is not a part of this format.
pub fn read_header(path: &Path) -> Result<Part, BadInput> {
    let bad = |what: String| BadInput(format!("{}: {what}", path.display()));
    let file = File::open(path).map_err(|e| bad(format!("cannot read: {e}")))?;
    let mut reader = BufReader::new(file).take(MAX_HEADER_BYTES);
    // Read as bytes: any file may be given, and one that is not text is simply not a part.
    let mut magic = Vec::new();
    reader.read_until(b'\n', &mut magic).map_err(|e| bad(format!("cannot read: {e}")))?;
    let other_version = |v: &str| {
        bad(format!(
            "a partial result of format {v}; this ccsim reads format v{FORMAT_VERSION} only (merge with the \
             ccsim version that wrote it)"
        ))
    };
    if magic != MAGIC.as_bytes() {
        return Err(match magic.strip_prefix(b"ccsim partial ") {
            Some(v) => other_version(String::from_utf8_lossy(v).trim()),
            None if magic.is_empty() => bad(format!(
                "empty: a part cut short or never written (it should start with {:?}); run its shard \
                 again (the run's command with --shard K/N, as in the name of its directory, \
                 shard-K-of-N) to write it anew",
                MAGIC.trim_end()
            )),
            None => bad(format!("not a ccsim partial result (it should start with {:?})", MAGIC.trim_end())),
        });
    }
    let mut line = Vec::new();
    reader.read_until(b'\n', &mut line).map_err(|e| bad(format!("cannot read the header: {e}")))?;
    let header: PartHeader = serde_json::from_slice(&line).map_err(|e| {
        bad(format!(
            "damaged header: {e}; run its shard again (the run's command with --shard K/N, as \
                 in the name of its directory, shard-K-of-N) to write it anew"
        ))
    })?;
    // The header's own version is the one its fields follow, whatever the magic line says.
    if header.format != FORMAT_VERSION {
        return Err(other_version(&format!("v{}", header.format)));
    }
    // Another version may simulate other numbers from the same seeds, or record them
    // otherwise: its parts would merge into a run that no version made.
    if header.ccsim_version != VERSION {
        return Err(bad(format!(
            "written by ccsim {}, and this is ccsim {VERSION}: parts merge only with the version \
             that wrote them; merge with ccsim {}, or run the shards again with this one",
            header.ccsim_version, header.ccsim_version
        )));
    }
    let cases_fit = match (&header.request.cases, header.first_case, header.end_case) {
        (None, None, None) => true,
        (Some(cases), Some(first), Some(end)) => first <= end && end <= cases.count,
        _ => false,
    };
    if !header.shard.is_valid()
        || header.first_replication > header.end_replication
        || header.end_replication > header.request.replications
        || !cases_fit
    {
        return Err(bad("damaged header: impossible shard, replications or cases".into()));
    }
    let body_offset = (MAGIC.len() + line.len()) as u64;
    Ok(Part { path: path.to_path_buf(), header, body_offset })
}

/// Checks that the models rebuilt for the merge are those the parts simulated.
///
/// # Errors
/// [`BadInput`] when the scenario or a plan file has changed since the parts were made.
pub fn check_models(part: &Part, shrinkage: f64, simulated: &[Scenario]) -> Result<(), BadInput> {
    if fingerprint_run(&part.header.request, shrinkage, simulated) == part.header.model_hash {
        // The body's records are checked against the models as they are read; a header that
        // claims another count was edited or damaged, and says something false of its part.
        let claimed = part.header.records_per_replication;
        if claimed != simulated.len() {
            return Err(BadInput(format!(
                "{}: damaged: its header says {claimed} records per replication, the run it belongs \
                 to simulates {} (plans)",
                part.path.display(),
                simulated.len()
            )));
        }
        return Ok(());
    }
    let recorded = &part.header.request.scenario_file;
    // With --scenario the file read is not the one recorded: name both.
    let read = simulated.first().map_or(recorded.as_path(), |s| s.source.as_path());
    let from =
        if read == recorded.as_path() { String::new() } else { format!(" ({} was)", recorded.display()) };
    let changed: Vec<String> = changed_files(part, read).iter().map(|p| p.display().to_string()).collect();
    let which = match changed.len() {
        0 => String::new(),
        1 => format!("; the file that changed: {}", changed[0]),
        _ => format!("; the files that changed: {}", changed.join(", ")),
    };
    Err(BadInput(format!(
        "{}: the scenario {} (or a plan file) is not the one the parts were simulated from{from}: it \
         has changed since, or --scenario names another file{which}",
        part.path.display(),
        read.display(),
    )))
}

/// Reads a part's body and hands each replication's records to `add`, in replication order.
///
/// # Errors
/// [`BadInput`] naming the part when its body is damaged (length, fingerprint, decoding, or
/// records of the wrong shape for `expected` (a record of each simulated model)).
pub fn read_body(
    part: &Part,
    expected: &[Replication],
    mut add: impl FnMut(Vec<Replication>),
) -> Result<(), BadInput> {
    let bad = |what: String| BadInput(format!("{}: {what}", part.path.display()));
    let first = part.header.first_replication;
    read_items(part, "replication", first..part.header.end_replication, |r, records: Vec<Replication>| {
        if !same_shape(&records, expected) {
            return Err(bad(format!("replication {r}: records do not fit the scenario")));
        }
        add(records);
        Ok(())
    })
}

/// Reads the body of a part of a run sharded by case and hands each case's figures to `add`,
/// with the case's number, in case order.
///
/// # Errors
/// [`BadInput`] naming the part when its body is damaged, or when `add` refuses a case.
pub fn read_cases<T: serde::de::DeserializeOwned>(
    part: &Part,
    add: impl FnMut(u32, T) -> Result<(), BadInput>,
) -> Result<(), BadInput> {
    let (first, end) = (part.header.first_case.unwrap_or(0), part.header.end_case.unwrap_or(0));
    read_items(part, "case", first..end, add)
}

/// Checks a part's body (length, fingerprint) and decodes one CBOR item per number of
/// `numbers` (replications or cases, named `unit` in messages), handing each to `add`.
///
/// The body is read as a stream, one item in memory at a time, and its fingerprint is checked
/// at its end: a damaged part fails the merge after some of its items were handed over, which
/// is harmless, since a merge that fails writes nothing.
fn read_items<T: serde::de::DeserializeOwned>(
    part: &Part,
    unit: &str,
    numbers: std::ops::Range<u32>,
    mut add: impl FnMut(u32, T) -> Result<(), BadInput>,
) -> Result<(), BadInput> {
    let bad = |what: String| BadInput(format!("{}: {what}", part.path.display()));
    // A shard writes its part under another name and renames it when whole, so a part cut short
    // or altered was damaged after (an interrupted copy, a full disk): its shard runs again.
    let rerun = format!(
        "; run shard {} again (the run's command with --shard {}) to write it anew",
        part.header.shard, part.header.shard
    );
    let damaged = |what: String| bad(format!("{what}{rerun}"));
    let mut file = File::open(&part.path).map_err(|e| bad(format!("cannot read: {e}")))?;
    let size = file.metadata().map_err(|e| bad(format!("cannot read: {e}")))?.len();
    if size != part.body_offset + part.header.body_bytes {
        return Err(damaged(format!(
            "damaged or cut short: {size} bytes, the header says {}",
            part.body_offset + part.header.body_bytes
        )));
    }
    file.seek(SeekFrom::Start(part.body_offset)).map_err(|e| bad(format!("cannot read: {e}")))?;
    let mut body = BodySource {
        file: BufReader::new(file).take(part.header.body_bytes),
        fingerprint: Fingerprint::new(),
    };
    for n in numbers {
        let item: T = ciborium::from_reader(&mut body)
            .map_err(|e| damaged(format!("damaged record of {unit} {n}: {e}")))?;
        add(n, item)?;
    }
    if body.file.limit() != 0 {
        return Err(damaged(format!("damaged: bytes after the last {unit}")));
    }
    if body.fingerprint.hex() != part.header.body_hash {
        return Err(damaged("damaged: its body does not match the fingerprint in its header".into()));
    }
    Ok(())
}

/// A body being read, with the fingerprint of what was read so far.
struct BodySource {
    file: std::io::Take<BufReader<File>>,
    fingerprint: Fingerprint,
}

impl Read for BodySource {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file.read(buf)?;
        self.fingerprint.update(&buf[..n]);
        Ok(n)
    }
}

/// Whether `records` have the lengths of `expected` (one record per model) and well-formed
/// histograms, so merging them cannot index out of range.
fn same_shape(records: &[Replication], expected: &[Replication]) -> bool {
    records.len() == expected.len()
        && records.iter().zip(expected).all(|(r, e)| {
            r.intervals.len() == e.intervals.len()
                && r.interval_totals.len() == e.interval_totals.len()
                && r.call_types.len() == e.call_types.len()
                && r.group_intervals.len() == e.group_intervals.len()
                && r.group_occupancy.len() == e.group_occupancy.len()
                && r.waits.len() == e.waits.len()
                && r.waits.iter().all(crate::stats::WaitHistogram::is_well_formed)
                && r.not_judged.len() == e.not_judged.len()
                && r.channels.len() == e.channels.len()
                && r.backlog.as_ref().map(|b| (b.days.len(), b.not_yet_due.len()))
                    == e.backlog.as_ref().map(|b| (b.days.len(), b.not_yet_due.len()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_bit_for_bit_through_the_body() {
        use crate::metrics::{CallRecord, CallStats, Metrics};
        let specials = [0.0, -0.0, f64::MIN_POSITIVE / 3.0, 0.1 + 0.2, 1e300, f64::INFINITY, 1.0 / 3.0];
        let mut k = 0;
        let mut next = || {
            k += 1;
            specials[k % specials.len()] * (k as f64)
        };
        let record = |next: &mut dyn FnMut() -> f64| CallRecord {
            stats: CallStats::from_fn(|_| next()),
            bases: Metrics::from_fn(|_| next()),
        };
        let mut waits = crate::stats::WaitHistogram::default();
        for w in [0.0, 0.5, 12.25, 3600.0, 0.5] {
            waits.add(w);
        }
        let record = Replication {
            intervals: vec![record(&mut next); 3],
            interval_totals: vec![record(&mut next)],
            call_types: vec![CallRecord {
                stats: CallStats::from_fn(|_| f64::NAN),
                bases: Metrics::default(),
            }],
            overall: record(&mut next),
            group_intervals: vec![(next(), next())],
            group_occupancy: vec![next()],
            occupancy: next(),
            waits: vec![waits],
            not_judged: vec![7, 3],
            balanced: true,
            lines: None,
            channels: vec![record(&mut next)],
            backlog: Some(crate::replicate::backlog::BacklogReplication {
                days: vec![crate::metrics::BacklogStats::from_fn(|_| next()); 2],
                not_yet_due: vec![next(), next()],
            }),
            callbacks: None,
            group_concurrency: vec![next()],
        };
        // Through a whole part file: written item by item, its header put in its room at the
        // end, read back as a stream.
        let path = std::env::temp_dir().join(format!("ccsim-partial-{}.ccsim", std::process::id()));
        let header = PartHeader {
            format: FORMAT_VERSION,
            ccsim_version: VERSION.into(),
            scenario: "round trip".into(),
            request: test_request(),
            model_hash: fingerprint(b"models"),
            shard: Shard::new(2, 2).unwrap(),
            first_replication: 2,
            end_replication: 4,
            first_case: None,
            end_case: None,
            files: Vec::new(),
            records_per_replication: 1,
            body_bytes: 0,
            body_hash: String::new(),
        };
        let mut part = PartWriter::start(File::create(&path).unwrap(), header).unwrap();
        for _ in 0..2 {
            part.push(std::slice::from_ref(&record));
        }
        assert_eq!(part.items(), 2);
        part.finish().unwrap();
        let found = read_header(&path).unwrap();
        assert_eq!(found.header.scenario, "round trip");
        let mut items: Vec<(u32, Vec<Replication>)> = Vec::new();
        read_items(&found, "replication", 2..4, |n, item| {
            items.push((n, item));
            Ok(())
        })
        .unwrap();
        assert_eq!(items.iter().map(|i| i.0).collect::<Vec<_>>(), [2, 3]);
        // One byte of the body changed: the fingerprint, checked as the body streams by, says so.
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 2;
        bytes[last] ^= 0x01;
        std::fs::write(&path, &bytes).unwrap();
        let damaged = read_items(&found, "replication", 2..4, |_, _: Vec<Replication>| Ok(())).unwrap_err();
        assert!(damaged.0.contains("damaged"), "{damaged}");
        std::fs::remove_file(&path).unwrap();
        let back = items.swap_remove(1).1;
        let bits = |r: &Replication| -> Vec<u64> {
            let mut all: Vec<u64> = r
                .intervals
                .iter()
                .chain(&r.interval_totals)
                .chain(&r.call_types)
                .chain([&r.overall])
                .chain(&r.channels)
                .flat_map(|c| {
                    c.stats.values().chain(c.bases.values()).map(|v| v.to_bits()).collect::<Vec<_>>()
                })
                .collect();
            all.extend(r.group_intervals.iter().flat_map(|&(a, b)| [a.to_bits(), b.to_bits()]));
            all.extend(r.group_occupancy.iter().map(|v| v.to_bits()));
            all.extend(r.group_concurrency.iter().map(|v| v.to_bits()));
            all.push(r.occupancy.to_bits());
            all.extend(r.backlog.iter().flat_map(|b| &b.days).flat_map(|d| d.values().map(|v| v.to_bits())));
            all.extend(r.backlog.iter().flat_map(|b| &b.not_yet_due).map(|v| v.to_bits()));
            all
        };
        assert_eq!(back.len(), 1);
        // NaN may come back as another NaN; every other value must keep its bits.
        for (a, b) in bits(&back[0]).into_iter().zip(bits(&record)) {
            let (x, y) = (f64::from_bits(a), f64::from_bits(b));
            assert!(a == b || (x.is_nan() && y.is_nan()), "{x:e} came back as {y:e}");
        }
        assert_eq!(back[0].waits, record.waits);
    }

    fn test_request() -> Request {
        Request {
            command: Command::Simulate,
            scenario_file: PathBuf::from("/s.toml"),
            plan_files: Vec::new(),
            plan_files_given: Vec::new(),
            seed: 1,
            replications: 4,
            apply_shrinkage: false,
            cases: None,
        }
    }

    #[test]
    fn a_run_sharded_by_replication_writes_no_case_keys_and_cases_change_the_fingerprint() {
        let request = test_request();
        let text = serde_json::to_string(&request).unwrap();
        assert!(!text.contains("cases"), "{text}");
        let with_cases =
            Request { cases: Some(Cases { axes: vec!["agents=0,1".into()], count: 2 }), ..request.clone() };
        let other_cases =
            Request { cases: Some(Cases { axes: vec!["agents=0,2".into()], count: 2 }), ..request.clone() };
        let print = |r: &Request| fingerprint_run(r, 0.0, &[]);
        assert_ne!(print(&request), print(&with_cases));
        assert_ne!(print(&with_cases), print(&other_cases));
    }
}
