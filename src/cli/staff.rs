//! `ccsim staff`: required agents per interval by Erlang C, Erlang A and simulation, and the
//! agent-hours each effect adds.

use std::path::PathBuf;

use crate::cli::args::{ReportArgs, help_of};
use crate::cli::{Bars, RunOptions, conclude, load_scenario, output_dir, print};
use crate::error::BadInput;
use crate::model::Channel;
use crate::report::chart::family;
use crate::report::chart::staffing::staffing_chart_set;
use crate::report::html;
use crate::report::output::{Held, Input, Outputs, refuse_overlaps};
use crate::report::staffing as view;
use crate::staffing::{ChatModel, Method};
use crate::usecase::staff;

/// Output on stdout of `ccsim staff`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum StaffFormat {
    /// Aligned table with units, for people.
    Table,
    /// JSON, for scripts (a documented contract).
    Json,
    /// One row per interval and call type.
    Csv,
}

/// The files of `staff --out DIR`.
const OUT_FILES: [&str; 4] = ["requirement.toml", "staffing.json", "staffing.csv", "requirement.csv"];

/// Arguments of `ccsim staff`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    ccsim staff scenarios/retail-bank.toml\n  \
    ccsim staff scenarios/retail-bank.toml --method erlang-c --format csv\n  \
    ccsim staff scenarios/retail-bank.toml --out staffing/ --charts staffing/\n  \
    ccsim staff scenarios/omnichannel.toml --method erlang-c --chat-model exact\n  \
    ccsim simulate scenarios/retail-bank.toml --plan staffing/requirement.toml\n\n\
    Erlang C and Erlang A are always shown; `simulation` and `all` add the simulation search \
    (`all` also runs it without transfers and without redials/repeats, for the waterfall).")]
#[command(mut_args(help_of(&[(
    "charts",
    "Write staffing.png (required and planned agents by interval), waterfall.png (from Erlang C \
     agent-hours to the agent-hours to schedule) and, for a run of several days, \
     staffing_heatmap.png (on duty minus required, by day and interval) into this directory"
)])))]
pub struct Args {
    /// Scenario file (TOML).
    pub file: PathBuf,
    /// Which requirement to compute.
    #[arg(long, value_enum, default_value_t = Method::All)]
    pub method: Method,
    /// Replications, seed, threads, and a plan to compare against (`--plan`).
    #[command(flatten)]
    pub run: RunOptions,
    /// Output on stdout.
    #[arg(long, value_enum, default_value_t = StaffFormat::Table)]
    pub format: StaffFormat,
    /// Write requirement.toml (a plan of per-interval staffing, usable with `--plan`),
    /// staffing.json, staffing.csv and requirement.csv into this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Charts (staffing.png, waterfall.png, staffing_heatmap.png) and the HTML report.
    #[command(flatten)]
    pub output: ReportArgs,
    /// Staff each interval so that the goal is met in at least this share of replications
    /// (days), over the scenario's `[uncertainty]` and `[[events]]`, not only on the mean;
    /// e.g. 0.9. Needs `--method simulation` or `all`.
    #[arg(long, value_name = "P", allow_negative_numbers = true)]
    pub risk: Option<f64>,
    /// The chat model of chat call types: `estimate` (Erlang C on the primary group's
    /// full-concurrency throughput, an approximation), or `exact`, which also gives the exact
    /// chat model's required agents (the Markov chain of agents holding 0..K chats, as `ccsim
    /// erlang --model chat-exact`) beside the estimate, per chat type and interval, at the
    /// primary group's concurrency and factors and the call type's mean patience. Where the
    /// goal needs a chain past the model's state limit the exact figure is empty and the cell
    /// is named: the estimate stands there. The requirement, the waterfall and the simulation
    /// search keep the estimate. Needs a scenario with a chat call type.
    #[arg(long, value_enum, value_name = "MODEL", default_value_t = ChatModel::Estimate)]
    pub chat_model: ChatModel,
}

/// Runs `ccsim staff`.
///
/// # Errors
/// Bad scenario files or an unwritable output path (exit 2, before the searches); an output
/// that fails after them (exit 1, once the report is printed and the other outputs written).
pub fn run(args: Args) -> anyhow::Result<()> {
    let scenario = load_scenario(&args.file, args.run.plan.as_deref())?;
    let options = args.run.options(&scenario)?;
    if let Some(p) = args.risk {
        if !(p > 0.0 && p < 1.0) {
            return Err(BadInput(format!("--risk: must be a share in (0, 1), e.g. 0.9, got {p}")).into());
        }
        if !matches!(args.method, Method::Simulation | Method::All) {
            return Err(BadInput(
                "--risk: needs the simulation search (--method simulation or all); the formulas \
                 give only means"
                    .into(),
            )
            .into());
        }
    }
    if !matches!(args.method, Method::Simulation | Method::All) {
        let r = &args.run.replication;
        let given = [
            ("-r/--replications", r.replications.is_some()),
            ("--seed", r.seed.is_some()),
            ("--threads", r.threads.is_some()),
        ];
        if let Some((flag, _)) = given.iter().find(|(_, given)| *given) {
            return Err(BadInput(format!(
                "{flag}: is for the simulation search (--method simulation or all); --method {} \
                 simulates nothing",
                clap::ValueEnum::to_possible_value(&args.method)
                    .map_or_else(String::new, |v| v.get_name().to_string())
            ))
            .into());
        }
    }
    if args.chat_model == ChatModel::Exact && !scenario.call_types.iter().any(|c| c.channel == Channel::Chat)
    {
        return Err(BadInput(format!(
            "--chat-model exact: {} has no chat call type (channel = \"chat\"), so there is nothing for \
             the exact chat model to staff; give it for a scenario with chat, or leave it out",
            args.file.display()
        ))
        .into());
    }
    refuse_overlaps(
        &Input::with_scenario(&[("FILE", Some(&args.file)), ("--plan", args.run.plan.as_deref())], &scenario),
        &[("--report", args.output.report.as_deref())],
        &[("--out", args.out.as_deref(), Held::Files(&OUT_FILES)), args.output.chart.held(&family::STAFFING)],
    )?;
    // Outputs are opened before the searches: an unwritable path fails now, not after them.
    let out = output_dir("--out", args.out.as_deref(), &OUT_FILES)?;
    let charts_and_report = args.output.open(&family::STAFFING)?;
    let request =
        staff::Request { method: args.method, options, risk: args.risk, chat_model: args.chat_model };
    let result = staff::staff(&scenario, &request, &Bars::new(args.run.replication.quiet))?;
    let r = &result.report;
    let mut outputs = Outputs::new();
    outputs.write(out, |set| {
        set.put("requirement.toml", staff::requirement_toml(&scenario, &result, args.method).as_bytes())?;
        set.put("staffing.json", view::json(r).as_bytes())?;
        set.put("staffing.csv", &view::csv(r)?)?;
        set.put("requirement.csv", &view::groups_csv(r)?)
    });
    charts_and_report.write(
        &mut outputs,
        (&scenario, &args.file),
        || staffing_chart_set(r),
        |run| html::planning::staff_report(r, run, options.seed, options.replications),
    );
    let printed = match args.format {
        StaffFormat::Table => print(&view::table(r)),
        StaffFormat::Json => print(&view::json(r)),
        StaffFormat::Csv => view::csv(r).and_then(|csv| print(&String::from_utf8_lossy(&csv))),
    };
    conclude(&outputs, printed)
}
