//! The shapes a TOML value can be read as, each wrong one reported at its line and column with
//! its field path: a table whose unknown keys are named with the closest known one, lists,
//! strings, numbers, shares, whole numbers that fit their type, durations.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::super::field::{FieldPath, Sink, TomlDoc, did_you_mean, suggest};
use super::super::source::Duration;

pub(super) type Value<'i> = Spanned<DeValue<'i>>;

/// How one key's value is read: its shape checked, each problem reported at the key's path.
pub(super) trait Read<T>: FnOnce(&mut TomlDoc, &Value, &FieldPath) -> Option<T> {}

impl<T, F: FnOnce(&mut TomlDoc, &Value, &FieldPath) -> Option<T>> Read<T> for F {}

/// The keys of one table being read: records which keys were asked for, so that `finish` can
/// report the others as unknown with the closest known key.
pub(super) struct Fields<'t, 'i> {
    table: &'t DeTable<'i>,
    pub(super) path: FieldPath,
    /// Keys asked for, so far; a reader that takes keys by hand adds them here.
    pub(super) known: Vec<&'static str>,
    /// Required keys the table lacks.
    missing: Vec<&'static str>,
}

impl<'t, 'i> Fields<'t, 'i> {
    pub(super) fn new(table: &'t DeTable<'i>, path: FieldPath) -> Self {
        Fields { table, path, known: Vec::new(), missing: Vec::new() }
    }

    pub(super) fn opt<T>(&mut self, doc: &mut TomlDoc, key: &'static str, read: impl Read<T>) -> Option<T> {
        self.known.push(key);
        let value = self.table.get(key)?;
        read(doc, value, &self.path.key(key))
    }

    pub(super) fn req<T>(&mut self, doc: &mut TomlDoc, key: &'static str, read: impl Read<T>) -> Option<T> {
        if !self.table.contains_key(key) {
            self.missing.push(key);
        }
        self.opt(doc, key, read)
    }

    pub(super) fn finish(self, doc: &mut TomlDoc) {
        let unknown: Vec<&str> =
            self.table.keys().map(|k| k.get_ref().as_ref()).filter(|k| !self.known.contains(k)).collect();
        for key in &self.missing {
            // A key misspelled in the file (`[[agent_group]]`) gets one error, the unknown
            // key's with its correction, not a second one for the key it was meant to be.
            if !unknown.iter().any(|k| did_you_mean(k, [*key]).is_some()) {
                doc.error(&self.path.key(key), format!("missing required key \"{key}\""));
            }
        }
        for key in self.table.keys() {
            let key = key.get_ref().as_ref();
            if self.known.contains(&key) {
                continue;
            }
            doc.error(&self.path.key(key), format!("unknown key \"{key}\"; {}", suggest(key, &self.known)));
        }
    }
}

pub(super) fn describe(value: &DeValue) -> String {
    match value {
        DeValue::String(s) => format!("the string \"{s}\""),
        DeValue::Integer(i) => format!("the number {}", i.as_str()),
        DeValue::Float(f) => format!("the number {}", f.as_str()),
        DeValue::Boolean(b) => format!("{b}"),
        DeValue::Datetime(d) => format!("the date-time {d}"),
        DeValue::Array(_) => "a list".to_string(),
        DeValue::Table(_) => "a table".to_string(),
    }
}

pub(super) fn wrong(doc: &mut TomlDoc, value: &Value, path: &FieldPath, expected: &str) {
    let hint = match value.get_ref() {
        DeValue::Datetime(_) => " (write clock times in quotes: \"08:00\")",
        _ => "",
    };
    doc.error(path, format!("expected {expected}, got {}{hint}", describe(value.get_ref())));
}

pub(super) fn table<T>(
    doc: &mut TomlDoc,
    value: &Value,
    path: &FieldPath,
    read: impl FnOnce(&mut TomlDoc, &mut Fields) -> T,
) -> Option<T> {
    let Some(t) = value.get_ref().as_table() else {
        wrong(doc, value, path, "a table");
        return None;
    };
    let mut fields = Fields::new(t, path.clone());
    let out = read(doc, &mut fields);
    fields.finish(doc);
    Some(out)
}

pub(super) fn items<'v, 'i>(
    doc: &mut TomlDoc,
    value: &'v Value<'i>,
    path: &FieldPath,
) -> Option<&'v [Value<'i>]> {
    match value.get_ref().as_array() {
        Some(a) => Some(&a[..]),
        None => {
            wrong(doc, value, path, "a list");
            None
        }
    }
}

/// A list whose elements are read by `read`, each kept in its place: an element that cannot be
/// read (its problems reported) is `None`, so that the others are still validated, at their
/// own index, in the same pass. One misspelled key must not hide the problems of every other
/// element.
pub(super) fn list_each<T>(
    doc: &mut TomlDoc,
    value: &Value,
    path: &FieldPath,
    read: impl Fn(&mut TomlDoc, &Value, &FieldPath) -> Option<T>,
) -> Option<Vec<Option<T>>> {
    let items = items(doc, value, path)?;
    Some(items.iter().enumerate().map(|(i, v)| read(doc, v, &path.index(i))).collect())
}

/// A list of tables with a `name` key, each element's path shown by its name. An element with
/// a wrong or missing field is still passed on, so the other fields are validated too.
pub(super) fn named_list<T>(
    doc: &mut TomlDoc,
    value: &Value,
    path: &FieldPath,
    read: impl Fn(&mut TomlDoc, &mut Fields) -> T,
) -> Option<Vec<T>> {
    let items = items(doc, value, path)?;
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let name = item.get_ref().as_table().and_then(|t| t.get("name")).and_then(|n| n.get_ref().as_str());
        out.push(table(doc, item, &path.named(i, name), &read));
    }
    // Validation locates elements by index, so a list with a non-table element is not passed on.
    out.into_iter().collect()
}

/// A table of values by name (`{ sales = 1.5 }`, `{ mon-fri = "08:00-20:00" }`), each read by
/// `read` at its key's path, in the file's order; `None` when any is wrong (each one reported).
pub(super) fn entries<T>(
    doc: &mut TomlDoc,
    table: &DeTable,
    path: &FieldPath,
    read: impl Fn(&mut TomlDoc, &Value, &FieldPath) -> Option<T>,
) -> Option<Vec<(String, T)>> {
    let read: Vec<Option<(String, T)>> = (table.iter())
        .map(|(key, v)| {
            let key = key.get_ref().to_string();
            let value = read(doc, v, &path.key(&key))?;
            Some((key, value))
        })
        .collect();
    read.into_iter().collect()
}

/// One of a fixed set of names, read as the value it stands for; another name is refused as an
/// unknown `what`, with the closest of `names`.
pub(super) fn keyword<T: Copy>(
    doc: &mut TomlDoc,
    value: &Value,
    path: &FieldPath,
    what: &str,
    names: &[(&str, T)],
) -> Option<T> {
    let text = string(doc, value, path)?;
    if let Some(&(_, known)) = names.iter().find(|(name, _)| *name == text) {
        return Some(known);
    }
    let known: Vec<&str> = names.iter().map(|(name, _)| *name).collect();
    doc.error(path, format!("unknown {what} \"{text}\"; {}", suggest(&text, &known)));
    None
}

pub(super) fn string(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<String> {
    match value.get_ref().as_str() {
        Some(s) => Some(s.to_string()),
        None => {
            wrong(doc, value, path, "a string in quotes");
            None
        }
    }
}

/// A clock time, read as the string it must be written as; a number (`start = 8`, `8.30`) is
/// told the `HH:MM` it stands for, as a clock time written another way in quotes is.
pub(super) fn clock(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<String> {
    if let Some(s) = value.get_ref().as_str() {
        return Some(s.to_string());
    }
    let expected = "a clock time in quotes, \"HH:MM\"";
    let text = match value.get_ref() {
        DeValue::Integer(i) => i.as_str(),
        DeValue::Float(f) => f.as_str(),
        _ => {
            wrong(doc, value, path, expected);
            return None;
        }
    };
    let fix = crate::time::clock_written_otherwise(text).unwrap_or_else(|| "HH:MM".to_string());
    doc.error(path, format!("expected {expected}, got {} (write \"{fix}\")", describe(value.get_ref())));
    None
}

pub(super) fn number(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<f64> {
    let parsed = match value.get_ref() {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok().map(|v| v as f64),
        DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
        _ => {
            wrong(doc, value, path, "a number");
            return None;
        }
    };
    match parsed {
        Some(v) if v.is_finite() => Some(v),
        _ => {
            doc.error(path, format!("expected a finite number, got {}", describe(value.get_ref())));
            None
        }
    }
}

/// A share (a goal, a shrinkage, a probability): a number, where "80%" gets the number to
/// write instead, since a share is written as a fraction of 1.
pub(super) fn share(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<f64> {
    if let DeValue::String(s) = value.get_ref()
        && let Some(Ok(percent)) = s.trim().strip_suffix('%').map(|p| p.trim().parse::<f64>())
        && percent.is_finite()
    {
        let fraction = (percent / 100.0 * 1e9).round() / 1e9;
        let message = format!(
            "expected a number, got the string \"{s}\"; a share is a fraction of 1: write {fraction} for {}%",
            s.trim().trim_end_matches('%').trim()
        );
        doc.error(path, message);
        return None;
    }
    number(doc, value, path)
}

/// The integer types a field is read into, with their range (for the message that refuses a
/// value outside it: a whole number, just one the field cannot hold).
pub(super) trait Whole: TryFrom<i128> {
    const MIN: i128;
    const MAX: i128;
}

macro_rules! whole_types {
    ($($t:ty),*) => {$(impl Whole for $t {
        const MIN: i128 = <$t>::MIN as i128;
        const MAX: i128 = <$t>::MAX as i128;
    })*};
}
whole_types!(u16, u32, u64, usize, i32);

/// The value as an integer, when it is one (of any size TOML writes).
pub(super) fn integer(value: &Value) -> Option<i128> {
    match value.get_ref() {
        DeValue::Integer(i) => i128::from_str_radix(i.as_str(), i.radix()).ok(),
        _ => None,
    }
}

/// A whole number that fits `T` (a count, a day, a seed).
pub(super) fn whole<T: Whole>(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<T> {
    let parsed = integer(value);
    let fitted = parsed.and_then(|v| T::try_from(v).ok());
    if fitted.is_none() {
        let what = match parsed {
            Some(v) if v < 0 && T::MIN == 0 => "a whole number of 0 or more".to_string(),
            Some(v) if v < T::MIN => format!("a whole number of at least {}", T::MIN),
            Some(_) => format!("a whole number of at most {}", T::MAX),
            None => "a whole number".to_string(),
        };
        wrong(doc, value, path, &what);
    }
    fitted
}

pub(super) fn duration(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<Duration> {
    match value.get_ref() {
        DeValue::String(s) => Some(Duration::Text(s.to_string())),
        DeValue::Integer(_) | DeValue::Float(_) => number(doc, value, path).map(Duration::Seconds),
        _ => {
            wrong(doc, value, path, "a duration like \"20s\", \"4m\", \"1h30m\" or a number of seconds");
            None
        }
    }
}
