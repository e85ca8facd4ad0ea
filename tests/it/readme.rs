//! The commands the documentation shows, run as a reader would run them: every `sh` block of
//! the README's five-minute tour and of the pages under `docs/` succeeds, in order, in a
//! directory of its page's own holding a copy of `scenarios/`; and in the tour, the first
//! thing a user tries, every line a `text` block shows (but `...`) is a line of what the `sh`
//! block before it printed; and every relative link of the guide reaches a file and heading that
//! exist. This keeps the guide from drifting away from the program.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::empty_dir;

/// One fenced code block: its language and its lines.
struct Block {
    language: String,
    lines: Vec<String>,
}

/// The fenced blocks of a markdown text.
fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for line in text.lines() {
        match (line.strip_prefix("```"), open.take()) {
            (Some(language), None) => {
                open = Some(Block { language: language.to_string(), lines: Vec::new() })
            }
            (Some(_), Some(block)) => blocks.push(block),
            (None, Some(mut block)) => {
                block.lines.push(line.to_string());
                open = Some(block);
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "a code block is not closed");
    blocks
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("the copy's directory can be created");
    for entry in std::fs::read_dir(from).expect("the directory can be read") {
        let entry = entry.expect("a directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("the file can be copied");
        }
    }
}

/// Runs every `sh` block of `blocks` in a fresh directory named after `name`, each as one
/// `sh -e` script; checks the `text` blocks against what the `sh` block before printed when
/// `check_shown`. Returns how many blocks ran and how many shown lines were checked.
fn run_blocks(name: &str, blocks: &[Block], check_shown: bool) -> (usize, usize) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = empty_dir("readme", name);
    copy_dir(&root.join("scenarios"), &dir.join("scenarios"));
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_ccsim"));
    let path = std::env::join_paths(
        std::iter::once(bin.parent().expect("the binary's directory").to_path_buf())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .expect("PATH can be built");
    let (mut ran, mut shown) = (0, 0);
    let mut printed = String::new();
    for block in blocks {
        match block.language.as_str() {
            "sh" => {
                let script = block.lines.join("\n");
                let out = Command::new("sh")
                    .arg("-e")
                    .arg("-c")
                    .arg(&script)
                    .current_dir(&dir)
                    .env("PATH", &path)
                    .output()
                    .expect("sh runs");
                assert!(
                    out.status.success(),
                    "{name}: the block\n{script}\nfailed ({}):\n{}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr)
                );
                printed = String::from_utf8_lossy(&out.stdout).into_owned();
                ran += 1;
            }
            "text" if check_shown => {
                let lines: Vec<&str> = printed.lines().map(str::trim_end).collect();
                for line in block.lines.iter().map(|l| l.trim_end()).filter(|l| *l != "...") {
                    assert!(
                        lines.contains(&line),
                        "{name} shows\n{line}\nbut the commands before it printed\n{printed}"
                    );
                    shown += 1;
                }
            }
            _ => {}
        }
    }
    (ran, shown)
}

#[test]
fn readme_tour_runs_and_prints_what_it_shows() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md is readable");
    let start = readme.find("\n## A five-minute tour\n").expect("the README has its tour");
    let tour = &readme[start + 1..];
    let end = tour[3..].find("\n## ").map_or(tour.len(), |i| i + 3);
    let (ran, shown) = run_blocks("tour", &blocks(&tour[..end]), true);
    // The tour's size when this was written: the test fails if it stops finding them.
    assert!(ran >= 12, "only {ran} sh blocks found in the tour");
    assert!(shown >= 10, "only {shown} shown output lines found in the tour");
}

/// Pages whose `sh` blocks are not for users' machines: they build and profile the code or
/// need a cluster (their commands are tested where they are shipped: `.ci/run` runs
/// `deploy/slurm/test-local.sh`).
const NOT_RUN: [&str; 2] = ["cluster.md", "engine-bound.md"];

#[test]
fn docs_commands_run() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&docs)
        .expect("docs/ is readable")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    pages.sort();
    let mut ran = 0;
    for page in pages {
        let file = page.file_name().expect("a file name").to_string_lossy().into_owned();
        if NOT_RUN.contains(&file.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&page).expect("the page is readable");
        ran += run_blocks(file.trim_end_matches(".md"), &blocks(&text), false).0;
    }
    assert!(ran >= 10, "only {ran} sh blocks found under docs/");
}

/// The anchor GitHub gives a heading: lower case, punctuation but `-` and `_` left out, spaces
/// as `-`.
fn anchor(heading: &str) -> String {
    (heading.trim().to_lowercase().chars())
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The headings' anchors and the relative link targets of a markdown text, code blocks left out.
fn anchors_and_links(text: &str) -> (Vec<String>, Vec<String>) {
    let (mut anchors, mut links, mut in_code) = (Vec::new(), Vec::new(), false);
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        if let Some(heading) = line.strip_prefix('#') {
            anchors.push(anchor(heading.trim_start_matches('#')));
        }
        for (at, _) in line.match_indices("](") {
            let rest = &line[at + 2..];
            let Some(end) = rest.find(')') else { continue };
            let target = &rest[..end];
            let external = target.contains("://") || target.starts_with("mailto:");
            if !external && !target.contains(char::is_whitespace) {
                links.push(target.to_string());
            }
        }
    }
    (anchors, links)
}

#[test]
fn links_in_the_guide_reach_files_and_headings_that_exist() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut pages = vec![root.join("README.md"), root.join("scenarios/data/README.md")];
    for entry in std::fs::read_dir(root.join("docs")).expect("docs/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_some_and(|x| x == "md") {
            pages.push(path);
        }
    }
    let mut checked = 0;
    for page in &pages {
        let text = std::fs::read_to_string(page).expect("the page is readable");
        for link in anchors_and_links(&text).1 {
            let (file, heading) = link.split_once('#').unwrap_or((&link, ""));
            let target = if file.is_empty() { page.clone() } else { page.parent().unwrap().join(file) };
            assert!(target.exists(), "{}: the link {link} names a file that does not exist", page.display());
            if !heading.is_empty() && target.extension().is_some_and(|x| x == "md") {
                let anchors = anchors_and_links(&std::fs::read_to_string(&target).unwrap()).0;
                assert!(
                    anchors.iter().any(|a| a == heading),
                    "{}: the link {link} names a heading that {} does not have",
                    page.display(),
                    target.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 100, "only {checked} links found");
}
