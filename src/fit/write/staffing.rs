//! The agent groups of a fitted scenario and their staffing: the groups and skills the log
//! shows, the agents of `--staffing FILE` when given (read and checked against the fitted
//! grid here), else a placeholder sized from the offered load.

use std::fmt::Write as _;
use std::path::Path;

use super::super::Fit;
use super::super::volumes::Volumes;
use super::{Names, clock, quote};
use crate::error::BadInput;
use crate::error::plural;
use crate::limits::MAX_AGENTS;
use crate::scenario::text::ReadFailure;
use crate::time::ClockTime;

/// Placeholder staffing: agents for the offered load at this occupancy.
pub const PLACEHOLDER_OCCUPANCY: f64 = 0.85;

/// Agents logged in per interval and group, from `--staffing FILE`.
#[derive(Clone, Debug)]
pub struct Staffing {
    pub file: String,
    /// (group, agents for every interval of every scenario day, or of one day).
    pub groups: Vec<(String, Vec<u32>)>,
    /// Where each row says it belongs (its `interval` and `day` cells, when there are such
    /// columns).
    pub rows: Vec<crate::scenario::RowLabel>,
}

pub(super) fn write_groups(
    s: &mut String,
    fit: &Fit,
    names: &Names,
    types: &[usize],
    staffing: Option<&Staffing>,
) -> Result<(), BadInput> {
    let v = &fit.volumes;
    let n_intervals = v.days.len() * v.per_day;
    // Groups from the log (skills: what each answered), else from the staffing file, else one.
    let mut groups: Vec<(String, Vec<usize>)> = fit
        .log
        .groups
        .iter()
        .zip(&fit.group_skills)
        .filter(|(_, skills)| !skills.is_empty())
        .map(|(g, skills)| {
            (g.clone(), skills.iter().map(|&t| usize::from(t)).filter(|t| types.contains(t)).collect())
        })
        .collect();
    let from_log = !groups.is_empty();
    if !from_log {
        match staffing {
            Some(st) => groups = st.groups.iter().map(|(g, _)| (g.clone(), types.to_vec())).collect(),
            None => groups.push(("agents".to_string(), types.to_vec())),
        }
    }
    let mut unassigned: Vec<usize> =
        types.iter().copied().filter(|t| !groups.iter().any(|(_, sk)| sk.contains(t))).collect();
    if !unassigned.is_empty() {
        groups[0].1.append(&mut unassigned);
    }
    if let Some(st) = staffing {
        for (name, agents) in &st.groups {
            if !groups.iter().any(|(g, _)| g == name) {
                let known: Vec<&str> = groups.iter().map(|(g, _)| g.as_str()).collect();
                return Err(BadInput(format!(
                    "{}: column \"{name}\" is not an agent group of the log (groups: {})",
                    st.file,
                    known.join(", ")
                )));
            }
            if agents.len() != v.per_day && agents.len() != n_intervals {
                return Err(BadInput(format!(
                    "{}: column \"{name}\" has {}; the fitted scenario needs {} (one day of {} from {}){}",
                    st.file,
                    plural(agents.len() as u64, "row"),
                    v.per_day,
                    plural(v.per_day as u64, "interval"),
                    clock(v.first_slot as f64 * v.interval_s),
                    if v.days.len() > 1 {
                        format!(" or {n_intervals} (all {} days)", v.days.len())
                    } else {
                        String::new()
                    }
                )));
            }
        }
        // Half a staffing would leave the other groups at the placeholder, and the round trip
        // would simulate that as the staffing on the phones.
        if let Some((missing, _)) = groups.iter().find(|(g, _)| !st.groups.iter().any(|(name, _)| name == g))
        {
            let names: Vec<&str> = groups.iter().map(|(g, _)| g.as_str()).collect();
            return Err(BadInput(format!(
                "{}:1: no column for agent group \"{missing}\"; a staffing file gives the agents logged in \
                 per interval of every group that answered calls in the log: columns interval and day \
                 (both optional), then {}",
                st.file,
                names.join(", ")
            )));
        }
        check_staffing_clocks(st, v)?;
    }
    // Share of a call type's load each group carries: as answered in the log, else even.
    let answered_by = |g: usize, t: usize| -> f64 {
        let gi = fit.log.groups.iter().position(|n| *n == groups[g].0);
        match gi {
            Some(gi) if from_log && fit.call_types[t].answered > 0 => {
                fit.group_answered[gi][t] as f64 / fit.call_types[t].answered as f64
            }
            _ => 1.0 / groups.iter().filter(|(_, sk)| sk.contains(&t)).count().max(1) as f64,
        }
    };
    for (g, (name, skills)) in groups.iter().enumerate() {
        let _ = writeln!(s, "\n[[agent_groups]]");
        let _ = writeln!(s, "name = {}", quote(name));
        let skill_names: Vec<String> = skills.iter().map(|&t| quote(&fit.call_types[t].name)).collect();
        if from_log {
            let _ =
                writeln!(s, "# skills: the call types this group answered in the log, most answered first.");
        }
        let _ = writeln!(s, "skills = [{}]", skill_names.join(", "));
        let given = staffing.and_then(|st| st.groups.iter().find(|(n, _)| n == name).map(|(_, a)| (st, a)));
        let agents: Vec<u32> = match given {
            Some((st, agents)) => {
                let _ = writeln!(s, "# staffing: agents logged in per interval, from {}.", st.file);
                agents.clone()
            }
            None => {
                let _ = writeln!(
                    s,
                    "# TODO: a call log has no staffing. Placeholder: the offered load (first attempts, redials, repeats and transfers in) at {:.0}% occupancy; replace with your plan.",
                    100.0 * PLACEHOLDER_OCCUPANCY
                );
                (0..n_intervals)
                    .map(|i| {
                        let load: f64 = skills
                            .iter()
                            .map(|&t| {
                                let c = &fit.call_types[t];
                                let aht = c.handle_time.as_ref().map_or(300.0, |h| h.mean_s);
                                v.offered[t][i] * aht / v.interval_s * answered_by(g, t)
                            })
                            .sum();
                        if load > 0.0 { (load / PLACEHOLDER_OCCUPANCY).ceil().max(1.0) as u32 } else { 0 }
                    })
                    .collect()
            }
        };
        if let Some(i) = agents.iter().position(|&a| a > MAX_AGENTS) {
            return Err(BadInput(format!(
                "{}: the placeholder staffing of group \"{name}\" would be {} agents on day {} at {}, more than \
                 the cap of {MAX_AGENTS} in one interval (MAX_AGENTS): the log's volumes times its handle \
                 times are out of any center's range; check its handle-time column",
                names.log,
                agents[i],
                i / v.per_day + 1,
                clock((v.first_slot + i % v.per_day) as f64 * v.interval_s)
            )));
        }
        let rows: Vec<String> = agents
            .chunks(v.per_day)
            .map(|day| day.iter().map(u32::to_string).collect::<Vec<_>>().join(", "))
            .collect();
        let _ = writeln!(s, "staffing = [\n    {},\n]", rows.join(",\n    "));
    }
    Ok(())
}

/// A staffing CSV with an `interval` column must list the fitted grid's clock times in order,
/// and one with a `day` column the days in order, as a forecast CSV must: rows taken by
/// position from a file that starts an hour later than the log, or with two days swapped,
/// would put every headcount in the wrong interval.
fn check_staffing_clocks(st: &Staffing, v: &Volumes) -> Result<(), BadInput> {
    for (row, label) in st.rows.iter().enumerate() {
        let line = label.line;
        if let Some((col, text)) = &label.clock {
            let expected = ClockTime::from_secs((v.first_slot + row % v.per_day) as f64 * v.interval_s);
            if !ClockTime::parse(text).is_ok_and(|t| t == expected) {
                return Err(BadInput(format!(
                    "{}:{line}:{col}: column \"interval\": \"{text}\" does not match the fitted interval {expected} \
                     (row {} of a day of {} intervals of {} from {}); list the fitted grid's intervals in order",
                    st.file,
                    row % v.per_day + 1,
                    v.per_day,
                    crate::time::format_duration(v.interval_s),
                    ClockTime::from_secs(v.first_slot as f64 * v.interval_s),
                )));
            }
        }
        if let Some((col, text)) = &label.day {
            crate::scenario::check_day(text, row, v.per_day).map_err(|message| {
                BadInput(format!("{}:{line}:{col}: column \"day\": {message}", st.file))
            })?;
        }
    }
    Ok(())
}

/// Reads `--staffing FILE`: optional `interval` and `day` columns, then one column per group
/// with the agents logged in per interval (one day, or every scenario day in order).
///
/// # Errors
/// An unreadable file, a column named twice, or a cell that is not a whole number of agents.
pub fn read_staffing(path: &Path) -> Result<Staffing, BadInput> {
    let file = path.display().to_string();
    // Read whole through the cap on input files, so a file that never ends is refused.
    let text = crate::scenario::text::read(path).map_err(|failure| match failure {
        ReadFailure::Unreadable(e) => BadInput(format!("{file}: cannot read the staffing CSV: {e}")),
        ReadFailure::NotUtf8(e) => BadInput(e.to_string()),
    })?;
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| BadInput(format!("{file}:1: cannot read the header row: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let names: Vec<&str> = headers.iter().map(String::as_str).collect();
    if let Some(&(first, again)) = crate::scenario::repeated_columns(&names).first() {
        return Err(BadInput(format!(
            "{file}:1:{}: column \"{}\" is named twice in the header (columns {} and {}); each column \
             appears once",
            again + 1,
            names[again],
            first + 1,
            again + 1
        )));
    }
    let clock_col = names.iter().position(|&n| n == "interval");
    let group_cols: Vec<usize> =
        (0..headers.len()).filter(|&i| headers[i] != "interval" && headers[i] != "day").collect();
    if group_cols.is_empty() {
        return Err(BadInput(format!(
            "{file}:1: no group column; expected interval,<group>,... with agents per interval"
        )));
    }
    let mut groups: Vec<(String, Vec<u32>)> =
        group_cols.iter().map(|&i| (headers[i].clone(), Vec::new())).collect();
    let day_col = names.iter().position(|&n| n == "day");
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| BadInput(format!("{file}: not a CSV row: {e}")))?;
        let line = record.position().map_or(0, |p| p.line());
        rows.push(crate::scenario::RowLabel {
            line: line as usize,
            clock: clock_col.map(|i| (i + 1, record.get(i).unwrap_or("").to_string())),
            day: day_col.map(|i| (i + 1, record.get(i).unwrap_or("").to_string())),
        });
        for (k, &i) in group_cols.iter().enumerate() {
            let text = record.get(i).unwrap_or("");
            let agents = crate::scenario::whole_agents(text).filter(|&a| a <= MAX_AGENTS).ok_or_else(|| {
                BadInput(format!(
                    "{file}:{line}:{}: column \"{}\": \"{text}\" is not a whole number of agents from 0 to \
                     {MAX_AGENTS} (MAX_AGENTS), in decimal or scientific notation (12, 1.2e1)",
                    i + 1,
                    headers[i]
                ))
            })?;
            groups[k].1.push(agents);
        }
    }
    Ok(Staffing { file, groups, rows })
}
