//! Who works when: shifts and staffing vectors, from a scenario or from a plan file (TOML or
//! CSV), checked against the scenario's groups and interval grid.
//!
//! A shift is a block of identical agents: log-in, log-out (or a length; it may cross
//! midnight), breaks by clock time, and optionally the days it is worked. A group is worked
//! by shifts or by a staffing vector, never both, so the two cannot silently add up.

use std::path::Path;

use super::days::Days;
use super::distribution::positive_minutes;
use super::field::{FieldPath, Problems, Sink, did_you_mean, suggest, unknown_name};
use super::source::{BreakFile, Duration, ShiftFile, StaffingVectorFile};
use crate::error::ScenarioError;
use crate::limits::{MAX_AGENT_DAYS, MAX_AGENTS};
use crate::model::{AgentGroupId, GroupStaffing, Shift, ShiftBreak};
use crate::time::{ClockTime, DAY, IntervalGrid, format_duration};

/// What plan validation checks names and times against.
pub struct PlanContext<'a> {
    /// Agent group names, by id.
    pub groups: &'a [String],
    /// The scenario's grid; `None` when it could not be set (the checks that need it are
    /// left out, the others still run).
    pub grid: Option<&'a IntervalGrid>,
    /// The scenario's days.
    pub days: Days,
}

impl PlanContext<'_> {
    /// The id of a group name, or an error with the closest name.
    pub fn group(&self, sink: &mut impl Sink, name: &str, path: &FieldPath) -> Option<AgentGroupId> {
        match self.groups.iter().position(|g| g == name) {
            Some(i) => Some(AgentGroupId(i as u16)),
            None => {
                let known: Vec<&str> = self.groups.iter().map(String::as_str).collect();
                if let Some(message) = unknown_name("agent group", name, &known) {
                    sink.error(path, message);
                }
                None
            }
        }
    }
}

/// The error for a plan none of whose agent groups (`named`, as written in it) is one of the
/// scenario's, or a misspelling of one: each entry is refused at its own line already, and
/// this says once what they have in common, since a plan made for another scenario is the
/// likely cause.
pub fn for_another_scenario(named: &[&str], scenario: &crate::model::Scenario) -> Option<String> {
    let groups: Vec<&str> = scenario.agent_groups.iter().map(|g| g.name.as_str()).collect();
    let near = |n: &str| groups.contains(&n) || did_you_mean(n, groups.iter().copied()).is_some();
    if named.is_empty() || named.iter().any(|n| near(n)) {
        return None;
    }
    let mut distinct: Vec<&str> = Vec::new();
    for n in named {
        if !distinct.contains(n) {
            distinct.push(n);
        }
    }
    let quoted = |names: &[&str]| names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
    Some(format!(
        "none of the plan's agent groups ({}) is one of {}'s ({}): is it a plan for another scenario?",
        quoted(&distinct),
        scenario.source.display(),
        quoted(&groups)
    ))
}

/// A clock-time field.
pub fn clock(sink: &mut impl Sink, text: &str, path: &FieldPath) -> Option<ClockTime> {
    ClockTime::parse(text).map_err(|message| sink.error(path, message)).ok()
}

/// A clock time at which something starts: `24:00` is the end of a day, not a start.
pub fn start_clock(sink: &mut impl Sink, text: &str, path: &FieldPath) -> Option<ClockTime> {
    let t = clock(sink, text, path)?;
    if t.secs() >= DAY {
        sink.error(path, "24:00 ends a day; a start is between 00:00 and 23:59 (use 00:00)".to_string());
        return None;
    }
    Some(t)
}

/// Validates shifts (at `path[i]`); `None` when any is wrong, or could not be read (`None` in
/// `raw`: its problems are reported already, and the others are still checked).
pub fn shifts<'a>(
    sink: &mut impl Sink,
    raw: impl IntoIterator<Item = Option<&'a ShiftFile>>,
    path: &FieldPath,
    ctx: &PlanContext,
) -> Option<Vec<Shift>> {
    let out: Vec<Option<Shift>> =
        (raw.into_iter().enumerate()).map(|(i, s)| shift(sink, s?, &path.index(i), ctx)).collect();
    let shifts: Vec<Shift> = out.into_iter().collect::<Option<_>>()?;
    let agent_days: u64 =
        shifts.iter().map(|s| u64::from(s.agents) * s.days_worked(ctx.days.count) as u64).sum();
    if agent_days > MAX_AGENT_DAYS {
        sink.error(
            path,
            format!(
                "the shifts make {agent_days} agent-days (agents x days worked), more than the cap of \
                 {MAX_AGENT_DAYS} (MAX_AGENT_DAYS)"
            ),
        );
        return None;
    }
    Some(shifts)
}

fn shift(sink: &mut impl Sink, raw: &ShiftFile, path: &FieldPath, ctx: &PlanContext) -> Option<Shift> {
    let group = raw.group.as_ref().and_then(|g| ctx.group(sink, g, &path.key("group")));
    let start = raw.start.as_ref().and_then(|s| start_clock(sink, s, &path.key("start")));
    let length = match (&raw.end, &raw.length) {
        (Some(_), Some(_)) => {
            sink.error(&path.key("length"), "give either `end` or `length`, not both".to_string());
            None
        }
        (None, None) => {
            sink.error(
                &path.key("end"),
                "missing: give `end` (a clock time) or `length` (a duration)".to_string(),
            );
            None
        }
        (Some(end), None) => {
            let end_path = path.key("end");
            match (start, clock(sink, end, &end_path)) {
                (Some(s), Some(e)) if s.secs() == e.secs() => {
                    sink.error(&end_path, format!("the shift ends when it starts ({end}); a shift lasts more than 0 and at most 24 hours"));
                    None
                }
                // An end before the start is on the next day: the shift crosses midnight.
                (Some(s), Some(e)) if e.secs() > s.secs() => Some(e.secs() - s.secs()),
                (Some(s), Some(e)) => Some(e.secs() + DAY - s.secs()),
                _ => None,
            }
        }
        (None, Some(length)) => {
            let length_path = path.key("length");
            match positive_minutes(sink, length, &length_path, "log-out times") {
                Some(l) if l > DAY => {
                    sink.error(&length_path, format!("{} is longer than 24 hours", format_duration(l)));
                    None
                }
                other => other,
            }
        }
    };
    if raw.agents > MAX_AGENTS {
        sink.error(
            &path.key("agents"),
            format!("{} agents is more than the cap of {MAX_AGENTS} on one shift (MAX_AGENTS)", raw.agents),
        );
    }
    let never = "the shift would never be worked";
    let days = raw.days.as_ref().map(|days| ctx.days.resolve(sink, days, &path.key("days"), never));
    let (start, length) = (start?, length?);
    let breaks = breaks(sink, &raw.breaks, &path.key("breaks"), start, length)?;
    let days = match days {
        None => None,
        Some(days) => Some(days?),
    };
    if raw.agents > MAX_AGENTS {
        return None;
    }
    let shift = Shift { group: group?, start, length, agents: raw.agents, breaks, days };
    let Some(grid) = ctx.grid else { return Some(shift) };
    if shift.on_duty_shares(grid).iter().all(|&a| a <= 0.0) {
        sink.error(
            &path.key("start"),
            format!(
                "the shift {}–{} is never on duty while the center is open ({}); \
                 move it inside the open hours",
                shift.start,
                shift.end(),
                grid.open_hours()
            ),
        );
        return None;
    }
    if let Some(past) = past_closing(&shift, grid) {
        let field = if raw.end.is_some() { "end" } else { "length" };
        let past = format_duration(past);
        sink.warn(
            &path.key(field),
            format!(
                "the shift {}–{} runs {past} past the last open interval of its day (the center closes at \
                 {}): no contact arrives in that {past}, which is paid and only works off what is still \
                 waiting or in hand at closing; end the shift by closing time",
                shift.start,
                shift.end(),
                ClockTime::from_secs(grid.end_of(grid.per_day() - 1))
            ),
        );
    }
    Some(shift)
}

/// How long `shift` runs on after the center closes, when it ends in the closed hours: from
/// the close of the day's last interval it worked (or from log-in, if later) to log-out. The
/// grid's hours are the same every day, and a shift that runs into the next day's open hours
/// (a night shift of a center open round the clock, or one that closes at 02:00) does not run
/// past them; nor does the last day's, which the first morning's log-in mirrors (a week that
/// repeats, as [`Shift::log_ins`] has it). `None` when it ends while the center is open or at
/// its close.
fn past_closing(shift: &Shift, grid: &IntervalGrid) -> Option<f64> {
    let open = grid.per_day() as f64 * grid.length();
    if open >= DAY {
        return None;
    }
    let log_out = shift.start.secs() + shift.length;
    // The last opening before log-out (clock times are whole minutes: a second before it is
    // after any earlier opening), and its close.
    let opens = grid.start().secs() + ((log_out - 1.0 - grid.start().secs()) / DAY).floor() * DAY;
    let closes = opens + open;
    let past = log_out - closes.max(shift.start.secs());
    (log_out > closes && past > 0.0).then_some(past)
}

/// Breaks by clock time into offsets from the shift start: inside the shift, not overlapping.
/// A break that could not be read (`None` in `raw`) is left out: its problems are reported
/// already, which refuses the file, and the shift is still checked with the others.
fn breaks(
    sink: &mut impl Sink,
    raw: &[Option<BreakFile>],
    path: &FieldPath,
    start: ClockTime,
    length: f64,
) -> Option<Vec<ShiftBreak>> {
    let mut out: Vec<(ShiftBreak, usize)> = Vec::new();
    let mut ok = true;
    // Enumerated with the holes, so each break is located at its own index.
    for (i, b) in raw.iter().enumerate() {
        let Some(b) = b else { continue };
        let p = path.index(i);
        let at = start_clock(sink, &b.start, &p.key("start"));
        let len = break_length(sink, &b.length, &p.key("length"));
        let (Some(at), Some(len)) = (at, len) else {
            ok = false;
            continue;
        };
        let offset = (at.secs() - start.secs()).rem_euclid(DAY);
        if offset == 0.0 || offset + len > length {
            let end = ClockTime::from_secs(start.secs() + length);
            sink.error(
                &p.key("start"),
                format!(
                    "the break {at}+{} is not inside the shift {start}–{end}; a break starts after log-in and ends by log-out",
                    format_duration(len)
                ),
            );
            ok = false;
            continue;
        }
        out.push((ShiftBreak { offset, length: len }, i));
    }
    out.sort_by(|a, b| a.0.offset.total_cmp(&b.0.offset));
    for pair in out.windows(2) {
        let (a, b) = (pair[0].0, pair[1].0);
        if a.offset + a.length > b.offset {
            sink.error(
                &path.index(pair[1].1).key("start"),
                "overlaps the previous break of this shift".to_string(),
            );
            ok = false;
        }
    }
    ok.then(|| out.into_iter().map(|(b, _)| b).collect())
}

/// A break's length in seconds, a whole number of minutes. A plain number is seconds, so a
/// length meant as minutes (`12:30+60` for an hour's lunch) would be a break of seconds that
/// still loads: it is warned about, and where it is no whole minute (`+15`) the error says how
/// to write minutes.
fn break_length(sink: &mut impl Sink, length: &Duration, path: &FieldPath) -> Option<f64> {
    const PLACES: &str = "the times breaks end";
    let shortest = crate::time::SHORTEST_PLAIN_BREAK;
    let short = length
        .plain_seconds()
        .and_then(|secs| crate::time::short_plain_seconds(secs, "a break", shortest).map(|m| (secs, m)));
    if let Some((secs, message)) = short {
        if !crate::time::is_whole_minutes(secs) {
            let whole = crate::model::not_whole_minutes(secs, PLACES);
            sink.error(
                path,
                format!("{whole}; a plain number is seconds: write \"{secs}m\" for {secs} minutes"),
            );
            return None;
        }
        sink.warn(path, message);
    }
    positive_minutes(sink, length, path, PLACES)
}

/// A staffing vector (one day or all days) expanded to the whole grid; `None` without an error
/// when the grid is unknown. A count the reader could not read (`None`, its error given) keeps
/// its index, so every other count is checked and the list's length still judged.
pub fn staffing_vector(
    sink: &mut impl Sink,
    agents: &[Option<u32>],
    path: &FieldPath,
    grid: Option<&IntervalGrid>,
) -> Option<Vec<u32>> {
    let mut ok = true;
    for (i, a) in agents.iter().enumerate() {
        match a {
            Some(a) if *a > MAX_AGENTS => {
                sink.error(
                    &path.index(i),
                    format!("{a} agents is more than the cap of {MAX_AGENTS} in one interval (MAX_AGENTS)"),
                );
                ok = false;
            }
            Some(_) => {}
            None => ok = false,
        }
    }
    let grid = grid?;
    // The length is judged with the holes in place: it does not depend on what the counts are.
    let expanded = grid.expand(agents);
    if expanded.is_none() {
        let message = if grid.days() > 1 {
            format!(
                "has {} values; expected one per interval: {} (one day) or {} (all {} days)",
                agents.len(),
                grid.per_day(),
                grid.len(),
                grid.days()
            )
        } else {
            format!("has {} values; expected one per interval: {}", agents.len(), grid.per_day())
        };
        sink.error(path, message);
    }
    expanded.filter(|_| ok)?.into_iter().collect()
}

/// Staffing vectors of a plan file (`[[staffing]]`).
pub fn staffing_vectors(
    sink: &mut impl Sink,
    raw: &[Option<StaffingVectorFile>],
    path: &FieldPath,
    ctx: &PlanContext,
) -> Option<Vec<GroupStaffing>> {
    let out: Vec<Option<GroupStaffing>> = raw
        .iter()
        .enumerate()
        .map(|(i, s)| {
            // One the reader could not read has its errors already; the others are checked.
            let s = s.as_ref()?;
            let p = path.index(i);
            let group = ctx.group(sink, &s.group, &p.key("group"));
            let agents = staffing_vector(sink, &s.agents, &p.key("agents"), ctx.grid);
            Some(GroupStaffing { group: group?, agents: agents? })
        })
        .collect();
    out.into_iter().collect()
}

/// Errors for a group worked both by shifts and by a staffing vector, or staffed twice.
pub fn check_exclusive(
    sink: &mut impl Sink,
    shifts: &[(AgentGroupId, FieldPath)],
    staffing: &[(AgentGroupId, FieldPath)],
    groups: &[String],
) {
    for (i, (g, path)) in staffing.iter().enumerate() {
        let name = &groups[g.idx()];
        if staffing[..i].iter().any(|(h, _)| h == g) {
            sink.error(path, format!("group \"{name}\" has a staffing vector already"));
        } else if shifts.iter().any(|(h, _)| h == g) {
            sink.error(
                path,
                format!("group \"{name}\" is worked by shifts too; a group is worked by shifts or by staffing, not both"),
            );
        }
    }
}

/// The rows of a CSV plan (`group,start,end,agents,breaks`) as shifts, with every bad cell;
/// an error only for a header that leaves no row to read.
pub fn csv_rows(file: &Path) -> Result<CsvRows, Vec<ScenarioError>> {
    let problem = |line: Option<usize>, col: Option<usize>, field: &str, message: String| ScenarioError {
        file: file.to_path_buf(),
        line,
        col,
        field: field.to_string(),
        message,
    };
    let text = super::text::read(file).map_err(|failure| vec![failure.into_error(file)])?;
    let mut reader =
        csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => return Err(vec![problem(Some(1), None, "", format!("cannot read the header row: {e}"))]),
    };
    const COLUMNS: [&str; 5] = ["group", "start", "end", "agents", "breaks"];
    let mut errors = Vec::new();
    let names: Vec<&str> = headers.iter().map(String::as_str).collect();
    if let Some(message) = super::forecast::other_separator(&names) {
        return Err(vec![problem(Some(1), None, "", message)]);
    }
    for (first, again) in super::forecast::repeated_columns(&names) {
        let name = &headers[again];
        errors.push(problem(
            Some(1),
            Some(again + 1),
            &format!("column \"{name}\""),
            format!(
                "column \"{name}\" is named twice in the header (columns {} and {}); each column appears once",
                first + 1,
                again + 1
            ),
        ));
    }
    for (i, h) in headers.iter().enumerate() {
        if !COLUMNS.contains(&h.as_str()) {
            errors.push(problem(
                Some(1),
                Some(i + 1),
                "",
                format!("unknown column \"{h}\"; {}", suggest(h, &COLUMNS)),
            ));
        }
    }
    let col = |name: &str| headers.iter().position(|h| h == name);
    for name in ["group", "start", "end", "agents"] {
        // A column misspelled in the header (`Group`, `agent`) gets one error, the unknown
        // column's with its correction, not a second one for the column it was meant to be.
        let misspelled = names.iter().any(|h| !COLUMNS.contains(h) && did_you_mean(h, [name]).is_some());
        if col(name).is_none() && !misspelled {
            errors.push(problem(
                Some(1),
                None,
                "",
                format!("missing column \"{name}\"; columns are {}", COLUMNS.join(",")),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(problem(
                    e.position().map(|p| p.line() as usize),
                    None,
                    "",
                    format!("not a CSV row: {e}"),
                ));
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as usize);
        if let Some(e) = super::forecast::ragged_row(file, line, record.len(), &names) {
            errors.push(e);
            continue;
        }
        let cell = |name: &str| col(name).and_then(|c| record.get(c)).unwrap_or("").to_string();
        let at = |name: &str| col(name).map(|c| c + 1);
        // A row with a bad cell is still checked (with no agents, and the breaks that could be
        // read), so that its group and clock times, and every other row, are reported in the
        // same pass.
        let agents = whole_agents(&cell("agents")).unwrap_or_else(|| {
            let message = format!("not a whole number of agents: \"{}\"", cell("agents"));
            errors.push(problem(line, at("agents"), "column \"agents\"", message));
            0
        });
        let mut breaks = Vec::new();
        for part in cell("breaks").split(';').map(str::trim).filter(|p| !p.is_empty()) {
            match part.split_once('+') {
                Some((start, length)) => breaks.push(Some(BreakFile {
                    start: start.trim().to_string(),
                    length: Duration::Text(length.trim().to_string()),
                })),
                None => {
                    errors.push(problem(
                        line,
                        at("breaks"),
                        "column \"breaks\"",
                        format!("\"{part}\" is not a break; write start+length, e.g. 10:00+15m;12:30+30m"),
                    ));
                    breaks.push(None);
                }
            }
        }
        rows.push((
            line,
            ShiftFile {
                group: Some(cell("group")),
                start: Some(cell("start")),
                end: Some(cell("end")),
                length: None,
                agents,
                breaks,
                days: None,
            },
        ));
    }
    let (lines, shifts) = rows.into_iter().unzip();
    Ok(CsvRows { headers, lines, shifts, cell_errors: errors })
}

/// An agent count in a CSV file (a plan's, or `fit --staffing`'s): a whole number from 0 to
/// `u32::MAX`, in decimal or scientific notation (`12`, `1.2e1`), as every CSV number may be
/// written.
pub fn whole_agents(text: &str) -> Option<u32> {
    let text = text.trim();
    text.parse::<u32>().ok().or_else(|| {
        let v: f64 = text.parse().ok()?;
        (v.is_finite() && v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&v)).then_some(v as u32)
    })
}

/// The shifts of a CSV plan, with where each came from.
pub struct CsvRows {
    /// Column names in file order.
    pub headers: Vec<String>,
    /// Line of each row.
    pub lines: Vec<Option<usize>>,
    /// One shift per row.
    pub shifts: Vec<ShiftFile>,
    /// The problems of single cells (an agent count, a break, a row of the wrong width),
    /// found while reading: the rows are checked all the same.
    pub cell_errors: Vec<ScenarioError>,
}

/// Locates the problems of CSV plan rows: `shifts[i].start` is row i's line, column "start".
pub struct CsvPlan<'a> {
    /// The CSV file.
    pub file: &'a Path,
    /// The rows.
    pub rows: &'a CsvRows,
    /// Where problems go.
    pub problems: Problems,
}

impl Sink for CsvPlan<'_> {
    fn located(&self, path: &FieldPath, message: String) -> ScenarioError {
        use super::field::Seg;
        let (mut row, mut column) = (None, None);
        for seg in &path.0 {
            match seg {
                Seg::Index(i) | Seg::Named(i, _) if row.is_none() => row = Some(*i),
                Seg::Key(k) if k != "shifts" && column.is_none() => column = Some(k.clone()),
                _ => {}
            }
        }
        let line = row.and_then(|i| self.rows.lines.get(i).copied().flatten());
        let column = column.unwrap_or_else(|| "group".to_string());
        let col = self.rows.headers.iter().position(|h| *h == column).map(|c| c + 1);
        ScenarioError {
            file: self.file.to_path_buf(),
            line,
            col,
            field: format!("column \"{column}\""),
            message,
        }
    }
    fn problems(&mut self) -> &mut Problems {
        &mut self.problems
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_csv_agent_count_may_be_written_in_scientific_notation_but_must_be_whole() {
        assert_eq!(super::whole_agents("12"), Some(12));
        assert_eq!(super::whole_agents("1e2"), Some(100));
        assert_eq!(super::whole_agents(" 1.2E1 "), Some(12));
        for bad in ["1.5", "-1", "1e10", "nan", "inf", "", "x"] {
            assert_eq!(super::whole_agents(bad), None, "{bad}");
        }
    }
}
