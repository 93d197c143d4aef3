//! Port of the score of `matchers.scoring.score_name`: the float it returns, operation
//! for operation (the same similarities, the same stable sort orders, the same sums in
//! the same sequence), so that the two agree bit for bit. The explanation (pairs,
//! reasons, absent/extra/contradicted tokens) is not ported: the screener asks Python's
//! `score_name` for it, once, for the best pair of a candidate person.
//!
//! A name comes compiled (`NameForm`): its tokens' texts, cores, fields and syllable
//! flags, what `matchers.normalise` says of each token (particle class, whether it is a
//! particle or a generational suffix, its leftover weight, all computed by the Python
//! functions, so no table is copied here) and the Metaphone keys of every string the
//! scorer may compare, made once (`crate::phonetic_key`: computed, or for a string
//! outside `A`–`Z` and `?` asked of the `Similarity`'s `phonetic` callable). String
//! similarities are `similarity::string_similarity` with the `Similarity`'s
//! `KNOWN_VARIANTS`, and with those keys for its sound rule.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use std::cmp::Ordering;
use std::convert::Infallible;

use crate::similarity::{osa_distance, string_similarity, Rule};
use crate::Similarity;
use rustc_hash::FxHashMap as HashMap;

/// One token of a compiled name.
struct Tok {
    text: String,
    core: String,
    /// Metaphone keys (`phonetic_key`) of `text` and `core`
    text_key: String,
    core_key: String,
    /// lengths in characters
    len: usize,
    core_len: usize,
    /// `s` surname, `g` given names, `n` unstructured
    field: char,
    syllable: bool,
    /// `matchers.normalise.particle_class(token)`
    class: String,
    /// `matchers.scoring._leftover_weight(token)`
    leftover: f64,
    /// `text in SUFFIXES`, `text in PARTICLES`
    suffix: bool,
    particle: bool,
}

/// Two adjacent tokens joined (a unit of `matchers.scoring._units`): text, its key.
struct Joined {
    text: String,
    key: String,
}

/// A name variant compiled for `NameScorer` (see `matchers.scoring.name_form`).
#[pyclass(frozen, module = "matchers._core")]
pub struct NameForm {
    toks: Vec<Tok>,
    /// `joined[i]`: tokens `i` and `i + 1` joined
    joined: Vec<Joined>,
    structured: bool,
    any_syllable: bool,
    has_surname: bool,
}

/// A token as Python hands it to `NameForm`: text, core, field, syllable, particle
/// class, leftover weight, is a suffix, is a particle.
type TokenArgs = (String, String, String, bool, String, f64, bool, bool);

#[pymethods]
impl NameForm {
    /// `tokens`: one `(text, core, field, syllable, particle class, leftover weight,
    /// is suffix, is particle)` per token in written order (see
    /// `matchers.scoring.name_form`); `field` one character (`s`, `g`, `n`).
    /// Metaphone keys are computed (`crate::phonetic_key`), for a string outside `A`–`Z`
    /// and `?` asked of `similarity`'s `phonetic` callable. Raises `ValueError` for a
    /// field that is not one character, and what `phonetic` raises.
    #[new]
    fn new(
        py: Python<'_>,
        similarity: &Bound<'_, Similarity>,
        tokens: Vec<TokenArgs>,
        structured: bool,
    ) -> PyResult<Self> {
        if tokens.iter().any(|t| t.2.chars().count() != 1) {
            return Err(PyValueError::new_err("a token field is one character"));
        }
        let phonetic = &similarity.get().phonetic;
        NameForm::build(tokens, structured, &mut |s: &str| {
            crate::phonetic_key(py, phonetic, s)
        })
    }

    /// Number of tokens.
    fn __len__(&self) -> usize {
        self.toks.len()
    }
}

impl NameForm {
    /// The form of `tokens` (fields of one character), `key` giving Metaphone keys.
    fn build<E>(
        tokens: Vec<TokenArgs>,
        structured: bool,
        key: &mut dyn FnMut(&str) -> Result<String, E>,
    ) -> Result<Self, E> {
        let mut toks = Vec::with_capacity(tokens.len());
        for (text, core, field, syllable, class, leftover, suffix, particle) in tokens {
            let text_key = key(&text)?;
            let core_key = if core == text {
                text_key.clone()
            } else {
                key(&core)?
            };
            toks.push(Tok {
                len: text.chars().count(),
                core_len: core.chars().count(),
                text,
                core,
                text_key,
                core_key,
                field: field.chars().next().unwrap_or('n'),
                syllable,
                class,
                leftover,
                suffix,
                particle,
            });
        }
        let mut joined = Vec::with_capacity(toks.len().saturating_sub(1));
        for w in toks.windows(2) {
            let text = format!("{}{}", w[0].text, w[1].text);
            let key = key(&text)?;
            joined.push(Joined { text, key });
        }
        Ok(NameForm {
            any_syllable: toks.iter().any(|t| t.syllable),
            has_surname: toks.iter().any(|t| t.field == 's'),
            toks,
            joined,
            structured,
        })
    }

    // units of `_units`: token `u` for `u < n`, else tokens `u - n` and `u - n + 1` joined

    fn n_units(&self) -> usize {
        if self.toks.is_empty() {
            0
        } else {
            2 * self.toks.len() - 1
        }
    }

    /// The unit's first token and, when joined, its second.
    fn idx(&self, u: usize) -> (usize, Option<usize>) {
        let n = self.toks.len();
        if u < n {
            (u, None)
        } else {
            (u - n, Some(u - n + 1))
        }
    }

    fn text_and_key(&self, u: usize) -> (&str, &str) {
        let n = self.toks.len();
        if u < n {
            (&self.toks[u].text, &self.toks[u].text_key)
        } else {
            (&self.joined[u - n].text, &self.joined[u - n].key)
        }
    }

    /// `_has_initial`: a token of the unit has one letter.
    fn has_initial(&self, u: usize) -> bool {
        let (a, b) = self.idx(u);
        self.toks[a].len == 1 || b.is_some_and(|b| self.toks[b].len == 1)
    }

    /// `_has_syllable`
    fn has_syllable(&self, u: usize) -> bool {
        let (a, b) = self.idx(u);
        self.toks[a].syllable || b.is_some_and(|b| self.toks[b].syllable)
    }

    /// `_joins_fields`: two tokens of two fields other than `n`, the first no particle.
    fn joins_fields(&self, u: usize) -> bool {
        match self.idx(u) {
            (_, None) => false,
            (a, Some(b)) => {
                let (fa, fb) = (self.toks[a].field, self.toks[b].field);
                fa != fb && fa != 'n' && fb != 'n' && !self.toks[a].particle
            }
        }
    }
}

/// The `MatchConfig` constants of the name score.
#[derive(Clone, Copy)]
struct Constants {
    token_min_similarity: f64,
    absent_penalty: f64,
    extra_penalty: f64,
    contradicted_penalty: f64,
    surname_contradicted_penalty: f64,
    swap_penalty: f64,
    lineage_swap_factor: f64,
    single_token_cap: f64,
}

/// What the alignment needs of an option's rule.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Initial,
    ParticleDiffers,
    Other,
}

/// An option of `score_name`: `(sim, n, same_field, qu, cu, rule)`.
#[derive(Clone, Copy)]
struct Opt {
    sim: f64,
    n: u8,
    same_field: bool,
    qu: u32,
    cu: u32,
    kind: Kind,
}

/// Buffers reused over the pairs of one call.
#[derive(Default)]
struct Bufs {
    opts: Vec<Opt>,
    order: Vec<u32>,
    joined_first: Vec<u32>,
    used_q: Vec<bool>,
    used_c: Vec<bool>,
    un_q: Vec<usize>,
    un_c: Vec<usize>,
}

/// `sorted(..., key=lambda i: -weights[i])` (stable: equal weights keep index order).
fn by_weight_desc(v: &mut [usize], weights: &[f64]) {
    v.sort_by(|&a, &b| {
        weights[b]
            .partial_cmp(&weights[a])
            .unwrap_or(Ordering::Equal)
    });
}

/// `options.sort(key=lambda o: (-o[0], -o[1], -o[2]))`: stable.
fn by_similarity(a: &Opt, b: &Opt) -> Ordering {
    b.sim
        .partial_cmp(&a.sim)
        .unwrap_or(Ordering::Equal)
        .then(b.n.cmp(&a.n))
        .then(b.same_field.cmp(&a.same_field))
}

/// `sorted(options, key=lambda o: (-(o[1] > 2), -o[0], -o[2]))`: stable.
fn joins_first(a: &Opt, b: &Opt) -> Ordering {
    (b.n > 2)
        .cmp(&(a.n > 2))
        .then(b.sim.partial_cmp(&a.sim).unwrap_or(Ordering::Equal))
        .then(b.same_field.cmp(&a.same_field))
}

/// Python's `min(a, b)` of two floats (`b` only when strictly smaller).
fn py_min(a: f64, b: f64) -> f64 {
    if b < a {
        b
    } else {
        a
    }
}

/// Python's `max(a, b)` of two floats (`b` only when strictly greater).
fn py_max(a: f64, b: f64) -> f64 {
    if b > a {
        b
    } else {
        a
    }
}

/// `string_similarity(a, b)` with the Metaphone keys of both known (`ka`, `kb`).
fn similarity(
    variants: &HashMap<String, String>,
    a: &str,
    b: &str,
    ka: &str,
    kb: &str,
) -> (f64, Rule) {
    let r: Result<(f64, Rule), Infallible> =
        string_similarity(a, b, variants, &mut || Ok(!ka.is_empty() && ka == kb));
    match r {
        Ok(v) => v,
        Err(e) => match e {},
    }
}

/// `OSA.distance(a, b, score_cutoff=2)`.
fn osa2(a: &str, b: &str) -> usize {
    if a.is_ascii() && b.is_ascii() {
        osa_distance(a.as_bytes(), b.as_bytes(), 2)
    } else {
        let ac: Vec<char> = a.chars().collect();
        let bc: Vec<char> = b.chars().collect();
        osa_distance(&ac, &bc, 2)
    }
}

/// The rules `_SPELLING_RULES` names.
fn spelling(rule: Rule) -> bool {
    matches!(rule, Rule::Edit | Rule::Phonetic | Rule::Skeleton)
}

/// `matchers.scoring.token_similarity(a, b)`: the similarity and what the alignment
/// needs of its rule.
fn token_similarity(variants: &HashMap<String, String>, a: &Tok, b: &Tok) -> (f64, Kind) {
    let (sim, rule) = similarity(variants, &a.text, &b.text, &a.text_key, &b.text_key);
    if (a.syllable || b.syllable) && spelling(rule) {
        return (0.0, Kind::Other);
    }
    if sim < 1.0 && (a.core != a.text || b.core != b.text) && a.core_len.min(b.core_len) >= 3 {
        let (csim, crule) = similarity(variants, &a.core, &b.core, &a.core_key, &b.core_key);
        if crule != Rule::Initial {
            let (pa, pb) = (a.class.as_str(), b.class.as_str());
            let same = pa == pb
                || ((pa == "article" || pb == "article") && (pa.is_empty() || pb.is_empty()));
            let (factor, kind) = if same {
                (0.95, Kind::Other)
            } else {
                (0.8, Kind::ParticleDiffers)
            };
            if csim * factor > sim {
                return (csim * factor, kind);
            }
        }
    }
    let kind = if rule == Rule::Initial {
        Kind::Initial
    } else {
        Kind::Other
    };
    (sim, kind)
}

/// The compiled name score (see the module docs and `matchers.scoring.name_scorer`).
#[pyclass(frozen, module = "matchers._core")]
pub struct NameScorer {
    similarity: Py<Similarity>,
    c: Constants,
}

impl Constants {
    /// `score_name(query, candidate, qw, cw, config).score`, `variants` being
    /// `KNOWN_VARIANTS`.
    fn score_pair(
        &self,
        variants: &HashMap<String, String>,
        q: &NameForm,
        c: &NameForm,
        qw: &[f64],
        cw: &[f64],
        bufs: &mut Bufs,
    ) -> f64 {
        let (nq, nc) = (q.toks.len(), c.toks.len());
        if nq == 0 || nc == 0 {
            return 0.0;
        }
        bufs.opts.clear();
        for qu in 0..q.n_units() {
            for cu in 0..c.n_units() {
                let (sim, kind) = if qu < nq && cu < nc {
                    token_similarity(variants, &q.toks[qu], &c.toks[cu])
                } else {
                    let (qt, qk) = q.text_and_key(qu);
                    let (ct, ck) = c.text_and_key(cu);
                    let (mut sim, rule) = similarity(variants, qt, ct, qk, ck);
                    if matches!(rule, Rule::Initial | Rule::None) {
                        continue;
                    }
                    if rule != Rule::Exact && (q.has_initial(qu) || c.has_initial(cu)) {
                        continue;
                    }
                    if spelling(rule) && (q.has_syllable(qu) || c.has_syllable(cu)) {
                        continue;
                    }
                    if qu >= nq && cu >= nc && rule != Rule::Edit {
                        continue;
                    }
                    if rule == Rule::Edit {
                        sim = py_min(sim, if osa2(qt, ct) == 1 { 0.85 } else { 0.8 });
                    }
                    (sim, Kind::Other)
                };
                if sim < self.token_min_similarity {
                    continue;
                }
                let n = (if qu < nq { 1 } else { 2 }) + (if cu < nc { 1 } else { 2 });
                let same_field = q.toks[q.idx(qu).0].field == c.toks[c.idx(cu).0].field;
                bufs.opts.push(Opt {
                    sim,
                    n,
                    same_field,
                    qu: qu as u32,
                    cu: cu as u32,
                    kind,
                });
            }
        }
        {
            let Bufs { opts, order, .. } = &mut *bufs;
            order.clear();
            order.extend(0..opts.len() as u32);
            order.sort_by(|&a, &b| by_similarity(&opts[a as usize], &opts[b as usize]));
        }
        let mut best = self.align(q, c, qw, cw, bufs, false);
        if bufs.opts.iter().any(|o| o.n > 2) {
            {
                let Bufs {
                    opts,
                    order,
                    joined_first,
                    ..
                } = &mut *bufs;
                joined_first.clear();
                joined_first.extend_from_slice(order);
                joined_first.sort_by(|&a, &b| joins_first(&opts[a as usize], &opts[b as usize]));
            }
            let other = self.align(q, c, qw, cw, bufs, true);
            if other > best {
                best = other;
            }
        }
        best
    }

    /// `_align(...).score` over `bufs.order` (or `bufs.joined_first`).
    fn align(
        &self,
        q: &NameForm,
        c: &NameForm,
        qw: &[f64],
        cw: &[f64],
        bufs: &mut Bufs,
        joined_first: bool,
    ) -> f64 {
        let cfg = self;
        let (nq, nc) = (q.toks.len(), c.toks.len());
        let Bufs {
            opts,
            order,
            joined_first: jf,
            used_q,
            used_c,
            un_q,
            un_c,
        } = bufs;
        let order: &[u32] = if joined_first { &jf[..] } else { &order[..] };
        used_q.clear();
        used_q.resize(nq, false);
        used_c.clear();
        used_c.resize(nc, false);
        let (mut total, mut weight) = (0.0f64, 0.0f64);
        let (mut full_matches, mut initials) = (0usize, 0usize);
        let (mut cross, mut same) = (0usize, 0usize);
        let (mut lineage_query, mut lineage_candidate) = (false, false);
        for &k in order {
            let o = &opts[k as usize];
            let (qa, qb) = q.idx(o.qu as usize);
            let (ca, cb) = c.idx(o.cu as usize);
            if used_q[qa]
                || qb.is_some_and(|b| used_q[b])
                || used_c[ca]
                || cb.is_some_and(|b| used_c[b])
            {
                continue;
            }
            used_q[qa] = true;
            used_c[ca] = true;
            // sum(weights[i] for i in unit.idx): 0 + the first, + the second
            let mut wq = 0.0 + qw[qa];
            if let Some(b) = qb {
                used_q[b] = true;
                wq += qw[b];
            }
            let mut wc = 0.0 + cw[ca];
            if let Some(b) = cb {
                used_c[b] = true;
                wc += cw[b];
            }
            let w = (wq + wc) / 2.0;
            total += o.sim * w;
            weight += w;
            if o.kind != Kind::Initial {
                let mixed = q.joins_fields(o.qu as usize) || c.joins_fields(o.cu as usize);
                let (lq, lc) = (1 + usize::from(qb.is_some()), 1 + usize::from(cb.is_some()));
                full_matches += if mixed { 1 } else { lq.max(lc) };
            } else {
                initials += 1;
            }
            if o.kind == Kind::ParticleDiffers && qb.is_none() && cb.is_none() {
                let (pq, pc) = (q.toks[qa].class.as_str(), c.toks[ca].class.as_str());
                if (pq == "child_of" || pc == "child_of") && pq != pc {
                    if pq == "child_of" {
                        lineage_query = true;
                    } else {
                        lineage_candidate = true;
                    }
                }
            }
            let qf = [Some(q.toks[qa].field), qb.map(|b| q.toks[b].field)];
            let cf = [Some(c.toks[ca].field), cb.map(|b| c.toks[b].field)];
            for x in qf.iter().flatten() {
                for y in cf.iter().flatten() {
                    if *x == 'n' || *y == 'n' {
                        continue;
                    }
                    if x == y {
                        same += 1;
                    } else {
                        cross += 1;
                    }
                }
            }
        }
        un_c.clear();
        un_c.extend((0..nc).filter(|&i| !used_c[i] && !c.toks[i].suffix));
        by_weight_desc(un_c, cw);
        un_q.clear();
        un_q.extend((0..nq).filter(|&i| !used_q[i] && !q.toks[i].suffix));
        by_weight_desc(un_q, qw);
        let n_q = nq - (0..nq).filter(|&i| !used_q[i] && q.toks[i].suffix).count();
        let n_c = nc - (0..nc).filter(|&i| !used_c[i] && c.toks[i].suffix).count();
        let mut penalty = 0.0f64;
        let k = un_c.len().min(un_q.len());
        for (&ci, &qi) in un_c[..k].iter().zip(un_q[..k].iter()) {
            let factor = match c.toks[ci].field {
                's' => cfg.surname_contradicted_penalty,
                'g' => cfg.contradicted_penalty,
                _ => (cfg.surname_contradicted_penalty + cfg.contradicted_penalty) / 2.0,
            };
            let wq = if q.toks[qi].len == 1 { 1.0 } else { qw[qi] };
            let wc = if c.toks[ci].len == 1 { 1.0 } else { cw[ci] };
            penalty += factor * (wc + wq) / 2.0;
        }
        let (mut absent_factor, mut extra_factor) = (cfg.absent_penalty, cfg.extra_penalty);
        if q.any_syllable || c.any_syllable {
            absent_factor = cfg.contradicted_penalty;
            extra_factor = cfg.contradicted_penalty;
        }
        let q_surname_missed =
            q.has_surname && (0..nq).all(|i| q.toks[i].field != 's' || !used_q[i]);
        let c_surname_missed =
            c.has_surname && (0..nc).all(|i| c.toks[i].field != 's' || !used_c[i]);
        // penalty += sum(...): the terms summed first (from 0, left to right), then added
        let mut absent_sum = 0.0f64;
        for &i in &un_c[k..] {
            let t = &c.toks[i];
            let f = if c_surname_missed && t.field == 's' {
                cfg.contradicted_penalty
            } else {
                absent_factor
            };
            absent_sum += f * cw[i] * t.leftover;
        }
        penalty += absent_sum;
        let mut extra_sum = 0.0f64;
        for &i in &un_q[k..] {
            let t = &q.toks[i];
            let f = if q_surname_missed && t.field == 's' {
                cfg.contradicted_penalty
            } else {
                extra_factor
            };
            extra_sum += f * qw[i] * t.leftover;
        }
        penalty += extra_sum;
        let mut score = if weight + penalty > 0.0 {
            total / (weight + penalty)
        } else {
            0.0
        };
        if q.structured && c.structured && cross > same {
            score -= cfg.swap_penalty;
        }
        if lineage_query && lineage_candidate {
            score *= cfg.lineage_swap_factor;
        }
        if full_matches + initials.min(full_matches) < 2 && !(n_q == 1 && n_c == 1) {
            score = py_min(score, cfg.single_token_cap);
        }
        py_max(0.0, py_min(1.0, score))
    }
}

fn check_weights(form: &NameForm, weights: &[f64], side: &str) -> PyResult<()> {
    if weights.len() != form.toks.len() {
        return Err(PyValueError::new_err(format!(
            "{side} weights: {} for {} tokens",
            weights.len(),
            form.toks.len()
        )));
    }
    if weights.iter().any(|w| w.is_nan()) {
        return Err(PyValueError::new_err(format!("{side} weights: NaN")));
    }
    Ok(())
}

#[pymethods]
impl NameScorer {
    /// `similarity`: the `Similarity` whose known-variant table the string similarities
    /// use (the forms scored must be made with the same one); `constants`:
    /// `MatchConfig`'s `(token_min_similarity, absent_penalty, extra_penalty,
    /// contradicted_penalty, surname_contradicted_penalty, swap_penalty,
    /// lineage_swap_factor, single_token_cap)`.
    #[new]
    fn new(
        similarity: Py<Similarity>,
        constants: (f64, f64, f64, f64, f64, f64, f64, f64),
    ) -> Self {
        let c = Constants {
            token_min_similarity: constants.0,
            absent_penalty: constants.1,
            extra_penalty: constants.2,
            contradicted_penalty: constants.3,
            surname_contradicted_penalty: constants.4,
            swap_penalty: constants.5,
            lineage_swap_factor: constants.6,
            single_token_cap: constants.7,
        };
        NameScorer { similarity, c }
    }

    /// `score_name(query, candidate, query_weights, candidate_weights, config).score`
    /// (0.0–1.0) for compiled names and one weight per token. Raises `ValueError` when a
    /// weight list's length is not its name's token count or a weight is NaN.
    fn score(
        &self,
        query: PyRef<'_, NameForm>,
        candidate: PyRef<'_, NameForm>,
        query_weights: Vec<f64>,
        candidate_weights: Vec<f64>,
    ) -> PyResult<f64> {
        check_weights(&query, &query_weights, "query")?;
        check_weights(&candidate, &candidate_weights, "candidate")?;
        let mut bufs = Bufs::default();
        Ok(self.c.score_pair(
            &self.similarity.get().variants,
            &query,
            &candidate,
            &query_weights,
            &candidate_weights,
            &mut bufs,
        ))
    }

    /// The best pair of `queries` × `candidates` by score: `(query index, candidate
    /// index, score 0.0–1.0)`, query names outer and candidates inner, the first pair
    /// scored unless a later one scores strictly higher (`Screener._best_name`'s rule).
    /// Raises `ValueError` for an empty list, weight lists not one per name or not one
    /// weight per token, or a NaN weight.
    fn best(
        &self,
        queries: Vec<PyRef<'_, NameForm>>,
        query_weights: Vec<Vec<f64>>,
        candidates: Vec<PyRef<'_, NameForm>>,
        candidate_weights: Vec<Vec<f64>>,
    ) -> PyResult<(usize, usize, f64)> {
        if queries.is_empty() || candidates.is_empty() {
            return Err(PyValueError::new_err("no query or no candidate name"));
        }
        if query_weights.len() != queries.len() || candidate_weights.len() != candidates.len() {
            return Err(PyValueError::new_err("one weight list per name"));
        }
        for (f, w) in queries.iter().zip(query_weights.iter()) {
            check_weights(f, w, "query")?;
        }
        for (f, w) in candidates.iter().zip(candidate_weights.iter()) {
            check_weights(f, w, "candidate")?;
        }
        let variants = &self.similarity.get().variants;
        let mut bufs = Bufs::default();
        let mut best: Option<(usize, usize, f64)> = None;
        for (qi, (q, qw)) in queries.iter().zip(query_weights.iter()).enumerate() {
            for (ci, (c, cw)) in candidates.iter().zip(candidate_weights.iter()).enumerate() {
                let s = self.c.score_pair(variants, q, c, qw, cw, &mut bufs);
                if best.map_or(true, |b| s > b.2) {
                    best = Some((qi, ci, s));
                }
            }
        }
        Ok(best.expect("both lists are not empty"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Metaphone keys (`jellyfish.metaphone`, "" under 3 letters) of the strings below.
    const KEYS: &[(&str, &str)] = &[
        ("ABDULRAHMAN", "ABTLRMN"),
        ("AEBDUL", "EBTL"),
        ("AEBDULRAHMAN", "EBTLRMN"),
        ("RAHMAN", "RMN"),
        ("BINMOHAMMED", "BNMHMT"),
        ("BINSALMAN", "BNSLMN"),
        ("MOHAMMED", "MHMT"),
        ("MOHAMMEDBINSALMAN", "MHMTBNSLMN"),
        ("SALMAN", "SLMN"),
        ("SALMANBINMOHAMMED", "SLMNBNMHMT"),
        ("JOHN", "JN"),
        ("JOHNSMITH", "JNSM0"),
        ("SMITH", "SM0"),
        ("SMITHJOHN", "SM0JN"),
        ("TONG", "TNK"),
        ("TONGHO", "TNKH"),
        ("TONGHU", "TNKH"),
        ("JSMITH", "JSM0"),
        ("SMITHJR", "SM0JR"),
        ("HAN", "HN"),
        ("HANYU", "HNY"),
        ("YURO", "YR"),
    ];

    type T<'a> = (&'a str, &'a str, char, bool, &'a str, f64, bool, bool);

    fn form(tokens: &[T<'_>], structured: bool) -> NameForm {
        let args = tokens
            .iter()
            .map(|t| {
                let (text, core, field, syl, class, left, suffix, particle) = *t;
                let (text, core, class) = (text.to_owned(), core.to_owned(), class.to_owned());
                (
                    text,
                    core,
                    field.to_string(),
                    syl,
                    class,
                    left,
                    suffix,
                    particle,
                )
            })
            .collect();
        let mut key = |s: &str| -> Result<String, Infallible> {
            Ok(KEYS
                .iter()
                .find(|k| k.0 == s)
                .map_or(String::new(), |k| k.1.to_owned()))
        };
        match NameForm::build(args, structured, &mut key) {
            Ok(f) => f,
            Err(e) => match e {},
        }
    }

    fn n(text: &str) -> T<'_> {
        (text, text, 'n', false, "", 1.0, false, false)
    }

    #[test]
    fn scores_equal_python_bit_for_bit() {
        // MatchConfig() defaults; expected values printed by score_name(...).score
        let cfg = Constants {
            token_min_similarity: 0.72,
            absent_penalty: 0.15,
            extra_penalty: 0.15,
            contradicted_penalty: 0.5,
            surname_contradicted_penalty: 1.0,
            swap_penalty: 0.03,
            lineage_swap_factor: 0.85,
            single_token_cap: 0.5,
        };
        let mut variants: HashMap<String, String> = HashMap::default();
        variants.insert("MOHAMMED".into(), "MUHAMMAD".into());
        let bin = |text: &'static str, core: &'static str| -> T<'static> {
            (text, core, 'n', false, "child_of", 1.0, false, false)
        };
        let cases: Vec<(NameForm, NameForm, Vec<f64>, Vec<f64>, u64)> = vec![
            // AEBDUL RAHMAN vs ABDULRAHMAN: the joined pair first (0.85)
            (
                form(&[n("AEBDUL"), n("RAHMAN")], false),
                form(&[n("ABDULRAHMAN")], false),
                vec![0.9, 0.6],
                vec![0.8],
                0x3feb333333333333,
            ),
            // MOHAMMED BIN SALMAN vs SALMAN BIN MOHAMMED: lineage swapped (0.68)
            (
                form(&[n("MOHAMMED"), bin("BINSALMAN", "SALMAN")], false),
                form(&[n("SALMAN"), bin("BINMOHAMMED", "MOHAMMED")], false),
                vec![0.4, 0.9],
                vec![0.95, 0.45],
                0x3fe5c28f5c28f5c3,
            ),
            // SMITH, JOHN vs JOHN, SMITH (structured): order swapped (0.97)
            (
                form(
                    &[
                        ("SMITH", "SMITH", 's', false, "", 1.0, false, false),
                        ("JOHN", "JOHN", 'g', false, "", 1.0, false, false),
                    ],
                    true,
                ),
                form(
                    &[
                        ("JOHN", "JOHN", 's', false, "", 1.0, false, false),
                        ("SMITH", "SMITH", 'g', false, "", 1.0, false, false),
                    ],
                    true,
                ),
                vec![0.7, 0.5],
                vec![0.5, 0.7],
                0x3fef0a3d70a3d70a,
            ),
            // TONG HU vs TONG HO: two joined pairs one edit apart (0.8500000000000001)
            (
                form(&[n("TONG"), n("HU")], false),
                form(&[n("TONG"), n("HO")], false),
                vec![0.6, 0.9],
                vec![0.6, 0.85],
                0x3feb333333333334,
            ),
            // J SMITH JR vs JOHN SMITH: an initial, a suffix left out (0.9482758620689655)
            (
                form(
                    &[
                        ("J", "J", 'n', false, "", 0.5, false, false),
                        n("SMITH"),
                        ("JR", "JR", 'n', false, "", 1.0, true, false),
                    ],
                    false,
                ),
                form(&[n("JOHN"), n("SMITH")], false),
                vec![1.0, 0.7, 0.3],
                vec![0.5, 0.7],
                0x3fee58469ee5846a,
            ),
            // HAN YU RO vs HAN YU: an extra token (0.9154929577464788)
            (
                form(&[n("HAN"), n("YU"), n("RO")], false),
                form(&[n("HAN"), n("YU")], false),
                vec![0.6, 0.7, 0.8],
                vec![0.6, 0.7],
                0x3fed4bb7e327a976,
            ),
        ];
        let mut bufs = Bufs::default();
        for (i, (q, c, qw, cw, want)) in cases.iter().enumerate() {
            let got = cfg.score_pair(&variants, q, c, qw, cw, &mut bufs);
            assert_eq!(got.to_bits(), *want, "case {i}: {got}");
        }
        // no tokens on either side: 0.0
        let empty = form(&[], false);
        let one = form(&[n("SMITH")], false);
        assert_eq!(
            cfg.score_pair(&variants, &empty, &one, &[], &[1.0], &mut bufs),
            0.0
        );
    }

    #[test]
    fn python_min_max_and_stable_orders() {
        assert_eq!(py_min(0.5, 0.5), 0.5);
        assert_eq!(py_max(0.0, -0.0).to_bits(), 0.0f64.to_bits()); // max(0.0, -0.0) is 0.0
        assert_eq!(py_min(1.0, 0.3), 0.3);
        let mut v = vec![0usize, 1, 2, 3];
        by_weight_desc(&mut v, &[0.5, 0.9, 0.5, 0.9]);
        assert_eq!(v, vec![1, 3, 0, 2]); // equal weights keep index order
    }
}
