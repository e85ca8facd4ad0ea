//! The commands the documentation shows, run as a reader would run them: every `sh` block of
//! the README's five-minute tour and of the pages under `docs/` succeeds, in order, in a
//! directory of its page's own holding a copy of `scenarios/`; and in the tour, the first
//! thing a user tries, every line a `text` block shows (but `...`) is a line of what the `sh`
//! block before it printed; every relative link of the guide reaches a file and heading that
//! exist; and the figures the README's prose quotes from its runs are what those runs measure.
//! This keeps the guide from drifting away from the program. Its helpers (fenced blocks, folded
//! text, the guide's number formats) serve `docs_figures`, which does the same for `docs/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::empty_dir;

/// One fenced code block: its language and its lines.
pub(crate) struct Block {
    pub(crate) language: String,
    pub(crate) lines: Vec<String>,
}

/// The fenced blocks of a markdown text.
pub(crate) fn blocks(text: &str) -> Vec<Block> {
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
    let mut not_printed = Vec::new();
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
                    if !lines.contains(&line) {
                        not_printed.push(format!(
                            "{name} shows\n{line}\nbut the commands before it printed\n{printed}"
                        ));
                    }
                    shown += 1;
                }
            }
            _ => {}
        }
    }
    assert!(not_printed.is_empty(), "{}", not_printed.join("\n\n"));
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

/// A text with each run of white space one space (a page's sentences wrap anywhere).
pub(crate) fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The README's text, folded.
fn readme_prose() -> String {
    fold(&std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap())
}

/// `ccsim ARGS -q --format json`, run in `dir`.
pub(crate) fn json_in(dir: &Path, args: &[&str]) -> serde_json::Value {
    let out =
        crate::util::ccsim().args(args).args(["-q", "--format", "json"]).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `ccsim ARGS -q --format json`, run in the checkout.
fn json_of(args: &[&str]) -> serde_json::Value {
    json_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

pub(crate) fn mean(v: &serde_json::Value) -> f64 {
    v["mean"].as_f64().unwrap_or_else(|| panic!("no mean in {v}"))
}

pub(crate) fn pct(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// A mean and its 95% half-width as the guide's tables write them: `83.0% ± 0.4` for a share
/// (`percent`), `12.3 ± 5.0` otherwise.
fn estimate(v: &serde_json::Value, percent: bool) -> String {
    let (m, h) = (mean(v), v["half_width"].as_f64().unwrap());
    if percent { format!("{:.1}% ± {:.1}", m * 100.0, h * 100.0) } else { format!("{m:.1} ± {h:.1}") }
}

/// `1,404.5`: thousands grouped, `decimals` decimals.
pub(crate) fn grouped(x: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, x.abs());
    let (whole, fraction) = text.split_once('.').map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut out = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// The agent-hours of the waterfall step of a `staff --format json` report whose label starts
/// with `label`.
pub(crate) fn step(staff: &serde_json::Value, label: &str) -> f64 {
    let steps = staff["waterfall"].as_array().unwrap();
    let s = steps.iter().find(|s| s["label"].as_str().unwrap().starts_with(label)).unwrap();
    s["agent_hours"].as_f64().unwrap()
}

/// The telco day without its callback offer.
pub(crate) fn without_callbacks(telco: &str) -> String {
    let without: String =
        telco.lines().filter(|l| !l.starts_with("callback = ")).map(|l| format!("{l}\n")).collect();
    assert_ne!(without, telco, "the telco day offers callbacks");
    without
}

fn channel<'a>(summary: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    summary["channels"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap()
}

fn group<'a>(summary: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    summary["agent_groups"].as_array().unwrap().iter().find(|g| g["name"] == name).unwrap()
}

/// Asserts that `text` (folded), the text of `what`, says each of `claims`, naming every one
/// it does not say.
pub(crate) fn assert_says(what: &str, text: &str, claims: &[String]) {
    let missing: Vec<String> = claims
        .iter()
        .filter(|claim| !text.contains(claim.as_str()))
        .map(|claim| format!("{what} should say {claim:?}, as ccsim measures it now"))
        .collect();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// The omnichannel week with email taken from tier 1 and given to a team of 11 of the same 30
/// agents: 6 of the second 08:00 shift of tier 1 and 5 of the second 11:30 shift, each with the
/// hours and breaks of the shift it leaves.
fn separate_email_team(omnichannel: &str) -> String {
    let blended_skills = r#"skills = ["accounts", { call_type = "web-chat", after = "60s" }, "email"]"#;
    assert!(omnichannel.contains(blended_skills), "tier 1 works email in the shipped week");
    let text = omnichannel
        .replace(blended_skills, r#"skills = ["accounts", { call_type = "web-chat", after = "60s" }]"#)
        .replacen(
            "[[agent_groups]]\nname = \"chat\"",
            "[[agent_groups]]\nname = \"email\"\nskills = [\"email\"]\n\n[[agent_groups]]\nname = \"chat\"",
            1,
        );
    let mut rows: Vec<String> = text.split("[[shifts]]").map(str::to_string).collect();
    let head = rows.remove(0);
    let tier1: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].contains("group = \"tier1\"")).collect();
    assert_eq!(tier1.len(), 4, "tier 1 has two 08:00 and two 11:30 shift rows");
    let mut email_rows = Vec::new();
    for (row, (from, moved)) in [(tier1[1], (9, 6)), (tier1[3], (6, 5))] {
        let (was, now) = (format!("agents = {from}"), format!("agents = {}", from - moved));
        assert!(rows[row].contains(&was), "shift row {row} has {from} agents");
        email_rows.push(
            rows[row]
                .replace("group = \"tier1\"", "group = \"email\"")
                .replace(&was, &format!("agents = {moved}")),
        );
        rows[row] = rows[row].replace(&was, &now);
    }
    std::iter::once(head)
        .chain(rows.into_iter().chain(email_rows).map(|r| format!("[[shifts]]{r}")))
        .collect()
}

/// The figures the README's prose quotes from runs it shows (channels, callbacks), measured
/// again: a change to the engine that moves one fails here until the text is brought up to
/// date.
#[test]
fn the_figures_the_readme_quotes_are_what_ccsim_measures() {
    let prose = readme_prose();
    let dir = empty_dir("readme", "figures");

    // The bank's schedule against its requirement, and a sweep's one agent fewer per block.
    let schedule = json_of(&["schedule", "scenarios/retail-bank.toml"]);
    let staff = json_of(&["staff", "scenarios/retail-bank.toml"]);
    let sweep = json_of(&["sweep", "scenarios/retail-bank.toml", "--vary", "agents=-1..0", "-r", "2"]);
    let paid = |case: usize| sweep["cases"][case]["paid_hours"].as_f64().unwrap();
    let blocks =
        std::fs::read_to_string("scenarios/retail-bank.toml").unwrap().matches("\n[[shifts]]").count();
    assert_says(
        "the README",
        &prose,
        &[
            format!(
                "It costs {:.0} paid hours for the {:.0} the requirement asks for",
                schedule["paid_hours"].as_f64().unwrap(),
                staff["agent_hours"]["scheduled"].as_f64().unwrap()
            ),
            format!("out of each of the bank's {blocks} shift blocks, {} paid hours", paid(1) - paid(0)),
        ],
    );

    // The omnichannel week, 50 replications.
    let omni = json_of(&["simulate", "scenarios/omnichannel.toml", "-r", "50"]);
    let (voice, chat, email) = (channel(&omni, "voice"), channel(&omni, "chat"), channel(&omni, "email"));
    let chat_at_17: Vec<f64> = omni["intervals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["call_type"] == "web-chat" && i["start"] == "17:00")
        .map(|i| mean(&i["service_level"]))
        .collect();
    let lowest = chat_at_17.iter().copied().fold(f64::INFINITY, f64::min);
    let highest = chat_at_17.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    assert_says(
        "the README",
        &prose,
        &[
            format!("the phones answer {} of calls within 20 s", pct(mean(&voice["service_level"]))),
            format!(
                "chat {} within 60 s, and email {} within 12 hours",
                pct(mean(&chat["service_level"])),
                pct(mean(&email["service_level"]))
            ),
            format!("(its ASA, about {:.0} hours,", mean(&email["asa_s"]) / 3600.0),
            format!("holds {:.2} chats per agent", mean(&group(&omni, "chat")["mean_concurrency"])),
            format!("{} to {} of chats within 60 s at 17:00", pct(lowest), pct(highest)),
        ],
    );

    // The same week with chats held two at a time.
    let text = std::fs::read_to_string("scenarios/omnichannel.toml").unwrap();
    let k2 = text
        .replace("\nmax_concurrency = 3", "\nmax_concurrency = 2")
        .replace("\nconcurrency_factors = [1.0, 1.7, 2.5]", "\nconcurrency_factors = [1.0, 1.7]");
    assert_ne!(k2, text);
    let k2_file = dir.join("omni-k2.toml");
    std::fs::write(&k2_file, k2).unwrap();
    let omni_k2 = json_of(&["simulate", k2_file.to_str().unwrap(), "-r", "50"]);
    assert_says(
        "the README",
        &prose,
        &[
            format!(
                "the same staff measures {} within 60 s for chat with {} of chats abandoned (against {})",
                pct(mean(&channel(&omni_k2, "chat")["service_level"])),
                pct(mean(&channel(&omni_k2, "chat")["abandon_rate"])),
                pct(mean(&chat["abandon_rate"])),
            ),
            format!("the phones fall to {}", pct(mean(&channel(&omni_k2, "voice")["service_level"]))),
            format!(
                "(its occupancy {} against {})",
                pct(mean(&group(&omni_k2, "tier1")["occupancy"])),
                pct(mean(&group(&omni, "tier1")["occupancy"]))
            ),
        ],
    );

    // Blended against a separate email team: the omnichannel week with tier 1's email skill
    // given to a group of its own, made of 6 agents of the second 08:00 shift and 5 of the
    // second 11:30 shift, their hours and breaks kept.
    let separate_file = dir.join("omni-email-team.toml");
    std::fs::write(&separate_file, separate_email_team(&text)).unwrap();
    let separate = json_of(&["simulate", separate_file.to_str().unwrap(), "-r", "50"]);
    let row = |label: &str, s: &serde_json::Value| {
        format!(
            "| {label} | {} | {} | {} | {:.1} h |",
            estimate(&channel(s, "voice")["service_level"], true),
            estimate(&channel(s, "chat")["service_level"], true),
            estimate(&channel(s, "email")["service_level"], true),
            mean(&channel(s, "email")["asa_s"]) / 3600.0
        )
    };
    assert_says(
        "the README",
        &prose,
        &[
            row("blended: tier 1 works email between calls", &omni),
            row("separate: an email team of 11", &separate),
        ],
    );

    // The chat queue by Erlang C on throughput.
    let erlang = |extra: &[&str]| {
        let mut args = vec![
            "erlang",
            "--calls",
            "30",
            "--interval",
            "30m",
            "--aht",
            "10m",
            "--target",
            "60s",
            "--sl-goal",
            "0.8",
        ];
        args.extend(extra);
        let out = crate::util::ccsim().args(&args).args(["--format", "json"]).output().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["required_agents"].as_u64().unwrap()
    };
    assert_says(
        "the README",
        &prose,
        &[format!(
            "it asks for {} agents holding three chats, {} holding two (`--concurrency 2 --concurrency-factors 1,1.7`), and {} counting chats as calls",
            erlang(&["--concurrency", "3", "--concurrency-factors", "1,1.7,2.5"]),
            erlang(&["--concurrency", "2", "--concurrency-factors", "1,1.7"]),
            erlang(&[]),
        )],
    );

    // The week's staffing waterfall.
    let staff = json_of(&["staff", "scenarios/omnichannel.toml"]);
    let hours = |h: f64| grouped(h, 1);
    assert_says(
        "the README",
        &prose,
        &[
            format!(
                "from {} agent-hours by Erlang C",
                hours(staff["agent_hours"]["erlang_c"].as_f64().unwrap())
            ),
            format!(
                "a simulation requirement of {}",
                hours(staff["agent_hours"]["simulation"].as_f64().unwrap())
            ),
            format!(
                "several chats per agent save {} agent-hours",
                hours(-step(&staff, "chat: several chats"))
            ),
            format!("the email workload adds {}", hours(step(&staff, "email: workload"))),
            format!(
                "The search meets every goal in {} simulations of {} replications each",
                staff["simulation"]["iterations"], staff["simulation"]["replications"]
            ),
        ],
    );
    assert!(staff["simulation"]["converged"].as_bool().unwrap(), "the README says the search converged");

    // Callbacks on the telco day, with and without the offer.
    let telco = std::fs::read_to_string("scenarios/telco-lines.toml").unwrap();
    let without_file = dir.join("no-callback.toml");
    std::fs::write(&without_file, without_callbacks(&telco)).unwrap();
    let runs: Vec<serde_json::Value> = [without_file.to_str().unwrap(), "scenarios/telco-lines.toml"]
        .iter()
        .map(|f| json_of(&["simulate", f]))
        .collect();
    let row = |label: &str, f: &dyn Fn(&serde_json::Value) -> String| {
        format!("| {label} | {} | {} |", f(&runs[0]), f(&runs[1]))
    };
    let with = &runs[1]["callbacks"]["overall"];
    assert_says(
        "the README",
        &prose,
        &[
            row("busy signals (blocked calls)", &|s| estimate(&s["lines"]["overall"]["blocked"], false)),
            row("line occupancy", &|s| estimate(&s["lines"]["line_occupancy"], true)),
            row("abandoned / offered", &|s| estimate(&s["overall"]["abandon_rate"], true)),
            row("service level (30 s; callback customers left out)", &|s| {
                estimate(&s["overall"]["service_level"], true)
            }),
            format!(
                "Of {:.1} callers a day offered a callback, {:.1} accepted and {:.1} were reached",
                mean(&with["callbacks_offered"]),
                mean(&with["callbacks_accepted"]),
                mean(&with["callbacks_completed"])
            ),
        ],
    );
    let runs20: Vec<serde_json::Value> = [without_file.to_str().unwrap(), "scenarios/telco-lines.toml"]
        .iter()
        .map(|f| json_of(&["simulate", f, "-r", "20"]))
        .collect();
    let change = |f: &dyn Fn(&serde_json::Value) -> f64, percent: bool| {
        let show = |x: f64| if percent { pct(x) } else { format!("{x:.1}") };
        format!("{} → {}", show(f(&runs20[0])), show(f(&runs20[1])))
    };
    assert_says(
        "the README",
        &prose,
        &[format!(
            "with `-r 20` the same comparison gives {} abandoned and {} service level (busy signals {}, line occupancy {})",
            change(&|s| mean(&s["overall"]["abandon_rate"]), true),
            change(&|s| mean(&s["overall"]["service_level"]), true),
            change(&|s| mean(&s["lines"]["overall"]["blocked"]), false),
            change(&|s| mean(&s["lines"]["line_occupancy"]), true),
        )],
    );
}

/// Whether `path` (`a::b::c`) is a module of the crate: `src/a/b/c.rs` or `src/a/b/c/mod.rs`,
/// or a `mod c` declared in `src/a/b.rs` (a module kept in its parent's file).
fn is_module(src: &Path, path: &str) -> bool {
    let parts: Vec<&str> = path.split("::").collect();
    let file = parts.join("/");
    if src.join(format!("{file}.rs")).exists() || src.join(&file).join("mod.rs").exists() {
        return true;
    }
    let (last, parent) = parts.split_last().unwrap();
    let parent_file = src.join(format!("{}.rs", parent.join("/")));
    std::fs::read_to_string(parent_file).is_ok_and(|text| {
        text.lines().any(|line| {
            let line = line.trim_start().trim_start_matches("pub ").trim_start_matches("pub(crate) ");
            line.starts_with(&format!("mod {last};")) || line.starts_with(&format!("mod {last} {{"))
        })
    })
}

#[test]
fn the_readmes_code_map_names_every_top_level_module_and_only_modules_that_exist() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let map = readme
        .split_once("Code map")
        .and_then(|(_, rest)| rest.split_once("See `src/lib.rs`."))
        .expect("the README has a code map ending in \"See `src/lib.rs`.\"")
        .0;
    let named: Vec<&str> = map.split('`').skip(1).step_by(2).collect();
    let src = root.join("src");
    // A bare name in the map is a top-level module, or the child of the module the sentence is
    // about: a command's module in `usecase`, an optimiser step in `schedule`, an HTML part in
    // `report::html`.
    let parents = ["", "usecase::", "schedule::", "report::html::"];
    for name in named.iter().filter(|n| !n.contains([' ', '/', '.'])) {
        assert!(
            parents.iter().any(|parent| is_module(&src, &format!("{parent}{name}"))),
            "the README's code map names `{name}`, which is not a module of src/"
        );
    }
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let top: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod"))
        .map(|m| m.trim().trim_end_matches(';'))
        .collect();
    assert!(top.len() >= 20, "src/lib.rs declares only {} modules", top.len());
    for module in top {
        assert!(
            named.iter().any(|n| *n == module || n.starts_with(&format!("{module}::"))),
            "the README's code map does not name the module `{module}` (src/lib.rs declares it)"
        );
    }
}
