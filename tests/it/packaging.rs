//! Shell completions and manual pages: generated from the command definitions, so they name
//! every subcommand, and the pages have the sections `man` expects.

use std::path::PathBuf;

use predicates::prelude::*;

use crate::util::ccsim;

/// Every subcommand a user can type, as `ccsim --help` lists them.
const SUBCOMMANDS: [&str; 15] = [
    "risk",
    "erlang",
    "validate",
    "fit",
    "init",
    "schema",
    "simulate",
    "chart",
    "staff",
    "schedule",
    "compare",
    "sweep",
    "merge",
    "completions",
    "man",
];

#[test]
fn every_shell_completion_names_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = ccsim().args(["completions", shell]).assert().success().get_output().stdout.clone();
        let script = String::from_utf8(out).expect("completion scripts are UTF-8");
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell} completion lacks the subcommand {sub}");
        }
        assert!(script.contains("replications"), "{shell} completion lacks simulate's flags");
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error_listing_the_shells() {
    ccsim()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bash").and(predicates::str::contains("powershell")));
}

#[test]
fn the_man_page_has_name_synopsis_and_lists_the_subcommands() {
    let out = ccsim().arg("man").assert().success().get_output().stdout.clone();
    let page = String::from_utf8(out).expect("roff is UTF-8");
    assert!(page.starts_with(".ie") || page.contains(".TH ccsim 1"), "not a roff page: {page:.200}");
    for section in [".TH ccsim 1", ".SH NAME", ".SH SYNOPSIS", ".SH SUBCOMMANDS"] {
        assert!(page.contains(section), "man page lacks {section}");
    }
    for sub in SUBCOMMANDS {
        assert!(page.contains(&format!("ccsim\\-{sub}(1)")), "man page does not list ccsim-{sub}(1)");
    }
}

#[test]
fn man_out_writes_one_page_per_subcommand() {
    let dir = tmp("man-pages");
    ccsim().args(["man", "--out"]).arg(&dir).assert().success();
    let page = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(page("ccsim.1").contains(".SH NAME"));
    for sub in SUBCOMMANDS {
        let text = page(&format!("ccsim-{sub}.1"));
        assert!(
            text.contains(".SH NAME") && text.contains(".SH SYNOPSIS"),
            "ccsim-{sub}.1 lacks NAME/SYNOPSIS"
        );
        assert!(
            text.contains(&format!("ccsim {}", env!("CARGO_PKG_VERSION"))),
            "ccsim-{sub}.1 names no version"
        );
    }
    let simulate = page("ccsim-simulate.1");
    assert!(simulate.contains("replications"), "ccsim-simulate.1 does not document --replications");
    let files = std::fs::read_dir(&dir).expect("out dir").count();
    assert_eq!(files, SUBCOMMANDS.len() + 1, "one page per subcommand plus ccsim.1, no temporary files left");
}

#[test]
fn man_out_onto_a_file_is_bad_input() {
    let dir = tmp("man-onto-file");
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let file = dir.join("ccsim.1");
    std::fs::write(&file, "keep").expect("write");
    ccsim().args(["man", "--out"]).arg(&file).assert().code(2).stderr(predicates::str::contains("is a file"));
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "keep");
}

fn tmp(name: &str) -> PathBuf {
    crate::util::fresh_path("packaging", name)
}
