//! `matchers.dates.parse_partial_date`, for the year a query's date of birth gives the
//! compiled candidate stage's evidence boost.

use crate::normalise::py_strip;

const MONTH_DAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &d| {
        d.is_ascii_digit().then(|| acc * 10 + (d - b'0') as u32)
    })
}

/// The year of `parse_partial_date(value)` (ISO `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, zero
/// month or day parts unknown, impossible dates refused): `Some(Some(year))`, or
/// `Some(None)` where Python returns `None`; `None` for a value that is not ASCII (Python's
/// `\d` takes other digits too: the caller asks Python).
pub(crate) fn partial_date_year(value: &str) -> Option<Option<u32>> {
    if !value.is_ascii() {
        return None;
    }
    let b = py_strip(value).as_bytes();
    let dash = |k: usize| b.get(k) == Some(&b'-');
    let parsed = match b.len() {
        4 => digits(b).map(|y| (y, 0, 0)),
        7 if dash(4) => digits(&b[..4])
            .zip(digits(&b[5..7]))
            .map(|(y, m)| (y, m, 0)),
        10 if dash(4) && dash(7) => match (digits(&b[..4]), digits(&b[5..7]), digits(&b[8..10])) {
            // Python: the day counts only with a month
            (Some(y), Some(m), Some(d)) => Some((y, m, if m != 0 { d } else { 0 })),
            _ => None,
        },
        _ => None,
    };
    let Some((year, month, day)) = parsed else {
        return Some(None);
    };
    if year == 0 || month > 12 {
        return Some(None);
    }
    if day != 0 {
        let leap = month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        if day > MONTH_DAYS[month as usize - 1] + leap as u32 {
            return Some(None);
        }
    } else if month == 12 && year == 9999 {
        return Some(None);
    }
    Some(Some(year))
}

#[cfg(test)]
mod tests {
    use super::partial_date_year;

    #[test]
    fn years_as_python_reads_them() {
        for (text, want) in [
            ("1981-02-11", Some(1981)),
            (" 1981-02-11\n", Some(1981)),
            ("1981", Some(1981)),
            ("1981-07", Some(1981)),
            ("1971-00-00", Some(1971)),
            ("1971-00-45", Some(1971)),
            ("1972-02-29", Some(1972)),
            ("1900-02-29", None),
            ("2000-02-29", Some(2000)),
            ("1971-02-30", None),
            ("1971-13", None),
            ("0000", None),
            ("9999-12", None),
            ("9999-12-31", Some(9999)),
            ("9999", Some(9999)),
            ("81-02-11", None),
            ("1981/02/11", None),
            ("1981-2-11", None),
            ("", None),
            ("19810211", None),
        ] {
            assert_eq!(partial_date_year(text), Some(want), "{text:?}");
        }
        assert_eq!(partial_date_year("١٩٨١"), None);
    }
}
