//! The Latin path of `matchers.normalise.name_variants`, reduced to what the candidate
//! stage reads: per variant, the token texts and their particle-free cores.
//!
//! A name written in ASCII and the accented Latin letters of `latin` (each folds to ASCII
//! on its own: `matchers.normalise._latin_folds`) has one `plain` variant (the `icao` and
//! Korean variants need the ICAO letters Ä, Ö, Ü… or Hangul, which take the Python path)
//! and, for a free-form name ending in a generational suffix, a `suffix_dropped` one.
//! This ports, step for step: `is_unknown`, `_fold` (the camel-case split, case folding,
//! accents dropped), `_split_tokens` (apostrophes, digit look-alikes, separators, the `?`
//! wildcard), `_drop_titles`, `_move_trailing_particles`, `_join_particles` and the suffix
//! rule of `_variants_of_parts`. The word tables come from Python (`matchers.normalise`),
//! so one list holds them; `tests/unit/matchers/test_native_normalise.py` compares the
//! two paths on the real lists' and fixtures' names and on generated strings.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rustc_hash::FxHashMap as HashMap;
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

/// The uppercase letters of `_CAMEL_JOIN` (`[A-ZÀ-Þ]`).
fn camel_upper(c: char) -> bool {
    c.is_ascii_uppercase() || ('\u{c0}'..='\u{de}').contains(&c)
}

/// The lowercase letters of `_CAMEL_JOIN` (`[a-zß-ÿ]`).
fn camel_lower(c: char) -> bool {
    c.is_ascii_lowercase() || ('\u{df}'..='\u{ff}').contains(&c)
}

/// Whether `_CAMEL_JOIN` puts a space before position `i` of `s`: two lowercase
/// letters, then an uppercase one and two lowercase (two names that lost their space).
fn camel_join_at<T: Copy>(
    s: &[T],
    i: usize,
    lower: impl Fn(T) -> bool,
    upper: impl Fn(T) -> bool,
) -> bool {
    i >= 2
        && i + 2 < s.len()
        && lower(s[i - 2])
        && lower(s[i - 1])
        && upper(s[i])
        && lower(s[i + 1])
        && lower(s[i + 2])
}

/// Push a folded ASCII byte as `_split_tokens` reads it: uppercase, apostrophes dropped.
fn push_folded(text: &mut Vec<u8>, c: u8) {
    if c != b'\'' && c != b'`' {
        text.push(c.to_ascii_uppercase());
    }
}

/// `_fold` of an ASCII string (the camel-case split, case folding), uppercased and
/// without apostrophes as `_split_tokens` takes it.
fn fold_ascii(b: &[u8]) -> Vec<u8> {
    let mut text: Vec<u8> = Vec::with_capacity(b.len() + 4);
    for (i, &c) in b.iter().enumerate() {
        if camel_join_at(
            b,
            i,
            |x: u8| x.is_ascii_lowercase(),
            |x: u8| x.is_ascii_uppercase(),
        ) {
            text.push(b' ');
        }
        push_folded(&mut text, c);
    }
    text
}

/// One variant: the token texts and, position for position, their cores.
type Texts = (Vec<String>, Vec<String>);

/// The token words of one name field and its field code (`s`, `g` or `n`).
type Field = (char, Vec<String>);

/// `matchers.normalise.name_variants` for names written in ASCII, as token texts.
#[pyclass(frozen, module = "matchers._core")]
pub struct LatinNames {
    unknown: HashSet<String>,
    titles: HashSet<String>,
    suffixes: HashSet<String>,
    particles: HashSet<String>,
    /// particles that stay where they are written at the end of a free-form name
    unmovable: HashSet<String>,
    /// the letter a digit inside a word stands for (`b'0'` + digit), 0 for none
    lookalike: [u8; 10],
    /// a letter outside ASCII that `_fold` writes in ASCII on its own (accents dropped,
    /// `_PLAIN_TABLE`), lowercase: its fold; other letters take the Python path
    latin: HashMap<char, String>,
}

#[pymethods]
impl LatinNames {
    /// The tables of `matchers.normalise`: `unknown` (`UNKNOWN_VALUES`), `titles`,
    /// `suffixes`, `particles`, `unmovable` (the particles of a class that
    /// `_move_trailing_particles` leaves in place) and `lookalike` (digit → letter, one
    /// character each, `_DIGIT_LOOKALIKE`) and `latin` (a character outside ASCII → its
    /// `_fold`, ASCII: the letters whose fold is theirs alone, see
    /// `matchers.normalise`). Raises `ValueError` for another lookalike entry or a
    /// `latin` entry that is ASCII or does not fold to ASCII.
    #[new]
    fn new(
        unknown: HashSet<String>,
        titles: HashSet<String>,
        suffixes: HashSet<String>,
        particles: HashSet<String>,
        unmovable: HashSet<String>,
        lookalike: StdHashMap<String, String>,
        latin: StdHashMap<char, String>,
    ) -> PyResult<Self> {
        if let Some((c, f)) = latin.iter().find(|(c, f)| c.is_ascii() || !f.is_ascii()) {
            return Err(PyValueError::new_err(format!(
                "latin: expected a letter outside ASCII and its ASCII fold, got {c:?}: {f:?}"
            )));
        }
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
        Ok(LatinNames {
            unknown,
            titles,
            suffixes,
            particles,
            unmovable,
            lookalike: table,
            latin: latin.into_iter().collect(),
        })
    }

    /// `[(token texts, cores), …]` of the variants `name_variants(full_name, surname,
    /// given_names)` returns, in its order (`[]` for an uncomparable name); `None` when
    /// a field it would read holds a character that is neither ASCII nor in `latin`
    /// (the caller takes the Python path).
    #[pyo3(signature = (full_name, surname=None, given_names=None))]
    fn __call__(
        &self,
        full_name: Option<&str>,
        surname: Option<&str>,
        given_names: Option<&str>,
    ) -> Option<Vec<Texts>> {
        if !surname.map_or(true, |v| self.foldable(v))
            || !given_names.map_or(true, |v| self.foldable(v))
        {
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
            Some(f) if !self.foldable(f) => None,
            Some(f) if !self.is_unknown(f) => {
                Some(self.variants(vec![('n', self.raw_tokens(f))], false))
            }
            _ => Some(Vec::new()),
        }
    }
}

impl LatinNames {
    /// Whether this port folds `value`: each character ASCII or in `latin`.
    fn foldable(&self, value: &str) -> bool {
        value.is_ascii()
            || value
                .chars()
                .all(|c| c.is_ascii() || self.latin.contains_key(&c))
    }

    /// `is_unknown`: stripped and uppercased, a placeholder (`""`, `NONE`, …).
    fn is_unknown(&self, value: &str) -> bool {
        if value.is_ascii() {
            return self.unknown.contains(&py_strip(value).to_ascii_uppercase());
        }
        // Python's str.isspace() is Unicode White_Space and the separators \x1c-\x1f
        let stripped =
            value.trim_matches(|c: char| c.is_whitespace() || ('\x1c'..='\x1f').contains(&c));
        self.unknown.contains(&stripped.to_uppercase())
    }

    /// `_fold` of a name of ASCII and `latin` characters, uppercased and without
    /// apostrophes as `_split_tokens` takes it: the camel-case split on the characters as
    /// written, then each character's fold (a string of them folds character by
    /// character: no letter of `latin` meets another in NFKD or NFC).
    fn fold_latin(&self, value: &str) -> Vec<u8> {
        let chars: Vec<char> = value.chars().collect();
        let mut text: Vec<u8> = Vec::with_capacity(value.len() + 4);
        for (i, &c) in chars.iter().enumerate() {
            if camel_join_at(&chars, i, camel_lower, camel_upper) {
                text.push(b' ');
            }
            if c.is_ascii() {
                push_folded(&mut text, c as u8);
            } else {
                for &b in self.latin[&c].as_bytes() {
                    push_folded(&mut text, b);
                }
            }
        }
        text
    }

    /// `_raw_tokens(_fold(value))`: the `A–Z` words of one field, titles dropped.
    fn raw_tokens(&self, value: &str) -> Vec<String> {
        let mut text = if value.is_ascii() {
            fold_ascii(value.as_bytes())
        } else {
            self.fold_latin(value)
        };
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
