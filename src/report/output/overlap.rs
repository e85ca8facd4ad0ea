//! Outputs that would replace an input, or each other: found before any work is done, since a
//! later rename would silently destroy the earlier file.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::BadInput;
use crate::report::chart::ChartFamily;

/// A file a command reads, as [`refuse_overlaps`] names it.
#[derive(Clone, Debug)]
pub struct Input {
    /// What names the file: `FILE s.toml`, `--plan p.toml`, `call_types.sales.volumes_file in
    /// s.toml`.
    pub label: String,
    /// The file.
    pub path: PathBuf,
}

impl Input {
    /// The files of the flags given (`(flag, path)`; `None`: not given), named `FLAG PATH`.
    pub fn flags(flags: &[(&str, Option<&Path>)]) -> Vec<Input> {
        flags
            .iter()
            .filter_map(|&(flag, path)| {
                path.map(|p| Input { label: format!("{flag} {}", p.display()), path: p.to_path_buf() })
            })
            .collect()
    }

    /// The files of the flags given and the files `scenario` names.
    pub fn with_scenario(flags: &[(&str, Option<&Path>)], scenario: &crate::model::Scenario) -> Vec<Input> {
        let mut inputs = Input::flags(flags);
        inputs.extend(Input::named_by(scenario));
        inputs
    }

    /// The files `scenario` names and read when it was loaded (forecasts, observed durations),
    /// each named by its field and the scenario file.
    pub fn named_by(scenario: &crate::model::Scenario) -> impl Iterator<Item = Input> + '_ {
        scenario.files_read.iter().map(|(field, path)| Input {
            label: format!("{field} in {}", scenario.source.display()),
            path: path.clone(),
        })
    }
}

/// The files an output directory holds, as [`refuse_overlaps`] weighs them.
#[derive(Clone, Copy, Debug)]
pub enum Held<'a> {
    /// These file names (`--out DIR`).
    Files(&'a [&'a str]),
    /// Every chart name of a family, in either format (`--charts DIR`): the names follow the
    /// call types, and a run removes those of an earlier one.
    Charts(&'a ChartFamily),
}

/// Refuses, before any work, a command whose outputs would replace one of its own input files
/// (`fit log.csv --out log.csv`, a forecast the scenario reads) or each other (`--out plan.toml
/// --write-lp plan.toml`, `--report DIR/summary.json` beside `--out DIR`, `--report
/// DIR/volume.svg` beside `--charts DIR`): the later rename would silently destroy the earlier
/// file. `inputs` are the files read, `files` `(flag, path)` of the files written, `dirs`
/// `(flag, directory, the files written there)`; flags not given are `None`. Files that are
/// not regular files (`/dev/null`) may take any number of outputs.
///
/// # Errors
/// [`BadInput`] naming the output's flag, the path, and what reads it.
pub fn refuse_overlaps(
    inputs: &[Input],
    files: &[(&str, Option<&Path>)],
    dirs: &[(&str, Option<&Path>, Held<'_>)],
) -> Result<(), BadInput> {
    // Where a path lands: the file a link points to, or the resolved directory and the name.
    let identity = |path: &Path| -> Option<PathBuf> {
        if fs::metadata(path).is_ok_and(|m| !m.is_file()) {
            return None;
        }
        fs::canonicalize(path)
            .ok()
            .or_else(|| {
                let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
                Some(fs::canonicalize(parent).ok()?.join(path.file_name()?))
            })
            // A directory an output flag will create: the path as written, made absolute.
            .or_else(|| std::path::absolute(path).ok())
    };
    let mut written: Vec<(String, PathBuf)> = Vec::new();
    for &(flag, path) in files {
        if let Some(path) = path {
            written.push((format!("{flag} {}", path.display()), path.to_path_buf()));
        }
    }
    for &(flag, dir, held) in dirs {
        if let (Some(dir), Held::Files(names)) = (dir, held) {
            written.extend(names.iter().map(|n| (format!("{flag} {}", dir.display()), dir.join(n))));
        }
    }
    let read: Vec<(&String, PathBuf)> =
        inputs.iter().filter_map(|i| Some((&i.label, identity(&i.path)?))).collect();
    // A chart directory's names are known only by their pattern: any file of it that another
    // output writes, or the command reads, would be replaced (now, or by the next run).
    for &(flag, dir, held) in dirs {
        let (Some(dir), Held::Charts(family)) = (dir, held) else { continue };
        let Some(dir_id) = fs::canonicalize(dir).ok().or_else(|| std::path::absolute(dir).ok()) else {
            continue;
        };
        let charts = format!("{flag} {}", dir.display());
        let in_charts = |id: &Path| {
            id.parent() == Some(dir_id.as_path())
                && id.file_name().and_then(|n| n.to_str()).is_some_and(|n| family.holds(n))
        };
        for (input, id) in &read {
            if in_charts(id) {
                return Err(BadInput(format!(
                    "{charts}: would replace {}, which the command reads ({input}); write the charts elsewhere",
                    id.display()
                )));
            }
        }
        for (label, path) in &written {
            if identity(path).is_some_and(|id| in_charts(&id)) {
                return Err(BadInput(format!(
                    "{label}: {charts} writes its charts under that name; give the output another name or directory"
                )));
            }
        }
    }
    let mut seen: Vec<(&str, PathBuf)> = Vec::new();
    for (label, path) in &written {
        let Some(id) = identity(path) else { continue };
        if let Some((input, _)) = read.iter().find(|(_, p)| *p == id) {
            return Err(BadInput(format!(
                "{label}: would replace {}, which the command reads ({input}); write the output elsewhere",
                id.display()
            )));
        }
        if let Some((other, _)) = seen.iter().find(|(_, p)| *p == id) {
            return Err(BadInput(format!(
                "{label}: {other} writes the same file, {}; give each output its own path",
                id.display()
            )));
        }
        seen.push((label, id));
    }
    Ok(())
}
