//! Agent groups into the model: their skills and handle-time factor, the check that every call
//! type has a group to serve it, and the scenario's own plan (shifts or staffing vectors, never
//! both for one group).

use super::super::distribution::seconds;
use super::super::field::{FieldPath, Sink, TomlDoc};
use super::super::plan::{self, PlanContext};
use super::super::source::*;
use super::call_types::call_type_id;
use crate::limits::MAX_HANDLE_TIME_FACTOR;
use crate::model::*;

pub(super) fn agent_group(
    doc: &mut TomlDoc,
    g: &AgentGroupFile,
    path: &FieldPath,
    call_names: &[String],
) -> Option<AgentGroup> {
    let mut skills = Vec::new();
    let mut ok = true;
    if g.skills.is_empty() {
        // Skills that were in the file but refused when read have had their errors.
        if !doc.has(&path.key("skills").index(0)) {
            doc.error(&path.key("skills"), "needs at least one call type".to_string());
        }
        ok = false;
    }
    for (i, s) in g.skills.iter().enumerate() {
        let p = path.key("skills").index(i);
        // A skill the reader could not read has its errors already; the others are checked.
        let Some(s) = s else {
            ok = false;
            continue;
        };
        let (name, after) = match s {
            SkillFile::Name(name) => (name, Some(0.0)),
            SkillFile::Overflow { call_type, after } => (call_type, seconds(doc, after, &p.key("after"))),
        };
        let id = call_type_id(doc, name, &p, call_names);
        match (id, after) {
            (Some(id), Some(_)) if skills.iter().any(|x: &Skill| x.call_type == id) => {
                doc.error(&p, format!("\"{name}\" is listed twice in this group's skills"));
                ok = false;
            }
            (Some(call_type), Some(after)) => skills.push(Skill { call_type, after }),
            _ => ok = false,
        }
    }
    let factor = g.handle_time_factor.unwrap_or(1.0);
    if !(factor.is_finite() && factor > 0.0) {
        doc.error(
            &path.key("handle_time_factor"),
            format!("must be a positive number (1.3 = 30% slower), got {factor}"),
        );
        ok = false;
    } else if factor > MAX_HANDLE_TIME_FACTOR {
        doc.error(
            &path.key("handle_time_factor"),
            format!("{factor} is more than the cap of {MAX_HANDLE_TIME_FACTOR} (MAX_HANDLE_TIME_FACTOR)"),
        );
        ok = false;
    }
    ok.then(|| AgentGroup { name: g.name.clone(), skills, handle_time_factor: factor, chat: None })
}

pub(super) fn check_servable(doc: &mut TomlDoc, raw: &ScenarioFile, call_names: &[String]) {
    // Without agent groups (none given, or the list misspelled) every call type would get an
    // error of its own for the one missing list.
    if raw.agent_groups.is_empty() {
        return;
    }
    // A skill refused when read (its error given) may be the one that serves a call type.
    if raw.agent_groups.iter().any(|g| g.skills.iter().any(Option::is_none)) {
        return;
    }
    for (i, name) in call_names.iter().enumerate() {
        let served = raw.agent_groups.iter().any(|g| {
            g.skills.iter().flatten().any(|s| match s {
                SkillFile::Name(n) | SkillFile::Overflow { call_type: n, .. } => n == name,
            })
        });
        if !served && !name.is_empty() {
            let path = FieldPath::root().key("call_types").named(i, Some(name));
            doc.error(
                &path.key("name"),
                format!("no agent group can serve \"{name}\"; add it to the skills of a group"),
            );
        }
    }
}

/// The scenario's own plan: its shifts and its groups' staffing vectors.
pub(super) fn scenario_plan(doc: &mut TomlDoc, raw: &ScenarioFile, ctx: &PlanContext) -> Option<ShiftPlan> {
    let root = FieldPath::root();
    let shifts = plan::shifts(doc, raw.shifts.iter().map(Option::as_ref), &root.key("shifts"), ctx);
    let mut staffing = Vec::new();
    let mut staffed = Vec::new();
    let mut ok = true;
    for (i, g) in raw.agent_groups.iter().enumerate() {
        let Some(agents) = &g.staffing else { continue };
        let path = root.key("agent_groups").named(i, Some(&g.name)).key("staffing");
        staffed.push((AgentGroupId(i as u16), path.clone()));
        match plan::staffing_vector(doc, agents, &path, ctx.grid) {
            Some(agents) => staffing.push(GroupStaffing { group: AgentGroupId(i as u16), agents }),
            None => ok = false,
        }
    }
    let by_shifts: Vec<(AgentGroupId, FieldPath)> = raw
        .shifts
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let s = s.as_ref()?;
            ctx.groups
                .iter()
                .position(|g| s.group.as_ref() == Some(g))
                .map(|g| (AgentGroupId(g as u16), root.key("shifts").index(i)))
        })
        .collect();
    let errors_before = doc.problems.errors.len();
    plan::check_exclusive(doc, &by_shifts, &staffed, ctx.groups);
    ok &= doc.problems.errors.len() == errors_before;
    Some(ShiftPlan { name: "scenario".to_string(), shifts: shifts?, staffing }).filter(|_| ok)
}
