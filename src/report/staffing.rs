//! Views of a [`StaffingReport`]: the terminal table (requirement per interval by method, then
//! agent-hours and the waterfall), the per-interval CSV, and the JSON contract.

use crate::error::plural;
use crate::model::SlDefinition;
use crate::report::table::Table;
use crate::report::{csv_decimal, csv_decimals, percent, percent_estimate, wrap};
use crate::staffing::{LinesBind, SimulationRequirement, StaffingReport, VoiceGoals};
use crate::time::{day_name, format_duration};

mod channels;
pub use channels::channels_note;
pub(crate) use channels::{chat_exact_note, has_chat_exact};

/// A Worst SL cell: the share with its 95% half-width, `88.9% ±9.0`; where that would pass
/// 100% (or 0%), the interval's other end, `96.5% ≥88.1`, which a share's interval keeps as
/// few columns as `±` takes (the cut `[88.1, 100]` would widen the table past 100 columns).
fn worst_sl(mean: f64, half_width: f64) -> String {
    let (low, high) = (mean - half_width, mean + half_width);
    match (half_width.is_finite() && half_width > 0.0, low < 0.0, high > 1.0) {
        (false, ..) => percent(mean),
        (true, true, true) => format!("{} [0, 100]", percent(mean)),
        (true, false, true) => format!("{} ≥{:.1}", percent(mean), low * 100.0),
        (true, true, false) => format!("{} ≤{:.1}", percent(mean), high * 100.0),
        (true, false, false) => format!("{} ±{:.1}", percent(mean), half_width * 100.0),
    }
}

/// The report as pretty JSON (the `staff --format json` contract).
pub fn json(report: &StaffingReport) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("a staffing report always serialises");
    text.push('\n');
    text
}

/// Per interval, summed over call types (analytic) or groups (simulation).
pub(crate) struct IntervalTotals {
    pub(crate) label: String,
    pub(crate) load: f64,
    pub(crate) erlang_c: u32,
    /// Erlang A, a call type without patience counting its Erlang C figure (as the agent-hours
    /// do), so that it stays a requirement the plan can be judged against.
    pub(crate) erlang_a: u32,
    /// Whether any call type of the interval has an Erlang A figure: where none has patience,
    /// the column would only repeat Erlang C under another name, so it shows `-` as the JSON's
    /// `null` and the CSV's empty cell do.
    pub(crate) erlang_a_applies: bool,
    pub(crate) simulation: Option<u32>,
    /// Agents required on duty, summed over groups: the simulation's requirement, else the
    /// analytic one per group (call types a group answers pooled, chats by the estimate, email
    /// by its workload); what `scheduled` is this after shrinkage of.
    pub(crate) required: u32,
    pub(crate) scheduled: u32,
    pub(crate) plan: f64,
    pub(crate) worst_sl: Option<(f64, f64)>,
    /// Chat estimate, summed over chat types.
    pub(crate) chat: u32,
    /// With `--chat-model exact`: the exact chat model's requirement, summed over chat types;
    /// `None` where a chat type's is past the model's state limit (no sum to show).
    pub(crate) chat_exact: Option<u32>,
    /// Email workload (agents), summed over email types.
    pub(crate) email: f64,
}

impl IntervalTotals {
    /// The Erlang A cell of the tables: `-` where no call type has an Erlang A figure.
    pub(crate) fn erlang_a_cell(&self) -> String {
        if self.erlang_a_applies { self.erlang_a.to_string() } else { "-".into() }
    }
}

/// Whether a real-time call type has an Erlang C figure but no Erlang A one (no patience):
/// the tables then say what their Erlang A column shows for it.
pub(crate) fn lacks_patience(r: &StaffingReport) -> bool {
    r.intervals.iter().any(|x| x.erlang_c.is_some() && x.erlang_a.is_none())
}

/// What the Erlang A column shows for call types without patience, under the tables.
pub(crate) const ERLANG_A_WITHOUT_PATIENCE: &str = "Erlang A: - where no call type has patience (nobody abandons, which only Erlang A models;\n\
     JSON erlang_a null); where some do, one without counts its Erlang C figure, as in the\n\
     agent-hours.\n";

pub(crate) fn totals(r: &StaffingReport) -> Vec<IntervalTotals> {
    let n = r.plan.agents.len();
    let n_types = r.intervals.len().checked_div(n).unwrap_or(0);
    let final_groups = r.simulation.as_ref().map_or(&r.analytic_groups, |s| &s.groups);
    (0..n)
        .map(|idx| {
            let rows = &r.intervals[idx * n_types..(idx + 1) * n_types];
            let first = &rows[0];
            let label = r.grid.interval_label(first.day, &first.start);
            // Email is judged per day of arrival, not per interval: an interval's emails wait
            // overnight by design, and the last evening's are still open when the run ends.
            let worst_sl = r.simulation.as_ref().and_then(|s| {
                s.achieved[idx * n_types..(idx + 1) * n_types]
                    .iter()
                    .zip(rows)
                    .filter(|(a, row)| {
                        row.email_workload_agents.is_none() && a.service_level.mean.is_finite()
                    })
                    .map(|(a, _)| (a.service_level.mean, a.service_level.half_width))
                    .min_by(|a, b| a.0.total_cmp(&b.0))
            });
            IntervalTotals {
                label,
                load: rows.iter().map(|x| x.load_erlangs).sum(),
                erlang_c: rows.iter().map(|x| x.erlang_c.unwrap_or(0)).sum(),
                erlang_a: rows.iter().map(|x| x.erlang_a.or(x.erlang_c).unwrap_or(0)).sum(),
                erlang_a_applies: rows.iter().any(|x| x.erlang_a.is_some()),
                simulation: r
                    .simulation
                    .as_ref()
                    .map(|s| s.groups.iter().map(|g| g.intervals[idx].agents).sum()),
                required: final_groups.iter().map(|g| g.intervals[idx].agents).sum(),
                scheduled: final_groups.iter().map(|g| g.intervals[idx].scheduled).sum(),
                plan: r.plan.agents[idx],
                worst_sl,
                chat: rows.iter().map(|x| x.erlang_c_chat.unwrap_or(0)).sum(),
                chat_exact: rows.iter().filter_map(|x| x.chat_exact).sum(),
                email: rows.iter().map(|x| x.email_workload_agents.unwrap_or(0.0)).sum(),
            }
        })
        .collect()
}

/// The search's last word: that every interval meets the goal, or what still misses it and by
/// how much, so that a planner can tell a cell a point short from a day far off.
fn convergence(s: &crate::staffing::SimulationRequirement, noun: &str) -> String {
    let (converged, shortfall) = (s.converged, &s.shortfall);
    if converged {
        // The search judged these callers only: on fresh ones the means move by about their
        // half-widths, and a cell that just met its goal can miss it.
        let check = "check the requirement with `ccsim simulate FILE --plan requirement.toml --seed N`.";
        let Some(p) = s.risk else {
            return format!(
                "Every interval meets its goals on the search's replications. On other seeds a cell \
                 that only just meets its goal can miss it: {check}"
            );
        };
        // A share counted on a few replications is itself uncertain: the fewest that pass, out
        // of those the search ran, still leave a wide interval for a fresh day.
        let n = s.replications as usize;
        let k = ((p * n as f64) - 1e-9).ceil() as usize;
        let share = crate::risk::binomial_estimate(k, n);
        return format!(
            "Every interval meets its goals on the search's replications: on average, and on at least \
             {} of them. That share is counted on {n} replications, and {k} of {n} leaves the true share \
             anywhere from {:.1}% to {:.1}% (95% interval): on other seeds a cell can meet its goal \
             less often (more replications, -r, narrow this); {check}",
            percent(p),
            share.low * 100.0,
            share.high * 100.0,
        );
    }
    let mut parts = Vec::new();
    if shortfall.cells_missed > 0 {
        let mut part = format!(
            "{} the goal",
            n_of(
                shortfall.cells_missed,
                shortfall.cells,
                &format!("intervals with {noun} (per call type)"),
                ("misses", "miss")
            )
        );
        if shortfall.worst_gap > 0.0 {
            part.push_str(&format!(", the worst by {:.1} points on the mean", shortfall.worst_gap * 100.0));
        }
        if shortfall.cells_lines_bind > 0 {
            let which = which_of(shortfall.cells_lines_bind, shortfall.cells_missed, ("is", "are"));
            part.push_str(&format!(
                "; {which} where the telephone lines bind (staffed with every agent the lines let take \
                 calls, or raised without any gain): the goal cannot be met with these lines"
            ));
        }
        if shortfall.cells_no_gain > 0 {
            let which = which_of(shortfall.cells_no_gain, shortfall.cells_missed, ("was", "were"));
            part.push_str(&format!(
                "; {which} raised without any gain (more agents there improved none of its figures: it \
                 misses for contacts the interval's agents do not reach, such as transfers or redials \
                 arriving at closing time) and left at the agents before that raise"
            ));
        }
        parts.push(part);
    }
    if shortfall.occupancy_missed > 0 {
        parts.push(format!(
            "{} busier than the occupancy cap",
            n_of(
                shortfall.occupancy_missed,
                shortfall.occupancy_cells,
                "group intervals with agents",
                ("is", "are")
            )
        ));
    }
    if shortfall.email_days_missed > 0 {
        parts.push(format!(
            "{} the email goal",
            n_of(
                shortfall.email_days_missed,
                shortfall.email_days,
                "email days (by day of arrival)",
                ("misses", "miss")
            )
        ));
    }
    if parts.is_empty() {
        // The search never gets here (it converges exactly when nothing misses); a report
        // deserialised from its JSON does, since the shortfall is not in the JSON.
        return "NOT converged: some intervals miss the goal.".to_string();
    }
    format!("NOT converged: {}. The Worst SL column shows each interval's lowest.", parts.join("; "))
}

/// The goals voice is held to beyond the service level, as the requirement judges them.
fn voice_goals_line(v: &VoiceGoals) -> String {
    let mut each = Vec::new();
    if let Some(asa) = v.asa_goal_s {
        each.push(format!("ASA at most {}", format_duration(asa)));
    }
    if let Some(max) = v.max_abandon {
        each.push(format!("abandoned at most {}", percent(max)));
    }
    if let Some(max) = v.max_occupancy {
        each.push(format!("occupancy at most {}", percent(max)));
    }
    format!("Voice, each interval: {}", each.join(", "))
}

/// The terminal report. Fits 100 columns.
pub fn table(r: &StaffingReport) -> String {
    let mut out = format!(
        "{} | staffing requirement | shrinkage {}\n{}\n",
        r.scenario,
        percent(r.shrinkage),
        crate::report::channels::goal_line_of(
            r.service_level.goal,
            r.service_level.target,
            r.service_level.definition,
            &r.channel_goals,
        ),
    );
    if let Some(v) = &r.voice_goals {
        out.push_str(&voice_goals_line(v));
        out.push('\n');
    }
    let has_chat = r.intervals.iter().any(|x| x.erlang_c_chat.is_some());
    let has_email = r.intervals.iter().any(|x| x.email_workload_agents.is_some());
    let has_exact = has_chat_exact(r);
    // Chats and emails are no calls: a run with them counts contacts, as `simulate` does.
    let noun = if has_chat || has_email { "contacts" } else { "calls" };
    if let Some(s) = &r.simulation {
        out.push_str(&format!(
            "Simulation search: {} per step, seed {}, {}\n{}\n",
            plural(u64::from(s.replications), "replication"),
            s.seed,
            plural(s.iterations as u64, "simulation"),
            wrap(&convergence(s, noun), 100)
        ));
    }
    out.push('\n');
    // The exact chat column's room comes from the load's unit, which the note under the table
    // gives: with it the table still fits 100 columns.
    let load = if has_exact { "Load" } else { "Load (Erl)" };
    let mut headers = vec![if r.grid.days > 1 { "Interval" } else { "Start" }, load, "Erlang C", "Erlang A"];
    if has_chat {
        headers.push("Chat*");
    }
    if has_exact {
        headers.push("Exact");
    }
    if has_email {
        headers.push("Email wl");
    }
    // Short headers, explained under the table: with chat and email columns too, the table
    // still fits 100 columns.
    headers.extend(["Sim.", "Scheduled", "Plan now", "Worst SL"]);
    let mut t = Table::new(&headers);
    // Whether a Worst SL cell shows its interval's other end ([`worst_sl`]), to say what it is.
    let mut cut = false;
    for row in totals(r) {
        if row.load == 0.0 && row.plan == 0.0 && row.scheduled == 0 {
            continue;
        }
        let erlang_a = row.erlang_a_cell();
        let mut cells = vec![row.label, format!("{:.1}", row.load), row.erlang_c.to_string(), erlang_a];
        if has_chat {
            cells.push(row.chat.to_string());
        }
        if has_exact {
            cells.push(row.chat_exact.map_or("-".into(), |a| a.to_string()));
        }
        if has_email {
            cells.push(format!("{:.2}", row.email));
        }
        cells.extend([
            row.simulation.map_or("-".into(), |s| s.to_string()),
            row.scheduled.to_string(),
            format!("{:.1}", row.plan),
            row.worst_sl.map_or("-".into(), |(m, h)| worst_sl(m, h)),
        ]);
        cut |= cells.last().is_some_and(|c| c.contains(['≥', '≤', '[']));
        t.row(cells);
    }
    out.push_str(&t.render());
    if let Some(s) = &r.simulation {
        out.push_str(&email_days(s, r.grid.first_weekday));
        let intervals: Vec<(usize, &str)> = (s.groups.first().into_iter())
            .flat_map(|g| g.intervals.iter().map(|row| (row.day, row.start.as_str())))
            .collect();
        let groups = s.groups.iter().map(|g| g.name.as_str());
        out.push_str(&lines_bind_note(&s.lines_bind, groups, &intervals, &r.grid));
    }
    if has_chat || has_email {
        out.push_str(&channels_note(has_chat, has_email));
    }
    if has_exact {
        out.push_str(&chat_exact_note(r));
    }
    out.push_str(&wrap(
        &format!(
            "\nLoad: work offered in the interval, all call types (fresh contacts x mean handle time / \
             interval length, Erl){}.\n",
            if has_email { "; an email type's initial backlog is offered in the first interval" } else { "" }
        ),
        100,
    ));
    out.push_str(
        "Agents on duty (taking calls). Erlang C / Erlang A: sum of per-call-type requirements;\n\
         Sim.: simulation, sum over groups (a multi-skilled agent counted once). Scheduled: after\n\
         shrinkage. Plan now: on duty in the current plan, as scheduled (time-average, agents who stay\n\
         past their shift to finish a call not counted).\n\
         Worst SL: service level achieved with the simulation requirement, lowest call type,\n\
         ± 95% half-width (pt).\n",
    );
    if lacks_patience(r) {
        out.push_str(ERLANG_A_WITHOUT_PATIENCE);
    }
    if cut {
        out.push_str(
            "≥ low: where ± would pass 100%, the 95% interval runs from low to 100% (≤ high: from 0% to\n\
             high; [0, 100]: it bounds nothing, too few replications).\n",
        );
    }
    if let Some(p) = r.simulation.as_ref().and_then(|s| s.risk) {
        out.push_str(&wrap(
            &format!(
                "With --risk: Sim. and Scheduled are raised until every interval meets its goal on {} \
                 of {}.",
                percent(p),
                crate::report::replication_noun(r.grid.days, true)
            ),
            100,
        ));
        out.push('\n');
    }
    if has_email {
        out.push_str("Email has no Worst SL: it is judged per day of arrival, not per interval.\n");
    }
    out.push_str("\nAgent-hours, from Erlang C to scheduled\n");
    let mut w = Table::new(&["Step", "Agent-hours (h)"]);
    for s in &r.waterfall {
        let value = if s.kind == "total" {
            format!("{:.1}", s.agent_hours)
        } else {
            format!("{:+.1}", s.agent_hours)
        };
        let label = if s.kind == "total" { format!("= {}", s.label) } else { format!("  {}", s.label) };
        w.row([label, value]);
    }
    out.push_str(&w.render());
    out
}

/// Each email type's service level by day of arrival, as the search judged it, under the
/// table (nothing without email).
fn email_days(s: &SimulationRequirement, first_weekday: Option<usize>) -> String {
    let Some(goal) = &s.email_goal else { return String::new() };
    let mut out = String::new();
    let mut names: Vec<&str> = s.email_days.iter().map(|d| d.call_type.as_str()).collect();
    names.dedup();
    for name in names {
        let days: Vec<String> = (s.email_days.iter().filter(|d| d.call_type == name))
            .map(|d| format!("{} {}", day_name(d.day, first_weekday), percent_estimate(&d.service_level)))
            .collect();
        let open = (s.email_open_at_end.iter().find(|o| o.call_type == name)).map_or(String::new(), |o| {
            format!(
                " Still open when the run ends (answered after it, or never): {} emails.",
                crate::report::count_estimate(&o.open)
            )
        });
        out.push_str(&wrap(
            &format!(
                "\nEmail \"{name}\" by day of arrival, answered within {}{} (goal {}): {}.{open}",
                format_duration(goal.target),
                if goal.definition == SlDefinition::Answered { " of those answered" } else { "" },
                crate::report::goal_percent(goal.goal),
                days.join(", ")
            ),
            100,
        ));
        out.push('\n');
    }
    out
}

/// Where the telephone lines bind, per group, under a table (`staff`'s and `schedule`'s): runs
/// of intervals in a row with the same lines (nothing where the lines bind nowhere).
/// `intervals` are the grid's (day, start) in order.
pub fn lines_bind_note<'a>(
    binds: &[LinesBind],
    groups: impl IntoIterator<Item = &'a str>,
    intervals: &[(usize, &str)],
    grid: &crate::summary::GridInfo,
) -> String {
    let mut out = String::new();
    for group in groups {
        // (first interval, last interval, lines) of each run.
        let mut runs: Vec<(usize, usize, u32)> = Vec::new();
        for (i, &(day, start)) in intervals.iter().enumerate() {
            let bind = binds.iter().find(|b| b.group == group && b.day == day && b.start == start);
            let Some(bind) = bind else { continue };
            match runs.last_mut() {
                Some((_, last, lines)) if *last + 1 == i && *lines == bind.lines => *last = i,
                _ => runs.push((i, i, bind.lines)),
            }
        }
        if runs.is_empty() {
            continue;
        }
        let label = |i: usize| grid.interval_label(intervals[i].0, intervals[i].1);
        let each: Vec<String> = (runs.iter())
            .map(|&(first, last, lines)| {
                let lines = plural(u64::from(lines), "line");
                if first == last {
                    format!("{} ({lines})", label(first))
                } else {
                    format!("{} to {} ({lines})", label(first), label(last))
                }
            })
            .collect();
        out.push_str(&wrap(
            &format!(
                "\nLines bind for \"{group}\" (every agent the lines let take calls is on duty, and a goal is \
                 still missed: blocked calls count as offered and missed): {}.",
                each.join(", ")
            ),
            100,
        ));
        out.push('\n');
    }
    out
}

/// One row per interval and call type: the analytic requirements and, when simulated, the
/// achieved service level.
pub fn csv(r: &StaffingReport) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let has_chat = r.intervals.iter().any(|x| x.erlang_c_chat.is_some());
    let has_email = r.intervals.iter().any(|x| x.email_workload_agents.is_some());
    let mut header = vec![
        "day",
        "start (HH:MM)",
        "call_type",
        "load (Erlangs)",
        "erlang_c (agents)",
        "erlang_a (agents)",
        "simulated service_level (share)",
        "service_level half_width (95%)",
    ];
    if has_chat {
        header.push("erlang_c_chat (agents)");
    }
    // Only with `--chat-model exact`, so that the default CSV keeps its columns; an empty cell
    // in a chat row is past the exact model's state limit (the JSON's `chat_exact` null).
    let has_exact = has_chat_exact(r);
    if has_exact {
        header.push("chat_exact (agents)");
    }
    if has_email {
        header.push("email_workload (agents)");
    }
    w.write_record(&header)?;
    let share = |v: f64| csv_decimal(v, csv_decimals("share"));
    for (i, row) in r.intervals.iter().enumerate() {
        let achieved = r.simulation.as_ref().map(|s| &s.achieved[i].service_level);
        let mut record = vec![
            row.day.to_string(),
            row.start.clone(),
            row.call_type.clone(),
            csv_decimal(row.load_erlangs, csv_decimals("Erlangs")),
            row.erlang_c.map_or(String::new(), |v| v.to_string()),
            row.erlang_a.map_or(String::new(), |v| v.to_string()),
            achieved.map_or(String::new(), |e| share(e.mean)),
            achieved.map_or(String::new(), |e| share(e.half_width)),
        ];
        if has_chat {
            record.push(row.erlang_c_chat.map_or(String::new(), |v| v.to_string()));
        }
        if has_exact {
            record.push(row.chat_exact.flatten().map_or(String::new(), |v| v.to_string()));
        }
        if has_email {
            record.push(
                row.email_workload_agents.map_or(String::new(), |v| csv_decimal(v, csv_decimals("agents"))),
            );
        }
        w.write_record(&record)?;
    }
    Ok(w.into_inner()?)
}

/// The requirement per agent group and interval: `day,start,group,agents,scheduled`.
pub fn groups_csv(r: &StaffingReport) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["day", "start (HH:MM)", "group", "agents (on duty)", "scheduled (after shrinkage)"])?;
    let groups = r.simulation.as_ref().map_or(&r.analytic_groups, |s| &s.groups);
    for g in groups {
        for i in &g.intervals {
            w.write_record([
                i.day.to_string(),
                i.start.clone(),
                g.name.clone(),
                i.agents.to_string(),
                i.scheduled.to_string(),
            ])?;
        }
    }
    Ok(w.into_inner()?)
}

/// `n of total what` and the verb, agreeing with `n` (`1 of 4 days misses`, `2 of 4 days miss`).
fn n_of(n: usize, total: usize, what: &str, (one, many): (&str, &str)) -> String {
    format!("{n} of {total} {what} {}", if n == 1 { one } else { many })
}

/// `n` of the `of` missed cells, with the verb agreeing: "it is", "all of them are", "1 of them
/// is", "3 of them are".
fn which_of(n: usize, of: usize, (one, many): (&str, &str)) -> String {
    match (n, of) {
        (1, 1) => format!("it {one}"),
        (n, m) if n == m => format!("all of them {many}"),
        (1, _) => format!("1 of them {one}"),
        (n, _) => format!("{n} of them {many}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Worst SL is never shown past 100% or below 0%: where `±` would pass an end, the
    /// interval's other end is shown, and the cell takes no more columns than `±` does.
    #[test]
    fn a_worst_sl_interval_stays_within_0_and_100_percent() {
        assert_eq!(worst_sl(0.889, 0.09), "88.9% ±9.0");
        assert_eq!(worst_sl(0.965, 0.084), "96.5% ≥88.1");
        assert_eq!(worst_sl(0.05, 0.07), "5.0% ≤12.0");
        assert_eq!(worst_sl(0.818, 1.237), "81.8% [0, 100]");
        assert_eq!(worst_sl(0.9, f64::NAN), "90.0%");
        assert_eq!(worst_sl(0.9, 0.0), "90.0%");
        let widest = ["88.9% ±19.0", "96.5% ≥88.1", "5.0% ≤12.0"].map(|c| c.chars().count());
        assert!(widest.iter().all(|&w| w <= "88.9% ±19.0".chars().count()));
    }
}
