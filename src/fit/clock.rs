//! Timestamps of a call log: parsing, and the center's time zone.
//!
//! A log's arrival times are `YYYY-MM-DD HH:MM:SS` (local clock, no zone), or ISO 8601 with
//! a `T` and optionally fractional seconds and a `Z` or `±HH:MM` offset. Two clocks come out
//! of each: the *local* clock (date and time of day at the center, which volumes per interval
//! are counted in) and the *instant* (seconds since 1970 UTC, which delays between a caller's
//! contacts are measured in). With `--timezone`, a local time is placed in that zone, so a
//! time in a daylight-saving gap is found (it never happened) and a time in a fold is marked
//! ambiguous; an instant with an offset is shown on that zone's clock. Without it, a local
//! time is taken as it stands (a day that loses or gains an hour is then not known).
//!
//! Parsing is by hand over bytes: a year of calls has millions of timestamps.

use crate::time::Seconds;

/// Seconds in a day.
const DAY_SECS: i64 = 86_400;

/// A timestamp as written: the civil date and time, and the offset from UTC if one was given.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Written {
    /// Days since 1970-01-01 of the written date.
    pub day: i32,
    /// Seconds since midnight of the written time (fractional).
    pub secs: Seconds,
    /// Offset from UTC in seconds, when the timestamp has one (`Z` is 0).
    pub offset: Option<i32>,
    /// Written in UTC with a `Z`: the clock of no center in particular.
    pub utc: bool,
}

/// Where a timestamp falls.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Placed {
    /// Days since 1970-01-01 of the local date.
    pub local_day: i32,
    /// Seconds since local midnight.
    pub local_secs: Seconds,
    /// Seconds since 1970-01-01 00:00 UTC (or since the local epoch when no zone is known).
    pub instant: f64,
    /// The local time occurs twice (a daylight-saving fold); the earlier is taken.
    pub ambiguous: bool,
}

/// The center's clock: a named zone or fixed offset (`--timezone`), or none.
#[derive(Clone, Debug, Default)]
pub struct Zone(Option<jiff::tz::TimeZone>);

impl Zone {
    /// No zone: local times are taken as written, offsets are kept as written.
    pub fn none() -> Zone {
        Zone(None)
    }

    /// Whether a zone was given (`--timezone`).
    pub fn is_given(&self) -> bool {
        self.0.is_some()
    }

    /// `UTC`, an IANA name (`Europe/Paris`) or a fixed offset (`+01:00`, `-0530`).
    ///
    /// # Errors
    /// A message naming what is allowed.
    pub fn parse(text: &str) -> Result<Zone, String> {
        if let Some(offset) = parse_offset(text.as_bytes()) {
            let offset = jiff::tz::Offset::from_seconds(offset).map_err(|e| e.to_string())?;
            return Ok(Zone(Some(jiff::tz::TimeZone::fixed(offset))));
        }
        jiff::tz::TimeZone::get(text).map(|tz| Zone(Some(tz))).map_err(|_| {
            format!(
                "unknown time zone \"{text}\"; give an IANA name (Europe/Paris, America/New_York, UTC) \
                 or a fixed offset (+01:00, -05:00)"
            )
        })
    }

    /// Places a written timestamp on the local clock and in time.
    ///
    /// `None` when the local time does not exist in the zone (it falls in a daylight-saving
    /// gap).
    pub fn place(&self, w: Written) -> Option<Placed> {
        let local = |instant: f64, offset: i32, ambiguous: bool| {
            let local = instant + f64::from(offset);
            let local_day = local.div_euclid(DAY_SECS as f64);
            Placed {
                local_day: local_day as i32,
                local_secs: local - local_day * DAY_SECS as f64,
                instant,
                ambiguous,
            }
        };
        let written_secs = f64::from(w.day) * DAY_SECS as f64 + w.secs;
        match (&self.0, w.offset) {
            (None, None) => Some(local(written_secs, 0, false)),
            (None, Some(offset)) => Some(Placed {
                local_day: w.day,
                local_secs: w.secs,
                instant: written_secs - f64::from(offset),
                ambiguous: false,
            }),
            (Some(tz), Some(offset)) => {
                let instant = written_secs - f64::from(offset);
                Some(local(instant, zone_offset_at(tz, instant), false))
            }
            (Some(tz), None) => {
                use jiff::tz::AmbiguousOffset;
                let whole = w.secs.floor();
                let civil = civil_datetime(w.day, whole as i64)?;
                match tz.to_ambiguous_timestamp(civil).offset() {
                    AmbiguousOffset::Unambiguous { offset } => {
                        Some(local(written_secs - f64::from(offset.seconds()), offset.seconds(), false))
                    }
                    AmbiguousOffset::Fold { before, .. } => {
                        Some(local(written_secs - f64::from(before.seconds()), before.seconds(), true))
                    }
                    AmbiguousOffset::Gap { .. } => None,
                }
            }
        }
    }
}

fn zone_offset_at(tz: &jiff::tz::TimeZone, instant: f64) -> i32 {
    jiff::Timestamp::from_second(instant.floor() as i64).map(|ts| tz.to_offset(ts).seconds()).unwrap_or(0)
}

fn civil_datetime(day: i32, secs: i64) -> Option<jiff::civil::DateTime> {
    let (y, m, d) = civil_from_days(day);
    let date = jiff::civil::Date::new(i16::try_from(y).ok()?, m as i8, d as i8).ok()?;
    let time =
        jiff::civil::Time::new((secs / 3600) as i8, (secs / 60 % 60) as i8, (secs % 60) as i8, 0).ok()?;
    Some(date.to_datetime(time))
}

/// Reads `YYYY-MM-DD[ T]HH:MM[:SS[.fff]][Z|±HH:MM|±HHMM]`.
pub fn parse_timestamp(text: &str) -> Option<Written> {
    let b = text.trim().as_bytes();
    if b.len() < 16 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b' ' || b[10] == b'T') || b[13] != b':' {
        return None;
    }
    let (y, mo, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    let (h, mi) = (digits(&b[11..13])?, digits(&b[14..16])?);
    let mut secs = 0.0;
    let mut rest = &b[16..];
    if rest.first() == Some(&b':') {
        if rest.len() < 3 {
            return None;
        }
        secs = f64::from(digits(&rest[1..3])?);
        rest = &rest[3..];
        if rest.first() == Some(&b'.') || rest.first() == Some(&b',') {
            let n = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            let frac: f64 = std::str::from_utf8(&rest[1..=n]).ok()?.parse().ok()?;
            secs += frac / 10f64.powi(n as i32);
            rest = &rest[n + 1..];
        }
    }
    let utc = matches!(rest, [b'Z'] | [b'z']);
    let offset = match rest {
        [] => None,
        [b'Z'] | [b'z'] => Some(0),
        _ => Some(parse_offset(rest)?),
    };
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || secs >= 61.0 {
        return None;
    }
    let day = days_from_civil(y as i64, mo, d);
    Some(Written { day, secs: f64::from(h * 3600 + mi * 60) + secs, offset, utc })
}

/// How a log writes its arrival times when it does not write them as [`parse_timestamp`]
/// reads them: a strftime pattern (`--arrival-format "%m/%d/%Y %I:%M:%S %p"`), read with
/// jiff's `strptime`. `%z` and `%:z` read an offset; `%s` reads seconds since 1970 UTC.
#[derive(Clone, Debug, PartialEq)]
pub struct ArrivalFormat {
    /// The pattern as given.
    pattern: String,
    /// The pattern handed to jiff: the one given, with a `%s%3f`-style run written `%s%.f`.
    read_as: String,
    /// With such a run, the digits of its fraction, to put the decimal point back before.
    unix_fraction: Option<usize>,
}

impl ArrivalFormat {
    /// Checks a pattern by writing a known afternoon instant with it and reading it back: a
    /// pattern that cannot be written, or that loses the date, the hour or the minute (`%I`
    /// without `%p`, no year), would misread every row of the log.
    ///
    /// # Errors
    /// What the pattern lacks, for the flag's message.
    pub fn parse(pattern: &str) -> Result<ArrivalFormat, String> {
        // `%s%3f` (Unix milliseconds), `%s%6f`, `%s%9f`: jiff writes the seconds and the
        // fraction's digits run together, as such logs do, but its `%s` reads every digit as
        // seconds; the reader puts the decimal point back and reads them as `%s%.f`.
        let unix_run = ["%s%3f", "%s%6f", "%s%9f"].into_iter().find(|run| pattern.contains(run));
        let format = ArrivalFormat {
            pattern: pattern.to_string(),
            read_as: unix_run.map_or_else(|| pattern.to_string(), |run| pattern.replacen(run, "%s%.f", 1)),
            unix_fraction: unix_run.map(|run| usize::from(run.as_bytes()[3] - b'0')),
        };
        let probe = jiff::civil::date(2024, 11, 28).at(15, 47, 21, 0);
        let zoned = probe.to_zoned_datetime(jiff::tz::TimeZone::UTC).map_err(|e| e.to_string())?;
        let text = jiff::fmt::strtime::format(pattern, &zoned)
            .map_err(|e| format!("\"{pattern}\" is not a pattern that can be read: {e}"))?;
        let tm = format
            .broken_down(&text)
            .map_err(|e| format!("\"{pattern}\" cannot read back what it writes (\"{text}\"): {e}"))?;
        if tm.iana_time_zone().is_some() {
            return Err(format!(
                "\"{pattern}\" reads a time zone name (%Q), which fit does not take from each row; \
                 leave it out of the pattern and give the center's zone with --timezone"
            ));
        }
        let back = format.read(&text).map_err(|e| {
            format!(
                "\"{pattern}\" does not read a whole date and time of day (year, month, day, hour \
                 and minute, or %s): {e}"
            )
        })?;
        let expected = days_from_civil(2024, 11, 28);
        let minute = |secs: Seconds| (secs / 60.0).floor();
        if back.day != expected {
            return Err(format!(
                "\"{pattern}\" does not read a whole date (year, month and day, or %s): it reads \
                 {} back as {}",
                probe.date(),
                date_text(back.day)
            ));
        }
        if minute(back.secs) != minute(f64::from(15 * 3600 + 47 * 60)) {
            let (h, m) = ((back.secs / 3600.0) as u32, (back.secs / 60.0) as u32 % 60);
            return Err(format!(
                "\"{pattern}\" does not read the time of day to the minute (hour and minute; %I also \
                 needs %p): it reads 15:47 back as {h:02}:{m:02}"
            ));
        }
        Ok(format)
    }

    /// The pattern as given.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    fn broken_down(&self, text: &str) -> Result<jiff::fmt::strtime::BrokenDownTime, String> {
        match self.unix_fraction {
            Some(digits) => jiff::fmt::strtime::parse(&self.read_as, split_unix_fraction(text, digits)?),
            None => jiff::fmt::strtime::parse(&self.read_as, text),
        }
        .map_err(|e| e.to_string())
    }

    /// Reads one arrival.
    ///
    /// # Errors
    /// Why the text does not match the pattern.
    pub fn read(&self, text: &str) -> Result<Written, String> {
        let tm = self.broken_down(text.trim())?;
        if let Some(ts) = tm.timestamp() {
            let secs = ts.as_second();
            let day = secs.div_euclid(DAY_SECS);
            // `%s` reads whole seconds; a fraction after it (`%.f`) is kept apart.
            let nanos = tm.subsec_nanosecond().unwrap_or(0) + ts.subsec_nanosecond();
            let of_day = secs.rem_euclid(DAY_SECS) as f64 + f64::from(nanos) * 1e-9;
            let day = i32::try_from(day).map_err(|_| format!("{secs} s from 1970 is out of range"))?;
            return Ok(Written { day, secs: of_day, offset: Some(0), utc: true });
        }
        let dt = tm.to_datetime().map_err(|e| e.to_string())?;
        let day = days_from_civil(i64::from(dt.year()), dt.month() as u32, dt.day() as u32);
        let secs =
            f64::from(i32::from(dt.hour()) * 3600 + i32::from(dt.minute()) * 60 + i32::from(dt.second()))
                + f64::from(dt.subsec_nanosecond()) * 1e-9;
        Ok(Written { day, secs, offset: tm.offset().map(|o| o.seconds()), utc: false })
    }
}

/// `1709540100250` with 3 fraction digits as `1709540100.250`: a point before the last `digits`
/// digits of the first run of digits, the only one in a Unix time.
fn split_unix_fraction(text: &str, digits: usize) -> Result<String, String> {
    let start = text.find(|c: char| c.is_ascii_digit()).unwrap_or(text.len());
    let run = text[start..].find(|c: char| !c.is_ascii_digit()).map_or(text.len(), |n| start + n);
    if run - start <= digits {
        return Err(format!("expected a Unix time with {digits} digits of fraction run together"));
    }
    let point = run - digits;
    Ok(format!("{}.{}", &text[..point], &text[point..]))
}

/// What to give `fit` to read an arrival written the way many phone systems export it
/// (`03/02/2026 08:00:04 AM`, `02.03.2026 08:00`, Unix seconds, a date whose time is in another
/// column), or `None`. Where the day and the month could come in either order, both patterns
/// are given: the text cannot say which.
pub fn pattern_hint(text: &str) -> Option<String> {
    let text = text.trim();
    if text.bytes().all(|b| b.is_ascii_digit()) {
        // Seconds since 1970 have 9 digits from 1973 and 10 until 2286; milliseconds, 3 more.
        match text.len() {
            9..=10 => return Some("read it with --arrival-format %s (seconds since 1970 UTC)".to_string()),
            12..=13 => {
                return Some("read it with --arrival-format %s%3f (milliseconds since 1970 UTC)".to_string());
            }
            _ => {}
        }
    }
    let (date, time) = text.split_once(' ').unwrap_or((text, ""));
    let numbers: Vec<u32> = date.split(['/', '.', '-']).map(|n| n.parse().ok()).collect::<Option<_>>()?;
    let separator = date.chars().find(|c| ['/', '.', '-'].contains(c))?;
    let [first, second, third] = numbers[..] else { return None };
    let year = |n: u32| (1000..=9999).contains(&n);
    if !year(first) && !year(third) {
        return None;
    }
    let time = time.trim();
    if time.is_empty() {
        return Some(
            "it is a date alone: if the time of day is in a column of its own, read both with \
             --column arrival=DATE+TIME (the two headers; their cells are joined with a space)"
                .to_string(),
        );
    }
    let pm = ["AM", "PM"].iter().any(|m| time.to_ascii_uppercase().ends_with(m));
    let clock = match (time.matches(':').count(), pm) {
        (1, false) => "%H:%M",
        (2, false) => "%H:%M:%S",
        (1, true) => "%I:%M %p",
        (2, true) => "%I:%M:%S %p",
        _ => return None,
    };
    if year(first) {
        return Some(format!("read it with --arrival-format \"%Y{separator}%m{separator}%d {clock}\""));
    }
    let pattern = |a: &str, b: &str| format!("\"%{a}{separator}%{b}{separator}%Y {clock}\"");
    let patterns = match (first > 12, second > 12) {
        (true, false) => pattern("d", "m"),
        (false, true) => pattern("m", "d"),
        (false, false) => {
            format!("{} if the month comes first, {} if the day does", pattern("m", "d"), pattern("d", "m"))
        }
        (true, true) => return None,
    };
    Some(format!("read it with --arrival-format {patterns}"))
}

/// `+01:00`, `-0530`, `+01`, `UTC`, `Z` as seconds east of UTC.
fn parse_offset(b: &[u8]) -> Option<i32> {
    if b == b"UTC" || b == b"Z" {
        return Some(0);
    }
    let sign = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m) = match &b[1..] {
        [h1, h2] => (digits(&[*h1, *h2])?, 0),
        [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?),
        _ => return None,
    };
    (h <= 18 && m <= 59).then_some(sign * (h as i32 * 3600 + m as i32 * 60))
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) as i32
}

/// (year, month, day) of a day number (H. Hinnant's `civil_from_days`).
pub fn civil_from_days(z: i32) -> (i64, u32, u32) {
    let z = i64::from(z) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `YYYY-MM-DD` of a day number.
pub fn date_text(day: i32) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Day of the week, Monday = 0.
pub fn weekday(day: i32) -> usize {
    (i64::from(day) + 3).rem_euclid(7) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_local_and_offset_timestamps() {
        let w = parse_timestamp("2024-01-01 08:30:15.5").unwrap();
        assert_eq!((date_text(w.day), w.secs, w.offset), ("2024-01-01".to_string(), 30_615.5, None));
        let w = parse_timestamp("2024-03-31T02:30:00+02:00").unwrap();
        assert_eq!((w.secs, w.offset), (9_000.0, Some(7_200)));
        assert_eq!(parse_timestamp("2024-01-01T08:30Z").unwrap().offset, Some(0));
        assert!(parse_timestamp("2024-02-30 08:00:00").is_none());
        assert!(parse_timestamp("01/02/2024 08:00").is_none());
        assert_eq!(weekday(parse_timestamp("2024-01-01 00:00").unwrap().day), 0); // a Monday
    }

    #[test]
    fn an_arrival_format_reads_twelve_hour_clocks_offsets_and_unix_seconds() {
        let us = ArrivalFormat::parse("%m/%d/%Y %I:%M:%S %p").unwrap();
        let at = |f: &ArrivalFormat, text: &str| {
            let w = f.read(text).unwrap();
            (date_text(w.day), w.secs, w.offset, w.utc)
        };
        assert_eq!(at(&us, "3/2/2026 12:00:05 AM"), ("2026-03-02".to_string(), 5.0, None, false));
        assert_eq!(at(&us, "03/02/2026 12:30:00 PM"), ("2026-03-02".to_string(), 45_000.0, None, false));
        assert!(us.read("13/02/2026 08:00:00 AM").is_err(), "no 13th month");
        let offset = ArrivalFormat::parse("%d.%m.%Y %H:%M:%S%.f %:z").unwrap();
        assert_eq!(
            at(&offset, "31.12.2025 23:59:59.5 -05:00"),
            ("2025-12-31".to_string(), 86_399.5, Some(-18_000), false)
        );
        // 2024-03-04 08:15:00 UTC.
        let unix = ArrivalFormat::parse("%s").unwrap();
        assert_eq!(at(&unix, "1709540100"), ("2024-03-04".to_string(), 29_700.0, Some(0), true));
        let fraction = ArrivalFormat::parse("%s%.f").unwrap();
        assert_eq!(at(&fraction, "1709540100.25"), ("2024-03-04".to_string(), 29_700.25, Some(0), true));
        let millis = ArrivalFormat::parse("%s%3f").unwrap();
        assert_eq!(at(&millis, "1709540100250"), ("2024-03-04".to_string(), 29_700.25, Some(0), true));
        assert_eq!(at(&millis, " 1709540100005"), ("2024-03-04".to_string(), 29_700.005, Some(0), true));
        assert!(millis.read("250").is_err(), "no seconds before the milliseconds");
        let micros = ArrivalFormat::parse("%s%6f").unwrap();
        assert_eq!(at(&micros, "1709540100500000"), ("2024-03-04".to_string(), 29_700.5, Some(0), true));
        assert_eq!(
            parse_timestamp("2024-03-04T08:15:00Z").map(|w| (w.day, w.secs)),
            unix.read("1709540100").ok().map(|w| (w.day, w.secs))
        );
    }

    #[test]
    fn hints_name_the_patterns_a_text_can_have() {
        let hint = |t: &str| pattern_hint(t).unwrap_or_default();
        assert!(hint("3/2/2026 8:00 PM").contains(
            "\"%m/%d/%Y %I:%M %p\" if the month comes first, \"%d/%m/%Y %I:%M %p\" if the day does"
        ));
        assert!(hint("12/31/2026 08:00:00").ends_with("\"%m/%d/%Y %H:%M:%S\""));
        assert!(hint("2026/12/31 08:00").ends_with("\"%Y/%m/%d %H:%M\""));
        assert!(hint("1709540100").contains("--arrival-format %s (seconds"));
        assert!(hint("1709540100250").contains("--arrival-format %s%3f (milliseconds"));
        assert_eq!(pattern_hint("31/31/2026 08:00"), None);
        assert_eq!(pattern_hint("yesterday"), None);
    }

    #[test]
    fn a_time_in_a_spring_gap_never_happened_and_one_in_a_fold_is_ambiguous() {
        let paris = Zone::parse("Europe/Paris").unwrap();
        assert!(paris.place(parse_timestamp("2024-03-31 02:30:00").unwrap()).is_none());
        let fold = paris.place(parse_timestamp("2024-10-27 02:30:00").unwrap()).unwrap();
        assert!(fold.ambiguous);
        let before = paris.place(parse_timestamp("2024-03-31 01:59:00").unwrap()).unwrap();
        let after = paris.place(parse_timestamp("2024-03-31 03:01:00").unwrap()).unwrap();
        assert_eq!(after.instant - before.instant, 120.0, "the clock jumped an hour in two minutes");
        let fixed = Zone::parse("+01:00").unwrap();
        let p = fixed.place(parse_timestamp("2024-01-01T07:00:00Z").unwrap()).unwrap();
        assert_eq!(p.local_secs, 8.0 * 3600.0);
    }
}
