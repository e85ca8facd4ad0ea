//! The one way ccsim writes output files: every file a command writes belongs to an
//! [`OutputSet`] (the files of one flag: `simulate --out DIR`'s three files, a `--charts DIR`'s
//! charts, the one file of `--report FILE`), and a set is written whole or not at all.
//!
//! The rule, for users and for every command:
//!
//! - A set is opened before any work is done ([`OutputSet::dir`], [`OutputSet::file`]): the
//!   directory is created (a file's directory must exist) and a hidden staging directory
//!   `.ccsim-tmp-<pid>-<run>-<n>` is made inside it. Opening fails with [`BadInput`] (exit 2) naming
//!   the flag and the path, so an unwritable path is found before a long simulation, not after.
//!   The same goes for a set's file name taken in the directory by a directory (or a device,
//!   a pipe): no rename can replace it, and [`OutputSet::commit`] checks every name again
//!   before the first rename, so a set is never left half-moved.
//! - Files are written into the staging directory. Only when every file of the set is written
//!   and synced does [`OutputSet::commit`] rename them, one by one, over the files of the same
//!   name in the target directory, and then remove the files the set owns but did not write
//!   this time (e.g. `intervals.csv` with `--intervals none`). Renames need no disk space, so
//!   a full disk fails the set while it is staged and leaves the earlier set untouched.
//! - Only the set's own file names are replaced: other files in the directory are never
//!   touched, so `--out` and `--charts` may share a directory with other files.
//! - A set that fails, or is dropped without commit, removes its staging directory. On Ctrl-C
//!   (SIGINT), SIGTERM or SIGHUP the staging directories are removed before exit (code 128 +
//!   the signal: 130, 143, 129), and a signal that arrives during a commit waits for the commit
//!   to finish, so a set is never left half old, half new. After a SIGKILL a staging directory
//!   may remain; the next set opened in that directory removes those of processes no longer
//!   running: its own PID's that are not its own sets (a container's PID 1 again), and on
//!   Linux, where `/proc` says so, those of PIDs that run nothing.
//!
//! - A file flag naming a symbolic link writes to the file the link points to, and leaves the
//!   link. One naming a file that is not a regular file (`/dev/null`, a named pipe, a terminal)
//!   is written straight into, unstaged: renaming over it would replace the device itself.
//! - `-` is refused as an output path, by every flag: stdout carries the report.
//!
//! Writing never prints: [`Outputs`] collects the written paths and the failures, and the CLI
//! says what was written (`wrote: PATH` on stderr) and what failed.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, Once, OnceLock};

mod overlap;

pub use overlap::{Held, Input, refuse_overlaps};

use anyhow::Context;

use crate::error::BadInput;

/// Prefix of staging directories.
const STAGING_PREFIX: &str = ".ccsim-tmp-";

/// Staging directories of this process not yet committed or removed, for the signal handler.
/// A commit holds the lock while it renames, so a signal never splits a set.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Installs, once, the handler that removes live staging directories when the process is told
/// to stop: Ctrl-C (SIGINT), SIGTERM (what Slurm sends on `scancel` or at a time limit, and
/// Kubernetes when a pod is deleted or preempted) and SIGHUP (a closed terminal). The process
/// then exits with 128 + the signal's number (130, 143, 129), as a shell reports a process that
/// signal ended. It exits rather than dying of the signal again: a container's PID 1 cannot be
/// ended by a signal it has no handler for.
#[cfg(unix)]
fn clean_up_on_interrupt() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // A signal ignored when ccsim started (SIGHUP under `nohup`, SIGINT for a background job
        // of a script) stays ignored: handling it would end a run the user meant to survive it.
        let ignored = ignored_signals();
        // Where that cannot be told, SIGHUP is left alone, as `nohup` may have ignored it.
        let wanted: Vec<i32> = [SIGINT, SIGTERM, SIGHUP]
            .into_iter()
            .filter(|&sig| match ignored {
                Some(mask) => mask & (1 << (sig - 1)) == 0,
                None => sig != SIGHUP,
            })
            .collect();
        // Failure only means the signals cannot be watched; then the staging directories are
        // left for the next run in the directory to remove.
        let Ok(mut signals) = signal_hook::iterator::Signals::new(&wanted) else { return };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                remove_live_staging_and_exit(128 + signal);
            }
        });
    });
}

/// Installs, once, the Ctrl-C handler that removes live staging directories before exiting
/// with 130 (128 + SIGINT), as shells report an interrupted process.
#[cfg(not(unix))]
fn clean_up_on_interrupt() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Failure only means another handler is installed (a host program's); then the
        // staging directories are left for the next run to remove.
        let _ = ctrlc::set_handler(|| remove_live_staging_and_exit(130));
    });
}

/// Removes every live staging directory and exits with `code`, holding the lock so that no
/// commit starts (or is split) meanwhile.
fn remove_live_staging_and_exit(code: i32) -> ! {
    let live = LIVE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    for dir in live.iter() {
        let _ = fs::remove_dir_all(dir);
    }
    std::process::exit(code);
}

/// The signals this process ignores, as the bit mask of `SigIgn` in `/proc/self/status` (bit
/// `n - 1` for signal `n`); `None` where `/proc` does not say.
#[cfg(unix)]
fn ignored_signals() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let mask = status.lines().find_map(|l| l.strip_prefix("SigIgn:"))?;
    u64::from_str_radix(mask.trim(), 16).ok()
}

/// The files of one output flag, staged beside their target and committed together.
#[derive(Debug)]
pub struct OutputSet {
    /// The flag and path as the user gave them, e.g. `--out results`, for messages.
    label: String,
    /// Where the files go.
    dir: PathBuf,
    /// Hidden directory inside `dir` holding the files until commit.
    staging: PathBuf,
    /// File names staged so far, in order.
    staged: Vec<String>,
    /// File names the set replaces: those not staged are removed from `dir` at commit.
    owned: Vec<String>,
    /// Whether the staging directory is gone (committed or removed).
    closed: bool,
    /// A file set whose target is not a regular file (a device, a pipe): written straight
    /// into, with no staging directory, through the handle opened with the set.
    direct: Option<(PathBuf, Option<File>)>,
    /// Directories the set created, deepest first, removed if it is dropped uncommitted.
    created: Vec<PathBuf>,
    /// Whether the set's one file was given as a bare name: it is reported as given
    /// (`report.html`), not as the path it is written to (`./report.html`).
    bare: bool,
}

impl OutputSet {
    /// A set of files to be written into directory `dir` (created with its parents), for the
    /// flag `flag`.
    ///
    /// # Errors
    /// [`BadInput`] naming the flag and path when the directory cannot be created or written.
    pub fn dir(flag: &str, dir: &Path) -> anyhow::Result<OutputSet> {
        let label = format!("{flag} {}", dir.display());
        refuse_dash(&label, dir)?;
        // The directories this creates, deepest first: removed again (when still empty) if the
        // set is never committed, so a command stopped by another flag's bad path leaves none.
        let created: Vec<PathBuf> = dir
            .ancestors()
            .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
            .map(Path::to_path_buf)
            .collect();
        if let Some(message) = blocked_by_a_file(dir) {
            return Err(BadInput(format!("{label}: {message}; give a directory")).into());
        }
        fs::create_dir_all(dir)
            .map_err(|e| BadInput(format!("{label}: cannot create the directory: {e}")))?;
        let mut set = OutputSet::open(label, dir.to_path_buf())?;
        set.created = created;
        Ok(set)
    }

    /// A set of one file, `path`, for the flag `flag`; its directory must exist.
    ///
    /// # Errors
    /// [`BadInput`] naming the flag and path when the path names no file, or its directory is
    /// missing or not writable.
    pub fn file(flag: &str, path: &Path) -> anyhow::Result<OutputSet> {
        let label = format!("{flag} {}", path.display());
        refuse_dash(&label, path)?;
        if path.file_name().is_none() || path.as_os_str().to_string_lossy().ends_with('/') {
            return Err(BadInput(format!("{label}: not a file name")).into());
        }
        if path.is_dir() {
            return Err(BadInput(format!("{label}: is a directory; give a file name")).into());
        }
        if fs::metadata(path).is_ok_and(|m| !m.is_file()) {
            // Opened now, as a staged set is checked now rather than after the run, and kept
            // open: a pipe's reader would take a close for the end of the output.
            let file = fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| BadInput(format!("{label}: cannot write there: {e}")))?;
            return Ok(OutputSet {
                label,
                dir: path.parent().unwrap_or(Path::new(".")).to_path_buf(),
                staging: PathBuf::new(),
                staged: Vec::new(),
                owned: vec![path.file_name().unwrap_or_default().to_string_lossy().into_owned()],
                closed: true,
                direct: Some((path.to_path_buf(), Some(file))),
                created: Vec::new(),
                bare: false,
            });
        }
        // A link is followed: the file it points to is replaced, the link stays.
        let resolved = match fs::symlink_metadata(path) {
            Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path).map_err(|e| {
                BadInput(format!("{label}: a symbolic link to a file that cannot be reached ({e})"))
            })?,
            _ => path.to_path_buf(),
        };
        let bare = resolved == path && path.parent().is_some_and(|p| p.as_os_str().is_empty());
        let path = resolved.as_path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        if !dir.is_dir() {
            // Something there that is not a directory (`a.toml/x`, a.toml a file) is named for
            // what it is: "does not exist" would send the user looking for a missing folder.
            let message = match blocked_by_a_file(dir) {
                Some(what) => format!("{what}; give a path in a directory"),
                None => format!("the directory {} does not exist; create it first", dir.display()),
            };
            return Err(BadInput(format!("{label}: {message}")).into());
        }
        let mut set = OutputSet::open(label, dir.to_path_buf())?;
        set.owned.push(name.into_owned());
        set.bare = bare;
        Ok(set)
    }

    fn open(label: String, dir: PathBuf) -> anyhow::Result<OutputSet> {
        clean_up_on_interrupt();
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let seq = SEQ.fetch_add(1, Ordering::Relaxed);
        let name = format!("{STAGING_PREFIX}{}-{}-{seq}", std::process::id(), run_token());
        let staging = dir.join(&name);
        let mut live = LIVE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        remove_stale_staging(&dir, &live);
        fs::create_dir(&staging).map_err(|e| {
            let what = if e.kind() == std::io::ErrorKind::AlreadyExists {
                format!("; remove it if no other ccsim is writing into {}", dir.display())
            } else {
                String::new()
            };
            BadInput(format!(
                "{label}: cannot write there: cannot create the staging directory {}: {e}{what}",
                staging.display()
            ))
        })?;
        live.push(staging.clone());
        Ok(OutputSet {
            label,
            dir,
            staging,
            staged: Vec::new(),
            owned: Vec::new(),
            closed: false,
            direct: None,
            created: Vec::new(),
            bare: false,
        })
    }

    /// Declares the file names this set replaces: at commit, those among them that were not
    /// written this time are removed, so the directory never mixes two runs' files.
    ///
    /// # Errors
    /// [`BadInput`] naming the flag and the path when one of the names is taken in the
    /// directory by something a file cannot replace (see `refuse_unreplaceable`), so that
    /// the set is refused before any work rather than failing half-moved after it.
    pub fn owning(mut self, names: &[&str]) -> Result<OutputSet, BadInput> {
        for name in names {
            refuse_unreplaceable(&self.dir, name).map_err(|e| BadInput(format!("{}: {e}", self.label)))?;
            if !self.owned.iter().any(|o| o == name) {
                self.owned.push((*name).to_string());
            }
        }
        Ok(self)
    }

    /// Declares the files already in the directory that `holds` names as the set's: at
    /// commit, those not written this time are removed (a chart directory, whose file names
    /// follow the call types, holds the charts of the run alone).
    ///
    /// # Errors
    /// [`BadInput`] as [`OutputSet::owning`], when a name `holds` is a directory or another
    /// entry that is not a file: the run might draw that chart.
    pub fn owning_present(self, holds: impl Fn(&str) -> bool) -> Result<OutputSet, BadInput> {
        let Ok(entries) = fs::read_dir(&self.dir) else { return Ok(self) };
        let present: Vec<String> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| !t.is_symlink()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|name| holds(name))
            .collect();
        let names: Vec<&str> = present.iter().map(String::as_str).collect();
        self.owning(&names)
    }

    /// The flag and path, e.g. `--out results`.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The directory the files go to.
    pub fn target_dir(&self) -> &Path {
        &self.dir
    }

    /// The one file name of a set made by [`OutputSet::file`].
    pub fn file_name(&self) -> &str {
        self.owned.first().map_or("", String::as_str)
    }

    /// Where to write file `name` now (inside the staging directory), for writers that need a
    /// path (the PNG encoder). The file joins the set.
    pub fn staged_path(&mut self, name: &str) -> PathBuf {
        if !self.staged.iter().any(|s| s == name) {
            self.staged.push(name.to_string());
        }
        match &self.direct {
            Some((target, _)) => target.clone(),
            None => self.staging.join(name),
        }
    }

    /// Writes file `name` of the set.
    ///
    /// # Errors
    /// When it cannot be written (a full disk).
    pub fn put(&mut self, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
        self.put_with(name, |w| w.write_all(bytes))
    }

    /// Writes file `name` of the set by streaming into a buffered writer, so a large file is
    /// never held in memory whole.
    ///
    /// # Errors
    /// What `write` returns, or when the file cannot be written.
    pub fn put_with(
        &mut self,
        name: &str,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        let path = self.staged_path(name);
        // A device or pipe is written through the handle opened with the set (once), never
        // created or truncated as a file is.
        let file = match &mut self.direct {
            Some((target, handle)) => {
                handle.take().map_or_else(|| fs::OpenOptions::new().write(true).open(target), Ok)
            }
            None => File::create(&path),
        };
        let mut w = BufWriter::new(file.with_context(|| format!("cannot create {name}"))?);
        write(&mut w).with_context(|| format!("cannot write {name}"))?;
        w.into_inner().map_err(|e| e.into_error()).with_context(|| format!("cannot write {name}"))?;
        Ok(())
    }

    /// Moves every staged file into place, removes the owned files not written this time, and
    /// returns the paths written.
    ///
    /// # Errors
    /// When a staged file cannot be synced or renamed; the staging directory is removed and,
    /// when the failure came before the first rename, the earlier set is left whole.
    pub fn commit(mut self) -> anyhow::Result<Vec<PathBuf>> {
        if let Some((target, _)) = &self.direct {
            return Ok(if self.staged.is_empty() { Vec::new() } else { vec![target.clone()] });
        }
        // Every destination is checked before the first rename: a name taken by a directory
        // since the set was opened (or never declared) would otherwise fail the set half-moved.
        for name in &self.staged {
            refuse_unreplaceable(&self.dir, name)?;
        }
        // Sync first: after a crash, a renamed file must not turn out empty.
        for name in &self.staged {
            File::open(self.staging.join(name))
                .and_then(|f| f.sync_all())
                .with_context(|| format!("cannot write {name}"))?;
        }
        let mut live = LIVE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut written = Vec::with_capacity(self.staged.len());
        for name in &self.staged {
            let target = self.dir.join(name);
            fs::rename(self.staging.join(name), &target)
                .with_context(|| format!("cannot move {name} into {}", self.dir.display()))?;
            written.push(if self.bare { PathBuf::from(name) } else { target });
        }
        for name in self.owned.iter().filter(|o| !self.staged.contains(o)) {
            let stale = self.dir.join(name);
            if stale.is_file() {
                fs::remove_file(&stale)
                    .with_context(|| format!("cannot remove {} of an earlier run", stale.display()))?;
            }
        }
        let _ = fs::remove_dir_all(&self.staging);
        live.retain(|p| p != &self.staging);
        self.closed = true;
        Ok(written)
    }
}

impl Drop for OutputSet {
    /// A set not committed leaves nothing behind.
    fn drop(&mut self) {
        if !self.closed {
            let mut live = LIVE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let _ = fs::remove_dir_all(&self.staging);
            live.retain(|p| p != &self.staging);
            // `remove_dir` removes only an empty directory: nothing another writer put there.
            for dir in &self.created {
                if fs::remove_dir(dir).is_err() {
                    break;
                }
            }
        }
    }
}

/// What stands in the way of `dir` being a directory, when something does: its nearest existing
/// ancestor is a file or other non-directory (`a.toml/x` with `a.toml` a file). Named for what it
/// is, as "does not exist" or the system's "Not a directory" would send the user looking for a
/// missing folder.
fn blocked_by_a_file(dir: &Path) -> Option<String> {
    match dir.ancestors().find(|a| fs::metadata(a).is_ok()) {
        Some(a) if a.is_file() => Some(format!("{} is a file, not a directory", a.display())),
        Some(a) if !a.is_dir() => Some(format!("{} is not a directory", a.display())),
        _ => None,
    }
}

/// Refuses `-` as an output path, which many tools read as stdout: ccsim prints its report on
/// stdout, and writes files only where a path names them, so `-` would silently become a file
/// named `-`.
fn refuse_dash(label: &str, path: &Path) -> Result<(), BadInput> {
    if path.as_os_str() == "-" {
        return Err(BadInput(format!(
            "{label}: `-` does not stand for stdout here (the report goes there); give a path, \
             or ./- for a file named -"
        )));
    }
    Ok(())
}

/// Refuses file name `name` of a set into `dir` when `dir` holds, under that name, something
/// other than a file or a symbolic link: a rename cannot replace a directory, and one that
/// replaced a device, a pipe or a socket would remove it. A file or a link is replaced.
///
/// # Errors
/// The path, what is there, and what to do, without the flag (the caller names it).
fn refuse_unreplaceable(dir: &Path, name: &str) -> Result<(), BadInput> {
    let path = dir.join(name);
    let Ok(meta) = fs::symlink_metadata(&path) else { return Ok(()) };
    let what = if meta.is_dir() {
        "a directory"
    } else if meta.is_file() || meta.file_type().is_symlink() {
        return Ok(());
    } else {
        "not a regular file (a device, a pipe or a socket)"
    };
    Err(BadInput(format!(
        "{} is {what}, where this output writes its file {name}; move it away or write the output elsewhere",
        path.display()
    )))
}

/// A token of this process run, part of its staging directories' names: a process that
/// reuses the PID of an earlier one (a container's PID 1, every time) never meets that
/// process's names.
fn run_token() -> &'static str {
    static TOKEN: OnceLock<String> = OnceLock::new();
    TOKEN.get_or_init(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos() ^ (d.as_secs() as u32));
        format!("{nanos:08x}")
    })
}

/// Removes the staging directories in `dir` left by processes that no longer run (ended by
/// SIGKILL, or by the kernel when out of memory). `live` are this process's own.
fn remove_stale_staging(dir: &Path, live: &[PathBuf]) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let proc_known = Path::new("/proc/self").exists();
    let running = |pid: u32| !proc_known || Path::new(&format!("/proc/{pid}")).exists();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if is_stale(name, std::process::id(), live, running) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether the entry `name` of a directory is a staging directory left by a process that no
/// longer runs, seen from process `own_pid` whose live staging directories are `live`.
///
/// One named with `own_pid` but not among `live` was left by an earlier process that had the
/// same PID: in a container ccsim is PID 1 on every retry. One of another PID is stale when
/// `running` says that PID runs no process. That is only what this machine knows: machines
/// sharing a file system should write into directories of their own, as shards do
/// (`shard-K-of-N`).
fn is_stale(name: &str, own_pid: u32, live: &[PathBuf], running: impl Fn(u32) -> bool) -> bool {
    let Some(rest) = name.strip_prefix(STAGING_PREFIX) else { return false };
    let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else { return false };
    if pid == own_pid {
        // Compared by name: one directory may be given as `out` and as `./out`.
        !live.iter().any(|p| p.file_name().is_some_and(|n| n == name))
    } else {
        !running(pid)
    }
}

/// What a command wrote and what it could not write: each set is written or failed on its
/// own, so one failure does not stop the others.
#[derive(Debug, Default)]
pub struct Outputs {
    written: Vec<PathBuf>,
    failed: Vec<String>,
}

impl Outputs {
    /// Nothing written yet.
    pub fn new() -> Outputs {
        Outputs::default()
    }

    /// Fills `set` with `fill` and commits it; a failure is recorded (the set's staged files
    /// are removed) and the next set is still written. `None` (the flag not given) does nothing.
    pub fn write(&mut self, set: Option<OutputSet>, fill: impl FnOnce(&mut OutputSet) -> anyhow::Result<()>) {
        let Some(mut set) = set else { return };
        let label = set.label().to_string();
        match fill(&mut set).and_then(|()| set.commit()) {
            Ok(paths) => self.written.extend(paths),
            Err(e) => self.failed.push(format!("{label}: {e:#}")),
        }
    }

    /// The paths written, in order.
    pub fn written(&self) -> &[PathBuf] {
        &self.written
    }

    /// `Ok` when every set was written, else an error naming each failed flag and path.
    ///
    /// # Errors
    /// One error (exit 1) listing every output not written.
    pub fn result(&self) -> anyhow::Result<()> {
        match self.failed.len() {
            0 => Ok(()),
            1 => Err(anyhow::anyhow!("output not written: {}", self.failed[0])),
            n => Err(anyhow::anyhow!("{n} outputs not written:\n  {}", self.failed.join("\n  "))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A directory of its own for one test, removed when the test ends (pass or fail).
    struct Scratch(PathBuf);

    impl std::ops::Deref for Scratch {
        type Target = Path;
        fn deref(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn scratch(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("ccsim-output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_set_replaces_its_own_files_and_leaves_others_alone() {
        let dir = scratch("replace");
        fs::write(dir.join("a.csv"), "old a").unwrap();
        fs::write(dir.join("b.csv"), "old b").unwrap();
        fs::write(dir.join("notes.txt"), "mine").unwrap();
        let mut set = OutputSet::dir("--out", &dir).unwrap().owning(&["a.csv", "b.csv"]).unwrap();
        set.put("a.csv", b"new a").unwrap();
        let written = set.commit().unwrap();
        assert_eq!(written, vec![dir.join("a.csv")]);
        assert_eq!(fs::read_to_string(dir.join("a.csv")).unwrap(), "new a");
        // b.csv belonged to the earlier run: it must not stay beside the new a.csv.
        assert_eq!(names(&dir), ["a.csv", "notes.txt"]);
    }

    #[test]
    fn a_failed_set_leaves_the_earlier_set_whole_and_no_temporary_files() {
        let dir = scratch("failed");
        fs::write(dir.join("a.csv"), "old a").unwrap();
        fs::write(dir.join("b.csv"), "old b").unwrap();
        let mut outputs = Outputs::new();
        outputs.write(
            Some(OutputSet::dir("--out", &dir).unwrap().owning(&["a.csv", "b.csv"]).unwrap()),
            |set| {
                set.put("a.csv", b"new a")?;
                anyhow::bail!("no space left on device")
            },
        );
        assert_eq!(fs::read_to_string(dir.join("a.csv")).unwrap(), "old a");
        assert_eq!(names(&dir), ["a.csv", "b.csv"]);
        let err = format!("{:#}", outputs.result().unwrap_err());
        assert!(err.contains("--out") && err.contains("no space left"), "{err}");
    }

    #[test]
    fn one_failed_set_does_not_stop_the_others() {
        let dir = scratch("others");
        let mut outputs = Outputs::new();
        let broken = OutputSet::dir("--charts", &dir.join("charts")).unwrap();
        // The staging directory vanishing stands for a disk that fails after the run.
        fs::remove_dir_all(dir.join("charts")).unwrap();
        outputs.write(Some(broken), |set| set.put("x.png", b"png"));
        outputs.write(Some(OutputSet::file("--report", &dir.join("r.html")).unwrap()), |set| {
            let name = set.file_name().to_string();
            set.put(&name, b"<html>")
        });
        assert_eq!(outputs.written(), [dir.join("r.html")]);
        let err = outputs.result().unwrap_err().to_string();
        assert!(err.contains("--charts") && !err.contains("--report"), "{err}");
    }

    #[test]
    fn opening_an_unwritable_path_is_bad_input_naming_the_flag() {
        let dir = scratch("unwritable");
        fs::write(dir.join("file"), "").unwrap();
        let err = OutputSet::dir("--out", &dir.join("file").join("sub")).unwrap_err();
        assert!(err.is::<BadInput>() && err.to_string().starts_with("--out "), "{err}");
        let err = OutputSet::file("--report", &dir.join("missing").join("r.html")).unwrap_err();
        assert!(err.is::<BadInput>() && err.to_string().contains("does not exist"), "{err}");
        let err = OutputSet::file("--report", &dir.join("file").join("sub").join("r.html")).unwrap_err();
        let says = format!("{} is a file, not a directory", dir.join("file").display());
        assert!(err.is::<BadInput>() && err.to_string().contains(&says), "{err}");
        let err = OutputSet::file("--trace", &dir).unwrap_err();
        assert!(err.is::<BadInput>() && err.to_string().contains("is a directory"), "{err}");
        // `-` is not taken for stdout, nor made a file named `-`.
        for err in
            [OutputSet::file("--forecast-csv", Path::new("-")), OutputSet::dir("--out", Path::new("-"))]
        {
            let err = err.unwrap_err();
            assert!(err.is::<BadInput>() && err.to_string().contains("does not stand for stdout"), "{err}");
        }
        assert!(!Path::new("-").exists());
    }

    #[test]
    fn a_file_name_of_the_set_taken_by_a_directory_is_refused_before_any_file_moves() {
        let dir = scratch("taken");
        fs::create_dir(dir.join("b.csv")).unwrap();
        let err = OutputSet::dir("--out", &dir).unwrap().owning(&["a.csv", "b.csv"]).unwrap_err();
        assert!(
            err.0.starts_with("--out ")
                && err.0.contains(&dir.join("b.csv").display().to_string())
                && err.0.contains("a directory"),
            "{err}"
        );
        let err = OutputSet::dir("--charts", &dir).unwrap().owning_present(|n| n == "b.csv").unwrap_err();
        assert!(err.0.starts_with("--charts ") && err.0.contains("a directory"), "{err}");
        // A name not declared when the set was opened is checked at commit, before any rename:
        // the set fails whole, and the file staged first stays out of the directory.
        fs::write(dir.join("a.csv"), "old a").unwrap();
        let mut set = OutputSet::dir("--out", &dir).unwrap();
        set.put("a.csv", b"new a").unwrap();
        set.put("b.csv", b"new b").unwrap();
        let err = format!("{:#}", set.commit().unwrap_err());
        assert!(err.contains("b.csv") && err.contains("a directory"), "{err}");
        assert_eq!(fs::read_to_string(dir.join("a.csv")).unwrap(), "old a");
        assert_eq!(names(&dir), ["a.csv", "b.csv"], "no staging directory is left");
    }

    #[test]
    fn a_file_flag_writes_through_a_link_and_into_a_device_without_replacing_either() {
        use std::os::unix::fs::FileTypeExt;
        let dir = scratch("link");
        fs::write(dir.join("target.html"), "old").unwrap();
        std::os::unix::fs::symlink(dir.join("target.html"), dir.join("link.html")).unwrap();
        let mut set = OutputSet::file("--report", &dir.join("link.html")).unwrap();
        let name = set.file_name().to_string();
        set.put(&name, b"new").unwrap();
        assert_eq!(set.commit().unwrap(), [fs::canonicalize(dir.join("target.html")).unwrap()]);
        assert!(fs::symlink_metadata(dir.join("link.html")).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(dir.join("target.html")).unwrap(), "new");
        assert_eq!(names(&dir), ["link.html", "target.html"], "no staging directory is left");
        // A link to nowhere is refused before any work.
        std::os::unix::fs::symlink(dir.join("gone"), dir.join("dangling.csv")).unwrap();
        let err = OutputSet::file("--trace", &dir.join("dangling.csv")).unwrap_err();
        assert!(err.is::<BadInput>() && err.to_string().contains("symbolic link"), "{err}");
        // A file that is not a regular file (here a named pipe, as /dev/null is a device) is
        // written into, not renamed over.
        let pipe = dir.join("pipe");
        assert!(std::process::Command::new("mkfifo").arg(&pipe).status().unwrap().success());
        let reader = {
            let pipe = pipe.clone();
            std::thread::spawn(move || fs::read(pipe).unwrap().len())
        };
        let mut set = OutputSet::file("--trace", &pipe).unwrap();
        set.put_with("pipe", |w| w.write_all(&[b'x'; 10_000])).unwrap();
        assert_eq!(set.commit().unwrap(), std::slice::from_ref(&pipe));
        assert_eq!(reader.join().unwrap(), 10_000);
        assert!(fs::metadata(&pipe).unwrap().file_type().is_fifo(), "the pipe is still a pipe");
    }

    #[test]
    fn a_dropped_set_removes_its_staging_directory() {
        let dir = scratch("dropped");
        let mut set = OutputSet::dir("--out", &dir).unwrap();
        set.put("a.csv", b"a").unwrap();
        drop(set);
        assert!(names(&dir).is_empty(), "{:?}", names(&dir));
        // And the directories it created, when nothing else was put there.
        let mut set = OutputSet::dir("--out", &dir.join("new").join("deeper")).unwrap();
        set.put("a.csv", b"a").unwrap();
        drop(set);
        assert!(names(&dir).is_empty(), "{:?}", names(&dir));
        let set = OutputSet::dir("--out", &dir.join("shared").join("deeper")).unwrap();
        fs::write(dir.join("shared").join("mine.txt"), "another writer's").unwrap();
        drop(set);
        assert_eq!(names(&dir), ["shared"]);
        assert_eq!(names(&dir.join("shared")), ["mine.txt"]);
    }

    #[test]
    fn staging_left_by_an_earlier_process_with_this_pid_is_removed_and_live_sets_are_kept() {
        let dir = scratch("own-pid");
        // What a killed shard leaves when the retry has its PID: a container's PID 1 every time.
        let stale = dir.join(format!("{STAGING_PREFIX}{}-0", std::process::id()));
        fs::create_dir(&stale).unwrap();
        fs::write(stale.join("partial.ccsim"), "ccsim partial v3").unwrap();
        let mut first = OutputSet::dir("--out", &dir).unwrap();
        assert!(!stale.exists(), "{:?}", names(&dir));
        // A set of this process still open in the directory is not taken for stale.
        let second = OutputSet::dir("--charts", &dir).unwrap();
        first.put("a.csv", b"a").unwrap();
        assert_eq!(first.commit().unwrap(), [dir.join("a.csv")]);
        drop(second);
        assert_eq!(names(&dir), ["a.csv"]);
    }

    #[test]
    fn the_staleness_rule_weighs_this_pid_by_the_live_sets_and_others_by_whether_they_run() {
        let live = [PathBuf::from("out/.ccsim-tmp-7-ab-0")];
        let runs = |pid: u32| pid == 9;
        // Given as `./out`, the live set is the same directory.
        assert!(!is_stale(".ccsim-tmp-7-ab-0", 7, &live[..], runs));
        assert!(is_stale(".ccsim-tmp-7-ab-1", 7, &live[..], runs));
        assert!(is_stale(".ccsim-tmp-7-0", 7, &[], runs));
        assert!(!is_stale(".ccsim-tmp-9-0", 7, &[], runs));
        assert!(is_stale(".ccsim-tmp-8-0", 7, &[], runs));
        for other in ["summary.json", ".ccsim-tmp-x-0", ".hidden"] {
            assert!(!is_stale(other, 7, &[], runs), "{other}");
        }
    }

    #[test]
    fn staging_left_by_a_killed_process_is_removed() {
        let dir = scratch("stale");
        // Pid 0 never names a user process: /proc/0 does not exist.
        let stale = dir.join(format!("{STAGING_PREFIX}0-7"));
        fs::create_dir(&stale).unwrap();
        fs::write(stale.join("summary.json"), "{").unwrap();
        let set = OutputSet::dir("--out", &dir).unwrap();
        assert!(!stale.exists());
        drop(set);
    }
}
