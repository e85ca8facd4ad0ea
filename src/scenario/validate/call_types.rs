//! Call types into the model: durations, recalls and transfers, each checked and located, and
//! the check that transfers and repeats cannot keep a caller forever. Names of call types are
//! resolved here for the whole scenario; where a list refers to a call type, it comes through
//! [`call_type_id`].

use super::super::channel;
use super::super::distribution::dist;
use super::super::field::{FieldPath, Sink, TomlDoc, unknown_name};
use super::super::source::*;
use super::share;
use crate::model::*;

pub(super) fn call_type(
    doc: &mut TomlDoc,
    c: &CallTypeFile,
    path: &FieldPath,
    call_names: &[String],
) -> Option<CallType> {
    let file = doc.file().to_path_buf();
    let handle_time = c.handle_time.as_ref().and_then(|d| dist(doc, d, &path.key("handle_time"), &file));
    if let (Some(raw), Some(_)) = (&c.handle_time, &handle_time) {
        let shortest = crate::time::SHORTEST_PLAIN_HANDLE_TIME;
        short_plain_mean(doc, raw, &path.key("handle_time"), "a mean handle time", shortest);
    }
    let patience = c.patience.as_ref().map(|d| dist(doc, d, &path.key("patience"), &file));
    if let (Some(raw), Some(Some(_))) = (&c.patience, &patience) {
        let shortest = crate::time::SHORTEST_PLAIN_PATIENCE;
        short_plain_mean(doc, raw, &path.key("patience"), "a mean patience", shortest);
    }
    let channel = c.channel.unwrap_or_default();
    let ok = channel::call_type_keys(doc, c, channel, path);
    let mut recall = |key: &str, r: &Option<RecallFile>| -> Option<Option<Recall>> {
        let Some(r) = r else { return Some(None) };
        let p = path.key(key);
        let probability = probability(doc, r.probability, &p.key("probability"));
        let delay = dist(doc, &r.delay, &p.key("delay"), &file);
        Some(Some(Recall { probability: probability?, delay: delay? }))
    };
    let redial = recall("redial", &c.redial);
    let repeat = recall("repeat", &c.repeat);
    let transfers = transfers(doc, c, path, call_names);
    let initial_backlog = channel::initial_backlog(doc, c, channel, path);
    ok.then_some(())?;
    Some(CallType {
        name: c.name.clone(),
        channel,
        initial_backlog: initial_backlog?,
        volumes: Vec::new(),
        handle_time: handle_time?,
        patience: match patience {
            None => None,
            Some(p) => Some(p?),
        },
        redial: redial?,
        repeat: repeat?,
        transfers: transfers?,
        priority: c.priority.unwrap_or(0),
        open: None,
    })
}

/// A warning for a handle time or patience whose mean is written as a plain number of seconds
/// too short to be meant (`mean = 4` for 4 minutes).
fn short_plain_mean(doc: &mut TomlDoc, raw: &DistFile, path: &FieldPath, what: &str, shortest: f64) {
    let mean = match raw {
        DistFile::Exponential { mean }
        | DistFile::Deterministic { mean }
        | DistFile::Lognormal { mean, .. }
        | DistFile::Gamma { mean, .. }
        | DistFile::Erlang { mean, .. } => mean,
        DistFile::Uniform { .. } | DistFile::Empirical { .. } => return,
    };
    let Duration::Seconds(secs) = mean else { return };
    if let Some(message) = crate::time::short_plain_seconds(*secs, what, shortest) {
        doc.warn(&path.key("mean"), message);
    }
}

fn probability(doc: &mut TomlDoc, v: f64, path: &FieldPath) -> Option<f64> {
    share(doc, Some(v), path, "a probability in [0, 1]", |v| (0.0..=1.0).contains(&v))
}

pub(super) fn call_type_id(
    doc: &mut TomlDoc,
    name: &str,
    path: &FieldPath,
    call_names: &[String],
) -> Option<CallTypeId> {
    match call_names.iter().position(|n| n == name) {
        Some(i) => Some(CallTypeId(i as u16)),
        None => {
            let known: Vec<&str> = call_names.iter().map(String::as_str).collect();
            if let Some(message) = unknown_name("call type", name, &known) {
                doc.error(path, message);
            }
            None
        }
    }
}

fn transfers(
    doc: &mut TomlDoc,
    c: &CallTypeFile,
    path: &FieldPath,
    call_names: &[String],
) -> Option<Vec<Transfer>> {
    let mut out = Vec::new();
    let mut ok = true;
    // A transfer that could not be read (`None`) is reported already, which refuses the file;
    // the others are checked at their own index, and the call type's checks go on without it.
    for (i, t) in c.transfers.iter().enumerate() {
        let Some(t) = t else { continue };
        let p = path.key("transfers").index(i);
        let to = call_type_id(doc, &t.to, &p.key("to"), call_names);
        let probability = probability(doc, t.probability, &p.key("probability"));
        match (to, probability) {
            (Some(to), Some(probability)) if out.iter().any(|x: &Transfer| x.to == to) => {
                doc.error(&p.key("to"), format!("transfers to \"{}\" are listed twice; merge them", t.to));
                let _ = probability;
                ok = false;
            }
            (Some(to), Some(probability)) => out.push(Transfer { to, probability }),
            _ => ok = false,
        }
    }
    let total: f64 = out.iter().map(|t| t.probability).sum();
    if ok && total > 1.0 + 1e-9 {
        doc.error(
            &path.key("transfers"),
            format!("transfer probabilities sum to {total}; they must sum to at most 1"),
        );
        ok = false;
    }
    ok.then_some(out)
}

/// A caller must be able to leave: from every call type, some chain of transfers and repeats
/// must end with probability above zero. (Transfers are drawn first; a caller not transferred
/// repeats with the repeat probability.)
pub(super) fn check_loops(doc: &mut TomlDoc, raw: &ScenarioFile, call_names: &[String]) {
    let n = raw.call_types.len();
    let valid_p = |p: f64| (0.0..=1.0).contains(&p);
    let mut edges = vec![Vec::new(); n];
    let mut exits = vec![false; n];
    for (i, c) in raw.call_types.iter().enumerate() {
        // Reported already; whether callers can leave depends on every transfer.
        let Some(transfers) = c.transfers.iter().map(Option::as_ref).collect::<Option<Vec<_>>>() else {
            return;
        };
        let transfer_total: f64 = transfers.iter().map(|t| t.probability).sum();
        let repeat = c.repeat.as_ref().map_or(0.0, |r| r.probability);
        if !valid_p(repeat)
            || transfers.iter().any(|t| !valid_p(t.probability))
            || transfer_total > 1.0 + 1e-9
        {
            return; // already reported; the loop check needs valid probabilities
        }
        exits[i] = transfer_total < 1.0 - 1e-12 && repeat < 1.0;
        for t in &transfers {
            // An unknown target is reported elsewhere; it cannot lead anywhere here.
            if let Some(j) = call_names.iter().position(|n| *n == t.to)
                && t.probability > 0.0
            {
                edges[i].push(j);
            }
        }
        if repeat > 0.0 && transfer_total < 1.0 {
            edges[i].push(i);
        }
    }
    // Call types that can reach an exit: fixed point of "exits, or has an edge to one that can".
    let mut can_leave = exits.clone();
    loop {
        let mut changed = false;
        for i in 0..n {
            if !can_leave[i] && edges[i].iter().any(|&j| can_leave[j]) {
                can_leave[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (i, c) in raw.call_types.iter().enumerate() {
        if !can_leave[i] {
            let path = FieldPath::root().key("call_types").named(i, Some(&c.name));
            doc.error(
                &path.key(if c.transfers.is_empty() { "repeat" } else { "transfers" }),
                "callers of this type never leave: every call is transferred or repeated again with \
                 probability 1, an endless loop; lower a transfer or repeat probability below 1"
                    .to_string(),
            );
        }
    }
}
