//! `ccsim sweep`: a what-if grid of cases (volume, handle time, headcount), each simulated on
//! the same seeds, as a tidy CSV and a JSON.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::cli::{Phase, RunOptions, conclude, load_scenario, output_dir, print, print_with, progress_bar};
use crate::report::output::Outputs;
use crate::sweep::{self, Vary};

/// Output on stdout of `ccsim sweep`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SweepFormat {
    /// One line per case: the factors and the overall service level, ASA and abandon rate.
    Table,
    /// Every case's overall and per-call-type figures (the contents of sweep.json).
    Json,
    /// The tidy CSV (the contents of sweep.csv).
    Csv,
}

/// Arguments of `ccsim sweep`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    ccsim sweep scenarios/retail-bank.toml --vary volume=0.8..1.2:0.1 --vary agents=-2..+2 -r 20\n  \
    ccsim sweep scenarios/single-queue.toml --vary handle_time=0.9,1.0,1.1 --out sweep/\n\n\
    Factors: volume (multiplies forecast volumes), handle_time (multiplies handle times), agents \
    (added to every shift block and staffing interval). Every case runs on the same seeds.")]
pub struct Args {
    /// Scenario file (TOML).
    pub file: PathBuf,
    #[command(flatten)]
    pub run: RunOptions,
    /// A factor and its values: NAME=LOW..HIGH:STEP, NAME=LOW..HIGH (step 1) or NAME=V1,V2,...;
    /// NAME is volume, handle_time or agents. Repeat for a grid.
    #[arg(long = "vary", value_name = "NAME=VALUES", required = true)]
    pub varies: Vec<Vary>,
    /// Output on stdout.
    #[arg(long, value_enum, default_value_t = SweepFormat::Table)]
    pub format: SweepFormat,
    /// Also write sweep.csv and sweep.json into this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Runs `ccsim sweep`.
///
/// # Errors
/// Bad scenario or factors (exit 2); an output that fails (exit 1).
pub fn run(args: Args) -> anyhow::Result<()> {
    let scenario = load_scenario(&args.file, args.run.plan.as_deref())?;
    let options = args.run.options(&scenario)?;
    let n_cases = sweep::cases(&args.varies)?.len() as u64;
    let out = output_dir("--out", args.out.as_deref())?;
    let bar = progress_bar(
        Phase::Simulating,
        u64::from(options.replications) * n_cases,
        args.run.replication.quiet,
    );
    let result = sweep::sweep(&scenario, &args.varies, &options, &|| bar.tick())?;
    bar.finish();
    let json = serde_json::to_string_pretty(&result)? + "\n";
    let mut outputs = Outputs::new();
    outputs.write(out, |set| {
        set.put_with("sweep.csv", |w| sweep::write_csv(&result, w))?;
        set.put("sweep.json", json.as_bytes())
    });
    let printed = match args.format {
        SweepFormat::Json => print(&json),
        SweepFormat::Csv => print_with(|w| sweep::write_csv(&result, w)),
        SweepFormat::Table => {
            let mut text = format!(
                "{} - {} cases, {} replications each, seed {}\n{:>5} {:>7} {:>11} {:>6}  {:>17} {:>15} {:>15}\n",
                result.scenario,
                result.cases.len(),
                result.replications,
                result.seed,
                "case",
                "volume",
                "handle_time",
                "agents",
                "service level",
                "ASA s",
                "abandon rate"
            );
            for (i, c) in result.cases.iter().enumerate() {
                let o = &c.overall;
                let line = format!(
                    "{:>5} {:>7} {:>11} {:>+6}  {:>8.3} ± {:<6.3} {:>6.1} ± {:<6.1} {:>6.3} ± {:<6.3}",
                    i + 1,
                    c.case.volume,
                    c.case.handle_time,
                    c.case.agents,
                    o.service_level.mean,
                    o.service_level.half_width,
                    o.asa_s.mean,
                    o.asa_s.half_width,
                    o.abandon_rate.mean,
                    o.abandon_rate.half_width
                );
                let _ = writeln!(text, "{}", line.trim_end());
            }
            print(&text)
        }
    };
    conclude(&outputs, printed)
}
