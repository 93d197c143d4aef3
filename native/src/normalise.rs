//! `matchers.normalise.name_variants` for names whose characters fold to ASCII one by
//! one, reduced to what the candidate stage reads: per variant, the token texts, their
//! particle-free cores and their syllable flags.
//!
//! A name written in ASCII and characters that fold to ASCII one by one, whatever their
//! neighbours (`plain` and `icao`: `matchers.normalise._char_folds`: accented Latin
//! letters, and Greek, Cyrillic, Arabic, Hebrew, the Indic scripts and others as
//! unidecode writes them; and, once `add_syllables` has given their folds, Han
//! ideographs and Hangul syllables, each read as a syllable) has a `plain` variant, an
//! `icao` one when a field has an ICAO letter (Ä → AE, Ø → OE…) and it differs, the
//! `korean_mr` and `korean_u` ones when a field has Hangul and they differ, and, for a
//! free-form name ending in a generational suffix, a `suffix_dropped` one; a name with
//! another character takes the Python path. The fold tables are Python's own folds, so
//! unidecode's tables stay in unidecode. This ports, step for step: `is_unknown`,
//! `_fold` (the camel-case split, case folding, accents dropped, the two tables, the
//! Hangul rules, unidecode), `_split_tokens` (apostrophes, digit look-alikes,
//! separators, the `?` wildcard), `_drop_titles`, `_move_trailing_particles`,
//! `_join_particles` (none in a field of syllables) and the rules of
//! `_variants_of_parts`. The word tables come from Python (`matchers.normalise`), so one
//! list holds them; `tests/unit/matchers/test_native_normalise.py` compares the two
//! paths on the real lists' and fixtures' names and on generated strings.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyString;
use rustc_hash::FxHashMap as HashMap;
use rustc_hash::FxHashSet as HashSet;
use std::collections::HashMap as StdHashMap;
use std::sync::OnceLock;

/// Python's `str.isspace()` on an ASCII byte (the separators `\x1c`–`\x1f` too).
pub(crate) fn py_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1c..=0x1f)
}

/// Python's `str.strip()` of an ASCII string.
pub(crate) fn py_strip(s: &str) -> &str {
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

/// `_fold` of a name of ASCII, `folds` characters (a table's folds) and, with
/// `syllables`, Han and Hangul (`hangul`: 0 `plain`, 1 `korean_mr`, 2 `korean_u`), as
/// Python writes it: the camel-case split on the characters as written, ASCII lowercased
/// (its case fold), each other character's fold (a string of them folds character by
/// character: no such character meets another in NFKD or NFC).
fn fold_raw(
    value: &str,
    folds: &HashMap<char, String>,
    syllables: Option<&Syllables>,
    hangul: usize,
) -> String {
    let chars: Vec<char> = value.chars().collect();
    let mut text = String::with_capacity(value.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if camel_join_at(&chars, i, camel_lower, camel_upper) {
            text.push(' ');
        }
        if c.is_ascii() {
            text.push(c.to_ascii_lowercase());
        } else if let Some(f) = folds.get(&c) {
            text.push_str(f);
        } else if let Some(f) = syllables.and_then(|s| s.fold(c, hangul)) {
            text.push_str(f);
        }
    }
    text
}

/// A folded text as `_split_tokens` takes it: uppercase, apostrophes dropped.
fn ready(raw: &str) -> Vec<u8> {
    let mut text = Vec::with_capacity(raw.len());
    for &c in raw.as_bytes() {
        push_folded(&mut text, c);
    }
    text
}

/// Han ideographs (`_SYLLABIC`'s: the CJK blocks and the compatibility ideographs).
fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// Hangul syllables (`_HANGUL_SYLLABLE`).
fn is_hangul(c: char) -> bool {
    ('\u{ac00}'..='\u{d7a3}').contains(&c)
}

/// The folds of the syllabic scripts (`_SYLLABIC`), given once the Python tables are
/// loaded (`matchers.normalise.load_transliteration_tables`).
struct Syllables {
    /// a Han ideograph → its `_fold` (unidecode's reading and a space: `Zhong `)
    han: HashMap<char, String>,
    /// a Hangul syllable → its `_fold` under `plain`, `korean_mr` and `korean_u`
    /// (` jeong `, ` jong `, ` jung `)
    hangul: HashMap<char, [String; 3]>,
}

impl Syllables {
    fn fold(&self, c: char, hangul: usize) -> Option<&str> {
        match self.han.get(&c) {
            Some(f) => Some(f),
            None => self.hangul.get(&c).map(|f| f[hangul].as_str()),
        }
    }

    fn has(&self, c: char) -> bool {
        self.han.contains_key(&c) || self.hangul.contains_key(&c)
    }
}

/// The text of an optional Python string; an error for one UTF-8 cannot hold.
fn utf8<'a>(value: Option<&'a Bound<'_, PyString>>) -> PyResult<Option<&'a str>> {
    value.map(|v| v.to_str()).transpose()
}

/// One variant: the token texts and, position for position, their cores and whether
/// each is a syllable of a Chinese or Korean name (`Token.syllable`).
pub(crate) type Texts = (Vec<String>, Vec<String>, Vec<bool>);

/// The names of the variant rules, as `NameVariant.rule` has them (`_RULE_ORDER`, then
/// `suffix_dropped`).
const RULE_NAMES: [&str; RULES + 1] = ["plain", "icao", "korean_mr", "korean_u", "suffix_dropped"];

/// One variant as `name_variants` makes it: the token texts, particle-free cores,
/// syllable flags and field codes (`s`, `g`, `n`), position for position, and its rule
/// (a position in `RULE_NAMES`).
#[derive(Clone)]
pub(crate) struct Folded {
    pub(crate) texts: Vec<String>,
    pub(crate) cores: Vec<String>,
    pub(crate) syllables: Vec<bool>,
    fields: Vec<char>,
    rule: usize,
}

/// A variant as `FoldedNames.name_variants` hands it over: texts, cores, syllable
/// flags, field codes (one character each) and the rule's name.
type Variant = (Vec<String>, Vec<String>, Vec<bool>, String, &'static str);

/// The token words of one name field and its field code (`s`, `g` or `n`).
type Field = (char, Vec<String>);

/// The rules of `_RULE_ORDER`: `plain`, `icao`, `korean_mr`, `korean_u`.
const RULES: usize = 4;

/// One name field's words under each rule of `_RULE_ORDER` (`_field_forms`): `plain`
/// always; `icao` when the field has an ICAO letter and its ICAO fold differs; the two
/// Korean ones when it has Hangul and each fold differs from those before; and whether
/// the field is written in syllables (Han or Hangul).
struct Forms {
    code: char,
    words: [Option<Vec<String>>; RULES],
    syllabic: bool,
}

/// `matchers.normalise.name_variants` for names of characters that fold to ASCII one by
/// one, as token texts.
#[pyclass(frozen, module = "matchers._core")]
pub struct FoldedNames {
    unknown: HashSet<String>,
    titles: HashSet<String>,
    suffixes: HashSet<String>,
    particles: HashSet<String>,
    /// particles that stay where they are written at the end of a free-form name
    unmovable: HashSet<String>,
    /// the letter a digit inside a word stands for (`b'0'` + digit), 0 for none
    lookalike: [u8; 10],
    /// a character outside ASCII that `_fold` writes in ASCII on its own (accents
    /// dropped, `_PLAIN_TABLE`, unidecode): its fold; others take the Python path
    plain: HashMap<char, String>,
    /// the same with `_ICAO_TABLE` (Ä → AE), for a field with an ICAO letter
    icao: HashMap<char, String>,
    /// the letters that give a field its `icao` form (their case fold holds Ä, Æ, Ö, Ø,
    /// Ü, Å or Þ: `_ICAO_TRIGGERS`)
    triggers: HashSet<char>,
    /// Han and Hangul, once given (`add_syllables`); until then such a name takes the
    /// Python path
    syllables: OnceLock<Syllables>,
}

fn check_folds(what: &str, folds: &StdHashMap<char, String>) -> PyResult<()> {
    match folds.iter().find(|(c, f)| c.is_ascii() || !f.is_ascii()) {
        Some((c, f)) => Err(PyValueError::new_err(format!(
            "{what}: expected a character outside ASCII and its ASCII fold, got {c:?}: {f:?}"
        ))),
        None => Ok(()),
    }
}

#[pymethods]
impl FoldedNames {
    /// The tables of `matchers.normalise`: `unknown` (`UNKNOWN_VALUES`), `titles`,
    /// `suffixes`, `particles`, `unmovable` (the particles of a class that
    /// `_move_trailing_particles` leaves in place), `lookalike` (digit → letter, one
    /// character each, `_DIGIT_LOOKALIKE`), `plain` and `icao` (a character outside ASCII
    /// → its `_fold` with `_PLAIN_TABLE`, `_ICAO_TABLE`, in ASCII: the characters whose
    /// fold is theirs alone, `matchers.normalise._char_folds`) and `triggers` (the
    /// letters that give a field its `icao` form). Raises `ValueError` for another
    /// lookalike entry or a fold that is not from a character outside ASCII to ASCII.
    #[new]
    #[allow(clippy::too_many_arguments)]
    fn new(
        unknown: HashSet<String>,
        titles: HashSet<String>,
        suffixes: HashSet<String>,
        particles: HashSet<String>,
        unmovable: HashSet<String>,
        lookalike: StdHashMap<String, String>,
        plain: StdHashMap<char, String>,
        icao: StdHashMap<char, String>,
        triggers: HashSet<char>,
    ) -> PyResult<Self> {
        check_folds("plain", &plain)?;
        check_folds("icao", &icao)?;
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
        Ok(FoldedNames {
            unknown,
            titles,
            suffixes,
            particles,
            unmovable,
            lookalike: table,
            plain: plain.into_iter().collect(),
            icao: icao.into_iter().collect(),
            triggers,
            syllables: OnceLock::new(),
        })
    }

    /// Give the folds of Han and Hangul (`han`: an ideograph → its `_fold`; `hangul`: a
    /// syllable → its `_fold` under `plain`, `korean_mr`, `korean_u`), so that names
    /// written in them are folded here too. Only the first call counts: returns whether
    /// this one did. Raises `ValueError` for a character outside its script's block or a
    /// fold that is not ASCII.
    fn add_syllables(
        &self,
        han: StdHashMap<char, String>,
        hangul: StdHashMap<char, (String, String, String)>,
    ) -> PyResult<bool> {
        if let Some((c, f)) = han.iter().find(|(c, f)| !is_han(**c) || !f.is_ascii()) {
            return Err(PyValueError::new_err(format!(
                "han: expected a Han ideograph and its ASCII fold, got {c:?}: {f:?}"
            )));
        }
        let bad = |(c, f): &(&char, &(String, String, String))| {
            !(is_hangul(**c) && f.0.is_ascii() && f.1.is_ascii() && f.2.is_ascii())
        };
        if let Some((c, f)) = hangul.iter().find(bad) {
            return Err(PyValueError::new_err(format!(
                "hangul: expected a Hangul syllable and its three ASCII folds, got {c:?}: {f:?}"
            )));
        }
        let tables = Syllables {
            han: han.into_iter().collect(),
            hangul: hangul
                .into_iter()
                .map(|(c, (p, m, u))| (c, [p, m, u]))
                .collect(),
        };
        Ok(self.syllables.set(tables).is_ok())
    }

    /// Whether the folds of Han and Hangul are given (`add_syllables`).
    #[getter]
    fn syllabic(&self) -> bool {
        self.syllables.get().is_some()
    }

    /// `[(token texts, cores, syllable flags), …]` of the variants `name_variants(full_name,
    /// surname, given_names)` returns, in its order (`[]` for an uncomparable name);
    /// `None` when a field it would read holds a character this port does not fold
    /// (neither ASCII nor in `plain`, or, with an ICAO letter, in `icao`; Han or Hangul
    /// before `add_syllables`; a lone surrogate): the caller takes the Python path.
    #[pyo3(signature = (full_name, surname=None, given_names=None))]
    fn __call__(
        &self,
        full_name: Option<&Bound<'_, PyString>>,
        surname: Option<&Bound<'_, PyString>>,
        given_names: Option<&Bound<'_, PyString>>,
    ) -> Option<Vec<Texts>> {
        let (_, found) = self.texts_of(full_name, surname, given_names)?;
        Some(
            found
                .into_iter()
                .map(|v| (v.texts, v.cores, v.syllables))
                .collect(),
        )
    }

    /// `name_variants(full_name, surname, given_names)` whole: `(structured, [(token
    /// texts, cores, syllable flags, field codes, rule), …])`, field codes one character
    /// per token (`s` surname, `g` given names, `n` full name) and rule a
    /// `NameVariant.rule`; `None` as `__call__`.
    #[pyo3(signature = (full_name, surname=None, given_names=None))]
    fn name_variants(
        &self,
        full_name: Option<&Bound<'_, PyString>>,
        surname: Option<&Bound<'_, PyString>>,
        given_names: Option<&Bound<'_, PyString>>,
    ) -> Option<(bool, Vec<Variant>)> {
        let (structured, found) = self.texts_of(full_name, surname, given_names)?;
        let variants = found
            .into_iter()
            .map(|v| {
                let fields: String = v.fields.iter().collect();
                (v.texts, v.cores, v.syllables, fields, RULE_NAMES[v.rule])
            })
            .collect();
        Some((structured, variants))
    }
}

impl FoldedNames {
    /// `texts` of names as Python strings; `None` for a string no UTF-8 can hold (a lone
    /// surrogate: left to the Python path).
    fn texts_of(
        &self,
        full_name: Option<&Bound<'_, PyString>>,
        surname: Option<&Bound<'_, PyString>>,
        given_names: Option<&Bound<'_, PyString>>,
    ) -> Option<(bool, Vec<Folded>)> {
        let (Ok(full_name), Ok(surname), Ok(given_names)) =
            (utf8(full_name), utf8(surname), utf8(given_names))
        else {
            return None;
        };
        self.texts(full_name, surname, given_names)
    }

    /// The variants of names as UTF-8 text, and whether they are structured (surname or
    /// given names known); `None` for a name this port does not fold.
    pub(crate) fn texts(
        &self,
        full_name: Option<&str>,
        surname: Option<&str>,
        given_names: Option<&str>,
    ) -> Option<(bool, Vec<Folded>)> {
        if !surname.map_or(true, |v| self.foldable(v))
            || !given_names.map_or(true, |v| self.foldable(v))
        {
            return None;
        }
        let sur = surname.filter(|s| !self.is_unknown(s));
        let giv = given_names.filter(|s| !self.is_unknown(s));
        if sur.is_some() || giv.is_some() {
            let mut fields: Vec<Forms> = Vec::with_capacity(2);
            for (code, value) in [('s', sur), ('g', giv)] {
                if let Some(v) = value {
                    fields.push(self.forms(code, v));
                }
            }
            return Some((true, self.variants(&fields, true)));
        }
        match full_name {
            Some(f) if !self.foldable(f) => None,
            Some(f) if !self.is_unknown(f) => {
                Some((false, self.variants(&[self.forms('n', f)], false)))
            }
            _ => Some((false, Vec::new())),
        }
    }
    /// Whether this port folds `value`: each character ASCII, in `plain` or, once given,
    /// Han or Hangul; and in `icao` (or Han or Hangul) too when one is an ICAO letter.
    fn foldable(&self, value: &str) -> bool {
        if value.is_ascii() {
            return true;
        }
        let syllable = |c: char| self.syllables.get().is_some_and(|s| s.has(c));
        let plain = value
            .chars()
            .all(|c| c.is_ascii() || self.plain.contains_key(&c) || syllable(c));
        plain
            && (!value.chars().any(|c| self.triggers.contains(&c))
                || value
                    .chars()
                    .all(|c| c.is_ascii() || self.icao.contains_key(&c) || syllable(c)))
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

    /// `clean_value(value)` of an ASCII `value`: `Some(None)` for a placeholder, else
    /// `Some(Some(stripped and uppercased))`; `None` for a value that is not ASCII (the
    /// caller asks Python).
    pub(crate) fn clean_ascii(&self, value: &str) -> Option<Option<String>> {
        if !value.is_ascii() {
            return None;
        }
        let code = py_strip(value).to_ascii_uppercase();
        Some((!self.unknown.contains(&code)).then_some(code))
    }

    /// `_field_forms` of a foldable field as its words under each rule.
    fn forms(&self, code: char, value: &str) -> Forms {
        if value.is_ascii() {
            return Forms {
                code,
                words: [
                    Some(self.raw_tokens(fold_ascii(value.as_bytes()))),
                    None,
                    None,
                    None,
                ],
                syllabic: false,
            };
        }
        let syllables = self.syllables.get();
        // `_variants_of`: each rule's fold, kept when it differs from those before
        let mut folds: Vec<(usize, String)> = vec![(0, fold_raw(value, &self.plain, syllables, 0))];
        if value.chars().any(|c| self.triggers.contains(&c)) {
            let icao = fold_raw(value, &self.icao, syllables, 0);
            if icao != folds[0].1 {
                folds.push((1, icao));
            }
        }
        if value.chars().any(is_hangul) {
            for (rule, hangul) in [(2, 1), (3, 2)] {
                let other = fold_raw(value, &self.plain, syllables, hangul);
                if folds.iter().all(|(_, f)| *f != other) {
                    folds.push((rule, other));
                }
            }
        }
        let mut words: [Option<Vec<String>>; RULES] = Default::default();
        for (rule, fold) in folds {
            words[rule] = Some(self.raw_tokens(ready(&fold)));
        }
        Forms {
            code,
            words,
            syllabic: value.chars().any(|c| is_han(c) || is_hangul(c)),
        }
    }

    /// `_raw_tokens` of a field folded by `fold_ascii`, or by `fold_raw` and `ready`: its `A–Z` words,
    /// titles dropped.
    fn raw_tokens(&self, mut text: Vec<u8>) -> Vec<String> {
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

    /// `_join_particles` of each field's words, in order, as the variant of `rule`
    /// (`syllabic`: per field; a syllabic field joins no particle).
    fn join(&self, fields: &[Field], syllabic: &[bool], rule: usize) -> Folded {
        let (mut texts, mut cores, mut flags, mut codes) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for ((code, words), &syllable) in fields.iter().zip(syllabic) {
            if syllable {
                texts.extend(words.iter().cloned());
                cores.extend(words.iter().cloned());
                flags.extend(words.iter().map(|_| true));
                codes.extend(words.iter().map(|_| *code));
                continue;
            }
            // a particle joins the word after it (AL QAIDI → ALQAIDI)
            let mut pending = String::new();
            for (i, w) in words.iter().enumerate() {
                if i + 1 < words.len() && self.particles.contains(w) {
                    pending.push_str(w);
                    continue;
                }
                pending.push_str(w);
                texts.push(std::mem::take(&mut pending));
                cores.push(w.clone());
                flags.push(false);
                codes.push(*code);
            }
        }
        Folded {
            texts,
            cores,
            syllables: flags,
            fields: codes,
            rule,
        }
    }

    /// `_variants_of_parts` of foldable fields: one variant per rule of `_RULE_ORDER`
    /// that a field has (a field without it takes its `plain` words), each kept when its
    /// texts differ from those before, and `suffix_dropped`.
    fn variants(&self, fields: &[Forms], structured: bool) -> Vec<Folded> {
        let rules: Vec<usize> = (0..RULES)
            .filter(|&r| r == 0 || fields.iter().any(|f| f.words[r].is_some()))
            .collect();
        let syllabic: Vec<bool> = fields.iter().map(|f| f.syllabic).collect();
        let mut out: Vec<Folded> = Vec::with_capacity(rules.len());
        let mut plain: Option<Folded> = None;
        for &rule in &rules {
            let mut words: Vec<Field> = fields
                .iter()
                .map(|f| {
                    let own = f.words[rule].as_ref();
                    (
                        f.code,
                        own.or(f.words[0].as_ref()).expect("a plain form").clone(),
                    )
                })
                .collect();
            if words
                .iter()
                .any(|(_, w)| w.last().is_some_and(|t| self.particles.contains(t)))
            {
                self.move_trailing_particles(&mut words);
            }
            let variant = self.join(&words, &syllabic, rule);
            if rule == 0 {
                plain = Some(variant.clone());
            }
            if variant.texts.is_empty() || out.iter().any(|v| v.texts == variant.texts) {
                continue;
            }
            out.push(variant);
        }
        if let Some(p) = plain {
            let n = p.texts.len();
            if !structured && n > 1 && self.suffixes.contains(&p.texts[n - 1]) {
                // a free-form name ending in generational suffixes is also compared without
                let mut cut = n;
                while cut > 1 && self.suffixes.contains(&p.texts[cut - 1]) {
                    cut -= 1;
                }
                out.push(Folded {
                    texts: p.texts[..cut].to_vec(),
                    cores: p.cores[..cut].to_vec(),
                    syllables: p.syllables[..cut].to_vec(),
                    fields: p.fields[..cut].to_vec(),
                    rule: RULES,
                });
            }
        }
        out
    }
}
