//! `ccsim fit`: read a call log, estimate what a scenario needs, write the scenario and print
//! the fit report.

use std::path::PathBuf;

use crate::cli::{OutputFormat, conclude, output_file, print, put_file};
use crate::error::BadInput;
use crate::fit::callers::Windows;
use crate::fit::clock::{ArrivalFormat, Zone};
use crate::fit::html::RoundTrip;
use crate::fit::log::{DurationUnit, LogFormat, parse_column_flag, parse_outcome_flag};
use crate::fit::volumes::By;
use crate::fit::{self, Request, report, write};
use crate::report::output::{Input, OutputSet, Outputs, refuse_overlaps};
use crate::time::parse_duration;

/// Arguments of `ccsim fit`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    ccsim fit calls.csv --out my-center.toml\n  \
    ccsim fit export.csv --column arrival=StartTime --column handle_s=Talk+Hold+Wrap \\\n      \
    --outcome answered=ANS --outcome abandoned=ABN,ABAN --timezone Europe/Paris --out center.toml\n  \
    ccsim fit calls.csv --by date --forecast-csv forecast.csv --format json\n  \
    ccsim fit acd.csv --column arrival=Date+Time --arrival-format \"%m/%d/%Y %I:%M:%S %p\"\n\n\
    Columns (defaults): arrival, call_type, outcome, wait_s, handle_s; optional group,\n\
    caller_id, transferred_to. Outcomes: answered, abandoned, blocked, unanswered_at_close,\n\
    callback_failed (any case). A trace of ccsim simulate --trace is read as it is, with no\n\
    mapping. Defective rows are counted and reported with their first line numbers; --strict\n\
    stops at the first one (exit 2, file:line:column).")]
pub struct Args {
    /// The call log (CSV, one row per contact).
    #[arg(value_name = "LOG")]
    pub log: PathBuf,
    /// Map a column to the export's header: NAME=HEADER (handle_s=Talk+Hold+Wrap sums columns;
    /// arrival=Date+Time joins a date and a time of day).
    #[arg(long, value_name = "NAME=HEADER")]
    pub column: Vec<String>,
    /// How arrivals are written, when not YYYY-MM-DD HH:MM:SS or ISO 8601: a strftime pattern
    /// ("%m/%d/%Y %I:%M:%S %p", "%d.%m.%Y %H:%M"; %z an offset, %s seconds since 1970 UTC, %s%3f milliseconds).
    #[arg(long, value_name = "PATTERN", allow_hyphen_values = true)]
    pub arrival_format: Option<String>,
    /// The unit of wait and handle times written as numbers (HH:MM:SS is read as a clock).
    #[arg(long, value_enum, default_value_t = DurationUnit::S)]
    pub duration_unit: DurationUnit,
    /// Map the export's outcome words: answered=ANS, abandoned=ABN,ABAN, blocked=BUSY (also
    /// unanswered_at_close, callback_failed).
    #[arg(long, value_name = "OUTCOME=WORDS")]
    pub outcome: Vec<String>,
    /// Interval length of the scenario (divides a day).
    #[arg(long, default_value = "30m", allow_hyphen_values = true)]
    pub interval: String,
    /// One scenario day per weekday present (averaged over its dates) or per date.
    #[arg(long, value_enum, default_value_t = By::Weekday)]
    pub by: By,
    /// A caller who calls again within this time after abandoning is redialling.
    #[arg(long, default_value = "1h", allow_hyphen_values = true)]
    pub redial_window: String,
    /// A caller who calls again within this time after an answered call is repeating.
    #[arg(long, default_value = "7d", allow_hyphen_values = true)]
    pub repeat_window: String,
    /// Leave out abandons with a wait below this (5s): short abandons, counted apart and never
    /// fitted, as ACD reports leave them out of calls offered. Off by default (0 is off).
    // A negative value is taken as the value, so that the error names this flag.
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true)]
    pub short_abandon: Option<String>,
    /// The center's time zone: an IANA name (Europe/Paris) or a fixed offset (+01:00, -05:00).
    // A western offset begins with `-`: taken as the value, not as another flag.
    #[arg(long, value_name = "ZONE", allow_hyphen_values = true)]
    pub timezone: Option<String>,
    /// Stop at the first defective row (exit 2, file:line:column).
    #[arg(long)]
    pub strict: bool,
    /// Agents logged in per interval: CSV with interval (optional) and one column per group.
    #[arg(long, value_name = "FILE")]
    pub staffing: Option<PathBuf>,
    /// Write the fitted scenario here (and the observed durations beside it, NAME-observed.csv).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write the fitted volumes in ccsim's forecast CSV format.
    #[arg(long, value_name = "FILE")]
    pub forecast_csv: Option<PathBuf>,
    /// Write an HTML report: fitted distributions against the data, the Kaplan-Meier curve, the round trip.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Report format on stdout.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

/// Runs `ccsim fit`.
///
/// # Errors
/// Bad flags, an unreadable log or (strict) a defective row (exit 2); an unwritable output.
pub fn run(args: Args) -> anyhow::Result<()> {
    let request = request(&args)?;
    let staffing = args.staffing.as_deref().map(write::read_staffing).transpose()?;
    // The scenario's observations are written beside it, and named by it: a device or pipe has
    // no "beside", and both files would run into it as one.
    if let Some(out) = args.out.as_deref().filter(|o| std::fs::metadata(o).is_ok_and(|m| !m.is_file())) {
        return Err(BadInput(format!(
            "--out {}: not a regular file; fit writes the scenario there and {} beside it, so give \
             a file path (--forecast-csv and --report may be a pipe)",
            out.display(),
            observed_file_name(out)
        ))
        .into());
    }
    let observed = args.out.as_deref().map(|out| out.with_file_name(observed_file_name(out)));
    refuse_overlaps(
        &Input::flags(&[("LOG", Some(&args.log)), ("--staffing", args.staffing.as_deref())]),
        &[
            ("--out", args.out.as_deref()),
            ("--out (its observations)", observed.as_deref()),
            ("--forecast-csv", args.forecast_csv.as_deref()),
            ("--report", args.report.as_deref()),
        ],
        &[],
    )?;
    // Every output is opened before the work: an unwritable path fails now.
    let observed_name = args.out.as_deref().map(observed_file_name).unwrap_or_default();
    let out =
        output_file("--out", args.out.as_deref())?.map(|set| set.owning(&[&observed_name])).transpose()?;
    let forecast = output_file("--forecast-csv", args.forecast_csv.as_deref())?;
    let html = output_file("--report", args.report.as_deref())?;
    crate::cli::args::warn_if_not_html(args.report.as_deref());
    let fit = fit::fit(&request).map_err(crate::fit::log::ReadError::into_anyhow)?;
    // The forecast's own first columns (a day column only over several days): a call type of
    // the same name would be a column twice, which no reader of the file (ccsim's included) takes.
    let reserved: &[&str] = if fit.volumes.days.len() > 1 { &["interval", "day"] } else { &["interval"] };
    if forecast.is_some()
        && let Some(c) = fit.call_types.iter().find(|c| reserved.contains(&c.name.as_str()))
    {
        return Err(BadInput(format!(
            "--forecast-csv: the call type \"{}\" would be a second \"{}\" column of the forecast, \
             whose first columns are {}; rename it in the log, or leave out --forecast-csv",
            c.name,
            c.name,
            reserved.join(" and ")
        ))
        .into());
    }
    let log_name = args.log.display().to_string();
    let names = write::Names { observed_csv: &observed_name, log: &log_name };
    let scenario = write::scenario(&fit, &names, staffing.as_ref())?;
    for warning in fit.warnings() {
        eprintln!("warning: {warning}");
    }
    // Every file is staged before any is committed: a fitted scenario that does not load
    // leaves neither itself nor the forecast or report of the same run behind.
    let (mut out, mut forecast, mut html) = (out, forecast, html);
    let staged = |set: &mut OutputSet, bytes: &[u8]| {
        put_file(set, bytes).map_err(|e| anyhow::anyhow!("output not written: {}: {e:#}", set.label()))
    };
    let mut written = None;
    if let Some(set) = out.as_mut() {
        staged(set, scenario.as_bytes())?;
        set.put(&observed_name, write::observed_csv(&fit).as_bytes())
            .map_err(|e| anyhow::anyhow!("output not written: {}: {e:#}", set.label()))?;
        // Loaded where it is staged, beside its observations, before either replaces a file.
        let name = set.file_name().to_string();
        let staged = set.staged_path(&name);
        let loaded = crate::scenario::load(&staged).map_err(|e| {
            anyhow::anyhow!(
                "the fitted scenario does not load, so nothing was written (a defect of ccsim fit): {e}"
            )
        })?;
        written = Some(loaded.scenario);
    }
    if let Some(set) = forecast.as_mut() {
        staged(set, write::forecast_csv(&fit).as_bytes())?;
    }
    // With the observed staffing, the written scenario (as staged) is simulated back against
    // the log, before anything is written: the HTML report shows the check too.
    let check = match (&staffing, &written) {
        (Some(_), Some(scenario)) => {
            let options = crate::replicate::Options {
                replications: scenario.simulation.replications,
                seed: scenario.simulation.seed,
                threads: None,
            };
            let rows = crate::fit::check::round_trip(&fit, scenario, &options)?;
            Some((rows, options.replications, scenario.service_level.target))
        }
        _ => None,
    };
    if let Some(set) = html.as_mut() {
        let round_trip = match (&check, &staffing) {
            (Some((rows, replications, target_s)), _) => {
                RoundTrip::Ran { rows, replications: *replications, target_s: *target_s }
            }
            (None, Some(_)) => RoundTrip::NeedsOut,
            (None, None) => RoundTrip::NotAsked,
        };
        staged(set, crate::fit::html::report(&fit, round_trip)?.as_bytes())?;
    }
    let mut outputs = Outputs::new();
    for set in [out, forecast, html] {
        outputs.write(set, |_| Ok(()));
    }
    // The check is printed only with the scenario it simulated written.
    let check = check.filter(|_| outputs.result().is_ok());
    let printed = match args.format {
        OutputFormat::Table => {
            let mut text = report::table(&fit);
            match &check {
                Some((rows, replications, _)) => text += &report::round_trip_table(rows, *replications),
                None if staffing.is_some() => {
                    text += "\nround trip: give --out to simulate the fitted scenario back\n"
                }
                None => {}
            }
            print(&text)
        }
        OutputFormat::Json => {
            let mut json = report::json(&fit);
            if let (Some((rows, ..)), Some(map)) = (&check, json.as_object_mut()) {
                map.insert("round_trip".into(), report::round_trip_json(rows));
            }
            print(&format!("{json:#}\n"))
        }
    };
    conclude(&outputs, printed)
}

/// `center.toml` -> `center-observed.csv`.
fn observed_file_name(out: &std::path::Path) -> String {
    let stem = out.file_stem().map_or("fit".into(), |s| s.to_string_lossy().to_string());
    format!("{stem}-observed.csv")
}

fn request(args: &Args) -> anyhow::Result<Request> {
    let mut format =
        LogFormat { strict: args.strict, duration_unit: args.duration_unit, ..LogFormat::default() };
    // A column mapped twice, a header summed twice, or a word given two outcomes would be
    // settled by whichever came last: refused instead, naming the flag.
    for c in &args.column {
        let (name, headers) = parse_column_flag(c)?;
        if format.columns.iter().any(|(n, _)| *n == name) {
            return Err(BadInput(format!("--column {c}: \"{name}\" is mapped twice; give it once")).into());
        }
        if let Some(h) = headers.iter().enumerate().find_map(|(i, h)| headers[..i].contains(h).then_some(h)) {
            return Err(
                BadInput(format!("--column {c}: \"{h}\" is summed twice; name each header once")).into()
            );
        }
        format.columns.push((name, headers));
    }
    for o in &args.outcome {
        for (outcome, word) in parse_outcome_flag(o)? {
            if word.is_empty() {
                return Err(BadInput(format!(
                    "--outcome {o}: an empty word; give the words after '=', separated by commas"
                ))
                .into());
            }
            if let Some((other, _)) = format.outcome_words.iter().find(|(_, w)| w.eq_ignore_ascii_case(&word))
            {
                if *other != outcome {
                    return Err(BadInput(format!(
                        "--outcome {o}: \"{word}\" is already given to another outcome; give each word one outcome"
                    ))
                    .into());
                }
                continue;
            }
            format.outcome_words.push((outcome, word));
        }
    }
    if let Some(tz) = &args.timezone {
        format.zone = Zone::parse(tz).map_err(|e| BadInput(format!("--timezone: {e}")))?;
    }
    if let Some(pattern) = &args.arrival_format {
        let pattern =
            ArrivalFormat::parse(pattern).map_err(|e| BadInput(format!("--arrival-format: {e}")))?;
        format.arrival_format = Some(pattern);
    }
    let interval_s = parse_duration(&args.interval).map_err(|e| BadInput(format!("--interval: {e}")))?;
    let per_day = 86_400.0 / interval_s;
    if !((60.0..=86_400.0).contains(&interval_s)
        && (per_day - per_day.round()).abs() < 1e-9
        && crate::time::is_whole_minutes(interval_s))
    {
        return Err(BadInput(format!(
            "--interval {}: must be whole minutes, from 1 minute to 24 hours, and divide a day (15m, 30m, 1h)",
            args.interval
        ))
        .into());
    }
    Ok(Request {
        log: args.log.clone(),
        format,
        interval_s,
        by: args.by,
        windows: Windows {
            redial_s: follow_up_window("--redial-window", &args.redial_window, "1h")?,
            repeat_s: follow_up_window("--repeat-window", &args.repeat_window, "7d")?,
        },
        short_abandon_s: match &args.short_abandon {
            Some(text) => Some(short_abandon(text)?).filter(|&s| s > 0.0),
            None => None,
        },
    })
}

/// A window or threshold, given as any duration is (`1h`, `7d`, `5s`).
fn window(flag: &str, text: &str) -> Result<f64, BadInput> {
    parse_duration(text).map_err(|e| BadInput(format!("{flag}: {e}")))
}

/// A window in which a caller's next call counts as a redial or repeat: a window of 0 s would
/// count none, and read as "nobody calls again".
fn follow_up_window(flag: &str, text: &str, default: &str) -> Result<f64, BadInput> {
    let s = window(flag, text)?;
    if s <= 0.0 {
        return Err(BadInput(format!(
            "{flag}: \"{text}\" is no window: no call could follow within it, so every share would be 0; \
             give a positive duration (default {default})"
        )));
    }
    Ok(s)
}

/// The most `--short-abandon` takes: a hang-up within seconds is a misdial or the greeting; a
/// minute already leaves out callers who waited and gave up (`5m` for `5s` would drop most).
const MAX_SHORT_ABANDON_S: f64 = 60.0;

fn short_abandon(text: &str) -> Result<f64, BadInput> {
    let s = window("--short-abandon", text)?;
    if s > MAX_SHORT_ABANDON_S {
        return Err(BadInput(format!(
            "--short-abandon: \"{text}\" is longer than a minute; short abandons are hang-ups within \
             seconds (5s is usual), at most 60s"
        )));
    }
    Ok(s)
}
