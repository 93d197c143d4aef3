//! The ASCII path of `matchers.normalise.name_variants`, reduced to what the candidate
//! stage reads: per variant, the token texts and their particle-free cores.
//!
//! A name written in ASCII has one `plain` variant (the `icao` and Korean variants need
//! letters outside ASCII) and, for a free-form name ending in a generational suffix, a
//! `suffix_dropped` one. This ports, step for step: `is_unknown`, `_fold` (the camel-case
//! split and case folding; accents and other scripts are not ASCII), `_split_tokens`
//! (apostrophes, digit look-alikes, separators, the `?` wildcard), `_drop_titles`,
//! `_move_trailing_particles`, `_join_particles` and the suffix rule of
//! `_variants_of_parts`. The word tables come from Python (`matchers.normalise`), so one
//! list holds them; `tests/unit/matchers/test_native_normalise.py` compares the two
//! paths on the real lists' and fixtures' names and on generated strings.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rustc_hash::FxHashSet as HashSet;
use std::collections::HashMap as StdHashMap;

/// Python's `str.isspace()` on an ASCII byte (the separators `\x1c`–`\x1f` too).
fn py_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1c..=0x1f)
}

/// Python's `str.strip()` of an ASCII string.
fn py_strip(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_ascii() && py_space(c as u8))
}

/// One variant: the token texts and, position for position, their cores.
type Texts = (Vec<String>, Vec<String>);

/// The token words of one name field and its field code (`s`, `g` or `n`).
type Field = (char, Vec<String>);

/// `matchers.normalise.name_variants` for names written in ASCII, as token texts.
#[pyclass(frozen, module = "matchers._core")]
pub struct AsciiNames {
    unknown: HashSet<String>,
    titles: HashSet<String>,
    suffixes: HashSet<String>,
    particles: HashSet<String>,
    /// particles that stay where they are written at the end of a free-form name
    unmovable: HashSet<String>,
    /// the letter a digit inside a word stands for (`b'0'` + digit), 0 for none
    lookalike: [u8; 10],
}

#[pymethods]
impl AsciiNames {
    /// The tables of `matchers.normalise`: `unknown` (`UNKNOWN_VALUES`), `titles`,
    /// `suffixes`, `particles`, `unmovable` (the particles of a class that
    /// `_move_trailing_particles` leaves in place) and `lookalike` (digit → letter, one
    /// character each, `_DIGIT_LOOKALIKE`). Raises `ValueError` for another lookalike
    /// entry.
    #[new]
    fn new(
        unknown: HashSet<String>,
        titles: HashSet<String>,
        suffixes: HashSet<String>,
        particles: HashSet<String>,
        unmovable: HashSet<String>,
        lookalike: StdHashMap<String, String>,
    ) -> PyResult<Self> {
        let mut table = [0u8; 10];
        for (digit, letter) in &lookalike {
            match (digit.as_bytes(), letter.as_bytes()) {
                ([d @ b'0'..=b'9'], [l @ b'A'..=b'Z']) => table[(d - b'0') as usize] = *l,
                _ => {
                    return Err(PyValueError::new_err(format!(
                        "lookalike: expected a digit and an uppercase letter, got {digit:?}: {letter:?}"
                    )))
                }
            }
        }
        Ok(AsciiNames {
            unknown,
            titles,
            suffixes,
            particles,
            unmovable,
            lookalike: table,
        })
    }

    /// `[(token texts, cores), …]` of the variants `name_variants(full_name, surname,
    /// given_names)` returns, in its order (`[]` for an uncomparable name); `None` when
    /// a field it would read is not ASCII (the caller takes the Python path).
    #[pyo3(signature = (full_name, surname=None, given_names=None))]
    fn __call__(
        &self,
        full_name: Option<&str>,
        surname: Option<&str>,
        given_names: Option<&str>,
    ) -> Option<Vec<Texts>> {
        if !surname.map_or(true, str::is_ascii) || !given_names.map_or(true, str::is_ascii) {
            return None;
        }
        let sur = surname.filter(|s| !self.is_unknown(s));
        let giv = given_names.filter(|s| !self.is_unknown(s));
        if sur.is_some() || giv.is_some() {
            let mut fields: Vec<Field> = Vec::with_capacity(2);
            for (code, value) in [('s', sur), ('g', giv)] {
                if let Some(v) = value {
                    fields.push((code, self.raw_tokens(v)));
                }
            }
            return Some(self.variants(fields, true));
        }
        match full_name {
            Some(f) if !f.is_ascii() => None,
            Some(f) if !self.is_unknown(f) => {
                Some(self.variants(vec![('n', self.raw_tokens(f))], false))
            }
            _ => Some(Vec::new()),
        }
    }
}

impl AsciiNames {
    /// `is_unknown`: stripped and uppercased, a placeholder (`""`, `NONE`, …).
    fn is_unknown(&self, value: &str) -> bool {
        self.unknown.contains(&py_strip(value).to_ascii_uppercase())
    }

    /// `_raw_tokens(_fold(value))`: the `A–Z` words of one field, titles dropped.
    fn raw_tokens(&self, value: &str) -> Vec<String> {
        let b = value.as_bytes();
        let n = b.len();
        // _fold: a space where two names lost theirs (two lowercase letters, then an
        // uppercase one and two lowercase), then case folding; _split_tokens then
        // uppercases and drops apostrophes, so fold straight to uppercase
        let lower = |i: usize| b[i].is_ascii_lowercase();
        let mut text: Vec<u8> = Vec::with_capacity(n + 4);
        for (i, &c) in b.iter().enumerate() {
            if i >= 2
                && i + 2 < n
                && lower(i - 2)
                && lower(i - 1)
                && c.is_ascii_uppercase()
                && lower(i + 1)
                && lower(i + 2)
            {
                text.push(b' ');
            }
            if c != b'\'' && c != b'`' {
                text.push(c.to_ascii_uppercase());
            }
        }
        if text.iter().any(u8::is_ascii_digit) {
            // digits inside a word of letters are the letters they resemble (SECH1N)
            let alnum = |c: u8| c.is_ascii_uppercase() || c.is_ascii_digit();
            let mut i = 0;
            while i < text.len() {
                if !alnum(text[i]) {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < text.len() && alnum(text[i]) {
                    i += 1;
                }
                let word = &mut text[start..i];
                let digits = word.iter().filter(|c| c.is_ascii_digit()).count();
                if digits != 0 && digits != word.len() {
                    for c in word.iter_mut() {
                        if c.is_ascii_digit() && self.lookalike[(*c - b'0') as usize] != 0 {
                            *c = self.lookalike[(*c - b'0') as usize];
                        }
                    }
                }
            }
        }
        let words: Vec<String> = text
            .split(|&c| !(c.is_ascii_uppercase() || c == b'?'))
            .filter(|w| w.iter().any(|&c| c != b'?'))
            .map(|w| String::from_utf8(w.to_vec()).expect("ASCII"))
            .collect();
        if words.iter().all(|w| self.titles.contains(w)) {
            return words; // only titles (or none): kept
        }
        words
            .into_iter()
            .filter(|w| !self.titles.contains(w))
            .collect()
    }

    /// `_move_trailing_particles` on the fields' words (in place).
    fn move_trailing_particles(&self, fields: &mut [Field]) {
        let movable = |w: &str| self.particles.contains(w) && !self.unmovable.contains(w);
        if let Some((_, free)) = fields.iter_mut().find(|(c, _)| *c == 'n') {
            if free.len() > 2
                && movable(&free[free.len() - 1])
                && !self.particles.contains(&free[0])
            {
                let mut moved: Vec<String> = Vec::new();
                while movable(&free[free.len() - 1]) {
                    moved.insert(0, free.pop().expect("a first word that is no particle"));
                }
                free.splice(0..0, moved);
                return;
            }
        }
        let gi = fields.iter().position(|(c, w)| *c == 'g' && !w.is_empty());
        let si = fields.iter().position(|(c, w)| *c == 's' && !w.is_empty());
        let (Some(gi), Some(si)) = (gi, si) else {
            return;
        };
        let mut moved: Vec<String> = Vec::new();
        while fields[gi]
            .1
            .last()
            .is_some_and(|w| self.particles.contains(w))
        {
            moved.insert(0, fields[gi].1.pop().expect("checked"));
        }
        fields[si].1.splice(0..0, moved);
    }

    /// `_variants_of_parts` of ASCII fields (one rule: `plain`, and `suffix_dropped`).
    fn variants(&self, mut fields: Vec<Field>, structured: bool) -> Vec<Texts> {
        if fields
            .iter()
            .any(|(_, w)| w.last().is_some_and(|t| self.particles.contains(t)))
        {
            self.move_trailing_particles(&mut fields);
        }
        let (mut texts, mut cores) = (Vec::new(), Vec::new());
        for (_, words) in &fields {
            // _join_particles: a particle joins the word after it (AL QAIDI → ALQAIDI)
            let mut pending = String::new();
            for (i, w) in words.iter().enumerate() {
                if i + 1 < words.len() && self.particles.contains(w) {
                    pending.push_str(w);
                    continue;
                }
                pending.push_str(w);
                texts.push(std::mem::take(&mut pending));
                cores.push(w.clone());
            }
        }
        if texts.is_empty() {
            return Vec::new();
        }
        let mut cut = texts.len();
        if !structured && cut > 1 && self.suffixes.contains(&texts[cut - 1]) {
            while cut > 1 && self.suffixes.contains(&texts[cut - 1]) {
                cut -= 1;
            }
        }
        let mut out = Vec::with_capacity(2);
        if cut < texts.len() {
            let dropped = (texts[..cut].to_vec(), cores[..cut].to_vec());
            out.push((texts, cores));
            out.push(dropped);
        } else {
            out.push((texts, cores));
        }
        out
    }
}
