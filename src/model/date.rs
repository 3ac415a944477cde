//! Dates as reports write them: a year, a month or a full day.

use serde::{de, Deserialize, Deserializer};
use std::fmt;

/// A date that may lack its day or month, as the seeds leave them blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    /// Year.
    pub year: i32,
    /// Month 1–12, when known.
    pub month: Option<u8>,
    /// Day 1–31, when known.
    pub day: Option<u8>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking the calendar.
    pub fn parse(text: &str) -> Result<PartialDate, String> {
        let bad = || format!("`{text}` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD");
        let parts: Vec<&str> = text.trim().split('-').collect();
        let num = |s: &str, len: usize| -> Option<u32> {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let year = parts.first().and_then(|y| num(y, 4)).ok_or_else(bad)? as i32;
        let month = match parts.get(1) {
            Some(m) => Some(num(m, 2).filter(|m| (1..=12).contains(m)).ok_or_else(bad)? as u8),
            None => None,
        };
        let day = match parts.get(2) {
            Some(d) => {
                let d = num(d, 2).ok_or_else(bad)?;
                let max = days_in_month(year, month.unwrap_or(1));
                if d == 0 || d > max {
                    return Err(format!("`{text}`: day {d} does not exist in that month"));
                }
                Some(d as u8)
            }
            None => None,
        };
        if parts.len() > 3 {
            return Err(bad());
        }
        Ok(PartialDate { year, month, day })
    }

    /// ISO form with only the known parts: "2021", "2020-11", "2015-01-09".
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => format!("{:04}-{:02}", self.year, m),
            _ => format!("{:04}", self.year),
        }
    }

    /// Whether `through` ends before the end of this period: the figure
    /// covers only part of it ("9 tháng đầu năm" of a year, "đến 15/6" of a
    /// month). A `through` of the whole period, or a bare year, does not.
    pub fn cut_short_by(&self, through: &PartialDate) -> bool {
        match (self.month, through.month, through.day) {
            (_, None, _) => false,
            (None, Some(m), day) => {
                m < 12 || day.is_some_and(|d| u32::from(d) < days_in_month(through.year, 12))
            }
            (Some(_), Some(m), day) => {
                day.is_some_and(|d| u32::from(d) < days_in_month(through.year, m))
            }
        }
    }

    /// Whether `inner` lies within this period: same year, and same month
    /// when this period has one.
    pub fn contains(&self, inner: &PartialDate) -> bool {
        self.year == inner.year
            && self.month.is_none_or(|m| inner.month == Some(m))
            && self.day.is_none_or(|d| inner.day == Some(d))
    }

    /// True when year, month and day are all known.
    pub fn is_complete(&self) -> bool {
        self.month.is_some() && self.day.is_some()
    }
}

pub(crate) fn days_in_month(year: i32, month: u8) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl de::Visitor<'_> for DateVisitor {
            type Value = PartialDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date written YYYY, YYYY-MM or YYYY-MM-DD")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PartialDate, E> {
                PartialDate::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PartialDate, E> {
                PartialDate::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PartialDate, E> {
                PartialDate::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(DateVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates() {
        assert_eq!(PartialDate::parse("2021").unwrap().iso(), "2021");
        assert_eq!(PartialDate::parse("2020-11").unwrap().iso(), "2020-11");
        assert_eq!(
            PartialDate::parse("2015-01-09").unwrap().iso(),
            "2015-01-09"
        );
        assert!(PartialDate::parse("2021-13").is_err());
        assert!(PartialDate::parse("2021-02-29").is_err());
        assert!(PartialDate::parse("2020-02-29").is_ok());
        assert!(PartialDate::parse("21-1-1").is_err());
        assert!(PartialDate::parse("2021-1").is_err());
        assert!(PartialDate::parse("2021-01-01-01").is_err());
    }
}
