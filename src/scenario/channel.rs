//! The channel keys into the model: each channel's own goal (`[service_level.chat]`,
//! `[service_level.email]`), the keys a call type may have only on some channels (`patience`
//! not on email, `callback` on voice only, `initial_backlog` on email only), and a group's chat
//! concurrency (`max_concurrency`, `concurrency_factors`, required exactly when it takes chats).

use super::field::{FieldPath, Sink, TomlDoc};
use super::source::*;
use crate::limits::{MAX_CONTACTS_HELD, MAX_INITIAL_BACKLOG};
use crate::model::*;

/// The keys of call type `c` that its `channel` does not allow, each reported at `path`;
/// `false` when any was found.
pub(super) fn call_type_keys(
    doc: &mut TomlDoc,
    c: &CallTypeFile,
    channel: Channel,
    path: &FieldPath,
) -> bool {
    let mut ok = true;
    if channel == Channel::Email && c.patience.is_some() {
        doc.error(
            &path.key("patience"),
            "an email call type has no patience: emails wait in the backlog until answered; remove \
             `patience` (or make the call type voice or chat)"
                .to_string(),
        );
        ok = false;
    }
    if channel == Channel::Email {
        // Emails never abandon and hold no telephone line: nothing would ever redial.
        let idle = [
            ("redial", c.redial.is_some(), "a redial follows an abandon, and emails wait until answered"),
            ("lines", c.lines.is_some(), "lines are telephone lines, and an email holds none"),
            (
                "redial_after_blocked",
                c.redial_after_blocked.is_some(),
                "only a caller blocked by busy lines redials, and an email holds no line",
            ),
        ];
        for (key, given, why) in idle {
            if given {
                doc.error(
                    &path.key(key),
                    format!(
                        "an email call type has no `{key}`: {why}; remove it (or make the call type voice)"
                    ),
                );
                ok = false;
            }
        }
    }
    if channel != Channel::Voice && c.callback.is_some() {
        doc.error(
            &path.key("callback"),
            format!(
                "{} {} call type has no callback offer: only phone callers are called back; remove \
                 `callback` (or make the call type voice)",
                super::field::article(channel.name()),
                channel.name()
            ),
        );
        ok = false;
    }
    ok
}

/// `[service_level.chat]` and `[service_level.email]`, each checked like `[service_level]`.
pub(super) fn channel_goals(doc: &mut TomlDoc, raw: &ServiceLevelFile) -> Option<ChannelGoals> {
    let path = FieldPath::root().key("service_level");
    let mut own = |key: &str, file: &Option<ChannelServiceLevelFile>| -> Option<Option<ServiceLevelGoal>> {
        let Some(f) = file else { return Some(None) };
        super::validate::goal(doc, f.target.as_ref(), f.goal, f.definition, &path.key(key)).map(Some)
    };
    let chat = own("chat", &raw.chat);
    let email = own("email", &raw.email);
    // `target = 12` meant as twelve hours reads as 12 seconds: say how it was read.
    let plain = raw.email.as_ref().and_then(|f| f.target.as_ref()?.plain_seconds());
    let short = plain.and_then(|secs| {
        crate::time::short_plain_hours(
            secs,
            "an email answer-time target",
            crate::time::SHORTEST_PLAIN_EMAIL_TARGET,
        )
    });
    if let Some(message) = short {
        doc.warn(&path.key("email").key("target"), message);
    }
    Some(ChannelGoals { chat: chat?, email: email? })
}

/// A warning for each channel goal (`[service_level.chat]`, `[service_level.email]`) that no
/// call type comes by: it judges nothing.
pub(super) fn idle_channel_goals(doc: &mut TomlDoc, raw: &ScenarioFile) {
    let path = FieldPath::root().key("service_level");
    let has = |ch: Channel| raw.call_types.iter().any(|c| c.channel.unwrap_or_default() == ch);
    for (channel, given) in [
        (Channel::Chat, raw.service_level.chat.is_some()),
        (Channel::Email, raw.service_level.email.is_some()),
    ] {
        if given && !has(channel) {
            let name = channel.name();
            doc.warn(
                &path.key(name),
                format!(
                    "no call type has channel = \"{name}\", so this goal judges nothing; remove it or \
                     give a call type channel = \"{name}\""
                ),
            );
        }
    }
}

/// `initial_backlog`: emails waiting at the start, on email call types only, at most
/// [`MAX_INITIAL_BACKLOG`].
pub(super) fn initial_backlog(
    doc: &mut TomlDoc,
    c: &CallTypeFile,
    channel: Channel,
    path: &FieldPath,
) -> Option<u32> {
    let Some(n) = c.initial_backlog else { return Some(0) };
    let path = path.key("initial_backlog");
    if channel != Channel::Email {
        doc.error(
            &path,
            format!(
                "only an email call type has a backlog at the start (this one is {}); remove \
                 `initial_backlog` or set channel = \"email\"",
                channel.name()
            ),
        );
        return None;
    }
    if n > MAX_INITIAL_BACKLOG {
        doc.error(
            &path,
            format!(
                "{n} is more than the cap of {MAX_INITIAL_BACKLOG} emails waiting at the start \
                 (MAX_INITIAL_BACKLOG)"
            ),
        );
        return None;
    }
    Some(n)
}

/// Every email type's `initial_backlog` is held from the first instant: together they must
/// stay within [`MAX_CONTACTS_HELD`], or the run would stop at once. The error names the
/// largest backlog, the one most likely to be a typo.
pub(super) fn check_backlogs_held(doc: &mut TomlDoc, raw: &ScenarioFile, types_path: &FieldPath) {
    let backlogs: Vec<u64> =
        raw.call_types.iter().map(|c| u64::from(c.initial_backlog.unwrap_or(0))).collect();
    let total: u64 = backlogs.iter().sum();
    if total <= MAX_CONTACTS_HELD as u64 {
        return;
    }
    let Some((i, &largest)) = backlogs.iter().enumerate().max_by_key(|(_, n)| **n) else { return };
    let c = &raw.call_types[i];
    doc.error(
        &types_path.named(i, Some(&c.name)).key("initial_backlog"),
        format!(
            "the email backlogs at the start add up to {total} emails ({largest} of them here), more than \
             the cap of {MAX_CONTACTS_HELD} contacts held at once in a replication (MAX_CONTACTS_HELD); \
             lower them"
        ),
    );
}

/// A group's chat concurrency: required when it has a chat skill (`None` inside when it has
/// none), with `max_concurrency` and `concurrency_factors` allowed only then. `group` is the
/// group as validated so far (its skills resolved), when it was valid.
pub(super) fn chat_concurrency(
    doc: &mut TomlDoc,
    g: &AgentGroupFile,
    path: &FieldPath,
    channels: &[Option<Channel>],
    group: Option<&AgentGroup>,
) -> Option<Option<ChatConcurrency>> {
    let chat_skill = group.and_then(|group| {
        group.skills.iter().position(|s| channels.get(s.call_type.idx()) == Some(&Some(Channel::Chat)))
    });
    // A skill whose channel was refused may have been meant as chat: its error is the one
    // to fix, and saying the group has no chat skill would send the reader the wrong way.
    let unknown_channel = group
        .is_some_and(|group| group.skills.iter().any(|s| channels.get(s.call_type.idx()) == Some(&None)));
    if chat_skill.is_none() && unknown_channel {
        return None;
    }
    match (chat_skill, g.max_concurrency) {
        // Given but not a whole number: its own error says so, and it is not missing.
        (Some(_), None) if doc.has(&path.key("max_concurrency")) => None,
        (Some(i), None) => {
            // `group` is only given when every skill was read and valid, so its skills are the
            // file's, in the file's order.
            let name = match g.skills.get(i) {
                Some(Some(SkillFile::Name(n) | SkillFile::Overflow { call_type: n, .. })) => n.clone(),
                _ => String::new(),
            };
            doc.error(
                &path.key("skills").index(i),
                format!(
                    "\"{name}\" is a chat call type, and a group that takes chats needs \
                     `max_concurrency` (the chats one agent holds at once, e.g. max_concurrency = 3)"
                ),
            );
            None
        }
        // A factor that could not be read has its error; the count and the others are still
        // checked, and the group is refused.
        (Some(_), Some(max)) if g.concurrency_factors.as_ref().is_some_and(|f| f.contains(&None)) => {
            let factors = g.concurrency_factors.as_deref().unwrap_or_default();
            let checked =
                ChatConcurrency::new(max, None).and_then(|_| ChatConcurrency::check_factors(max, factors));
            if let Err(message) = checked {
                let key =
                    if max == 0 || max > MAX_CONCURRENCY { "max_concurrency" } else { "concurrency_factors" };
                doc.error(&path.key(key), message.to_string());
            }
            None
        }
        (Some(_), Some(max)) => match ChatConcurrency::new(
            max,
            g.concurrency_factors.clone().map(|f| f.into_iter().flatten().collect()),
        ) {
            Ok(c) => Some(Some(c)),
            Err(message) => {
                let key = if max == 0 || g.concurrency_factors.is_none() || max > MAX_CONCURRENCY {
                    "max_concurrency"
                } else {
                    "concurrency_factors"
                };
                doc.error(&path.key(key), message.to_string());
                None
            }
        },
        (None, max) => {
            // Without valid skills the group's chat skills are unknown: only the keys' own
            // shapes can be wrong, and those were reported with the skills.
            let mut ok = true;
            if group.is_some() && max.is_some() {
                doc.error(
                    &path.key("max_concurrency"),
                    "this group has no chat skill, so max_concurrency does not apply (it counts chats \
                     an agent holds at once); remove it or add a call type with channel = \"chat\" \
                     to its skills"
                        .to_string(),
                );
                ok = false;
            }
            if group.is_some() && g.concurrency_factors.is_some() {
                doc.error(
                    &path.key("concurrency_factors"),
                    "this group has no chat skill, so concurrency_factors does not apply; remove it"
                        .to_string(),
                );
                ok = false;
            }
            group?;
            ok.then_some(None)
        }
    }
}
