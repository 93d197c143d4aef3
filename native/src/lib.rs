//! `matchers._core`: the compiled candidate stage of `matchers.index.NameIndex`.
//!
//! The Python module `matchers.index` builds the index (vocabulary, token keys, postings,
//! joined pairs) and hands its flat arrays to `CandidateCore`, which does the per-query
//! work that dominated screening time: a query token's neighbours (its keys, hashed and
//! looked up, each listed token met verified with the scorer's string similarity), the
//! merge of their posting lists, the coarse estimate of every record met, the evidence
//! boost (`Evidence`), the single-token bar and the greedy token alignment. It ports
//! `NameIndex.neighbours`, `NameIndex._variant_candidates`, `NameIndex._align_estimate`
//! and `matchers.scoring.string_similarity` (`similarity.rs`) operation for operation,
//! so that it returns the very same floats in the same order; the Python code stays as
//! the reference, and `tests/unit/matchers/test_native_core.py` and
//! `test_native_similarity.py` compare both, on invented names and on the real lists.
//! Metaphone keys of strings outside the vocabulary are computed here (`metaphone.rs`)
//! for strings of `A`–`Z` and `?` (every token text), and asked of Python's
//! `phonetic_key` for any other.

mod dates;
mod metaphone;
mod names;
mod normalise;
mod similarity;

use pyo3::buffer::PyBuffer;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::cmp::Ordering;

use similarity::{
    is_unvowelled, key_hash, query_token_key_hashes, string_similarity, string_similarity_grouped,
    Rule,
};

const ID_BITS: u32 = 24;
const ID_MASK: u64 = (1 << ID_BITS) - 1;

/// Query tokens a variant may have (masks are 32-bit); longer names take the Python path.
const MAX_QUERY_TOKENS: usize = 32;
/// Single-token records are added only when the union of the query tokens' records is at
/// most this large (`matchers.index._FILL_UNION_CAP`).
const FILL_UNION_CAP: usize = 4000;

fn buffer_vec<T: pyo3::buffer::Element + Copy>(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    what: &str,
) -> PyResult<Vec<T>> {
    if obj.len()? == 0 {
        return Ok(Vec::new()); // an empty array's buffer may be unaligned (no storage)
    }
    let buf: PyBuffer<T> = PyBuffer::get(obj)
        .map_err(|e| PyValueError::new_err(format!("{what}: expected a typed array ({e})")))?;
    buf.to_vec(py)
}

/// The variants of a query's names (`names`: items with `full_name`, `surname`,
/// `given_names`, each `str` or `None`) as `fold` folds them, every name's in turn;
/// `None` when a value is not a `str` or one `fold` does not fold, or a variant has
/// more than `MAX_QUERY_TOKENS` tokens (the caller takes the Python path). Raises what
/// reading an attribute raises.
fn fold_names<'py>(
    py: Python<'py>,
    fold: &normalise::FoldedNames,
    names: &Bound<'py, PyAny>,
) -> PyResult<Option<Vec<normalise::Folded>>> {
    let mut found: Vec<normalise::Folded> = Vec::new();
    for name in names.try_iter()? {
        let name = name?;
        let mut fields: [Option<Bound<'py, PyString>>; 3] = [None, None, None];
        for (slot, attr) in fields.iter_mut().zip([
            pyo3::intern!(py, "full_name"),
            pyo3::intern!(py, "surname"),
            pyo3::intern!(py, "given_names"),
        ]) {
            let value = name.getattr(attr)?;
            if value.is_none() {
                continue;
            }
            match value.downcast_into::<PyString>() {
                Ok(v) => *slot = Some(v),
                Err(_) => return Ok(None),
            }
        }
        let text = |k: usize| fields[k].as_ref().map(|v| v.to_str());
        let (Ok(full), Ok(sur), Ok(giv)) = (
            text(0).transpose(),
            text(1).transpose(),
            text(2).transpose(),
        ) else {
            return Ok(None); // a lone surrogate: no UTF-8
        };
        match fold.texts(full, sur, giv) {
            Some((_, v)) => found.extend(v),
            None => return Ok(None),
        }
    }
    if found.iter().any(|v| v.texts.len() > MAX_QUERY_TOKENS) {
        return Ok(None);
    }
    Ok(Some(found))
}

/// Ask the processor to bring `x`'s cache line in (a hint, no effect on results): for
/// loops over records or persons in no order, whose next items are known ahead.
#[inline(always)]
fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing and cannot fault; `x` is a valid reference
    unsafe {
        core::arch::x86_64::_mm_prefetch(
            (x as *const T).cast::<i8>(),
            core::arch::x86_64::_MM_HINT_T0,
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// How far ahead the loops over records prefetch.
const AHEAD: usize = 8;

/// Descending by estimate, ties by record id ascending (`key=(-est, rid)` in Python).
fn by_estimate(a: &(u32, f64), b: &(u32, f64)) -> Ordering {
    b.1.partial_cmp(&a.1)
        .unwrap_or(Ordering::Equal)
        .then(a.0.cmp(&b.0))
}

/// Sorted union of sorted id slices.
fn union_sorted(lists: &[&[u32]]) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::with_capacity(lists.iter().map(|l| l.len()).sum());
    for l in lists {
        out.extend_from_slice(l);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// One query token's neighbours and the records they reach: `map` (listed token id,
/// similarity 0.0–1.0) sorted by token id; `strong` the records holding a neighbour of
/// similarity ≥ 0.95, `every` any neighbour, `joined` the records holding the token as
/// two adjacent listed tokens joined, `all` = `every` ∪ `joined`; each sorted, unique.
#[pyclass(frozen, module = "matchers._core")]
struct TokenSets {
    map: Vec<(u32, f64)>,
    strong: Vec<u32>,
    every: Vec<u32>,
    joined: Vec<u32>,
    all: Vec<u32>,
    /// how many (record, joined pair) entries hold the text, repeats included (`joined`
    /// before it is deduplicated: the text's share of `NameIndex._df`)
    joined_entries: usize,
}

impl TokenSets {
    fn sim(&self, tid: u32) -> Option<f64> {
        self.map
            .binary_search_by(|e| e.0.cmp(&tid))
            .ok()
            .map(|k| self.map[k].1)
    }
}

#[pymethods]
impl TokenSets {
    /// `(strong, every, joined)` record counts (for tests and diagnostics).
    fn sizes(&self) -> (usize, usize, usize) {
        (self.strong.len(), self.every.len(), self.joined.len())
    }

    /// The neighbours `[(token id, similarity)]`, token ids ascending.
    fn neighbours(&self) -> Vec<(u32, f64)> {
        self.map.clone()
    }

    /// Of record ids `rids`, in their order, those in some set's `every`: the records
    /// holding a neighbour of one of the tokens (what `NameIndex.meets` tells of the
    /// union of the tokens' neighbours).
    #[staticmethod]
    fn reached(sets: Vec<PyRef<'_, TokenSets>>, rids: Vec<u32>) -> Vec<u32> {
        rids.into_iter()
            .filter(|r| sets.iter().any(|s| s.every.binary_search(r).is_ok()))
            .collect()
    }
}

/// Per-person evidence for the ranking boost (see `Screener._evidence_boost`): birth-year
/// span (`dob_lo`/`dob_hi`, 0 = unknown), exact birth dates and nationalities as interned
/// ids (CSR: `*_off[p]..*_off[p + 1]`), gender code (0 unknown, 1 M, 2 F), and the
/// `MatchConfig` constants of the factor. A person's fields are kept together
/// (`PersonEvidence`): a factor reads one place.
#[pyclass(frozen, module = "matchers._core")]
struct Evidence {
    persons: Vec<PersonEvidence>,
    nat_ids: Vec<u32>,
    day_ids: Vec<u32>,
    /// the interned values (exact birth date `YYYY-MM-DD`, nationality code) -> id, to
    /// read a query's evidence here (`Evidence::query_args`); empty when not given
    day_keys: HashMap<String, u32>,
    nat_keys: HashMap<String, u32>,
    keyed: bool,
    base: f64,
    day_bonus: f64,
    year_bonus: f64,
    mismatch_malus: f64,
    nat_bonus: f64,
    nat_malus: f64,
    gender_malus: f64,
}

/// One person's evidence: birth-year span, gender code, and its birth-date and
/// nationality ids: the ids themselves when there are at most two (`n_day`, `n_nat`),
/// else the bounds of their run (`day_off[p]`, `day_off[p + 1]`; `nat_off` likewise;
/// `n_* = IN_RUN`).
#[derive(Clone, Copy)]
struct PersonEvidence {
    dob_lo: u16,
    dob_hi: u16,
    gender: u8,
    n_day: u8,
    n_nat: u8,
    day: [u32; 2],
    nat: [u32; 2],
}

/// `PersonEvidence`: the ids are a run of the shared arrays.
const IN_RUN: u8 = u8::MAX;

impl PersonEvidence {
    /// Ids `off[p]..off[p + 1]` of `ids`: inline when at most two (and the bounds are in
    /// order), else the bounds (sliced when asked, as before).
    fn ids(off: &[u32], ids: &[u32], p: usize) -> (u8, [u32; 2]) {
        let (s, e) = (off[p] as usize, off[p + 1] as usize);
        if s <= e && e <= ids.len() && e - s <= 2 {
            let mut v = [0u32; 2];
            v[..e - s].copy_from_slice(&ids[s..e]);
            ((e - s) as u8, v)
        } else {
            (IN_RUN, [off[p], off[p + 1]])
        }
    }
}

/// A query variant made by `text_candidates`: token sets and joined-pair sets (handles
/// held for the call), token weights, token texts, loose.
type HeldVariant<'a> = (
    Vec<Py<TokenSets>>,
    Vec<Py<TokenSets>>,
    Vec<f64>,
    Vec<&'a str>,
    bool,
);

/// `text_candidates`' `variants` argument, `[(texts, cores)]`: the strings borrowed from
/// the Python objects when it is a list of 2-tuples of lists of `str` (what
/// `NameIndex` passes), else extracted as `Vec<(Vec<String>, Vec<String>)>` (any
/// sequences; the same errors as such an argument).
enum VariantArgs<'py> {
    /// every string, and each variant's first string and token count (texts, then cores)
    Borrowed(Vec<Bound<'py, PyString>>, Vec<(usize, usize)>),
    Owned(Vec<(Vec<String>, Vec<String>)>),
}

impl<'py> VariantArgs<'py> {
    fn new(obj: &Bound<'py, PyAny>) -> PyResult<Self> {
        if let Some(v) = Self::borrowed(obj) {
            return Ok(v);
        }
        obj.extract()
            .map(VariantArgs::Owned)
            .map_err(|e| argument_error("variants", obj.py(), e))
    }

    fn borrowed(obj: &Bound<'py, PyAny>) -> Option<Self> {
        let list = obj.downcast::<PyList>().ok()?;
        let mut strs = Vec::new();
        let mut spans = Vec::with_capacity(list.len());
        for item in list.iter() {
            let pair = item.downcast::<PyTuple>().ok()?;
            if pair.len() != 2 {
                return None;
            }
            let start = strs.len();
            let mut lens = [0usize; 2];
            for (side, len) in lens.iter_mut().enumerate() {
                let part = pair.get_item(side).ok()?;
                let part = part.downcast::<PyList>().ok()?;
                *len = part.len();
                for s in part.iter() {
                    let s = s.downcast_into::<PyString>().ok()?;
                    s.to_str().ok()?; // refused below as an owned `String` would be
                    strs.push(s);
                }
            }
            if lens[0] != lens[1] {
                // let the checks below refuse it as before: one side's strings only
                spans.push((start, usize::MAX));
                continue;
            }
            spans.push((start, lens[0]));
        }
        Some(VariantArgs::Borrowed(strs, spans))
    }

    /// Each variant's texts and cores (`None` for texts and cores of unequal lengths).
    fn variants(&self) -> Vec<Option<(Vec<&str>, Vec<&str>)>> {
        match self {
            VariantArgs::Borrowed(strs, spans) => spans
                .iter()
                .map(|&(start, n)| {
                    if n == usize::MAX {
                        return None;
                    }
                    let s = |k: usize| strs[k].to_str().unwrap_or("");
                    Some((
                        (start..start + n).map(s).collect(),
                        (start + n..start + 2 * n).map(s).collect(),
                    ))
                })
                .collect(),
            VariantArgs::Owned(v) => v
                .iter()
                .map(|(t, c)| {
                    (t.len() == c.len()).then(|| {
                        (
                            t.iter().map(String::as_str).collect(),
                            c.iter().map(String::as_str).collect(),
                        )
                    })
                })
                .collect(),
        }
    }
}

/// A query's side of the boost as Python passes it: birth-date ids, birth years,
/// nationality ids, gender code.
type QueryEvidenceArgs = (Vec<u32>, Vec<u32>, Vec<u32>, u8);

/// `text_candidates`' `boost` argument, `(evidence, (day ids, years, nationality ids,
/// gender))`: read item by item when the id collections are lists (what the screener
/// passes), else extracted as `(Evidence, (Vec<u32>, Vec<u32>, Vec<u32>, u8))` (the same
/// values, and the same errors as such an argument).
fn boost_args<'py>(obj: &Bound<'py, PyAny>) -> PyResult<(PyRef<'py, Evidence>, QueryEvidenceArgs)> {
    fn ids(obj: &Bound<'_, PyAny>) -> Option<Vec<u32>> {
        let list = obj.downcast::<PyList>().ok()?;
        list.iter().map(|x| x.extract::<u32>().ok()).collect()
    }
    let fast = || -> Option<(PyRef<'py, Evidence>, QueryEvidenceArgs)> {
        let pair = obj.downcast::<PyTuple>().ok()?;
        if pair.len() != 2 {
            return None;
        }
        let ev = pair
            .get_item(0)
            .ok()?
            .extract::<PyRef<'py, Evidence>>()
            .ok()?;
        let q = pair.get_item(1).ok()?;
        let q = q.downcast::<PyTuple>().ok()?;
        if q.len() != 4 {
            return None;
        }
        let gender = q.get_item(3).ok()?.extract::<u8>().ok()?;
        Some((
            ev,
            (
                ids(&q.get_item(0).ok()?)?,
                ids(&q.get_item(1).ok()?)?,
                ids(&q.get_item(2).ok()?)?,
                gender,
            ),
        ))
    };
    if let Some(v) = fast() {
        return Ok(v);
    }
    obj.extract()
        .map_err(|e| argument_error("boost", obj.py(), e))
}

/// `e`, as pyo3 reports an argument `name` it cannot extract (a `TypeError` names it).
fn argument_error(name: &str, py: Python<'_>, e: PyErr) -> PyErr {
    if e.get_type(py).is(py.get_type::<PyTypeError>()) {
        let err = PyTypeError::new_err(format!("argument '{name}': {}", e.value(py)));
        err.set_cause(py, e.cause(py));
        err
    } else {
        e
    }
}

/// A query's side of the boost: exact birth-date ids, birth years, nationality ids, gender.
struct QueryEvidence<'a> {
    days: &'a [u32],
    years: &'a [u32],
    nats: &'a [u32],
    gender: u8,
}

impl Evidence {
    /// A person's ids: inline, or its run of `all`.
    fn ids<'a>(n: u8, v: &'a [u32; 2], all: &'a [u32]) -> &'a [u32] {
        if n == IN_RUN {
            &all[v[0] as usize..v[1] as usize]
        } else {
            &v[..n as usize]
        }
    }

    fn person_factor(&self, pos: usize, q: &QueryEvidence<'_>) -> f64 {
        let pe = &self.persons[pos];
        let mut factor = self.base;
        if !q.years.is_empty() {
            let lo = pe.dob_lo as u32;
            if lo != 0 {
                let days = Evidence::ids(pe.n_day, &pe.day, &self.day_ids);
                if !q.days.is_empty() && q.days.iter().any(|d| days.contains(d)) {
                    factor += self.day_bonus;
                } else if q.years.iter().any(|&y| lo <= y && y <= pe.dob_hi as u32) {
                    factor += self.year_bonus;
                } else {
                    factor -= self.mismatch_malus;
                }
            }
        }
        if !q.nats.is_empty() {
            let nats = Evidence::ids(pe.n_nat, &pe.nat, &self.nat_ids);
            if !nats.is_empty() {
                if q.nats.iter().any(|n| nats.contains(n)) {
                    factor += self.nat_bonus;
                } else {
                    factor += -self.nat_malus;
                }
            }
        }
        if q.gender != 0 {
            let g = pe.gender;
            if g != 0 && g != q.gender {
                factor -= self.gender_malus;
            }
        }
        // Python: min(1.0, max(0.0, factor)) / base
        #[allow(clippy::manual_clamp)]
        let clamped = factor.max(0.0).min(1.0);
        clamped / self.base
    }
}

/// `Evidence`'s `keys` argument: the interned birth dates and nationality codes, each
/// in id order.
type EvidenceKeys<'py> = (Vec<Bound<'py, PyString>>, Vec<Bound<'py, PyString>>);

/// An interned id no listed value has (`matchers.screener._NO_ID`): a query's value
/// absent from every entry.
const NO_ID: u32 = u32::MAX;

/// What `Evidence::query_args` reads of a query.
enum QueryRead {
    /// a value only Python reads (not ASCII, not a `str`): the caller takes the Python path
    Python,
    /// no birth year, nationality or gender: no boost
    Plain,
    /// `(day ids, years, nationality ids, gender code)`, each list sorted and unique
    Boost(QueryEvidenceArgs),
}

impl Evidence {
    /// The query side of the boost, as `Screener._evidence_boost` reads it of a
    /// `matchers.model.Person` (`dates_of_birth`: `DateSpec` items with `date`, `from_`,
    /// `to`; `nationalities`, `genders`: `str` items): the exact birth dates' ids, the
    /// first year of each date of birth that parses (`parse_partial_date`; a range's
    /// `from_`, 1 when only its `to` parses), the nationality codes' ids (`NO_ID` for a
    /// code no listed person has; placeholders and `XXX` left out) and the gender code
    /// (`_gender_code`). `fold` gives the placeholders. Raises `ValueError` for evidence
    /// made without `keys`, and what reading an attribute raises.
    fn query_args(
        &self,
        fold: &normalise::FoldedNames,
        person: &Bound<'_, PyAny>,
    ) -> PyResult<QueryRead> {
        if !self.keyed {
            return Err(PyValueError::new_err("evidence made without keys"));
        }
        let py = person.py();
        // a `str` attribute's text; Err(()) for another type or a lone surrogate
        let text = |obj: &Bound<'_, PyAny>,
                    attr: &Bound<'_, PyString>|
         -> PyResult<Result<Option<String>, ()>> {
            let v = obj.getattr(attr)?;
            if v.is_none() {
                return Ok(Ok(None));
            }
            Ok(match v.downcast::<PyString>() {
                Ok(s) => s.to_str().map(|t| Some(t.to_owned())).map_err(|_| ()),
                Err(_) => Err(()),
            })
        };
        let (a_date, a_from, a_to) = (
            pyo3::intern!(py, "date"),
            pyo3::intern!(py, "from_"),
            pyo3::intern!(py, "to"),
        );
        let mut days: Vec<u32> = Vec::new();
        let mut years: Vec<u32> = Vec::new();
        for d in person
            .getattr(pyo3::intern!(py, "dates_of_birth"))?
            .try_iter()?
        {
            let d = d?;
            let Ok(date) = text(&d, a_date)? else {
                return Ok(QueryRead::Python);
            };
            if let Some(date) = date {
                let Some(year) = dates::partial_date_year(&date) else {
                    return Ok(QueryRead::Python);
                };
                if date.len() == 10 {
                    // an exact date no listed person has cannot agree with one
                    if let Some(&id) = self.day_keys.get(&date) {
                        days.push(id);
                    }
                }
                years.extend(year);
                continue;
            }
            // birth_year_span((d,), 0)[0]: the range's first year, 1 when open there
            let parse = |attr| -> PyResult<Option<Option<u32>>> {
                Ok(match text(&d, attr)? {
                    Err(()) => None,
                    Ok(None) => Some(None),
                    Ok(Some(v)) => dates::partial_date_year(&v),
                })
            };
            let (Some(from), Some(to)) = (parse(a_from)?, parse(a_to)?) else {
                return Ok(QueryRead::Python);
            };
            if from.is_some() || to.is_some() {
                years.push(from.unwrap_or(1));
            }
        }
        let mut codes: Vec<String> = Vec::new();
        for v in person
            .getattr(pyo3::intern!(py, "nationalities"))?
            .try_iter()?
        {
            let v = v?;
            let Some(code) = v
                .downcast::<PyString>()
                .ok()
                .and_then(|s| s.to_str().ok())
                .and_then(|s| fold.clean_ascii(s))
            else {
                return Ok(QueryRead::Python);
            };
            // normalise_country: ICAO's XXX is "unspecified"
            codes.extend(code.filter(|c| c != "XXX"));
        }
        codes.sort_unstable();
        codes.dedup();
        let mut nats: Vec<u32> = codes
            .iter()
            .map(|c| self.nat_keys.get(c).copied().unwrap_or(NO_ID))
            .collect();
        let mut gender = 0u8; // _gender_code: one of M and F, else unknown
        let mut both = false;
        for v in person.getattr(pyo3::intern!(py, "genders"))?.try_iter()? {
            let v = v?;
            let Some(code) = v
                .downcast::<PyString>()
                .ok()
                .and_then(|s| s.to_str().ok())
                .and_then(|s| fold.clean_ascii(s))
            else {
                return Ok(QueryRead::Python);
            };
            let g = match code.as_deref() {
                Some("M" | "MALE") => 1,
                Some("F" | "FEMALE") => 2,
                _ => continue,
            };
            both |= gender != 0 && gender != g;
            gender = g;
        }
        if both {
            gender = 0;
        }
        if years.is_empty() && nats.is_empty() && gender == 0 {
            return Ok(QueryRead::Plain);
        }
        for v in [&mut days, &mut years, &mut nats] {
            v.sort_unstable();
            v.dedup();
        }
        Ok(QueryRead::Boost((days, years, nats, gender)))
    }
}

#[pymethods]
impl Evidence {
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (dob_lo, dob_hi, gender, nat_off, nat_ids, day_off, day_ids, constants, keys=None))]
    fn new(
        py: Python<'_>,
        dob_lo: &Bound<'_, PyAny>,
        dob_hi: &Bound<'_, PyAny>,
        gender: &Bound<'_, PyAny>,
        nat_off: &Bound<'_, PyAny>,
        nat_ids: &Bound<'_, PyAny>,
        day_off: &Bound<'_, PyAny>,
        day_ids: &Bound<'_, PyAny>,
        constants: (f64, f64, f64, f64, f64, f64, f64),
        keys: Option<EvidenceKeys<'_>>,
    ) -> PyResult<Self> {
        let dob_lo: Vec<u16> = buffer_vec(py, dob_lo, "dob_lo")?;
        let dob_hi: Vec<u16> = buffer_vec(py, dob_hi, "dob_hi")?;
        let gender: Vec<u8> = buffer_vec(py, gender, "gender")?;
        let nat_off: Vec<u32> = buffer_vec(py, nat_off, "nat_off")?;
        let day_off: Vec<u32> = buffer_vec(py, day_off, "day_off")?;
        let mut ev = Evidence {
            persons: Vec::new(),
            nat_ids: buffer_vec(py, nat_ids, "nat_ids")?,
            day_ids: buffer_vec(py, day_ids, "day_ids")?,
            base: constants.0,
            day_bonus: constants.1,
            year_bonus: constants.2,
            mismatch_malus: constants.3,
            nat_bonus: constants.4,
            nat_malus: constants.5,
            gender_malus: constants.6,
            day_keys: HashMap::default(),
            nat_keys: HashMap::default(),
            keyed: keys.is_some(),
        };
        if let Some((days, nats)) = keys {
            // a value with a lone surrogate has no UTF-8 and is left out: the query value
            // that would equal it is read by Python only (`query_args`)
            let intern = |values: Vec<Bound<'_, PyString>>| -> PyResult<HashMap<String, u32>> {
                if values.len() >= NO_ID as usize {
                    return Err(PyValueError::new_err("keys: too many values"));
                }
                let mut map: HashMap<String, u32> = HashMap::default();
                for (v, id) in values.iter().zip(0u32..) {
                    if let Ok(text) = v.to_str() {
                        if map.insert(text.to_owned(), id).is_some() {
                            return Err(PyValueError::new_err("keys: repeated values"));
                        }
                    }
                }
                Ok(map)
            };
            ev.day_keys = intern(days)?;
            ev.nat_keys = intern(nats)?;
        }
        let n = dob_lo.len();
        if dob_hi.len() != n
            || gender.len() != n
            || nat_off.len() != n + 1
            || day_off.len() != n + 1
            || *nat_off.last().unwrap() as usize != ev.nat_ids.len()
            || *day_off.last().unwrap() as usize != ev.day_ids.len()
        {
            return Err(PyValueError::new_err("evidence arrays disagree in length"));
        }
        ev.persons = (0..n)
            .map(|p| {
                let (n_day, day) = PersonEvidence::ids(&day_off, &ev.day_ids, p);
                let (n_nat, nat) = PersonEvidence::ids(&nat_off, &ev.nat_ids, p);
                PersonEvidence {
                    dob_lo: dob_lo[p],
                    dob_hi: dob_hi[p],
                    gender: gender[p],
                    n_day,
                    n_nat,
                    day,
                    nat,
                }
            })
            .collect();
        if ev.base <= 0.0 {
            return Err(PyValueError::new_err("name_only_factor must be > 0"));
        }
        Ok(ev)
    }

    /// The boost factor of person `pos` for a query `(day ids, years, nationality ids,
    /// gender code)`: the same value as `Screener._evidence_boost(query)(pos)`.
    fn factor(&self, pos: usize, query: (Vec<u32>, Vec<u32>, Vec<u32>, u8)) -> PyResult<f64> {
        if pos >= self.persons.len() {
            return Err(PyValueError::new_err("person position out of range"));
        }
        let q = QueryEvidence {
            days: &query.0,
            years: &query.1,
            nats: &query.2,
            gender: query.3,
        };
        Ok(self.person_factor(pos, &q))
    }

    /// A query's side of the boost read here (`query_args`), for the Python reference
    /// `Screener._evidence_boost` to be compared with: `(True, None)` when the query has
    /// no such evidence (no boost), `(True, (day ids, years, nationality ids, gender))`
    /// (lists sorted, unique), `(False, None)` when a value is one only Python reads.
    /// Raises as `query_args`.
    fn query(
        &self,
        fold: PyRef<'_, normalise::FoldedNames>,
        person: &Bound<'_, PyAny>,
    ) -> PyResult<(bool, Option<QueryEvidenceArgs>)> {
        Ok(match self.query_args(&fold, person)? {
            QueryRead::Python => (false, None),
            QueryRead::Plain => (true, None),
            QueryRead::Boost(q) => (true, Some(q)),
        })
    }
}

/// The leftover-token penalties of the scorer's name formula (`matchers.index.NameShape`).
#[derive(Clone, Copy)]
struct Shape {
    contradicted: f64,
    absent: f64,
    extra: f64,
    single_cap: f64,
}

/// The ranking settings of one `text_candidates` call, the same for each of its variants
/// (`NameIndex._variant_candidates`' parameters: `fill` is `2 * pool / 5`).
#[derive(Clone, Copy)]
struct Ranking<'a> {
    pool: usize,
    fill: usize,
    min_similarity: f64,
    shape: Shape,
    need: Option<f64>,
    refine_margin: f64,
    max_boost: f64,
    boost: Option<(&'a Evidence, &'a QueryEvidence<'a>)>,
    /// `prune` when it drops persons before the final ranking, with the alignment's
    /// penalty bound: records whose person it surely drops need no exact alignment
    cut: Option<Cut>,
}

/// The prune rule `(factor ≥ 0, margin, floor)` of a call and `alpha`, the least penalty
/// per unit of weight of a token left over (`CandidateCore::rescue_bound`).
#[derive(Clone, Copy)]
struct Cut {
    factor: f64,
    margin: f64,
    floor: f64,
    alpha: f64,
}

impl Cut {
    /// Whether a record whose alignment estimate is at most `bound` surely fails the
    /// prune rule: its final estimate is at most `bound` × the boost factor `f` (or the
    /// first-stage `est` for a record met through joined tokens, which keeps the larger),
    /// and `x × factor + margin` is monotonic. `bound` is widened by a relative 1e-9,
    /// far above the rounding of the estimate's few dozen operations.
    fn hopeless(&self, bound: f64, f: f64, via_joins: bool, est: f64) -> bool {
        let mut u = bound * (1.0 + 1e-9) * f;
        if via_joins && est > u {
            u = est;
        }
        (u * self.factor + self.margin).partial_cmp(&self.floor) == Some(Ordering::Less)
    }
}

/// A record whose alignment `variant_rank` left out (its person surely pruned, `Cut`):
/// the variant, the record, its first-stage estimate and whether it met the query
/// through joined tokens. Aligned at the end if its person is kept after all.
#[derive(Clone, Copy)]
struct Deferred {
    variant: u32,
    rid: u32,
    est: f64,
    via_joins: bool,
}

/// One query variant as the index sees it.
struct Variant<'a> {
    sets: Vec<&'a TokenSets>,
    pairs: Vec<&'a TokenSets>,
    weights: &'a [f64],
    texts: &'a [&'a str],
    loose: bool,
}

/// A record met by the query: which token sets hold it (bit i: query token i; pair bit p:
/// query tokens p and p+1 joined).
#[derive(Clone, Copy, Default)]
struct Meet {
    strong: u32,
    every: u32,
    joined: u32,
    pair: u32,
}

struct Rescue {
    sim: f64,
    n: usize,
    qi: (usize, Option<usize>),
    cj: (usize, Option<usize>),
    initial: bool,
}

/// `matchers.index.phonetic_key(text)`: computed here for a string of `A`–`Z` and `?`,
/// else asked of `phonetic` (that function); raises what `phonetic` raises.
fn phonetic_key(py: Python<'_>, phonetic: &Py<PyAny>, text: &str) -> PyResult<String> {
    match metaphone::phonetic_key(text) {
        Some(key) => Ok(key),
        None => phonetic.bind(py).call1((text,))?.extract(),
    }
}

/// `phonetic_key(a)` is not empty and equals `phonetic_key(b)`, with `metaphone` giving
/// the keys (`b`'s asked only then).
fn same_sound(
    a: &str,
    b: &str,
    metaphone: &mut dyn FnMut(&str) -> PyResult<String>,
) -> PyResult<bool> {
    let pa = metaphone(a)?;
    if pa.is_empty() {
        return Ok(false);
    }
    Ok(pa == metaphone(b)?)
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// The neighbour lookup's buffers (`CandidateCore::find_neighbours`), reused.
#[derive(Default)]
struct KeyBufs {
    hashes: Vec<u64>,
    chars: Vec<char>,
    key: String,
    tids: Vec<u32>,
}

/// The query-side memo of one `CandidateCore` (`text_candidates`): each query token's
/// `TokenSets` by (text, core) and whether it is a syllable, and each token text's rarity
/// weight. Bound to the first core that uses it; `matchers.index.QueryMemo` holds one (a
/// screener keeps one per thread over its batches, bounded by its length and
/// `held_ids`).
#[pyclass(module = "matchers._core")]
#[derive(Default)]
struct QueryCache {
    /// the core it serves (0: none yet) and the `min_similarity` of its token sets
    core_id: u64,
    min_similarity: f64,
    /// by text for a token without particles (its core is its text), else by (text, core)
    sets: HashMap<String, Py<TokenSets>>,
    cored: HashMap<(String, String), Py<TokenSets>>,
    /// a syllable of a Chinese or Korean name's, by (text, core)
    syllabic: HashMap<(String, String), Py<TokenSets>>,
    weights: HashMap<String, f64>,
    keys: KeyBufs,
    /// the record ids and neighbours its token sets hold, together
    held_ids: usize,
}

#[pymethods]
impl QueryCache {
    #[new]
    fn new() -> Self {
        QueryCache::default()
    }

    /// `(token sets, weights)` held (for tests and diagnostics).
    fn __len__(&self) -> usize {
        self.sets.len() + self.cored.len() + self.syllabic.len() + self.weights.len()
    }

    /// How many record ids (4 bytes each) and neighbours (16 bytes each) the token sets
    /// held here hold, together: with the length, what a caller keeping one cache over
    /// many batches bounds.
    fn held_ids(&self) -> usize {
        self.held_ids
    }
}

/// The candidate core over one `NameIndex`'s flat arrays (immutable once built).
#[pyclass(frozen, module = "matchers._core")]
struct CandidateCore {
    /// each record's token run in `rec_tids`, person position and loose flag, together
    recs: Vec<Rec>,
    rec_tids: Vec<u32>,
    texts: Vec<String>,
    /// each token text's rarity weight, length in characters, first character and
    /// known-variant group, together (`Tok`)
    toks: Vec<Tok>,
    /// every token text and Metaphone key, one after the other (`Tok::text`, `Tok::meta`)
    tok_text: String,
    post_off: Vec<u64>,
    post_ids: Vec<u32>,
    n_persons: usize,
    /// particle-free cores of each token text (CSR over `core_texts`)
    core_off: Vec<u32>,
    core_texts: Vec<String>,
    /// `(key hash << 24) | token id`, sorted (`NameIndex._keys`)
    keys: Vec<u64>,
    /// `(hash of two adjacent listed tokens joined << 24) | record id`, sorted (`NameIndex._joins`)
    joins: Vec<u64>,
    /// token text -> id, and each text's Metaphone key ("" for none)
    vocab: HashMap<String, u32>,
    metas: Vec<String>,
    /// `KNOWN_VARIANTS`, and its forms by group id (one id per group), and the group of
    /// each core text (`NO_GROUP` for none; a token text's is in `toks`)
    variants: HashMap<String, String>,
    variant_group: HashMap<String, u32>,
    core_group: Vec<u32>,
    /// `matchers.index.phonetic_key`, for strings outside the vocabulary and outside
    /// `A`–`Z` and `?` (`phonetic_key`)
    phonetic: Py<PyAny>,
    /// this core's id, unique in the process (`QueryCache.core_id`)
    id: u64,
    /// `text_candidates`' reusable buffers
    bufs: std::sync::Mutex<Bufs>,
    /// bucket directories of `keys` and `joins`
    keys_dir: PackedDir,
    joins_dir: PackedDir,
    /// records holding each token text (as a token, a core or two tokens joined:
    /// `NameIndex._df`), the record count for weights (`NameIndex._n`) and ln(1 + it)
    df: Vec<u32>,
    n_weight: usize,
    max_idf: f64,
    /// length in characters of each of `core_texts`
    core_len: Vec<u32>,
    /// every `tid_w` is at least 0 (the alignment bound of `Cut` holds)
    weights_nonnegative: bool,
}

/// A token text's facts the alignment reads together: rarity weight (`tid_w`), length
/// in characters, first character, known-variant group (`NO_GROUP` for none).
#[derive(Clone, Copy)]
struct Tok {
    w: f64,
    len: u32,
    group: u32,
    first: Option<char>,
    /// its text and Metaphone key in `CandidateCore::tok_text` (byte bounds)
    text: [u32; 2],
    meta: [u32; 2],
}

/// A record: its token ids `rec_tids[start..end]`, its person's position, and whether
/// it is loose (`NameIndex._rec_loose`).
#[derive(Clone, Copy)]
struct Rec {
    start: u32,
    end: u32,
    person: u32,
    loose: bool,
}

static NEXT_CORE_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A call's cache of the alignment's rescue similarities and its query units' texts.
#[derive(Default)]
struct Scratch {
    /// the alignment's rescue similarities: (query unit id, record unit)
    unit_sims: HashMap<(u32, u64), (f64, Rule)>,
    /// query unit text -> query unit id (over all the variants of one call)
    unit_ids: HashMap<String, u32>,
    /// each query unit's Metaphone key, once asked
    unit_metas: Vec<Option<String>>,
    /// each query unit's text: `unit_text[unit_span[id]]`
    unit_text: String,
    unit_span: Vec<(u32, u32)>,
    /// a joined unit's text while it is made
    joined: String,
}

impl Scratch {
    fn clear(&mut self) {
        self.unit_sims.clear();
        self.unit_ids.clear();
        self.unit_metas.clear();
        self.unit_text.clear();
        self.unit_span.clear();
    }

    /// The call-wide id of a query unit text.
    fn unit_id(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.unit_ids.get(text) {
            return id;
        }
        let id = self.unit_metas.len() as u32;
        self.unit_ids.insert(text.to_owned(), id);
        self.unit_metas.push(None);
        let start = self.unit_text.len() as u32;
        self.unit_text.push_str(text);
        self.unit_span.push((start, self.unit_text.len() as u32));
        id
    }
}

/// A query unit of the alignment's rescue: token `a`, or tokens `a` and `b` joined.
struct QUnit {
    a: usize,
    b: Option<usize>,
    /// call-wide id of its text (`Scratch::unit_id`, `Scratch::unit_text`)
    uid: u32,
    len: usize,
    first: Option<char>,
    /// known-variant group of its text (`NO_GROUP` for none)
    group: u32,
}

/// The rescue units of a query variant in `_align_estimate`'s order, into `out`: each
/// token, then each adjacent pair joined (`core`: the index, for known-variant groups).
fn query_units(core: &CandidateCore, texts: &[&str], scratch: &mut Scratch, out: &mut Vec<QUnit>) {
    out.clear();
    for (i, t) in texts.iter().enumerate() {
        out.push(QUnit {
            a: i,
            b: None,
            uid: scratch.unit_id(t),
            len: char_len(t),
            first: t.chars().next(),
            group: core.group_of(t),
        });
    }
    for i in 0..texts.len().saturating_sub(1) {
        let mut t = std::mem::take(&mut scratch.joined);
        t.clear();
        t.push_str(texts[i]);
        t.push_str(texts[i + 1]);
        out.push(QUnit {
            a: i,
            b: Some(i + 1),
            uid: scratch.unit_id(&t),
            len: char_len(&t),
            first: t.chars().next(),
            group: core.group_of(&t),
        });
        scratch.joined = t;
    }
}

/// A record unit of the rescue: token `j`, or tokens `j` and `j + 1` joined, its length
/// in characters and first character.
type CUnit = (usize, Option<usize>, usize, Option<char>);

/// Whether the rescue skips query unit `qu` against a record unit (`joined`: two tokens
/// joined) of `lc` characters starting with `cfirst`, before any similarity: singles of
/// whom one is a letter alone must start alike; otherwise lengths differ by at most 2,
/// and singles have 6 letters or more.
fn rescue_filtered(qu: &QUnit, joined: bool, lc: usize, cfirst: Option<char>) -> bool {
    let single = qu.b.is_none() && !joined;
    let lq = qu.len;
    if single && (lq == 1 || lc == 1) {
        qu.first != cfirst
    } else {
        lq.abs_diff(lc) > 2 || (single && lq.min(lc) < 6)
    }
}

/// `CandidateCore::rescue_bound` as if every token left over after greedy pass `g` could
/// be rescued (the larger end of the same interval, so at least that bound; cheaper:
/// no unit is looked at). `b` holds the pass's record token weights and uses.
fn rescue_bound_all(g: &Greedy, q_weights: &[f64], b: &AlignBufs, alpha: f64) -> f64 {
    let mut left = 0.0f64;
    for (i, &w) in q_weights.iter().enumerate() {
        if g.used_q & (1u32 << i) == 0 {
            left += w;
        }
    }
    for (&w, &used) in b.c_weights.iter().zip(b.used_c.iter()) {
        if !used {
            left += w;
        }
    }
    let none = g.total / (g.weight + alpha * left);
    let all = (g.total + left / 2.0) / (g.weight + left / 2.0);
    if none > all {
        none
    } else {
        all
    }
}

/// `align`'s state after its greedy pass: the pairs' similarity-weighted sum and weight,
/// how many, and the query tokens used (bits).
#[derive(Clone, Copy)]
struct Greedy {
    total: f64,
    weight: f64,
    pairs: usize,
    used_q: u32,
}

/// The alignment's buffers, reused across the records of a call.
#[derive(Default)]
struct AlignBufs {
    options: Vec<(f64, u32, u32)>,
    c_weights: Vec<f64>,
    used_c: Vec<bool>,
    c_units: Vec<CUnit>,
    rescue: Vec<Rescue>,
    left_q: Vec<(f64, usize)>,
    left_c: Vec<(f64, usize)>,
    joined: String,
    /// record tokens a rescue unit may pair (`rescue_bound`)
    elig_c: Vec<bool>,
}

/// The neighbours of a variant's query tokens by listed token id: `slot[tid]` is
/// `NO_SLOT` or an index into `ranges`, whose range of `entries` holds (query token,
/// similarity) for each query token having `tid` as a neighbour, query tokens ascending.
#[derive(Default)]
struct NeighbourTable {
    slot: Vec<u32>,
    ranges: Vec<(u32, u32)>,
    entries: Vec<(u32, f64)>,
    /// (token id, query token, similarity) while building
    triples: Vec<(u32, u32, f64)>,
}

const NO_SLOT: u32 = u32::MAX;

/// No known-variant group (`CandidateCore::variant_group`).
const NO_GROUP: u32 = u32::MAX;

fn group(g: u32) -> Option<u32> {
    (g != NO_GROUP).then_some(g)
}

impl NeighbourTable {
    fn clear(&mut self) {
        for &(tid, _, _) in &self.triples {
            if let Some(s) = self.slot.get_mut(tid as usize) {
                *s = NO_SLOT;
            }
        }
        self.triples.clear();
        self.ranges.clear();
        self.entries.clear();
    }

    /// Fill from the variant's token sets (`n_texts`: the vocabulary size).
    fn fill(&mut self, sets: &[&TokenSets], n_texts: usize) {
        self.clear();
        if self.slot.len() < n_texts {
            self.slot.resize(n_texts, NO_SLOT);
        }
        for (i, ts) in sets.iter().enumerate() {
            for &(tid, sim) in &ts.map {
                if (tid as usize) < n_texts {
                    self.triples.push((tid, i as u32, sim));
                }
            }
        }
        // each map holds a token id once (ascending); keep the first of any repeat
        self.triples.sort_by_key(|e| (e.0, e.1));
        self.triples.dedup_by_key(|e| (e.0, e.1));
        let mut k = 0;
        while k < self.triples.len() {
            let tid = self.triples[k].0;
            let lo = self.entries.len() as u32;
            while k < self.triples.len() && self.triples[k].0 == tid {
                self.entries.push((self.triples[k].1, self.triples[k].2));
                k += 1;
            }
            self.slot[tid as usize] = self.ranges.len() as u32;
            self.ranges.push((lo, self.entries.len() as u32));
        }
    }

    /// (query token, similarity) of the query tokens having `tid` as a neighbour.
    fn of(&self, tid: u32) -> &[(u32, f64)] {
        match self.slot.get(tid as usize) {
            Some(&s) if s != NO_SLOT => {
                let (lo, hi) = self.ranges[s as usize];
                &self.entries[lo as usize..hi as usize]
            }
            _ => &[],
        }
    }
}

/// A call's reusable state: which token sets hold each record met (`meets` by record id,
/// all-zero outside `touched`), the neighbour table, the alignment's buffers and its
/// similarity cache. Kept in the core between calls (`CandidateCore::bufs`).
#[derive(Default)]
struct Bufs {
    meets: Vec<Meet>,
    touched: Vec<u32>,
    nb: NeighbourTable,
    align: AlignBufs,
    scratch: Scratch,
    persons: PersonBufs,
    rank: RankBufs,
    best: BestBufs,
}

/// A variant's ranking lists, reused: the records with their first-stage estimates
/// (`scored`, `singles`), the head kept for the alignment (record, estimate, barred),
/// the query's rescue units, and the variant's candidates (`found`).
#[derive(Default)]
struct RankBufs {
    scored: Vec<(u32, f64)>,
    singles: Vec<(u32, f64)>,
    head: Vec<(u32, f64, bool)>,
    q_units: Vec<QUnit>,
    found: Vec<(u32, f64)>,
    ranked: Vec<(u32, f64)>,
    deferred: Vec<Deferred>,
}

/// Each record's best estimate over the variants of a call, dense by record id
/// (`set` marks the records in `list`, for clearing).
#[derive(Default)]
struct BestBufs {
    est: Vec<f64>,
    set: Vec<bool>,
    list: Vec<u32>,
}

impl BestBufs {
    fn reset(&mut self, n_records: usize) {
        for &r in &self.list {
            self.set[r as usize] = false;
        }
        self.list.clear();
        if self.est.len() < n_records {
            self.est.resize(n_records, 0.0);
            self.set.resize(n_records, false);
        }
    }

    /// `best[rid] = max(best.get(rid, -1.0), est)` (as the dict of `NameIndex.candidates`).
    fn offer(&mut self, rid: u32, est: f64) {
        let r = rid as usize;
        if !self.set[r] {
            self.set[r] = true;
            self.est[r] = -1.0;
            self.list.push(rid);
        }
        if self.est[r] < est {
            self.est[r] = est;
        }
    }
}

/// Per-person state of a call, dense by person position: the boost factor once computed
/// (the query's evidence is the same for every variant), the best estimate and whether
/// the person is kept (the final ranking), and a mark for the persons kept past the
/// bar; `*_list` the positions set, for clearing.
#[derive(Default)]
struct PersonBufs {
    slots: Vec<PersonSlot>,
    state_list: Vec<u32>,
    mark_list: Vec<u32>,
}

/// One person's state in `PersonBufs` (kept together: one place read per person).
#[derive(Clone, Copy, Default)]
struct PersonSlot {
    factor: f64,
    best: f64,
    /// bit 0: factor set, bit 1: best set, bit 2: kept, bit 3: dropped
    state: u8,
    mark: bool,
}

const FACTOR_SET: u8 = 1;
const BEST_SET: u8 = 2;
const KEPT: u8 = 4;
const DROPPED: u8 = 8;

impl PersonBufs {
    fn reset(&mut self, n_persons: usize) {
        for &p in &self.state_list {
            self.slots[p as usize].state = 0;
        }
        self.state_list.clear();
        for &p in &self.mark_list {
            self.slots[p as usize].mark = false;
        }
        self.mark_list.clear();
        if self.slots.len() < n_persons {
            self.slots.resize(n_persons, PersonSlot::default());
        }
    }

    /// Set `flag` of person `p`.
    fn set(&mut self, p: usize, flag: u8) {
        let slot = &mut self.slots[p];
        if slot.state == 0 {
            self.state_list.push(p as u32);
        }
        slot.state |= flag;
    }

    /// The boost factor of person `pos` (computed once per call).
    fn factor_of(&mut self, pos: u32, ev: &Evidence, q: &QueryEvidence) -> f64 {
        let p = pos as usize;
        if self.slots[p].state & FACTOR_SET == 0 {
            self.slots[p].factor = ev.person_factor(p, q);
            self.set(p, FACTOR_SET);
        }
        self.slots[p].factor
    }
}

impl Bufs {
    /// Back to the all-clear state (also after a call that failed half way).
    fn reset(&mut self, n_records: usize, n_persons: usize) {
        self.persons.reset(n_persons);
        self.best.reset(n_records);
        self.rank.found.clear();
        self.rank.deferred.clear();
        for &r in &self.touched {
            self.meets[r as usize] = Meet::default();
        }
        self.touched.clear();
        if self.meets.len() < n_records {
            self.meets.resize(n_records, Meet::default());
        }
        self.nb.clear();
        self.scratch.clear();
    }
}

/// Keep the best `k` of `v` (by `by_estimate`, a total order for estimates that are not
/// NaN and distinct record ids: the same set whatever `v`'s order), in no particular
/// order: the caller ranks the final list once.
fn keep_head(v: &mut Vec<(u32, f64)>, k: usize) {
    if v.len() > k {
        if k == 0 {
            v.clear();
            return;
        }
        v.select_nth_unstable_by(k - 1, by_estimate);
        v.truncate(k);
    }
}

impl CandidateCore {
    /// Token text `t` (read from `tok_text`).
    fn text(&self, t: usize) -> &str {
        let [s, e] = self.toks[t].text;
        &self.tok_text[s as usize..e as usize]
    }

    /// The Metaphone key of token text `t` ("" for none).
    fn meta(&self, t: usize) -> &str {
        let [s, e] = self.toks[t].meta;
        &self.tok_text[s as usize..e as usize]
    }

    /// The known-variant group id of `text` (`NO_GROUP` for none).
    fn group_of(&self, text: &str) -> u32 {
        self.variant_group.get(text).copied().unwrap_or(NO_GROUP)
    }

    fn rec_tids(&self, rid: u32) -> &[u32] {
        let r = &self.recs[rid as usize];
        &self.rec_tids[r.start as usize..r.end as usize]
    }

    fn rec_len(&self, rid: u32) -> usize {
        let r = &self.recs[rid as usize];
        (r.end - r.start) as usize
    }

    fn postings(&self, tid: u32) -> &[u32] {
        let t = tid as usize;
        if t + 1 >= self.post_off.len() {
            return &[];
        }
        &self.post_ids[self.post_off[t] as usize..self.post_off[t + 1] as usize]
    }

    /// Run `f` with the core's reusable buffers (fresh ones when another call holds them).
    fn with_bufs<R>(&self, f: impl FnOnce(&mut Bufs) -> R) -> R {
        let (n, np) = (self.recs.len(), self.n_persons);
        match self.bufs.try_lock() {
            Ok(mut g) => {
                g.reset(n, np);
                f(&mut g)
            }
            Err(std::sync::TryLockError::Poisoned(p)) => {
                let mut g = p.into_inner();
                g.reset(n, np);
                f(&mut g)
            }
            Err(std::sync::TryLockError::WouldBlock) => {
                let mut b = Bufs::default();
                b.reset(n, np);
                f(&mut b)
            }
        }
    }

    /// The Metaphone key of `text` (`metaphone_ref`), owned.
    fn metaphone(&self, py: Python<'_>, text: &str) -> PyResult<String> {
        Ok(self.metaphone_ref(py, text)?.into_owned())
    }

    /// The Metaphone key of `text`: the vocabulary's, else the one given with it in
    /// `given` (forms, keys; the last one for a repeated form), else `metaphone_ref`.
    fn given_metaphone<'a>(
        &'a self,
        py: Python<'_>,
        text: &str,
        given: (&'a [String], &'a [String]),
    ) -> PyResult<Cow<'a, str>> {
        if let Some(&tid) = self.vocab.get(text) {
            return Ok(Cow::Borrowed(self.meta(tid as usize)));
        }
        if let Some((_, m)) = given
            .0
            .iter()
            .zip(given.1.iter())
            .rev()
            .find(|(f, _)| *f == text)
        {
            return Ok(Cow::Borrowed(m));
        }
        self.metaphone_ref(py, text)
    }

    /// The Metaphone key of `text`: the vocabulary's, else made (`phonetic_key`: computed,
    /// for a string outside `A`–`Z` and `?` asked of `phonetic`).
    fn metaphone_ref(&self, py: Python<'_>, text: &str) -> PyResult<Cow<'_, str>> {
        match self.vocab.get(text) {
            Some(&tid) => Ok(Cow::Borrowed(self.meta(tid as usize))),
            None => Ok(Cow::Owned(phonetic_key(py, &self.phonetic, text)?)),
        }
    }

    fn sim_raw(&self, py: Python<'_>, a: &str, b: &str) -> PyResult<(f64, Rule)> {
        string_similarity(a, b, &self.variants, &mut || {
            same_sound(a, b, &mut |s: &str| self.metaphone(py, s))
        })
    }

    /// The rescue's similarity of query unit `qu` and record unit `t0` (`t1`: joined
    /// with the token `t1`), memoised over the call.
    fn unit_sim(
        &self,
        py: Python<'_>,
        qu: &QUnit,
        t0: u32,
        t1: Option<u32>,
        joined: &mut String,
        scratch: &mut Scratch,
    ) -> PyResult<(f64, Rule)> {
        let ckey = match t1 {
            None => u64::from(t0),
            Some(t1) => u64::from(t0) | (u64::from(t1) + 1) << 32,
        };
        let key = (qu.uid, ckey);
        if let Some(&v) = scratch.unit_sims.get(&key) {
            return Ok(v);
        }
        let Scratch {
            unit_metas,
            unit_text,
            unit_span,
            ..
        } = scratch;
        let (us, ue) = unit_span[qu.uid as usize];
        let q_text = &unit_text[us as usize..ue as usize];
        let (cs, cg): (&str, u32) = match t1 {
            None => (self.text(t0 as usize), self.toks[t0 as usize].group),
            Some(t1) => {
                joined.clear();
                joined.push_str(self.text(t0 as usize));
                joined.push_str(self.text(t1 as usize));
                (joined, self.group_of(joined))
            }
        };
        let (qg, cg) = (group(qu.group), group(cg));
        let v = string_similarity_grouped(q_text, cs, qg, cg, &mut || -> PyResult<bool> {
            let slot = &mut unit_metas[qu.uid as usize];
            if slot.is_none() {
                *slot = Some(self.metaphone(py, q_text)?);
            }
            let pa = slot.as_deref().unwrap_or("");
            if pa.is_empty() {
                return Ok(false);
            }
            Ok(match t1 {
                None => pa == self.meta(t0 as usize),
                Some(_) => pa == self.metaphone_ref(py, cs)?,
            })
        })?;
        scratch.unit_sims.insert(key, v);
        Ok(v)
    }

    /// `NameIndex.neighbours`, see the Python method `neighbours` (a form's Metaphone key
    /// is the one given in `metas`; `syllable`: the token is a syllable, see
    /// `upper_similarity`).
    fn find_neighbours(
        &self,
        py: Python<'_>,
        forms: &[String],
        metas: &[String],
        min_similarity: f64,
        syllable: bool,
        kb: &mut KeyBufs,
    ) -> PyResult<(Vec<u32>, Vec<f64>)> {
        if forms.is_empty() || forms.len() != metas.len() {
            return Err(PyValueError::new_err(
                "forms: one or more, with as many metaphone keys",
            ));
        }
        let KeyBufs {
            hashes,
            chars,
            key,
            tids,
        } = kb;
        hashes.clear();
        query_token_key_hashes(forms, metas, &self.variants, chars, key, hashes);
        hashes.sort_unstable();
        hashes.dedup();
        tids.clear();
        self.keys_dir.lookup_many(&self.keys, hashes, tids);
        tids.sort_unstable();
        tids.dedup();
        for &t in tids.iter() {
            let t = t as usize;
            prefetch(&self.toks[t]);
            prefetch(&self.core_off[t]);
        }
        // each form's Metaphone key: the vocabulary's, else the one given (the last one
        // given for a repeated form)
        let form_metas: Vec<&str> = forms
            .iter()
            .map(|f| match self.vocab.get(f.as_str()) {
                Some(&t) => self.meta(t as usize),
                None => forms
                    .iter()
                    .zip(metas.iter())
                    .rev()
                    .find(|(g, _)| *g == f)
                    .map_or("", |(_, m)| m.as_str()),
            })
            .collect();
        let form_lens: Vec<usize> = forms.iter().map(|f| char_len(f)).collect();
        let form_groups: Vec<Option<u32>> = forms.iter().map(|f| group(self.group_of(f))).collect();
        let mut out_t = Vec::new();
        let mut out_s = Vec::new();
        for (k, &tid) in tids.iter().enumerate() {
            if let Some(&next) = tids.get(k + 1) {
                if let Some(b) = self.text(next as usize).as_bytes().first() {
                    prefetch(b);
                }
            }
            let sim = self.upper_similarity(
                py,
                (forms, metas),
                &form_metas,
                &form_lens,
                &form_groups,
                tid,
                syllable,
            )?;
            if sim >= min_similarity {
                out_t.push(tid);
                out_s.push(sim);
            }
        }
        Ok((out_t, out_s))
    }

    /// `query_token` (see there).
    fn query_token_sets(
        &self,
        py: Python<'_>,
        forms: &[String],
        metas: &[String],
        min_similarity: f64,
        syllable: bool,
        kb: &mut KeyBufs,
    ) -> PyResult<TokenSets> {
        let (tids, sims) = self.find_neighbours(py, forms, metas, min_similarity, syllable, kb)?;
        let mut joined = Vec::new();
        self.joins_dir
            .lookup(&self.joins, key_hash(&forms[0]), &mut joined);
        self.make_token_sets(tids, sims, joined)
    }

    fn make_token_sets(
        &self,
        tids: Vec<u32>,
        sims: Vec<f64>,
        joined: Vec<u32>,
    ) -> PyResult<TokenSets> {
        if tids.len() != sims.len() {
            return Err(PyValueError::new_err("tids and sims differ in length"));
        }
        let mut map: Vec<(u32, f64)> = tids.iter().copied().zip(sims.iter().copied()).collect();
        map.sort_by_key(|e| e.0);
        for e in &map {
            if let Some(o) = self.post_off.get(e.0 as usize) {
                prefetch(o);
            }
        }
        let strong_lists: Vec<&[u32]> = map
            .iter()
            .filter(|e| e.1 >= 0.95)
            .map(|e| self.postings(e.0))
            .collect();
        let every_lists: Vec<&[u32]> = map.iter().map(|e| self.postings(e.0)).collect();
        let strong = union_sorted(&strong_lists);
        let every = union_sorted(&every_lists);
        let mut joined = joined;
        let joined_entries = joined.len();
        joined.sort_unstable();
        joined.dedup();
        let all = union_sorted(&[&every, &joined]);
        Ok(TokenSets {
            map,
            strong,
            every,
            joined,
            all,
            joined_entries,
        })
    }
}

/// A directory over a sorted packed array: `dir[b]` is the first position whose value's
/// top `64 - shift` bits are at least `b`, so that a lookup searches one small bucket.
#[derive(Default)]
struct PackedDir {
    shift: u32,
    dir: Vec<u32>,
}

impl PackedDir {
    fn new(packed: &[u64]) -> Self {
        // about one value per bucket; at most 2**22 buckets
        let bits = (usize::BITS - packed.len().leading_zeros()).clamp(1, 22);
        let shift = 64 - bits;
        let nb = 1usize << bits;
        let mut dir = Vec::with_capacity(nb + 1);
        let mut k = 0usize;
        for b in 0..=nb {
            while k < packed.len() && ((packed[k] >> shift) as usize) < b {
                k += 1;
            }
            dir.push(k as u32);
        }
        PackedDir { shift, dir }
    }

    /// `lookup_packed(packed, h, out)` (the same ids in the same order), via the buckets.
    fn lookup(&self, packed: &[u64], h: u64, out: &mut Vec<u32>) {
        let lo = h << ID_BITS;
        let b = (lo >> self.shift) as usize;
        let (s, e) = (self.dir[b] as usize, self.dir[b + 1] as usize);
        // every value from lo to lo | ID_MASK shares lo's bucket
        let start = s + packed[s..e].partition_point(|&v| v < lo);
        lookup_from(packed, start, h, out);
    }
}

impl PackedDir {
    /// `lookup` of each of `hs` in turn (the same ids in the same order). The bucket
    /// bounds of all the hashes are read first, then the buckets searched: the reads
    /// of one pass do not wait for each other.
    fn lookup_many(&self, packed: &[u64], hs: &[u64], out: &mut Vec<u32>) {
        let mut bounds: Vec<(u64, u32, u32)> = Vec::with_capacity(hs.len());
        for &h in hs {
            let b = ((h << ID_BITS) >> self.shift) as usize;
            bounds.push((h, self.dir[b], self.dir[b + 1]));
        }
        for &(h, s, e) in &bounds {
            let (s, e) = (s as usize, e as usize);
            let start = s + packed[s..e].partition_point(|&v| v < h << ID_BITS);
            lookup_from(packed, start, h, out);
        }
    }
}

/// The ids of hash `h` from position `start` on (the first value `>= h << 24`).
fn lookup_from(packed: &[u64], start: usize, h: u64, out: &mut Vec<u32>) {
    let hi = (h << ID_BITS) | ID_MASK;
    for &v in &packed[start..] {
        if v > hi {
            break;
        }
        out.push((v & ID_MASK) as u32);
    }
}

/// Ids packed under hash `h` in a sorted `(hash << 24) | id` array (`matchers.index._lookup`).
#[cfg(test)]
fn lookup_packed(packed: &[u64], h: u64, out: &mut Vec<u32>) {
    {
        let lo = h << ID_BITS;
        let hi = lo | ID_MASK;
        let start = packed.partition_point(|&v| v < lo);
        for &v in &packed[start..] {
            if v > hi {
                break;
            }
            out.push((v & ID_MASK) as u32);
        }
    }
}

impl CandidateCore {
    /// `NameIndex._upper_similarity(forms, tid, syllable)`; `form_metas` and `form_lens`
    /// are the forms' Metaphone keys and lengths in characters.
    /// `given` is the forms with the Metaphone keys given for them; `form_groups` the
    /// forms' known-variant groups; `syllable` whether the query token is a syllable of a
    /// Chinese or Korean name (0.0 when the text reads as a misspelling of the token's:
    /// the scorer's `token_similarity` never aligns such a pair).
    #[allow(clippy::too_many_arguments)]
    fn upper_similarity(
        &self,
        py: Python<'_>,
        given: (&[String], &[String]),
        form_metas: &[&str],
        form_lens: &[usize],
        form_groups: &[Option<u32>],
        tid: u32,
        syllable: bool,
    ) -> PyResult<f64> {
        let forms = given.0;
        let t = tid as usize;
        let text = self.text(t);
        let text_meta = self.meta(t);
        let text_group = group(self.toks[t].group);
        let g0 = form_groups[0];
        let (mut best, rule) =
            string_similarity_grouped(&forms[0], text, g0, text_group, &mut || {
                Ok::<bool, PyErr>(!form_metas[0].is_empty() && form_metas[0] == text_meta)
            })?;
        if syllable && matches!(rule, Rule::Edit | Rule::Phonetic | Rule::Skeleton) {
            return Ok(0.0);
        }
        if rule == Rule::Initial {
            best = 0.0;
        }
        let (c0, c1) = if t + 1 < self.core_off.len() {
            (self.core_off[t] as usize, self.core_off[t + 1] as usize)
        } else {
            (0, 0)
        };
        for (i, qf) in forms.iter().enumerate() {
            let lq = form_lens[i];
            let pa = form_metas[i];
            let qg = form_groups[i];
            for j in 0..=(c1 - c0) {
                let (cf, lc, cg): (&str, usize, Option<u32>) = if j == 0 {
                    (text, self.toks[t].len as usize, text_group)
                } else {
                    (
                        &self.core_texts[c0 + j - 1],
                        self.core_len[c0 + j - 1] as usize,
                        group(self.core_group[c0 + j - 1]),
                    )
                };
                if (i == 0 && j == 0) || lq.min(lc) < 3 {
                    continue;
                }
                let (s, r) =
                    string_similarity_grouped(qf, cf, qg, cg, &mut || -> PyResult<bool> {
                        if pa.is_empty() {
                            return Ok(false);
                        }
                        if j == 0 {
                            return Ok(pa == text_meta);
                        }
                        Ok(pa == self.given_metaphone(py, cf, given)?)
                    })?;
                if r != Rule::Initial && s * 0.95 > best {
                    best = s * 0.95;
                }
            }
        }
        Ok(best)
    }

    /// Greedy one-to-one token alignment estimate of record `rid` (port of
    /// `NameIndex._align_estimate`); `nb` is the variant's neighbour table.
    #[allow(clippy::too_many_arguments)]
    fn align(
        &self,
        rid: u32,
        nb: &NeighbourTable,
        q_lens: &[usize],
        q_units: &[QUnit],
        q_weights: &[f64],
        min_similarity: f64,
        shape: Shape,
        py: Python<'_>,
        b: &mut AlignBufs,
        scratch: &mut Scratch,
    ) -> PyResult<f64> {
        match self.align_greedy(rid, nb, q_weights, b) {
            None => Ok(0.0),
            Some(g) => self.align_finish(
                rid,
                g,
                q_lens,
                q_units,
                q_weights,
                min_similarity,
                shape,
                py,
                b,
                scratch,
            ),
        }
    }

    /// `align`'s greedy pass over the neighbour pairs (`None`: no pair, the estimate is
    /// 0.0); the record tokens it used are left in `b.used_c`, its weights in
    /// `b.c_weights`.
    fn align_greedy(
        &self,
        rid: u32,
        nb: &NeighbourTable,
        q_weights: &[f64],
        b: &mut AlignBufs,
    ) -> Option<Greedy> {
        let tids = self.rec_tids(rid);
        let nc = tids.len();
        b.options.clear();
        for (j, &t) in tids.iter().enumerate() {
            for &(i, sim) in nb.of(t) {
                b.options.push((sim, i, j as u32));
            }
        }
        if b.options.is_empty() {
            return None;
        }
        // Python: options.sort(reverse=True) over (sim, i, j) tuples ((i, j) unique)
        b.options.sort_unstable_by(|a, b| {
            b.0.partial_cmp(&a.0)
                .unwrap_or(Ordering::Equal)
                .then(b.1.cmp(&a.1))
                .then(b.2.cmp(&a.2))
        });
        b.c_weights.clear();
        b.c_weights
            .extend(tids.iter().map(|&t| self.toks[t as usize].w));
        let c_weights = &b.c_weights;
        let mut used_q = 0u32; // nq <= MAX_QUERY_TOKENS
        let used_c = &mut b.used_c;
        used_c.clear();
        used_c.resize(nc, false);
        let mut total = 0.0f64;
        let mut weight = 0.0f64;
        let mut pairs = 0usize;
        for &(sim, i, j) in &b.options {
            let (i, j) = (i as usize, j as usize);
            if used_q & (1u32 << i) != 0 || used_c[j] {
                continue;
            }
            used_q |= 1u32 << i;
            used_c[j] = true;
            let w = (q_weights[i] + c_weights[j]) / 2.0;
            total += sim * w;
            weight += w;
            pairs += 1;
        }
        Some(Greedy {
            total,
            weight,
            pairs,
            used_q,
        })
    }

    /// Whether `align_finish` tries the rescue after greedy pass `g` (tokens left over on
    /// both sides).
    fn rescues(&self, rid: u32, g: &Greedy, nq: usize) -> bool {
        g.pairs < nq && g.pairs < self.rec_len(rid)
    }

    /// An upper bound of `align_finish(g)` when it tries the rescue (`rescues`): each
    /// similarity the rescue adds is at most 1, it pairs only leftover tokens of units
    /// passing its length and initial filters (`eligible`), and each token left over at
    /// the end adds at least `alpha` × its weight to the penalty (`alpha`: the least
    /// of `absent` and `contradicted` halved, `absent` and `extra`; weights at least 0).
    /// With `X` the rescued pairs' weight, the estimate is at most `(total + X) /
    /// (weight + X + alpha × (left - 2X))`, monotonic in `X` from 0 to half the eligible
    /// weight: the larger end is the bound (the single-token cap only lowers it).
    fn rescue_bound(
        &self,
        rid: u32,
        g: &Greedy,
        q_units: &[QUnit],
        q_weights: &[f64],
        alpha: f64,
        b: &mut AlignBufs,
    ) -> f64 {
        let tids = self.rec_tids(rid);
        let nc = tids.len();
        let used_c = &b.used_c;
        let q_is_used = |i: usize| g.used_q & (1u32 << i) != 0;
        self.fill_c_units(tids, used_c, &mut b.c_units);
        let mut elig_q = 0u32;
        let elig_c = &mut b.elig_c;
        elig_c.clear();
        elig_c.resize(nc, false);
        for qu in q_units {
            if q_is_used(qu.a) || qu.b.is_some_and(q_is_used) {
                continue;
            }
            for &(cj0, cj1, lc, cfirst) in b.c_units.iter() {
                if rescue_filtered(qu, cj1.is_some(), lc, cfirst) {
                    continue;
                }
                elig_q |= 1u32 << qu.a;
                if let Some(i) = qu.b {
                    elig_q |= 1u32 << i;
                }
                elig_c[cj0] = true;
                if let Some(j) = cj1 {
                    elig_c[j] = true;
                }
            }
        }
        let (mut l_e, mut l_n) = (0.0f64, 0.0f64);
        for (i, &w) in q_weights.iter().enumerate() {
            if !q_is_used(i) {
                if elig_q & (1u32 << i) != 0 {
                    l_e += w;
                } else {
                    l_n += w;
                }
            }
        }
        for j in 0..nc {
            if !used_c[j] {
                if elig_c[j] {
                    l_e += b.c_weights[j];
                } else {
                    l_n += b.c_weights[j];
                }
            }
        }
        let none = g.total / (g.weight + alpha * (l_e + l_n));
        let all = (g.total + l_e / 2.0) / (g.weight + l_e / 2.0 + alpha * l_n);
        if none > all {
            none
        } else {
            all
        }
    }

    /// The rescue's record units of a record (tokens `tids`, `used_c` those paired):
    /// each unused token, then each two adjacent unused tokens joined.
    fn fill_c_units(&self, tids: &[u32], used_c: &[bool], c_units: &mut Vec<CUnit>) {
        let nc = tids.len();
        c_units.clear();
        for j in 0..nc {
            if !used_c[j] {
                let t = tids[j] as usize;
                c_units.push((j, None, self.toks[t].len as usize, self.toks[t].first));
            }
        }
        for j in 0..nc.saturating_sub(1) {
            if !used_c[j] && !used_c[j + 1] {
                let (t0, t1) = (tids[j] as usize, tids[j + 1] as usize);
                c_units.push((
                    j,
                    Some(j + 1),
                    (self.toks[t0].len + self.toks[t1].len) as usize,
                    self.toks[t0].first,
                ));
            }
        }
    }

    /// `align` once its greedy pass gave `g`: the rescue of leftover units, the
    /// leftovers' penalty and the single-token cap.
    #[allow(clippy::too_many_arguments)]
    fn align_finish(
        &self,
        rid: u32,
        g: Greedy,
        q_lens: &[usize],
        q_units: &[QUnit],
        q_weights: &[f64],
        min_similarity: f64,
        shape: Shape,
        py: Python<'_>,
        b: &mut AlignBufs,
        scratch: &mut Scratch,
    ) -> PyResult<f64> {
        let tids = self.rec_tids(rid);
        let nq = q_lens.len();
        let nc = tids.len();
        let Greedy {
            mut total,
            mut weight,
            mut pairs,
            mut used_q,
        } = g;
        let c_weights = &b.c_weights;
        let used_c = &mut b.used_c;
        let q_is_used = |used_q: u32, i: usize| used_q & (1u32 << i) != 0;
        if pairs < nq && pairs < nc {
            // leftovers on both sides: units are single tokens, then adjacent pairs joined
            // (in `_align_estimate`'s order; strings of record units built only when tried)
            let c_units = &mut b.c_units;
            self.fill_c_units(tids, used_c, c_units);
            let rescue = &mut b.rescue;
            rescue.clear();
            for qu in q_units {
                if q_is_used(used_q, qu.a) || qu.b.is_some_and(|i| q_is_used(used_q, i)) {
                    continue;
                }
                for &(cj0, cj1, lc, cfirst) in c_units.iter() {
                    let single = qu.b.is_none() && cj1.is_none();
                    if rescue_filtered(qu, cj1.is_some(), lc, cfirst) {
                        continue;
                    }
                    let (sim, rule) = self.unit_sim(
                        py,
                        qu,
                        tids[cj0],
                        cj1.map(|j1| tids[j1]),
                        &mut b.joined,
                        scratch,
                    )?;
                    if sim < min_similarity
                        || (!single && (rule == Rule::Initial || rule == Rule::None))
                    {
                        continue;
                    }
                    if qu.b.is_some() && cj1.is_some() && rule != Rule::Edit {
                        continue;
                    }
                    let n =
                        (if qu.b.is_some() { 2 } else { 1 }) + (if cj1.is_some() { 2 } else { 1 });
                    rescue.push(Rescue {
                        sim,
                        n,
                        qi: (qu.a, qu.b),
                        cj: (cj0, cj1),
                        initial: rule == Rule::Initial,
                    });
                }
            }
            // Python: stable sort by (-sim, -n)
            rescue.sort_by(|a, b| {
                b.sim
                    .partial_cmp(&a.sim)
                    .unwrap_or(Ordering::Equal)
                    .then(b.n.cmp(&a.n))
            });
            for r in rescue.iter() {
                let q_used =
                    q_is_used(used_q, r.qi.0) || r.qi.1.is_some_and(|i| q_is_used(used_q, i));
                let c_used = used_c[r.cj.0] || r.cj.1.is_some_and(|j| used_c[j]);
                if q_used || c_used {
                    continue;
                }
                used_q |= 1u32 << r.qi.0;
                if let Some(i) = r.qi.1 {
                    used_q |= 1u32 << i;
                }
                used_c[r.cj.0] = true;
                if let Some(j) = r.cj.1 {
                    used_c[j] = true;
                }
                let mut wq = q_weights[r.qi.0];
                if let Some(i) = r.qi.1 {
                    wq += q_weights[i];
                }
                let mut wc = c_weights[r.cj.0];
                if let Some(j) = r.cj.1 {
                    wc += c_weights[j];
                }
                let w = (wq + wc) / 2.0;
                total += r.sim * w;
                weight += w;
                if !r.initial {
                    let lq = if r.qi.1.is_some() { 2 } else { 1 };
                    let lc = if r.cj.1.is_some() { 2 } else { 1 };
                    pairs += lq.max(lc);
                }
            }
        }
        // Python: sorted(((weight, len), ...), reverse=True)
        let desc = |a: &(f64, usize), b: &(f64, usize)| {
            b.0.partial_cmp(&a.0)
                .unwrap_or(Ordering::Equal)
                .then(b.1.cmp(&a.1))
        };
        let left_q = &mut b.left_q;
        left_q.clear();
        left_q.extend(
            (0..nq)
                .filter(|&i| !q_is_used(used_q, i))
                .map(|i| (q_weights[i], q_lens[i])),
        );
        left_q.sort_by(desc);
        let left_c = &mut b.left_c;
        left_c.clear();
        left_c.extend(
            (0..nc)
                .filter(|&j| !used_c[j])
                .map(|j| (c_weights[j], self.toks[tids[j] as usize].len as usize)),
        );
        left_c.sort_by(desc);
        let k = left_q.len().min(left_c.len());
        let mut penalty = 0.0f64;
        for x in 0..k {
            let (wq, lq) = left_q[x];
            let (wc, lc) = left_c[x];
            let factor = if lq.min(lc) <= 3 {
                shape.absent
            } else {
                shape.contradicted
            };
            penalty += factor * (wq + wc) / 2.0;
        }
        let mut rest_c = 0.0f64;
        for &(w, _) in &left_c[k..] {
            rest_c += w;
        }
        penalty += shape.absent * rest_c;
        let mut rest_q = 0.0f64;
        for &(w, _) in &left_q[k..] {
            rest_q += w;
        }
        penalty += shape.extra * rest_q;
        let mut est = total / (weight + penalty);
        if pairs < 2 && nq > 1 && nc > 1 && shape.single_cap < est {
            est = shape.single_cap;
        }
        Ok(est)
    }

    /// Candidates of one query variant (port of `NameIndex._variant_candidates`), into
    /// `bufs.rank.found` in no particular order.
    fn variant_candidates(
        &self,
        vi: usize,
        v: &Variant<'_>,
        rank: &Ranking<'_>,
        py: Python<'_>,
        bufs: &mut Bufs,
    ) -> PyResult<()> {
        let n = v.sets.len();
        if n == 0 {
            return Ok(());
        }
        // which token sets hold each record met (dense by record id, cleared at the end)
        let Bufs {
            meets,
            touched,
            nb,
            align: abufs,
            scratch,
            persons,
            rank: rbufs,
            ..
        } = bufs;
        fn touch<'m>(meets: &'m mut [Meet], touched: &mut Vec<u32>, r: u32) -> &'m mut Meet {
            let e = &mut meets[r as usize];
            if e.strong | e.every | e.joined | e.pair == 0 {
                touched.push(r);
            }
            e
        }
        for (i, ts) in v.sets.iter().enumerate() {
            let bit = 1u32 << i;
            for (k, &r) in ts.all.iter().enumerate() {
                if let Some(&ahead) = ts.all.get(k + AHEAD) {
                    prefetch(&meets[ahead as usize]);
                }
                touch(meets, touched, r).every |= bit;
            }
            for &r in &ts.strong {
                touch(meets, touched, r).strong |= bit;
            }
            for &r in &ts.joined {
                touch(meets, touched, r).joined |= bit;
            }
        }
        for (p, ts) in v.pairs.iter().enumerate() {
            let bit = 1u32 << p;
            for (k, &r) in ts.every.iter().enumerate() {
                if let Some(&ahead) = ts.every.get(k + AHEAD) {
                    prefetch(&meets[ahead as usize]);
                }
                touch(meets, touched, r).pair |= bit;
            }
        }
        let result = self.variant_rank(
            vi, v, rank, py, meets, touched, nb, abufs, scratch, persons, rbufs,
        );
        for &r in touched.iter() {
            meets[r as usize] = Meet::default();
        }
        touched.clear();
        result
    }

    /// `variant_candidates` once `meets` holds the records met (`touched`).
    #[allow(clippy::too_many_arguments)]
    fn variant_rank(
        &self,
        vi: usize,
        v: &Variant<'_>,
        rank: &Ranking<'_>,
        py: Python<'_>,
        meets: &[Meet],
        touched: &[u32],
        nb: &mut NeighbourTable,
        abufs: &mut AlignBufs,
        scratch: &mut Scratch,
        persons: &mut PersonBufs,
        rbufs: &mut RankBufs,
    ) -> PyResult<()> {
        let Ranking {
            pool,
            fill,
            min_similarity,
            shape,
            need,
            refine_margin,
            max_boost,
            boost,
            cut,
        } = *rank;
        let n = v.sets.len();
        let weights = v.weights;
        let total_w: f64 = weights.iter().fold(0.0, |a, &w| a + w);
        // query token position -> 1 + how many earlier tokens have the same text (0: none)
        let mut repeats = [0usize; MAX_QUERY_TOKENS];
        for (i, r) in repeats.iter_mut().enumerate().take(n) {
            let earlier = v.texts[..i].iter().filter(|t| **t == v.texts[i]).count();
            if earlier > 0 {
                *r = earlier + 1;
            }
        }
        let estimate = |rid: u32, m_: &Meet| -> f64 {
            let mut m = 0.0f64;
            let mut mw = 0.0f64;
            let mut k = 0usize;
            for i in 0..n {
                let bit = 1u32 << i;
                if repeats[i] > 0 {
                    let count = self
                        .rec_tids(rid)
                        .iter()
                        .filter(|&&t| v.sets[i].sim(t).is_some())
                        .count();
                    if repeats[i] > count {
                        continue;
                    }
                }
                if m_.strong & bit != 0 {
                    m += weights[i];
                    mw += weights[i];
                    k += 1;
                } else if m_.joined & bit != 0 {
                    m += weights[i];
                    mw += weights[i];
                    k += 2;
                } else if m_.every & bit != 0 {
                    m += 0.85 * weights[i];
                    mw += weights[i];
                    k += 1;
                }
            }
            for p in 0..v.pairs.len() {
                if m_.pair & (1u32 << p) != 0 && 0.9 * (weights[p] + weights[p + 1]) > m {
                    m = 0.9 * (weights[p] + weights[p + 1]);
                    mw = weights[p] + weights[p + 1];
                    k = k.max(1);
                }
            }
            if mw == 0.0 {
                return 0.0;
            }
            let left = self.rec_len(rid).saturating_sub(k);
            m / (mw + shape.extra * (total_w - mw) + shape.absent * left as f64)
        };
        let is_covered = |rid: u32| -> bool {
            let m_ = &meets[rid as usize];
            m_.every.count_ones() >= 2
                || m_.joined != 0
                || m_.pair != 0
                || (n == 1 && self.rec_len(rid) == 1)
        };
        let via_joins = |rid: u32| -> bool {
            let m_ = &meets[rid as usize];
            m_.joined != 0 || m_.pair != 0
        };
        let loose_q = need.is_none() || v.loose;
        let RankBufs {
            scored,
            singles,
            head,
            q_units,
            found,
            deferred,
            ..
        } = rbufs;
        // (rid, estimate)
        scored.clear();
        let mut union_size = 0usize;
        // records meeting one query token only (`singles`) are gathered in the same pass,
        // in the same order, and used only if the covered ones leave room (below)
        let single_bar = match need {
            None => -1.0,
            Some(nd) => (nd - refine_margin) / max_boost,
        };
        singles.clear();
        for (k, &rid) in touched.iter().enumerate() {
            if let Some(&ahead) = touched.get(k + AHEAD) {
                prefetch(&meets[ahead as usize]);
                prefetch(&self.recs[ahead as usize]);
            }
            let m_ = &meets[rid as usize];
            if m_.every != 0 {
                union_size += 1;
            }
            if is_covered(rid) {
                scored.push((rid, estimate(rid, m_)));
            } else if m_.every != 0 {
                let coarse = estimate(rid, m_);
                if coarse >= single_bar || loose_q || self.recs[rid as usize].loose {
                    singles.push((rid, 0.5 * coarse));
                }
            }
        }
        if scored.len() < fill && union_size <= FILL_UNION_CAP {
            let room = fill - scored.len();
            keep_head(singles, room);
            scored.extend_from_slice(singles);
        }
        if let Some((ev, q)) = boost {
            for k in 0..scored.len() {
                if let Some(&(ahead, _)) = scored.get(k + AHEAD) {
                    prefetch(&self.recs[ahead as usize]);
                }
                if let Some(&(ahead, _)) = scored.get(k + AHEAD / 2) {
                    let p = self.recs[ahead as usize].person as usize;
                    prefetch(&persons.slots[p]);
                    prefetch(&ev.persons[p]);
                }
                let item = &mut scored[k];
                let pos = self.recs[item.0 as usize].person;
                item.1 *= persons.factor_of(pos, ev, q);
            }
        }
        keep_head(scored, pool);
        // (rid, estimate, barred)
        head.clear();
        head.extend(scored.iter().map(|&(r, e)| (r, e, false)));
        if !loose_q {
            let bar = need.unwrap() - refine_margin;
            let mut any = false;
            for h in head.iter_mut() {
                let rid = h.0;
                if !is_covered(rid) && !self.recs[rid as usize].loose && 2.0 * h.1 < bar {
                    h.2 = true;
                    any = true;
                }
            }
            if any {
                // persons keeping a record that is not barred
                for h in head.iter() {
                    let p = self.recs[h.0 as usize].person;
                    if !h.2 && !persons.slots[p as usize].mark {
                        persons.slots[p as usize].mark = true;
                        persons.mark_list.push(p);
                    }
                }
                head.retain(|h| persons.slots[self.recs[h.0 as usize].person as usize].mark);
                for &p in &persons.mark_list {
                    persons.slots[p as usize].mark = false;
                }
                persons.mark_list.clear();
            }
        }
        let mut q_lens = [0usize; MAX_QUERY_TOKENS];
        for (l, t) in q_lens.iter_mut().zip(v.texts.iter()) {
            *l = char_len(t);
        }
        let q_lens = &q_lens[..n];
        // the rescue units and the neighbour table, made when a record is first aligned
        let mut aligning = false;
        for &(rid, est, barred) in head.iter() {
            if barred {
                found.push((rid, est));
                continue;
            }
            let joins = via_joins(rid);
            let f = match boost {
                Some(_) => persons.slots[self.recs[rid as usize].person as usize].factor,
                None => 1.0,
            };
            let defer = Deferred {
                variant: vi as u32,
                rid,
                est,
                via_joins: joins,
            };
            // an alignment estimate is at most 1
            if cut.is_some_and(|c| c.hopeless(1.0, f, joins, est)) {
                deferred.push(defer);
                continue;
            }
            if !aligning {
                query_units(self, v.texts, scratch, q_units);
                nb.fill(&v.sets, self.texts.len());
                aligning = true;
            }
            let mut est2 = match self.align_greedy(rid, nb, weights, abufs) {
                None => 0.0,
                Some(g) => {
                    if let Some(c) = cut {
                        if self.rescues(rid, &g, n) {
                            // the coarser bound first (no filters looked at)
                            let hopeless = c.hopeless(
                                rescue_bound_all(&g, weights, abufs, c.alpha),
                                f,
                                joins,
                                est,
                            ) || {
                                let bound =
                                    self.rescue_bound(rid, &g, q_units, weights, c.alpha, abufs);
                                c.hopeless(bound, f, joins, est)
                            };
                            if hopeless {
                                deferred.push(defer);
                                continue;
                            }
                        }
                    }
                    self.align_finish(
                        rid,
                        g,
                        q_lens,
                        q_units,
                        weights,
                        min_similarity,
                        shape,
                        py,
                        abufs,
                        scratch,
                    )?
                }
            };
            if boost.is_some() {
                est2 *= f;
            }
            if joins && est > est2 {
                est2 = est; // joined units are outside the token alignment
            }
            found.push((rid, est2));
        }
        Ok(()) // in no particular order: `rank_variants` ranks the union once
    }
}

#[pymethods]
impl CandidateCore {
    /// Build from `NameIndex`'s arrays: record token runs (`rec_start` with one entry more
    /// than records, `rec_tids` token text ids), each record's person position and
    /// loose flag, each token text's rarity weight, text and postings (CSR:
    /// `post_off[tid]..post_off[tid + 1]` in `post_ids`, record ids ascending), each
    /// text's particle-free cores (CSR: `core_off`, `core_texts`) and Metaphone key
    /// (`metas`, "" for none), the packed token keys (`keys`: `NameIndex._keys`), the
    /// known-variant table (`variants`: `KNOWN_VARIANTS`), `phonetic`
    /// (`matchers.index.phonetic_key`, called for strings outside the vocabulary that hold
    /// a character other than `A`–`Z` and `?`: the others' keys are computed here), and
    /// for the rarity weights each text's record count (`df`: `NameIndex._df`), the
    /// record count (`n_weight` ≥ 1: `NameIndex._n`) and ln(1 + it) (`max_idf` > 0).
    /// Raises `ValueError` when the arrays disagree or the counts are out of range.
    #[new]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        rec_start: &Bound<'_, PyAny>,
        rec_tids: &Bound<'_, PyAny>,
        rec_person: &Bound<'_, PyAny>,
        rec_loose: &Bound<'_, PyAny>,
        tid_w: &Bound<'_, PyAny>,
        texts: Vec<String>,
        post_off: &Bound<'_, PyAny>,
        post_ids: &Bound<'_, PyAny>,
        core_off: &Bound<'_, PyAny>,
        core_texts: Vec<String>,
        metas: Vec<String>,
        keys: &Bound<'_, PyAny>,
        joins: &Bound<'_, PyAny>,
        variants: HashMap<String, String>,
        phonetic: Py<PyAny>,
        df: &Bound<'_, PyAny>,
        n_weight: usize,
        max_idf: f64,
    ) -> PyResult<Self> {
        let vocab: HashMap<String, u32> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        let rec_start: Vec<u32> = buffer_vec(py, rec_start, "rec_start")?;
        let rec_tids: Vec<u32> = buffer_vec(py, rec_tids, "rec_tids")?;
        let rec_person: Vec<u32> = buffer_vec(py, rec_person, "rec_person")?;
        let rec_loose: Vec<u8> = buffer_vec(py, rec_loose, "rec_loose")?;
        let tid_w: Vec<f64> = buffer_vec(py, tid_w, "tid_w")?;
        let mut core = CandidateCore {
            recs: Vec::new(),
            rec_tids,
            texts,
            toks: Vec::new(),
            tok_text: String::new(),
            post_off: buffer_vec(py, post_off, "post_off")?,
            post_ids: buffer_vec(py, post_ids, "post_ids")?,
            n_persons: 0,
            core_off: buffer_vec(py, core_off, "core_off")?,
            core_texts,
            keys: buffer_vec(py, keys, "keys")?,
            joins: buffer_vec(py, joins, "joins")?,
            vocab,
            metas,
            variants,
            variant_group: HashMap::default(),
            core_group: Vec::new(),
            weights_nonnegative: false,
            phonetic,
            id: NEXT_CORE_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            bufs: std::sync::Mutex::new(Bufs::default()),
            keys_dir: PackedDir::default(),
            joins_dir: PackedDir::default(),
            core_len: Vec::new(),
            df: buffer_vec(py, df, "df")?,
            n_weight,
            max_idf,
        };
        let n = rec_person.len();
        let nt = core.texts.len();
        if rec_start.len() != n + 1
            || rec_loose.len() != n
            || *rec_start.last().unwrap() as usize != core.rec_tids.len()
            || tid_w.len() != nt
            || core.post_off.len() != nt + 1
            || *core.post_off.last().unwrap() as usize != core.post_ids.len()
            || core.core_off.len() != nt + 1
            || *core.core_off.last().unwrap() as usize != core.core_texts.len()
            || core.metas.len() != nt
            || core.vocab.len() != nt
            || core.df.len() != nt
        {
            return Err(PyValueError::new_err(
                "index arrays disagree in length (or texts repeat)",
            ));
        }
        if core.rec_tids.iter().any(|&t| t as usize >= nt)
            || core.post_ids.iter().any(|&r| r as usize >= n)
            || core.keys.iter().any(|&k| (k & ID_MASK) as usize >= nt)
        {
            return Err(PyValueError::new_err(
                "index arrays hold an id out of range",
            ));
        }
        let rising_u32 = |v: &[u32]| v.windows(2).all(|w| w[0] <= w[1]);
        if !rising_u32(&rec_start)
            || !rising_u32(&core.core_off)
            || core.post_off.windows(2).any(|w| w[0] > w[1])
        {
            return Err(PyValueError::new_err("offset arrays must not decrease"));
        }
        if core.keys.windows(2).any(|w| w[0] > w[1]) || core.joins.windows(2).any(|w| w[0] > w[1]) {
            return Err(PyValueError::new_err("keys or joins are not sorted"));
        }
        if core.n_weight < 1 || core.max_idf.is_nan() || core.max_idf <= 0.0 {
            return Err(PyValueError::new_err(
                "n_weight must be at least 1 and max_idf above 0",
            ));
        }
        if core.joins.iter().any(|&k| (k & ID_MASK) as usize >= n) {
            return Err(PyValueError::new_err("joins hold a record id out of range"));
        }
        core.keys_dir = PackedDir::new(&core.keys);
        core.joins_dir = PackedDir::new(&core.joins);
        core.core_len = core.core_texts.iter().map(|t| char_len(t) as u32).collect();
        core.weights_nonnegative = tid_w.iter().all(|&w| w >= 0.0);
        let mut group_ids: HashMap<&str, u32> = HashMap::default();
        for (form, group) in &core.variants {
            let n = group_ids.len() as u32;
            let id = *group_ids.entry(group.as_str()).or_insert(n);
            core.variant_group.insert(form.clone(), id);
        }
        let mut tok_text = String::new();
        let mut span = |s: &str| {
            let start = tok_text.len() as u32;
            tok_text.push_str(s);
            [start, tok_text.len() as u32]
        };
        core.toks = (0..nt)
            .map(|t| {
                let text = &core.texts[t];
                Tok {
                    w: tid_w[t],
                    len: char_len(text) as u32,
                    group: core.group_of(text),
                    first: text.chars().next(),
                    text: span(text),
                    meta: span(&core.metas[t]),
                }
            })
            .collect();
        core.tok_text = tok_text;
        core.core_group = core.core_texts.iter().map(|t| core.group_of(t)).collect();
        core.n_persons = rec_person
            .iter()
            .map(|&p| p as usize + 1)
            .max()
            .unwrap_or(0);
        core.recs = (0..n)
            .map(|r| Rec {
                start: rec_start[r],
                end: rec_start[r + 1],
                person: rec_person[r],
                loose: rec_loose[r] != 0,
            })
            .collect();
        Ok(core)
    }

    /// A query token's `TokenSets` (`NameIndex.neighbours` and the records they reach)
    /// given its `forms` (text, then its particle-free core when it has one) and their
    /// Metaphone keys (`metas`, "" for none): the listed tokens sharing a key whose
    /// similarity reaches `min_similarity`, with the records holding its text as two
    /// listed tokens joined; for a `syllable` of a Chinese or Korean name, not the tokens
    /// its text reads as a misspelling of (`NameIndex.neighbours`). Raises `ValueError`
    /// for no forms or unequal lengths.
    #[pyo3(signature = (forms, metas, min_similarity, syllable=false))]
    fn query_token(
        &self,
        py: Python<'_>,
        forms: Vec<String>,
        metas: Vec<String>,
        min_similarity: f64,
        syllable: bool,
    ) -> PyResult<TokenSets> {
        self.query_token_sets(
            py,
            &forms,
            &metas,
            min_similarity,
            syllable,
            &mut KeyBufs::default(),
        )
    }

    /// `matchers.scoring.string_similarity(a, b)` as ported: `(0.0–1.0, rule)`.
    fn string_similarity(&self, py: Python<'_>, a: &str, b: &str) -> PyResult<(f64, &'static str)> {
        let (s, r) = self.sim_raw(py, a, b)?;
        Ok((s, r.name()))
    }

    /// `matchers.index.key_hash(key)`: the top 40 bits of the UTF-8 key's XXH3-64.
    #[staticmethod]
    fn key_hash(key: &str) -> u64 {
        key_hash(key)
    }

    /// The sets of one query token: `tids`/`sims` its neighbours (ascending token ids,
    /// similarity 0.0–1.0), `joined` the records holding it as two listed tokens joined.
    fn token_sets(&self, tids: Vec<u32>, sims: Vec<f64>, joined: Vec<u32>) -> PyResult<TokenSets> {
        self.make_token_sets(tids, sims, joined)
    }

    /// `query_token` for a query token `text` with particle-free `core` (equal to `text`
    /// when it has none; `syllable` as there), memoised in `cache` as `text_candidates`
    /// does (the same object for the same token). Raises `ValueError` for a cache of
    /// another index or another `min_similarity`, and what `phonetic` raises.
    #[pyo3(signature = (cache, text, core, min_similarity, syllable=false))]
    fn cached_query_token(
        &self,
        py: Python<'_>,
        mut cache: PyRefMut<'_, QueryCache>,
        text: &str,
        core: &str,
        min_similarity: f64,
        syllable: bool,
    ) -> PyResult<Py<TokenSets>> {
        self.bind_cache(&mut cache, min_similarity)?;
        self.cached_sets(py, &mut cache, text, core, syllable, min_similarity)
    }

    /// Candidate records `[(record id, estimate)]`, best first (ties by record id), covering
    /// the best `limit` persons: `NameIndex.candidates` with the same arguments, for query
    /// variants given as token texts and their particle-free cores (`[(texts, cores)]`,
    /// each a variant's tokens in order). Each token's neighbour sets (`query_token`), its
    /// joined pairs', the rarity weights and whether the variant is loose (an initial or
    /// a token without vowels) are made here and memoised in `cache` (one per batch, per
    /// index, per `min_similarity`). `shape` is `(contradicted, absent, extra,
    /// single_token_cap)`; `boost` is `None` or `(evidence, (day ids, years, nationality
    /// ids, gender))`; `prune` is `None` or `(factor, margin, floor)`: of the `limit`
    /// persons, one whose best estimate × `factor` + `margin` is below `floor` is dropped,
    /// all its records. Raises `ValueError` for a cache of another index or another
    /// `min_similarity`, texts and cores of unequal lengths, a variant of more than 32
    /// tokens or evidence covering fewer persons than the index, and what `phonetic`
    /// raises. `syllables`: per variant, whether each token is a syllable of a Chinese
    /// or Korean name (`query_token`; `None`: none is), else `ValueError`.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (cache, variants, limit, pool, min_similarity, shape, need, refine_margin, max_boost, boost, prune=None, syllables=None))]
    fn text_candidates<'py>(
        &self,
        py: Python<'py>,
        mut cache: PyRefMut<'py, QueryCache>,
        variants: &Bound<'py, PyAny>,
        limit: usize,
        pool: usize,
        min_similarity: f64,
        shape: (f64, f64, f64, f64),
        need: Option<f64>,
        refine_margin: f64,
        max_boost: f64,
        boost: Option<&Bound<'py, PyAny>>,
        prune: Option<(f64, f64, f64)>,
        syllables: Option<Vec<Vec<bool>>>,
    ) -> PyResult<Vec<(u32, f64)>> {
        let args = VariantArgs::new(variants)?;
        let boost = boost.map(boost_args).transpose()?;
        self.bind_cache(&mut cache, min_similarity)?;
        let given = args.variants();
        if syllables.as_ref().is_some_and(|s| s.len() != given.len()) {
            return Err(PyValueError::new_err(
                "syllables: one list of flags per variant",
            ));
        }
        let mut checked: Vec<(Vec<&str>, Vec<&str>, Vec<bool>)> = Vec::new();
        for (k, variant) in given.into_iter().enumerate() {
            match variant.filter(|(t, _)| t.len() <= MAX_QUERY_TOKENS) {
                Some((texts, cores)) => {
                    let flags = match &syllables {
                        None => vec![false; texts.len()],
                        Some(s) if s[k].len() == texts.len() => s[k].clone(),
                        Some(_) => {
                            return Err(PyValueError::new_err(
                                "syllables: one flag per token of the variant",
                            ))
                        }
                    };
                    checked.push((texts, cores, flags));
                }
                None => {
                    return Err(PyValueError::new_err(
                        "variant: more than 32 tokens or texts and cores of unequal lengths",
                    ))
                }
            }
        }
        let settings = (pool, min_similarity, shape, need, refine_margin, max_boost);
        self.rank_texts(
            py,
            &mut cache,
            &checked,
            limit,
            settings,
            boost.as_ref().map(|(ev, q)| (&**ev, q)),
            prune,
        )
    }

    /// `text_candidates` for a query given as its names: each item of `names` has
    /// `full_name`, `surname` and `given_names` (`str` or `None`: a
    /// `matchers.model.PersonName`), folded by `fold` (`matchers.normalise.variant_texts`)
    /// and every name's variants ranked together, with the shape `shapes.1` when every
    /// variant has a syllable token (a Chinese or Korean name), else `shapes.0`. The
    /// other arguments are `text_candidates`'. Returns `(syllabic, the candidates)`, or `None` when a name
    /// holds a value `fold` does not fold (or not a `str`) or a variant has more than 32
    /// tokens: the caller takes the Python path. Raises what `text_candidates` raises
    /// and what reading an attribute raises.
    #[allow(clippy::too_many_arguments)]
    #[allow(clippy::type_complexity)]
    #[pyo3(signature = (cache, fold, names, limit, pool, min_similarity, shapes, need, refine_margin, max_boost, boost, prune=None))]
    fn name_candidates<'py>(
        &self,
        py: Python<'py>,
        mut cache: PyRefMut<'py, QueryCache>,
        fold: PyRef<'py, normalise::FoldedNames>,
        names: &Bound<'py, PyAny>,
        limit: usize,
        pool: usize,
        min_similarity: f64,
        shapes: ((f64, f64, f64, f64), (f64, f64, f64, f64)),
        need: Option<f64>,
        refine_margin: f64,
        max_boost: f64,
        boost: Option<&Bound<'py, PyAny>>,
        prune: Option<(f64, f64, f64)>,
    ) -> PyResult<Option<(bool, Vec<(u32, f64)>)>> {
        let Some(found) = fold_names(py, &fold, names)? else {
            return Ok(None);
        };
        let boost = boost.map(boost_args).transpose()?;
        self.bind_cache(&mut cache, min_similarity)?;
        let settings = (pool, min_similarity, shapes, need, refine_margin, max_boost);
        let rank = boost.as_ref().map(|(ev, q)| (&**ev, q));
        self.rank_folded(py, &mut cache, &found, limit, settings, rank, prune)
            .map(Some)
    }

    /// `name_candidates` for each query of a batch (a manifest) in one call, each with its
    /// own evidence boost read here: `persons` are `matchers.model.Person` values, their
    /// `names` folded by `fold` and, when `evidence` is given (`Screener` builds it with
    /// its `keys`), their dates of birth, nationalities and genders read as
    /// `Screener._evidence_boost` reads them (`Evidence.query`): a query with any of them
    /// is ranked with that boost and `max_boost` 1 / `name_only_factor`, others without.
    /// `prune` applies to every query but those at the positions in `unpruned` (a query
    /// with a document candidate). Returns one item per person, in order: its candidates
    /// (as `name_candidates`), or `None` when the query takes the Python path (a name or
    /// an evidence value read only there, a variant of more than 32 tokens). Raises what
    /// `text_candidates` raises, `ValueError` for evidence made without keys, and what
    /// reading an attribute raises.
    #[allow(clippy::too_many_arguments)]
    #[allow(clippy::type_complexity)]
    #[pyo3(signature = (cache, fold, persons, limit, pool, min_similarity, shapes, need, refine_margin, evidence, prune, unpruned))]
    fn batch_candidates<'py>(
        &self,
        py: Python<'py>,
        mut cache: PyRefMut<'py, QueryCache>,
        fold: PyRef<'py, normalise::FoldedNames>,
        persons: &Bound<'py, PyAny>,
        limit: usize,
        pool: usize,
        min_similarity: f64,
        shapes: ((f64, f64, f64, f64), (f64, f64, f64, f64)),
        need: Option<f64>,
        refine_margin: f64,
        evidence: Option<PyRef<'py, Evidence>>,
        prune: Option<(f64, f64, f64)>,
        unpruned: Vec<usize>,
    ) -> PyResult<Vec<Option<Vec<(u32, f64)>>>> {
        self.bind_cache(&mut cache, min_similarity)?;
        let a_names = pyo3::intern!(py, "names");
        let mut out = Vec::new();
        for (i, person) in persons.try_iter()?.enumerate() {
            let person = person?;
            let Some(found) = fold_names(py, &fold, &person.getattr(a_names)?)? else {
                out.push(None);
                continue;
            };
            let query = match &evidence {
                None => QueryRead::Plain,
                Some(ev) => ev.query_args(&fold, &person)?,
            };
            let (boost, max_boost) = match (&query, &evidence) {
                (QueryRead::Python, _) => {
                    out.push(None);
                    continue;
                }
                (QueryRead::Boost(q), Some(ev)) => (Some((&**ev, q)), 1.0 / ev.base),
                _ => (None, 1.0),
            };
            let settings = (pool, min_similarity, shapes, need, refine_margin, max_boost);
            let prune = if unpruned.contains(&i) { None } else { prune };
            let (_, found) =
                self.rank_folded(py, &mut cache, &found, limit, settings, boost, prune)?;
            out.push(Some(found));
        }
        Ok(out)
    }
}

impl CandidateCore {
    /// The candidates of a query's folded variants (`fold_names`), ranked together with
    /// the shape `shapes.1` when every variant has a syllable token (a Chinese or Korean
    /// name), else `shapes.0`: `(syllabic, the candidates)`. `settings` is `(pool,
    /// min_similarity, shapes, need, refine_margin, max_boost)`; the rest as `rank_texts`.
    #[allow(clippy::type_complexity)]
    #[allow(clippy::too_many_arguments)]
    fn rank_folded(
        &self,
        py: Python<'_>,
        cache: &mut QueryCache,
        found: &[normalise::Folded],
        limit: usize,
        settings: (
            usize,
            f64,
            ((f64, f64, f64, f64), (f64, f64, f64, f64)),
            Option<f64>,
            f64,
            f64,
        ),
        boost: Option<(&Evidence, &QueryEvidenceArgs)>,
        prune: Option<(f64, f64, f64)>,
    ) -> PyResult<(bool, Vec<(u32, f64)>)> {
        let (pool, min_similarity, shapes, need, refine_margin, max_boost) = settings;
        let syllabic = !found.is_empty() && found.iter().all(|v| v.syllables.contains(&true));
        let variants: Vec<(Vec<&str>, Vec<&str>, Vec<bool>)> = found
            .iter()
            .map(|v| {
                (
                    v.texts.iter().map(String::as_str).collect(),
                    v.cores.iter().map(String::as_str).collect(),
                    v.syllables.clone(),
                )
            })
            .collect();
        let shape = if syllabic { shapes.1 } else { shapes.0 };
        let settings = (pool, min_similarity, shape, need, refine_margin, max_boost);
        let out = self.rank_texts(py, cache, &variants, limit, settings, boost, prune)?;
        Ok((syllabic, out))
    }
}

impl CandidateCore {
    /// `text_candidates` once its arguments are read: `variants` the texts, cores and
    /// syllable flags of each variant (at most 32 tokens each), `settings` as
    /// `rank_variants` takes them.
    #[allow(clippy::type_complexity)]
    #[allow(clippy::too_many_arguments)]
    fn rank_texts(
        &self,
        py: Python<'_>,
        cache: &mut QueryCache,
        variants: &[(Vec<&str>, Vec<&str>, Vec<bool>)],
        limit: usize,
        settings: (usize, f64, (f64, f64, f64, f64), Option<f64>, f64, f64),
        boost: Option<(&Evidence, &QueryEvidenceArgs)>,
        prune: Option<(f64, f64, f64)>,
    ) -> PyResult<Vec<(u32, f64)>> {
        let min_similarity = settings.1;
        let mut held: Vec<HeldVariant> = Vec::with_capacity(variants.len());
        for (texts, cores, syllables) in variants {
            let n = texts.len();
            if n == 0 {
                continue;
            }
            let mut sets = Vec::with_capacity(n);
            let mut weights = Vec::with_capacity(n);
            for ((&text, &core), &syllable) in texts.iter().zip(cores.iter()).zip(syllables.iter())
            {
                let ts = self.cached_sets(py, cache, text, core, syllable, min_similarity)?;
                // the sets of `text` found its joined-pair entries already
                weights.push(self.cached_weight(cache, text, ts.get()));
                sets.push(ts);
            }
            let mut pairs = Vec::with_capacity(n - 1);
            let mut joined = String::new();
            for w in texts.windows(2) {
                joined.clear();
                joined.push_str(w[0]);
                joined.push_str(w[1]);
                // a joined pair keeps its misspelling neighbours even with a syllable: the
                // scorer never aligns them, but they reach names it aligns otherwise (O
                // CHOL: OCHOL is one letter from CHOL; the scorer pairs O with OH, an
                // initial, and CHOL with CHOL)
                pairs.push(self.cached_sets(py, cache, &joined, &joined, false, min_similarity)?);
            }
            let loose = texts.iter().any(|t| {
                if t.is_ascii() {
                    t.len() == 1 || is_unvowelled(t.as_bytes())
                } else {
                    let chars: Vec<char> = t.chars().collect();
                    chars.len() == 1 || is_unvowelled(&chars)
                }
            });
            held.push((sets, pairs, weights, texts.clone(), loose));
        }
        let checked: Vec<Variant<'_>> = held
            .iter()
            .map(|(sets, pairs, weights, texts, loose)| Variant {
                sets: sets.iter().map(|h| h.get()).collect(),
                pairs: pairs.iter().map(|h| h.get()).collect(),
                weights,
                texts,
                loose: *loose,
            })
            .collect();
        self.rank_variants(py, &checked, limit, settings, boost, prune)
    }
}

impl CandidateCore {
    /// Bind a fresh `cache` to this core and `min_similarity`; refuse one bound to
    /// another core or value.
    fn bind_cache(&self, cache: &mut QueryCache, min_similarity: f64) -> PyResult<()> {
        if cache.core_id == 0 {
            cache.core_id = self.id;
            cache.min_similarity = min_similarity;
        } else if cache.core_id != self.id {
            return Err(PyValueError::new_err(
                "a query cache of another index (one QueryMemo per index)",
            ));
        } else if cache.min_similarity.to_bits() != min_similarity.to_bits() {
            return Err(PyValueError::new_err(
                "a query cache made for another min_similarity (one QueryMemo per setting)",
            ));
        }
        Ok(())
    }

    /// A query token's `TokenSets` (`query_token` with its forms: `text`, and `core`
    /// when it differs; `syllable` as there), from `cache` or made and kept there.
    fn cached_sets(
        &self,
        py: Python<'_>,
        cache: &mut QueryCache,
        text: &str,
        core: &str,
        syllable: bool,
        min_similarity: f64,
    ) -> PyResult<Py<TokenSets>> {
        let held = if syllable {
            cache.syllabic.get(&(text.to_owned(), core.to_owned()))
        } else if core == text {
            cache.sets.get(text)
        } else {
            cache.cored.get(&(text.to_owned(), core.to_owned()))
        };
        if let Some(h) = held {
            return Ok(h.clone_ref(py));
        }
        let forms: Vec<String> = if core == text {
            vec![text.to_owned()]
        } else {
            vec![text.to_owned(), core.to_owned()]
        };
        let mut metas = Vec::with_capacity(forms.len());
        for f in &forms {
            metas.push(self.metaphone(py, f)?);
        }
        let sets = self.query_token_sets(
            py,
            &forms,
            &metas,
            min_similarity,
            syllable,
            &mut cache.keys,
        )?;
        cache.held_ids += sets.map.len()
            + sets.strong.len()
            + sets.every.len()
            + sets.joined.len()
            + sets.all.len();
        let h = Py::new(py, sets)?;
        if syllable {
            cache
                .syllabic
                .insert((text.to_owned(), core.to_owned()), h.clone_ref(py));
        } else if core == text {
            cache.sets.insert(text.to_owned(), h.clone_ref(py));
        } else {
            cache
                .cored
                .insert((text.to_owned(), core.to_owned()), h.clone_ref(py));
        }
        Ok(h)
    }

    /// `NameIndex.token_weight(text)`: 0.3 + 0.7 × ln(1 + n / df) / ln(1 + n) for a
    /// text held by `df` > 0 records (as a token, a core or two tokens joined), else 1.0;
    /// from `cache` or computed and kept there.
    /// `sets`: token sets of `text` (as their first form), whose joined-pair entries are
    /// the text's.
    fn cached_weight(&self, cache: &mut QueryCache, text: &str, sets: &TokenSets) -> f64 {
        if let Some(&w) = cache.weights.get(text) {
            return w;
        }
        let mut df = self
            .vocab
            .get(text)
            .map_or(0, |&t| self.df[t as usize] as usize);
        df += sets.joined_entries;
        let w = if df > 0 && self.n_weight > 1 {
            0.3 + 0.7 * (1.0 + self.n_weight as f64 / df as f64).ln() / self.max_idf
        } else {
            1.0
        };
        cache.weights.insert(text.to_owned(), w);
        w
    }

    /// The `Cut` of a call: `prune` when its factor is at least 0 (the final ranking drops
    /// its failing persons before the sort), with the penalty shape's least penalty per
    /// unit of weight; `None` when a shape penalty or a listed token's weight is below 0
    /// (or NaN), where the bound would not hold.
    fn cut(&self, prune: Option<(f64, f64, f64)>, shape: Shape) -> Option<Cut> {
        let (factor, margin, floor) = prune?;
        let alpha = (shape.absent.min(shape.contradicted) / 2.0)
            .min(shape.absent)
            .min(shape.extra);
        let ok = factor >= 0.0
            && shape.absent >= 0.0
            && shape.contradicted >= 0.0
            && shape.extra >= 0.0
            && self.weights_nonnegative;
        ok.then_some(Cut {
            factor,
            margin,
            floor,
            alpha,
        })
    }

    /// Each person's best estimate over `bufs.best` (into `bufs.persons.best`).
    fn person_bests(&self, bufs: &mut Bufs) {
        let Bufs { best, persons, .. } = bufs;
        for &rid in &best.list {
            let est = best.est[rid as usize];
            let p = self.recs[rid as usize].person as usize;
            if persons.slots[p].state & BEST_SET == 0 {
                persons.slots[p].best = est;
                persons.set(p, BEST_SET);
            }
            if est > persons.slots[p].best {
                persons.slots[p].best = est;
            }
        }
    }

    /// Align the records `variant_rank` left out (`bufs.rank.deferred`) whose person the
    /// cut keeps after all (its best so far passes: `person_bests`), as `variant_rank`
    /// would have, and offer them to `bufs.best`. The others stay out: their person
    /// fails the rule whatever their estimates (each is below it), so the final ranking
    /// drops all its records. A record aligned here is below the rule too, so below its
    /// person's best: the bests stay as they are.
    fn align_deferred(
        &self,
        variants: &[Variant<'_>],
        rank: &Ranking<'_>,
        py: Python<'_>,
        bufs: &mut Bufs,
    ) -> PyResult<()> {
        let Some(cut) = rank.cut else {
            return Ok(());
        };
        let Bufs {
            nb,
            align: abufs,
            scratch,
            persons,
            rank: rbufs,
            best,
            ..
        } = bufs;
        let kept = |rid: u32| {
            let b = persons.slots[self.recs[rid as usize].person as usize].best;
            persons.slots[self.recs[rid as usize].person as usize].state & BEST_SET != 0
                && (b * cut.factor + cut.margin).partial_cmp(&cut.floor) != Some(Ordering::Less)
        };
        rbufs.deferred.retain(|d| kept(d.rid));
        rbufs.deferred.sort_by_key(|d| d.variant);
        let mut k = 0;
        while k < rbufs.deferred.len() {
            let vi = rbufs.deferred[k].variant;
            let v = &variants[vi as usize];
            let n = v.sets.len();
            query_units(self, v.texts, scratch, &mut rbufs.q_units);
            let mut q_lens = [0usize; MAX_QUERY_TOKENS];
            for (l, t) in q_lens.iter_mut().zip(v.texts.iter()) {
                *l = char_len(t);
            }
            nb.fill(&v.sets, self.texts.len());
            while k < rbufs.deferred.len() && rbufs.deferred[k].variant == vi {
                let d = rbufs.deferred[k];
                k += 1;
                let mut est2 = self.align(
                    d.rid,
                    nb,
                    &q_lens[..n],
                    &rbufs.q_units,
                    v.weights,
                    rank.min_similarity,
                    rank.shape,
                    py,
                    abufs,
                    scratch,
                )?;
                if rank.boost.is_some() {
                    est2 *= persons.slots[self.recs[d.rid as usize].person as usize].factor;
                }
                if d.via_joins && d.est > est2 {
                    est2 = d.est;
                }
                best.offer(d.rid, est2);
            }
        }
        rbufs.deferred.clear();
        Ok(())
    }

    /// `text_candidates` once the variants are made: `settings` is `(pool,
    /// min_similarity, shape, need, refine_margin, max_boost)`.
    #[allow(clippy::type_complexity)]
    fn rank_variants(
        &self,
        py: Python<'_>,
        variants: &[Variant<'_>],
        limit: usize,
        settings: (usize, f64, (f64, f64, f64, f64), Option<f64>, f64, f64),
        boost: Option<(&Evidence, &QueryEvidenceArgs)>,
        prune: Option<(f64, f64, f64)>,
    ) -> PyResult<Vec<(u32, f64)>> {
        let (pool, min_similarity, shape, need, refine_margin, max_boost) = settings;
        let shape = Shape {
            contradicted: shape.0,
            absent: shape.1,
            extra: shape.2,
            single_cap: shape.3,
        };
        let q_ev = boost.as_ref().map(|(_, q)| QueryEvidence {
            days: &q.0,
            years: &q.1,
            nats: &q.2,
            gender: q.3,
        });
        let boost_ref: Option<(&Evidence, &QueryEvidence)> = match (&boost, &q_ev) {
            (Some((ev, _)), Some(q)) => Some((*ev, q)),
            _ => None,
        };
        if let Some((ev, _)) = boost_ref {
            if ev.persons.len() < self.n_persons {
                return Err(PyValueError::new_err(
                    "evidence covers fewer persons than the index",
                ));
            }
        }
        let rank = Ranking {
            pool,
            fill: 2 * pool / 5,
            min_similarity,
            shape,
            need,
            refine_margin,
            max_boost,
            boost: boost_ref,
            cut: self.cut(prune, shape),
        };
        let mut out: Vec<(u32, f64)> = Vec::new();
        self.with_bufs(|bufs| -> PyResult<()> {
            for (vi, v) in variants.iter().enumerate() {
                self.variant_candidates(vi, v, &rank, py, bufs)?;
                for &(rid, est) in &bufs.rank.found {
                    bufs.best.offer(rid, est);
                }
                bufs.rank.found.clear();
            }
            let pruning = matches!(prune, Some((factor, _, _)) if factor >= 0.0);
            if pruning {
                self.person_bests(bufs);
            }
            // a record left unaligned whose person is kept after all (by another record)
            // is aligned now; it cannot change its person's best
            self.align_deferred(variants, &rank, py, bufs)?;
            let Bufs {
                best,
                persons,
                rank: RankBufs { ranked, .. },
                ..
            } = bufs;
            ranked.clear();
            match prune {
                // the persons `prune` keeps rank before those it drops (x -> x * factor +
                // margin is monotonic for factor >= 0), so they fill the `limit` first: the
                // records of dropped persons can go before the sort, whatever the limit
                Some((factor, margin, floor)) if factor >= 0.0 => {
                    for &rid in &best.list {
                        let b = persons.slots[self.recs[rid as usize].person as usize].best;
                        if (b * factor + margin).partial_cmp(&floor) != Some(Ordering::Less) {
                            ranked.push((rid, best.est[rid as usize]));
                        }
                    }
                }
                _ => ranked.extend(best.list.iter().map(|&r| (r, best.est[r as usize]))),
            }
            ranked.sort_by(by_estimate);
            // person -> kept; a person's first record is its best (ranked best first)
            let mut n_met = 0usize;
            for &(rid, est) in ranked.iter() {
                let p = self.recs[rid as usize].person as usize;
                let keep = if persons.slots[p].state & KEPT != 0 {
                    true
                } else if persons.slots[p].state & DROPPED != 0 {
                    false
                } else {
                    if n_met >= limit {
                        continue;
                    }
                    // the same operations, in the same order, as the screener's rule
                    let keep = prune.map_or(true, |(factor, margin, floor)| {
                        (est * factor + margin).partial_cmp(&floor) != Some(Ordering::Less)
                    });
                    persons.set(p, if keep { KEPT } else { DROPPED });
                    n_met += 1;
                    keep
                };
                if keep {
                    out.push((rid, est));
                }
            }
            Ok(())
        })?;
        Ok(out)
    }
}

/// `matchers.scoring.string_similarity` as a callable of its own (no index): the
/// known-variant table `variants` (`KNOWN_VARIANTS`, form -> group) and `phonetic`
/// (`matchers.index.phonetic_key`, asked only when the sound decides, and only of a
/// string holding a character other than `A`–`Z` and `?`: the others' keys are computed
/// here, `phonetic_key`).
#[pyclass(frozen, module = "matchers._core")]
struct Similarity {
    variants: HashMap<String, String>,
    phonetic: Py<PyAny>,
}

#[pymethods]
impl Similarity {
    #[new]
    fn new(variants: HashMap<String, String>, phonetic: Py<PyAny>) -> Self {
        Similarity { variants, phonetic }
    }

    /// `(0.0–1.0, rule)` for two strings; raises what `phonetic` raises.
    fn __call__(&self, py: Python<'_>, a: &str, b: &str) -> PyResult<(f64, &'static str)> {
        let (s, r) = string_similarity(a, b, &self.variants, &mut || {
            same_sound(a, b, &mut |s: &str| phonetic_key(py, &self.phonetic, s))
        })?;
        Ok((s, r.name()))
    }
}

/// `matchers.index.phonetic_key(text)` as the compiled stage computes it: "" for fewer
/// than 3 characters, else the Metaphone key (`jellyfish.metaphone` 1.3.0) of a string of
/// `A`–`Z` and `?`; `None` for a string of 3 characters or more holding any other
/// character (the compiled stage asks `phonetic_key` for those).
#[pyfunction]
fn metaphone_key(text: &str) -> Option<String> {
    metaphone::phonetic_key(text)
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(metaphone_key, m)?)?;
    m.add_class::<CandidateCore>()?;
    m.add_class::<TokenSets>()?;
    m.add_class::<Evidence>()?;
    m.add_class::<Similarity>()?;
    m.add_class::<QueryCache>()?;
    m.add_class::<normalise::FoldedNames>()?;
    m.add_class::<names::NameForm>()?;
    m.add_class::<names::NameScorer>()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_dir_lookup_matches_binary_search() {
        // a small xorshift stream: hashes with repeats, ids, some in adjacent buckets
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for n in [0usize, 1, 2, 7, 100, 5000] {
            let mut hashes: Vec<u64> = (0..n / 3 + 1).map(|_| next() >> 24).collect();
            hashes.push(0);
            hashes.push((1 << 40) - 1);
            let mut packed: Vec<u64> = (0..n)
                .map(|_| {
                    let h = hashes[(next() as usize) % hashes.len()];
                    (h << ID_BITS) | (next() & ID_MASK)
                })
                .collect();
            packed.sort_unstable();
            let dir = PackedDir::new(&packed);
            for &h in hashes.iter().chain([1u64, 12345, (1 << 40) - 2].iter()) {
                let (mut a, mut b) = (Vec::new(), Vec::new());
                lookup_packed(&packed, h, &mut a);
                dir.lookup(&packed, h, &mut b);
                assert_eq!(a, b, "n={n} h={h}");
            }
        }
    }
}
