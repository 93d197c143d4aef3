"""Noisy passenger variants of listed persons, for recall per kind of noise.

Each variant is a :class:`~schemas.records.Traveller` built from one listed person
(:class:`~schemas.records.WatchlistEntry`) the way a passenger record could show it, with
one kind of noise (seeded, so every run builds the same set):

* ``clean`` — the primary name split into surname (last token) and given names; the control;
* ``typo`` — one keyboard edit (substitution, insertion, deletion, adjacent transposition)
  in one name token of 4+ letters;
* ``swap`` — given names and surname swapped (the first token sent as the surname);
* ``middle_dropped`` — middle names dropped (first given name and surname kept, a
  particle staying with its name: ABDUL SAMAD; names of 3+ such names only);
* ``transliteration`` — one or two romanisation alternations (OU/U, Q/K, DH/Z, KS/X,
  MM/M, O/U, E/A, IY/Y, …) applied to name tokens;
* ``dob_day_month_swap`` — the date of birth with day and month exchanged (listed full
  dates with day ≤ 12 and day ≠ month only);
* ``passport`` — a listed passport or ID number with formatting noise (spaces, dashes,
  lowercase, a look-alike O/0 or I/1) while the name has a typo and only two tokens and
  the date of birth is missing: document evidence has to carry the match.

The traveller's date of birth is the listed one; where the list has only a year, a month
or a range, a full date inside it is drawn (a passport always shows a full date); the
nationality is the first listed one and the gender the listed one.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matchers.normalise import PARTICLES
from schemas.records import Document, Traveller, WatchlistEntry

NOISE_KINDS = (
    "clean",
    "typo",
    "swap",
    "middle_dropped",
    "transliteration",
    "dob_day_month_swap",
    "passport",
)
"""Kinds of noise, in report order."""

TRANSLITERATION_RULES: tuple[tuple[str, str], ...] = (
    ("OU", "U"),
    ("U", "OU"),
    ("EE", "I"),
    ("OO", "U"),
    ("Q", "K"),
    ("K", "Q"),
    ("DH", "Z"),
    ("KH", "H"),
    ("J", "DJ"),
    ("SH", "CH"),
    ("KS", "X"),
    ("X", "KS"),
    ("IY", "Y"),
    ("Y", "I"),
    ("ZH", "J"),
    ("YU", "IU"),
    ("YA", "IA"),
    ("MM", "M"),
    ("M", "MM"),
    ("DD", "D"),
    ("SS", "S"),
    ("O", "U"),
    ("U", "O"),
    ("E", "A"),
    ("A", "E"),
    ("W", "V"),
    ("TH", "T"),
)
"""Romanisation alternations (Arabic, Persian, Russian, French-influenced spellings),
applied to one occurrence inside a token (never to the whole token)."""

_VOWEL_RULES = frozenset({"O", "U", "E", "A", "Y"})
_KEYBOARD = "QWERTYUIOPASDFGHJKLZXCVBNM"
_WORD = re.compile(r"[A-Z][A-Z\-]*")
_APOSTROPHE = re.compile(r"['\u2018\u2019\u02bc`]")


@dataclass(frozen=True, slots=True)
class NoisyTraveller:
    """One variant: the ``traveller`` query, the ``kind`` of noise and the listed
    person it was built from (``list_id``, ``entry_id``)."""

    traveller: Traveller
    kind: str
    list_id: str
    entry_id: str


def _tokens(name: str) -> list[str]:
    # words as a passport writes them: apostrophes dropped, hyphenated parts kept together
    # (AL-UBAIDI stays one surname, MA'RUF becomes MARUF)
    text = _APOSTROPHE.sub("", name.upper())
    return [w.strip("-") for w in _WORD.findall(text) if w.strip("-")]


def _name_units(tokens: list[str]) -> list[list[str]]:
    """Tokens grouped into names: a particle belongs to the name after it (ABDUL SAMAD,
    BIN LADEN, AL-HOUTHI stay whole when middle names are dropped)."""
    units: list[list[str]] = []
    pending: list[str] = []
    for tok in tokens:
        pending.append(tok)
        if tok not in PARTICLES:
            units.append(pending)
            pending = []
    if pending:
        if units:
            units[-1].extend(pending)
        else:
            units.append(pending)
    return units


def _typo(token: str, rng: random.Random) -> str:
    i = rng.randrange(len(token))
    op = rng.choice(("sub", "ins", "del", "swap"))
    if op == "sub":
        return token[:i] + rng.choice([c for c in _KEYBOARD if c != token[i]]) + token[i + 1 :]
    if op == "ins":
        return token[:i] + rng.choice(_KEYBOARD) + token[i:]
    if op == "del":
        return token[:i] + token[i + 1 :]
    j = min(i, len(token) - 2)
    return token[:j] + token[j + 1] + token[j] + token[j + 2 :]


def _typo_in_name(tokens: list[str], rng: random.Random) -> list[str] | None:
    eligible = [i for i, t in enumerate(tokens) if len(t) >= 4]
    if not eligible:
        return None
    i = rng.choice(eligible)
    out = list(tokens)
    for _ in range(5):
        changed = _typo(out[i], rng)
        if changed != tokens[i]:
            out[i] = changed
            return out
    return None


def _transliterate(tokens: list[str], rng: random.Random) -> list[str] | None:
    out = list(tokens)
    changed = 0
    want = 2 if rng.random() < 0.5 else 1
    order = list(range(len(out)))
    rng.shuffle(order)
    for i in order:
        tok = out[i]
        options = [
            (src, dst, m.start())
            for src, dst in TRANSLITERATION_RULES
            for m in re.finditer(src, tok)
            if len(tok) >= 4 and (m.start() > 0 or src not in _VOWEL_RULES)
        ]
        if not options:
            continue
        src, dst, pos = rng.choice(options)
        out[i] = tok[:pos] + dst + tok[pos + len(src) :]
        changed += 1
        if changed >= want:
            break
    return out if changed else None


def _full_date(value: str | None, rng: random.Random) -> dt.date | None:
    if not value:
        return None
    parts = value.split("-")
    try:
        year = int(parts[0])
        if len(parts) == 3 and int(parts[1]) and int(parts[2]):
            return dt.date(year, int(parts[1]), int(parts[2]))
        if len(parts) >= 2 and int(parts[1]):
            return dt.date(year, int(parts[1]), rng.randint(1, 28))
        return dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
    except ValueError:
        return None


def traveller_dob(entry: WatchlistEntry, rng: random.Random) -> str | None:
    """A full ISO date of birth consistent with ``entry``'s first listed date: the
    date itself, a date inside a listed year, month or range, or ``None`` when the list
    has no usable date."""
    for d in entry.dates_of_birth:
        if d.date:
            got = _full_date(d.date, rng)
        else:
            lo = _full_date(d.from_, rng)
            hi = _full_date(d.to, rng)
            span = (hi - lo).days if lo and hi and hi >= lo else 0
            got = lo + dt.timedelta(days=rng.randint(0, span)) if lo else hi
        if got:
            return got.isoformat()
    return None


def _noisy_number(number: str, rng: random.Random) -> str:
    out = number
    swaps = {"0": "O", "O": "0", "1": "I", "I": "1"}
    hits = [i for i, c in enumerate(out) if c in swaps]
    if hits and rng.random() < 0.5:
        i = rng.choice(hits)
        out = out[:i] + swaps[out[i]] + out[i + 1 :]
    if len(out) > 4 and rng.random() < 0.7:
        cut = rng.randint(2, len(out) - 2)
        out = out[:cut] + rng.choice((" ", "-", " ")) + out[cut:]
    return out.lower() if rng.random() < 0.3 else out


def _primary_name(entry: WatchlistEntry) -> list[str] | None:
    for n in entry.names:
        if n.kind != "primary":
            continue
        text = n.full_name or " ".join(p for p in (n.given_names, n.surname) if p)
        if not text or not text.isascii():
            return None
        toks = _tokens(text)
        return toks if len(toks) >= 2 else None
    return None


def variants_of(entry: WatchlistEntry, kind: str, rng: random.Random) -> Traveller | None:
    """One traveller with noise ``kind`` built from ``entry``, or ``None`` when the kind
    does not apply (no Latin primary name of 2+ tokens, no full DOB for a day-month swap,
    no document for ``passport``…). Raises ``ValueError`` for an unknown kind."""
    if kind not in NOISE_KINDS:
        raise ValueError(f"unknown noise kind {kind!r}")
    tokens = _primary_name(entry)
    if tokens is None:
        return None
    dob = traveller_dob(entry, rng)
    documents: list[Document] = []
    noisy: list[str] | None = list(tokens)
    surname_first = False
    if kind == "typo":
        noisy = _typo_in_name(tokens, rng)
    elif kind == "swap":
        surname_first = True
    elif kind == "middle_dropped":
        units = _name_units(tokens)
        noisy = [*units[0], *units[-1]] if len(units) >= 3 else None
    elif kind == "transliteration":
        noisy = _transliterate(tokens, rng)
    elif kind == "dob_day_month_swap":
        listed = [d.date for d in entry.dates_of_birth if d.date and len(d.date) == 10 and not d.approximate]
        if not listed:
            return None
        y, m, d = (int(x) for x in listed[0].split("-"))
        if d > 12 or d == m:
            return None
        dob = f"{y:04d}-{d:02d}-{m:02d}"
    elif kind == "passport":
        docs = [d for d in entry.documents if d.number and len(d.number.strip()) >= 5]
        if not docs:
            return None
        doc = docs[0]
        documents = [
            Document(
                type=doc.type or "P", number=_noisy_number(doc.number.strip(), rng), issuing_country=doc.issuing_country
            )
        ]
        shortened = [tokens[0], tokens[-1]]
        noisy = _typo_in_name(shortened, rng)
        dob = None
    if noisy is None:
        return None
    if surname_first:
        surname, given = noisy[0], " ".join(noisy[1:])
    else:
        surname, given = noisy[-1], " ".join(noisy[:-1])
    return Traveller(
        traveller_id=f"{kind}:{entry.list_id}:{entry.entry_id}",
        surname=surname,
        given_names=given or None,
        date_of_birth=dob,
        nationality=next(iter(entry.nationalities or entry.citizenships), None),
        gender=entry.genders[0] if entry.genders and entry.genders[0] in ("M", "F") else None,
        documents=documents,
    )


def noisy_travellers(
    entries: Iterable[WatchlistEntry], *, kinds: Sequence[str] = NOISE_KINDS, seed: int = 6
) -> list[NoisyTraveller]:
    """Every applicable variant of every individual in ``entries``, per kind in
    ``kinds``; the same ``seed`` always yields the same list. Raises ``ValueError`` for
    an unknown kind."""
    out: list[NoisyTraveller] = []
    people = [e for e in entries if e.category in (None, "individual", "person")]
    for kind in kinds:
        rng = random.Random(f"{seed}:{kind}")
        for e in people:
            t = variants_of(e, kind, rng)
            if t is not None:
                out.append(NoisyTraveller(t, kind, e.list_id, e.entry_id))
    return out
