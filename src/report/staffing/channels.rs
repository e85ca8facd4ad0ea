//! The notes under the staffing tables (terminal and HTML) that say what the channel columns
//! mean: the chat estimate, the email workload and the exact chat model's figure.

use crate::report::wrap;
use crate::staffing::StaffingReport;

/// What the channel columns mean, under the table (and under the HTML report's).
pub fn channels_note(has_chat: bool, has_email: bool) -> String {
    let mut note = String::from("\n");
    if has_chat {
        note.push_str(
            "Chat: Erlang C / Erlang A count every chat as a call. Chat*: an estimate, Erlang C on\n\
             the agents' full-concurrency throughput (see docs/channels-planning.md); the simulation checks it.\n",
        );
    }
    if has_email {
        note.push_str(
            "Email wl: workload, agents busy with email on average (hours of email work of the day / hours\n\
             the group works that day; the initial backlog's over the hours worked before its target has\n\
             passed); email is judged per day of arrival in the simulation.\n",
        );
    }
    note
}

/// Whether the report has the exact chat model's figures (`--chat-model exact`).
pub(crate) fn has_chat_exact(r: &StaffingReport) -> bool {
    r.intervals.iter().any(|x| x.chat_exact.is_some())
}

/// What the Exact column means, and each cell past the exact model's state limit, where the
/// column shows `-` and the estimate stands (under the table and under the HTML report's).
pub(crate) fn chat_exact_note(r: &StaffingReport) -> String {
    let mut note = String::from(
        "Exact: the exact chat model (the Markov chain the estimate approximates, at the group's\n\
         concurrency and factors, abandoning at the chat type's mean patience where it has one), shown\n\
         beside the estimate; the requirement keeps the estimate.\n",
    );
    if r.chat_exact_past_limit.is_empty() {
        return note;
    }
    let cells: Vec<String> = (r.chat_exact_past_limit.iter())
        .map(|p| {
            format!(
                "{} \"{}\" (more than {} agents at {} chats; estimate {})",
                r.grid.interval_label(p.day, &p.start),
                p.call_type,
                p.most_agents,
                p.concurrency,
                p.erlang_c_chat.map_or("-".into(), |a| a.to_string()),
            )
        })
        .collect();
    let limit = r.chat_exact_past_limit[0].max_states;
    note.push_str(&wrap(
        &format!(
            "Exact shows - where the chat goal needs more agents than the exact model solves (at most \
             {limit} states), so the estimate stands there: {}.",
            cells.join(", ")
        ),
        100,
    ));
    note.push('\n');
    note
}
