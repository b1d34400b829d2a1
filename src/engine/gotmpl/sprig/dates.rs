//! Sprig's date functions (`now`, `date`, `dateInZone`, `htmlDate`, `toDate`, `unixEpoch`,
//! `dateModify`, `ago`, `duration`, `durationRound`) and Helm's duration helpers
//! (`mustToDuration`, `durationSeconds`...), with Go's layout strings (`2006-01-02`) and Go's
//! duration syntax and printing (`1h2m3.5s`). Zones: UTC, fixed offsets and IANA names (from
//! the database bundled with `jiff`); the local zone is UTC (rendering must not depend on the
//! machine).

use super::super::error::TemplateError;
use super::super::exec::FuncMap;
use super::super::value::{Kind, Object, Param, Signature, Value};
use super::conv::to_int64;
use super::{R, alias, def, s};
use std::rc::Rc;

const SECOND: i64 = 1_000_000_000;

/// A `time.Time` (instant plus zone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Time {
    secs: i64,
    nanos: i64,
    offset: i64,
    zone: String,
}

impl Time {
    fn now() -> Time {
        let d = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Time {
            secs: d.as_secs() as i64,
            nanos: d.subsec_nanos() as i64,
            offset: 0,
            zone: "UTC".into(),
        }
    }

    fn unix(secs: i64) -> Time {
        Time {
            secs,
            nanos: 0,
            offset: 0,
            zone: "UTC".into(),
        }
    }

    /// Go's `t.In(time.LoadLocation(zone))` with Sprig's fallback to UTC for a zone that does
    /// not load. Named zones come from the IANA database bundled into the binary (jiff's), so
    /// output does not depend on the machine; names match exactly, as Go's file lookup does.
    fn in_zone(&self, zone: &str) -> Time {
        let utc = Time {
            offset: 0,
            zone: "UTC".into(),
            ..self.clone()
        };
        if zone.is_empty() || zone == "UTC" || zone == "Local" {
            return utc;
        }
        let Ok(tz) = jiff::tz::TimeZone::get(zone) else {
            return utc;
        };
        if tz.iana_name() != Some(zone) {
            return utc;
        }
        let Ok(ts) = jiff::Timestamp::new(self.secs, self.nanos as i32) else {
            return utc;
        };
        let info = tz.to_offset_info(ts);
        Time {
            offset: info.offset().seconds() as i64,
            zone: info.abbreviation().to_string(),
            ..self.clone()
        }
    }

    fn civil(&self) -> Civil {
        let local = self.secs + self.offset;
        let days = local.div_euclid(86_400);
        let sod = local.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        Civil {
            year: y,
            month: m,
            day: d,
            hour: sod / 3600,
            min: (sod / 60) % 60,
            sec: sod % 60,
            nanos: self.nanos,
            weekday: (days + 4).rem_euclid(7),
            yday: days - days_from_civil(y, 1, 1) + 1,
        }
    }

    fn format(&self, layout: &str) -> String {
        format_time(self, layout)
    }
}

struct Civil {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    min: i64,
    sec: i64,
    nanos: i64,
    weekday: i64,
    yday: i64,
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Lit(String),
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    TZ,
    /// Zone offset: (Z for UTC?, colons, with seconds, hours only)
    Offset(bool, bool, bool, bool),
    /// Fraction: (digits, trim zeros)
    Frac(usize, bool),
}

fn tokenize_layout(layout: &str) -> Vec<Tok> {
    let b = layout.as_bytes();
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut i = 0;
    let starts = |i: usize, p: &str| layout[i..].starts_with(p);
    while i < b.len() {
        let (tok, len): (Option<Tok>, usize) = match b[i] {
            b'J' if starts(i, "January") => (Some(Tok::LongMonth), 7),
            b'J' if starts(i, "Jan") => (Some(Tok::Month), 3),
            b'M' if starts(i, "Monday") => (Some(Tok::LongWeekDay), 6),
            b'M' if starts(i, "Mon") => (Some(Tok::WeekDay), 3),
            b'M' if starts(i, "MST") => (Some(Tok::TZ), 3),
            b'0' if starts(i, "002") => (Some(Tok::ZeroYearDay), 3),
            b'0' if i + 1 < b.len() && (b'1'..=b'6').contains(&b[i + 1]) => (
                Some(match b[i + 1] {
                    b'1' => Tok::ZeroMonth,
                    b'2' => Tok::ZeroDay,
                    b'3' => Tok::ZeroHour12,
                    b'4' => Tok::ZeroMinute,
                    b'5' => Tok::ZeroSecond,
                    _ => Tok::Year,
                }),
                2,
            ),
            b'1' if starts(i, "15") => (Some(Tok::Hour), 2),
            b'1' => (Some(Tok::NumMonth), 1),
            b'2' if starts(i, "2006") => (Some(Tok::LongYear), 4),
            b'2' => (Some(Tok::Day), 1),
            b'_' if starts(i, "_2006") => {
                lit.push('_');
                (Some(Tok::LongYear), 5)
            }
            b'_' if starts(i, "__2") => (Some(Tok::UnderYearDay), 3),
            b'_' if starts(i, "_2") => (Some(Tok::UnderDay), 2),
            b'3' => (Some(Tok::Hour12), 1),
            b'4' => (Some(Tok::Minute), 1),
            b'5' => (Some(Tok::Second), 1),
            b'P' if starts(i, "PM") => (Some(Tok::PM), 2),
            b'p' if starts(i, "pm") => (Some(Tok::Pm), 2),
            b'-' if starts(i, "-07:00:00") => (Some(Tok::Offset(false, true, true, false)), 9),
            b'-' if starts(i, "-070000") => (Some(Tok::Offset(false, false, true, false)), 7),
            b'-' if starts(i, "-07:00") => (Some(Tok::Offset(false, true, false, false)), 6),
            b'-' if starts(i, "-0700") => (Some(Tok::Offset(false, false, false, false)), 5),
            b'-' if starts(i, "-07") => (Some(Tok::Offset(false, false, false, true)), 3),
            b'Z' if starts(i, "Z07:00:00") => (Some(Tok::Offset(true, true, true, false)), 9),
            b'Z' if starts(i, "Z070000") => (Some(Tok::Offset(true, false, true, false)), 7),
            b'Z' if starts(i, "Z07:00") => (Some(Tok::Offset(true, true, false, false)), 6),
            b'Z' if starts(i, "Z0700") => (Some(Tok::Offset(true, false, false, false)), 5),
            b'Z' if starts(i, "Z07") => (Some(Tok::Offset(true, false, false, true)), 3),
            b'.' | b',' if i + 1 < b.len() && (b[i + 1] == b'0' || b[i + 1] == b'9') => {
                let ch = b[i + 1];
                let mut j = i + 1;
                while j < b.len() && b[j] == ch {
                    j += 1;
                }
                if j < b.len() && b[j].is_ascii_digit() {
                    (None, 1)
                } else {
                    lit.push(b[i] as char);
                    (Some(Tok::Frac(j - i - 1, ch == b'9')), j - i)
                }
            }
            _ => (None, 1),
        };
        match tok {
            Some(t) => {
                let sep_in_lit = matches!(t, Tok::Frac(..)) || (b[i] == b'_' && starts(i, "_2006"));
                if sep_in_lit {
                    // The separator char was pushed to `lit`; keep it as literal text.
                }
                if !lit.is_empty() {
                    out.push(Tok::Lit(std::mem::take(&mut lit)));
                }
                out.push(t);
                i += len;
            }
            None => {
                let c = layout[i..].chars().next().unwrap_or(' ');
                lit.push(c);
                i += c.len_utf8();
            }
        }
    }
    if !lit.is_empty() {
        out.push(Tok::Lit(lit));
    }
    out
}

fn format_time(t: &Time, layout: &str) -> String {
    let c = t.civil();
    let mut out = String::new();
    for tok in tokenize_layout(layout) {
        match tok {
            Tok::Lit(s) => out.push_str(&s),
            Tok::LongMonth => out.push_str(MONTHS[(c.month - 1) as usize]),
            Tok::Month => out.push_str(&MONTHS[(c.month - 1) as usize][..3]),
            Tok::NumMonth => out.push_str(&c.month.to_string()),
            Tok::ZeroMonth => out.push_str(&format!("{:02}", c.month)),
            Tok::LongWeekDay => out.push_str(DAYS[c.weekday as usize]),
            Tok::WeekDay => out.push_str(&DAYS[c.weekday as usize][..3]),
            Tok::Day => out.push_str(&c.day.to_string()),
            Tok::UnderDay => out.push_str(&format!("{:>2}", c.day)),
            Tok::ZeroDay => out.push_str(&format!("{:02}", c.day)),
            Tok::UnderYearDay => out.push_str(&format!("{:>3}", c.yday)),
            Tok::ZeroYearDay => out.push_str(&format!("{:03}", c.yday)),
            Tok::Hour => out.push_str(&format!("{:02}", c.hour)),
            Tok::Hour12 => {
                out.push_str(&(if c.hour % 12 == 0 { 12 } else { c.hour % 12 }).to_string())
            }
            Tok::ZeroHour12 => out.push_str(&format!(
                "{:02}",
                if c.hour % 12 == 0 { 12 } else { c.hour % 12 }
            )),
            Tok::Minute => out.push_str(&c.min.to_string()),
            Tok::ZeroMinute => out.push_str(&format!("{:02}", c.min)),
            Tok::Second => out.push_str(&c.sec.to_string()),
            Tok::ZeroSecond => out.push_str(&format!("{:02}", c.sec)),
            Tok::LongYear => out.push_str(&format!("{:04}", c.year)),
            Tok::Year => out.push_str(&format!("{:02}", c.year.rem_euclid(100))),
            Tok::PM => out.push_str(if c.hour >= 12 { "PM" } else { "AM" }),
            Tok::Pm => out.push_str(if c.hour >= 12 { "pm" } else { "am" }),
            Tok::TZ => out.push_str(&t.zone),
            Tok::Offset(z, colons, secs, hours_only) => {
                if z && t.offset == 0 {
                    out.push('Z');
                    continue;
                }
                let sign = if t.offset < 0 { '-' } else { '+' };
                let o = t.offset.abs();
                out.push(sign);
                out.push_str(&format!("{:02}", o / 3600));
                if !hours_only {
                    if colons {
                        out.push(':');
                    }
                    out.push_str(&format!("{:02}", (o / 60) % 60));
                }
                if secs {
                    if colons {
                        out.push(':');
                    }
                    out.push_str(&format!("{:02}", o % 60));
                }
            }
            Tok::Frac(n, trim) => {
                let digits = format!("{:09}", c.nanos);
                let mut d = digits[..n.min(9)].to_string();
                if trim {
                    while d.ends_with('0') {
                        d.pop();
                    }
                    if d.is_empty() {
                        // Remove the separator pushed as literal.
                        if out.ends_with('.') || out.ends_with(',') {
                            out.pop();
                        }
                        continue;
                    }
                }
                out.push_str(&d);
            }
        }
    }
    out
}

/// Parses `value` with a Go layout (UTC unless the value has an offset).
fn parse_time(layout: &str, value: &str) -> Result<Time, TemplateError> {
    let err = |rest: &str, elem: &str| {
        TemplateError::plain(format!(
            "parsing time {} as {}: cannot parse {} as {}",
            super::super::fmt::quote_go(value),
            super::super::fmt::quote_go(layout),
            super::super::fmt::quote_go(rest),
            super::super::fmt::quote_go(elem)
        ))
    };
    let (mut year, mut month, mut day, mut hour, mut min, mut sec, mut nanos, mut offset) =
        (1i64, 1i64, 1i64, 0i64, 0i64, 0i64, 0i64, 0i64);
    let mut pm: Option<bool> = None;
    let mut rest = value;
    let num = |rest: &mut &str, min_d: usize, max_d: usize| -> Option<i64> {
        let n = rest
            .bytes()
            .take(max_d)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if n < min_d {
            return None;
        }
        let v = rest[..n].parse().ok()?;
        *rest = &rest[n..];
        Some(v)
    };
    for tok in tokenize_layout(layout) {
        let before = rest;
        let ok = match &tok {
            Tok::Lit(l) => {
                if let Some(r) = rest.strip_prefix(l.as_str()) {
                    rest = r;
                    true
                } else {
                    false
                }
            }
            Tok::LongYear => num(&mut rest, 4, 4).map(|v| year = v).is_some(),
            Tok::Year => num(&mut rest, 2, 2)
                .map(|v| year = if v >= 69 { 1900 + v } else { 2000 + v })
                .is_some(),
            Tok::ZeroMonth => num(&mut rest, 2, 2).map(|v| month = v).is_some(),
            Tok::NumMonth => num(&mut rest, 1, 2).map(|v| month = v).is_some(),
            Tok::LongMonth | Tok::Month => {
                let found = MONTHS.iter().enumerate().find_map(|(i, m)| {
                    let name = if tok == Tok::Month { &m[..3] } else { m };
                    rest.starts_with(name).then_some((i, name.len()))
                });
                match found {
                    Some((i, n)) => {
                        month = i as i64 + 1;
                        rest = &rest[n..];
                        true
                    }
                    None => false,
                }
            }
            Tok::LongWeekDay | Tok::WeekDay => {
                let found = DAYS.iter().find_map(|d| {
                    let name = if tok == Tok::WeekDay { &d[..3] } else { d };
                    rest.starts_with(name).then_some(name.len())
                });
                match found {
                    Some(n) => {
                        rest = &rest[n..];
                        true
                    }
                    None => false,
                }
            }
            Tok::ZeroDay => num(&mut rest, 2, 2).map(|v| day = v).is_some(),
            Tok::Day => num(&mut rest, 1, 2).map(|v| day = v).is_some(),
            Tok::UnderDay => {
                if rest.starts_with(' ') {
                    rest = &rest[1..];
                }
                num(&mut rest, 1, 2).map(|v| day = v).is_some()
            }
            Tok::ZeroYearDay | Tok::UnderYearDay => num(&mut rest, 1, 3).is_some(),
            Tok::Hour => num(&mut rest, 2, 2).map(|v| hour = v).is_some(),
            Tok::Hour12 => num(&mut rest, 1, 2).map(|v| hour = v).is_some(),
            Tok::ZeroHour12 => num(&mut rest, 2, 2).map(|v| hour = v).is_some(),
            Tok::Minute => num(&mut rest, 1, 2).map(|v| min = v).is_some(),
            Tok::ZeroMinute => num(&mut rest, 2, 2).map(|v| min = v).is_some(),
            Tok::Second => num(&mut rest, 1, 2).map(|v| sec = v).is_some(),
            Tok::ZeroSecond => {
                let ok = num(&mut rest, 2, 2).map(|v| sec = v).is_some();
                // A fractional second may follow even if the layout has none.
                if ok
                    && rest.starts_with('.')
                    && rest[1..].starts_with(|c: char| c.is_ascii_digit())
                {
                    let n = rest[1..].bytes().take_while(|b| b.is_ascii_digit()).count();
                    let digits = &rest[1..1 + n];
                    nanos = format!("{:0<9}", &digits[..n.min(9)]).parse().unwrap_or(0);
                    rest = &rest[1 + n..];
                }
                ok
            }
            Tok::PM | Tok::Pm => {
                let up = rest.get(..2).map(|s| s.to_ascii_uppercase());
                match up.as_deref() {
                    Some("PM") => {
                        pm = Some(true);
                        rest = &rest[2..];
                        true
                    }
                    Some("AM") => {
                        pm = Some(false);
                        rest = &rest[2..];
                        true
                    }
                    _ => false,
                }
            }
            Tok::TZ => {
                let n = rest.bytes().take_while(|b| b.is_ascii_uppercase()).count();
                if n >= 3 {
                    rest = &rest[n..];
                    true
                } else {
                    false
                }
            }
            Tok::Offset(z, colons, secs, hours_only) => {
                if *z && rest.starts_with('Z') {
                    rest = &rest[1..];
                    true
                } else if let Some(sign) = rest.chars().next().filter(|c| *c == '+' || *c == '-') {
                    rest = &rest[1..];
                    let h = num(&mut rest, 2, 2);
                    let mut m = Some(0);
                    let mut sc = Some(0);
                    if !hours_only {
                        if *colons {
                            rest = rest.strip_prefix(':').unwrap_or(rest);
                        }
                        m = num(&mut rest, 2, 2);
                    }
                    if *secs {
                        if *colons {
                            rest = rest.strip_prefix(':').unwrap_or(rest);
                        }
                        sc = num(&mut rest, 2, 2);
                    }
                    match (h, m, sc) {
                        (Some(h), Some(m), Some(sc)) => {
                            offset = (h * 3600 + m * 60 + sc) * if sign == '-' { -1 } else { 1 };
                            true
                        }
                        _ => false,
                    }
                } else {
                    false
                }
            }
            Tok::Frac(n, trim) => {
                let digits = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
                if (*trim && digits > 0) || (!*trim && digits >= *n) {
                    let take = if *trim { digits } else { *n };
                    let d = &rest[..take];
                    nanos = format!("{:0<9}", &d[..take.min(9)]).parse().unwrap_or(0);
                    rest = &rest[take..];
                    true
                } else {
                    *trim
                }
            }
        };
        if !ok {
            let elem = match &tok {
                Tok::Lit(l) => l.clone(),
                _ => String::new(),
            };
            return Err(err(before, &elem));
        }
    }
    if !rest.is_empty() {
        return Err(TemplateError::plain(format!(
            "parsing time {}: extra text: {}",
            super::super::fmt::quote_go(value),
            super::super::fmt::quote_go(rest)
        )));
    }
    if let Some(p) = pm {
        if p && hour < 12 {
            hour += 12;
        } else if !p && hour == 12 {
            hour = 0;
        }
    }
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || min > 59 || sec > 59 {
        return Err(TemplateError::plain(format!(
            "parsing time {}: day out of range",
            super::super::fmt::quote_go(value)
        )));
    }
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + min * 60 + sec - offset;
    Ok(Time {
        secs,
        nanos,
        offset,
        zone: if offset == 0 {
            "UTC".into()
        } else {
            String::new()
        },
    })
}

/// Go's `time.ParseDuration`, in nanoseconds.
pub(crate) fn parse_duration(s: &str) -> Result<i64, TemplateError> {
    let bad = || {
        TemplateError::plain(format!(
            "time: invalid duration {}",
            super::super::fmt::quote_go(s)
        ))
    };
    let mut rest = s;
    let neg = rest.starts_with('-');
    if rest.starts_with('-') || rest.starts_with('+') {
        rest = &rest[1..];
    }
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let n = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        if n == 0 {
            return Err(bad());
        }
        let v: f64 = rest[..n].parse().map_err(|_| bad())?;
        rest = &rest[n..];
        let u = rest
            .bytes()
            .take_while(|b| !b.is_ascii_digit() && *b != b'.')
            .count();
        let unit = &rest[..u];
        rest = &rest[u..];
        let mult: f64 = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => {
                return Err(TemplateError::plain(format!(
                    "time: missing unit in duration {}",
                    super::super::fmt::quote_go(s)
                )));
            }
            _ => {
                return Err(TemplateError::plain(format!(
                    "time: unknown unit {} in duration {}",
                    super::super::fmt::quote_go(unit),
                    super::super::fmt::quote_go(s)
                )));
            }
        };
        total += v * mult;
    }
    if total > i64::MAX as f64 {
        return Err(bad());
    }
    let t = total.round() as i64;
    Ok(if neg { -t } else { t })
}

fn fmt_frac(u: u64, prec: u32) -> (String, u64) {
    let mut digits = String::new();
    let mut v = u;
    let mut print = false;
    for _ in 0..prec {
        let d = v % 10;
        print = print || d != 0;
        if print {
            digits.insert(0, char::from(b'0' + d as u8));
        }
        v /= 10;
    }
    if print {
        digits.insert(0, '.');
    }
    (digits, v)
}

/// Go's `time.Duration.String`.
pub(crate) fn duration_string(d: i64) -> String {
    if d == 0 {
        return "0s".into();
    }
    let neg = d < 0;
    let u = d.unsigned_abs();
    let body = if u < SECOND as u64 {
        let (unit, prec) = if u < 1000 {
            ("ns", 0)
        } else if u < 1_000_000 {
            ("µs", 3)
        } else {
            ("ms", 6)
        };
        let (frac, int) = fmt_frac(u, prec);
        format!("{int}{frac}{unit}")
    } else {
        let (frac, mut v) = fmt_frac(u, 9);
        let mut s = format!("{}{frac}s", v % 60);
        v /= 60;
        if v > 0 {
            s = format!("{}m{s}", v % 60);
            v /= 60;
            if v > 0 {
                s = format!("{v}h{s}");
            }
        }
        s
    };
    if neg { format!("-{body}") } else { body }
}

/// A `time.Duration` value (prints as `1h0m0s`).
#[derive(Debug)]
pub(crate) struct Duration(pub i64);

impl Object for Duration {
    fn type_name(&self) -> String {
        "time.Duration".into()
    }
    fn kind(&self) -> Kind {
        Kind::Int64
    }
    fn method(&self, name: &str) -> Option<Signature> {
        matches!(
            name,
            "Seconds" | "Minutes" | "Hours" | "String" | "Milliseconds"
        )
        .then(|| Signature::new(&[]))
    }
    fn call_method(&self, name: &str, _args: Vec<Value>) -> Result<Value, String> {
        let d = self.0 as f64;
        Ok(match name {
            "Seconds" => Value::Float(d / 1e9),
            "Minutes" => Value::Float(d / 60e9),
            "Hours" => Value::Float(d / 3600e9),
            "Milliseconds" => Value::Int64(self.0 / 1_000_000),
            _ => Value::string(duration_string(self.0)),
        })
    }
    fn format(&self) -> String {
        duration_string(self.0)
    }
    fn to_json(&self) -> Option<serde_json::Value> {
        Some(serde_json::json!(self.0))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl Object for Time {
    fn type_name(&self) -> String {
        "time.Time".into()
    }
    fn method(&self, name: &str) -> Option<Signature> {
        match name {
            "Unix" | "Year" | "YearDay" | "Day" | "Hour" | "Minute" | "Second" | "UTC"
            | "String" | "UnixNano" => Some(Signature::new(&[])),
            "Format" => Some(Signature::new(&[Param::String])),
            _ => None,
        }
    }
    fn call_method(&self, name: &str, args: Vec<Value>) -> Result<Value, String> {
        let c = self.civil();
        Ok(match name {
            "Unix" => Value::Int64(self.secs),
            "UnixNano" => Value::Int64(self.secs.saturating_mul(SECOND).saturating_add(self.nanos)),
            "Year" => Value::Int(c.year),
            "YearDay" => Value::Int(c.yday),
            "Day" => Value::Int(c.day),
            "Hour" => Value::Int(c.hour),
            "Minute" => Value::Int(c.min),
            "Second" => Value::Int(c.sec),
            "UTC" => Value::Object(Rc::new(self.in_zone("UTC"))),
            "Format" => {
                Value::string(self.format(args.first().and_then(|a| a.as_str()).unwrap_or("")))
            }
            _ => Value::string(Object::format(self)),
        })
    }
    fn format(&self) -> String {
        format_time(self, "2006-01-02 15:04:05.999999999 -0700 MST")
    }
    fn to_json(&self) -> Option<serde_json::Value> {
        Some(serde_json::Value::String(format_time(
            self,
            "2006-01-02T15:04:05.999999999Z07:00",
        )))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// A date argument: `time.Time`, or Unix seconds as int/int64/int32 (else now).
fn as_time(v: &Value) -> Time {
    match v {
        Value::Object(o) => match o.as_any().downcast_ref::<Time>() {
            Some(t) => t.clone(),
            None => Time::now(),
        },
        Value::Int(i) | Value::Int64(i) => Time::unix(*i),
        _ => Time::now(),
    }
}

/// Helm's `asDuration`: durations, Go duration strings, numeric strings and numbers as
/// seconds.
fn as_duration(v: &Value) -> Result<i64, TemplateError> {
    let from_secs = |f: f64| -> Result<i64, TemplateError> {
        if !f.is_finite() {
            return Err(TemplateError::plain(format!(
                "invalid duration seconds: {f}"
            )));
        }
        let ns = f * 1e9;
        if ns.abs() >= 9.2e18 {
            return Err(TemplateError::plain(format!(
                "duration seconds overflow: {f}"
            )));
        }
        Ok(ns as i64)
    };
    match v {
        Value::Object(o) => match o.as_any().downcast_ref::<Duration>() {
            Some(d) => Ok(d.0),
            None => Err(TemplateError::plain(format!(
                "unsupported duration type {}",
                o.type_name()
            ))),
        },
        Value::String(s) => {
            let t = s.trim();
            if t.is_empty() {
                return Err(TemplateError::plain("empty duration"));
            }
            if let Ok(d) = parse_duration(t) {
                return Ok(d);
            }
            match super::super::parse::parse_float(t) {
                Some(f) => from_secs(f),
                None => Err(TemplateError::plain(format!(
                    "could not parse duration {}",
                    super::super::fmt::quote_go(s)
                ))),
            }
        }
        Value::Int(i) | Value::Int64(i) => i
            .checked_mul(SECOND)
            .ok_or_else(|| TemplateError::plain(format!("duration seconds overflow: {i}"))),
        Value::Uint8(u) => Ok(*u as i64 * SECOND),
        Value::Float(f) => from_secs(*f),
        Value::Nil => Err(TemplateError::plain("invalid duration")),
        other => Err(TemplateError::plain(format!(
            "unsupported duration type {}",
            other.type_name()
        ))),
    }
}

fn duration_round(d: i64) -> String {
    let u = d.unsigned_abs();
    let hour = 3600 * SECOND as u64;
    let (year, month, day, minute, second) = (
        hour * 24 * 365,
        hour * 24 * 30,
        hour * 24,
        60 * SECOND as u64,
        SECOND as u64,
    );
    if u > year {
        format!("{}y", u / year)
    } else if u > month {
        format!("{}mo", u / month)
    } else if u > day {
        format!("{}d", u / day)
    } else if u > hour {
        format!("{}h", u / hour)
    } else if u > minute {
        format!("{}m", u / minute)
    } else if u > second {
        format!("{}s", u / second)
    } else {
        "0s".into()
    }
}

fn round_to(d: i64, m: i64) -> i64 {
    if m <= 0 {
        return d;
    }
    let r = d % m;
    if d < 0 {
        let r = -r;
        if r + r < m { d + r } else { d - m + r }
    } else if r + r < m {
        d - r
    } else {
        d + m - r
    }
}

pub(super) fn register(m: &mut FuncMap) {
    use Param::*;
    def(m, "now", &[], |_, _| {
        Ok(Value::Object(Rc::new(Time::now())))
    });
    def(m, "date", &[String, Any], |_, a| {
        Ok(Value::string(as_time(&a[1]).format(s(&a[0]))))
    });
    def(m, "dateInZone", &[String, Any, String], |_, a| {
        Ok(Value::string(
            as_time(&a[1]).in_zone(s(&a[2])).format(s(&a[0])),
        ))
    });
    alias(m, "date_in_zone", "dateInZone");
    def(m, "htmlDate", &[Any], |_, a| {
        Ok(Value::string(as_time(&a[0]).format("2006-01-02")))
    });
    def(m, "htmlDateInZone", &[Any, String], |_, a| {
        Ok(Value::string(
            as_time(&a[0]).in_zone(s(&a[1])).format("2006-01-02"),
        ))
    });
    def(m, "toDate", &[String, String], |_, a| {
        Ok(Value::Object(Rc::new(
            parse_time(s(&a[0]), s(&a[1])).unwrap_or_else(|_| Time::unix(-62_135_596_800)),
        )))
    });
    def(m, "mustToDate", &[String, String], |_, a| {
        Ok(Value::Object(Rc::new(parse_time(s(&a[0]), s(&a[1]))?)))
    });
    def(m, "unixEpoch", &[Object("time.Time")], |_, a| {
        Ok(Value::string(as_time(&a[0]).secs.to_string()))
    });
    def(m, "dateModify", &[String, Object("time.Time")], |_, a| {
        let t = as_time(&a[1]);
        Ok(Value::Object(Rc::new(match parse_duration(s(&a[0])) {
            Ok(d) => add(&t, d),
            Err(_) => t,
        })))
    });
    alias(m, "date_modify", "dateModify");
    def(
        m,
        "mustDateModify",
        &[String, Object("time.Time")],
        |_, a| {
            let t = as_time(&a[1]);
            Ok(Value::Object(Rc::new(add(&t, parse_duration(s(&a[0]))?))))
        },
    );
    alias(m, "must_date_modify", "mustDateModify");
    def(m, "ago", &[Any], |_, a| {
        let t = as_time(&a[0]);
        let now = Time::now();
        let d = (now.secs - t.secs) * SECOND + (now.nanos - t.nanos);
        Ok(Value::string(duration_string(round_to(d, SECOND))))
    });
    def(m, "duration", &[Any], |_, a| {
        let n = match &a[0] {
            Value::String(s) => s.parse::<i64>().unwrap_or(0),
            Value::Int64(i) => *i,
            _ => 0,
        };
        Ok(Value::string(duration_string(n.wrapping_mul(SECOND))))
    });
    def(m, "durationRound", &[Any], |_, a| {
        let d = match &a[0] {
            Value::String(s) => parse_duration(s).unwrap_or(0),
            Value::Int64(i) => *i,
            Value::Object(o) if o.as_any().is::<Time>() => {
                let t = as_time(&a[0]);
                let now = Time::now();
                (now.secs - t.secs) * SECOND
            }
            _ => 0,
        };
        Ok(Value::string(duration_round(d)))
    });
    def(m, "mustToDuration", &[Any], |_, a| {
        Ok(Value::Object(Rc::new(Duration(as_duration(&a[0])?))))
    });
    def(m, "durationSeconds", &[Any], |_, a| {
        Ok(Value::Float(
            as_duration(&a[0]).map(|d| d as f64 / 1e9).unwrap_or(0.0),
        ))
    });
    def(m, "durationMilliseconds", &[Any], |_, a| {
        Ok(Value::Int64(
            as_duration(&a[0]).map(|d| d / 1_000_000).unwrap_or(0),
        ))
    });
    def(m, "durationMicroseconds", &[Any], |_, a| {
        Ok(Value::Int64(
            as_duration(&a[0]).map(|d| d / 1000).unwrap_or(0),
        ))
    });
    def(m, "durationNanoseconds", &[Any], |_, a| {
        Ok(Value::Int64(as_duration(&a[0]).unwrap_or(0)))
    });
    for (name, div) in [
        ("durationMinutes", 60e9),
        ("durationHours", 3600e9),
        ("durationDays", 86400e9),
        ("durationWeeks", 604800e9),
    ] {
        def(m, name, &[Any], move |_, a| {
            Ok(Value::Float(
                as_duration(&a[0]).map(|d| d as f64 / div).unwrap_or(0.0),
            ))
        });
    }
    def(m, "durationRoundTo", &[Any, Any], |_, a| {
        let d = match as_duration(&a[0]) {
            Ok(d) => d,
            Err(_) => return Ok(Value::Object(Rc::new(Duration(0)))),
        };
        let r = as_duration(&a[1]).map(|m| round_to(d, m)).unwrap_or(d);
        Ok(Value::Object(Rc::new(Duration(r))))
    });
    def(m, "durationTruncateTo", &[Any, Any], |_, a| {
        let d = match as_duration(&a[0]) {
            Ok(d) => d,
            Err(_) => return Ok(Value::Object(Rc::new(Duration(0)))),
        };
        let r = as_duration(&a[1])
            .map(|m| if m <= 0 { d } else { d - d % m })
            .unwrap_or(d);
        Ok(Value::Object(Rc::new(Duration(r))))
    });
    let _: fn(&Value) -> i64 = to_int64;
    let _: Option<R> = None;
}

fn add(t: &Time, d: i64) -> Time {
    let total = t.nanos + d.rem_euclid(SECOND);
    Time {
        secs: t.secs + d.div_euclid(SECOND) + total / SECOND,
        nanos: total % SECOND,
        ..t.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_zones_print_like_helm() {
        // expected values printed by helm 4.3.1 (dateInZone LAYOUT TIME ZONE)
        let jul = parse_time("2006-01-02", "2024-07-01").unwrap();
        let jan = parse_time("2006-01-02", "2024-01-01").unwrap();
        let table: &[(&Time, &str, &str, &str)] = &[
            (
                &jul,
                "2006-01-02 15:04:05 MST -0700",
                "Europe/Berlin",
                "2024-07-01 02:00:00 CEST +0200",
            ),
            (
                &jan,
                "2006-01-02 15:04:05 MST -07:00",
                "America/New_York",
                "2023-12-31 19:00:00 EST -05:00",
            ),
            (
                &jan,
                "2006-01-02 15:04 MST",
                "europe/berlin",
                "2024-01-01 00:00 UTC",
            ),
            (
                &jan,
                "2006-01-02 15:04 MST Z07:00",
                "Asia/Kolkata",
                "2024-01-01 05:30 IST +05:30",
            ),
            (
                &jan,
                "2006-01-02 15:04 MST",
                "Asia/Dubai",
                "2024-01-01 04:00 +04",
            ),
            (
                &jan,
                "2006-01-02 15:04 MST",
                "Nowhere/Land",
                "2024-01-01 00:00 UTC",
            ),
            (
                &jan,
                "2006-01-02 15:04 MST",
                "Local",
                "2024-01-01 00:00 UTC",
            ),
        ];
        for (t, layout, zone, want) in table {
            assert_eq!(t.in_zone(zone).format(layout), *want, "{zone}");
        }
        assert_eq!(
            Time::unix(1_700_000_000)
                .in_zone("Australia/Lord_Howe")
                .format("Jan _2 15:04:05.000 MST"),
            "Nov 15 09:13:20.000 +11"
        );
    }

    #[test]
    fn layouts() {
        let t = Time::unix(1_700_000_000);
        assert_eq!(
            t.format("2006-01-02T15:04:05Z07:00"),
            "2023-11-14T22:13:20Z"
        );
        assert_eq!(t.format("Mon Jan _2 3:04PM 06"), "Tue Nov 14 10:13PM 23");
        assert_eq!(
            t.format("2006-01-02 15:04:05.000"),
            "2023-11-14 22:13:20.000"
        );
        assert_eq!(t.format("20060102"), "20231114");
        let p = parse_time("2006-01-02", "2023-11-14").unwrap();
        assert_eq!(p.secs, 1_699_920_000);
        let p = parse_time("2006-01-02T15:04:05Z07:00", "2023-11-14T22:13:20+01:00").unwrap();
        assert_eq!(p.secs, 1_700_000_000 - 3600);
        assert!(parse_time("2006-01-02", "nope").is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(duration_string(3_661 * SECOND), "1h1m1s");
        assert_eq!(duration_string(1_500_000), "1.5ms");
        assert_eq!(duration_string(0), "0s");
        assert_eq!(duration_string(-90 * SECOND), "-1m30s");
        assert_eq!(parse_duration("1h30m").unwrap(), 5400 * SECOND);
        assert_eq!(parse_duration("1.5s").unwrap(), 1_500_000_000);
        assert!(parse_duration("5").is_err());
        assert_eq!(as_duration(&Value::str("2.5")).unwrap(), 2_500_000_000);
        assert_eq!(duration_round(3 * 86_400 * SECOND + 5), "3d");
        assert_eq!(round_to(1_600_000_000, SECOND), 2 * SECOND);
    }
}
