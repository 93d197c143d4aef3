"""Peer matchers for the accuracy benchmark: nomenklatura's logic-v1 and logic-v2.

nomenklatura (OpenSanctions) is a benchmark-only dependency with heavy pins; it lives in
a separate environment (``.venv-bench``, see the README), never in the service's install::

    python3 -m venv .venv-bench
    .venv-bench/bin/pip install nomenklatura && .venv-bench/bin/pip install -e . --no-deps
    .venv-bench/bin/pip install rapidfuzz pydantic pydantic-settings pycountry unidecode jellyfish

Its matchers compare two FollowTheMoney entities and have no index, so
:class:`TokenIndex` hands them candidates: the ``limit`` (default 50) listed persons
sharing the most name tokens with the query (ties broken by token rarity).
:func:`check_candidates` measures on a sample how often this finds the entry an
exhaustive comparison finds. Queries are passed in the peer's best configuration: the
full name as ``name`` (logic-v2 scores a given/surname swap near 0.5 when the parts are
passed as ``firstName``/``lastName``), with ``birthDate``, ``nationality``, ``gender`` and
``passportNumber``.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import pycountry
from unidecode import unidecode

from schemas.records import Traveller, WatchlistEntry

PEER_NAMES = ("logic-v1", "logic-v2")
"""The nomenklatura algorithms the benchmark runs (``ScoringAlgorithm.NAME``)."""

PEER_THRESHOLD = 0.7
"""yente's default match threshold, used for both peers."""

_TOKEN = re.compile(r"[a-z0-9]+")


def available() -> str | None:
    """``None`` when nomenklatura can be imported, else the reason it cannot."""
    try:
        import nomenklatura.matching  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        return f"nomenklatura not importable ({exc}); run the benchmark with .venv-bench/bin/python"
    return None


def name_tokens(text: str) -> list[str]:
    """Lowercase ASCII tokens of a name in any script (``unidecode``), ``[a-z0-9]+``."""
    return _TOKEN.findall(unidecode(text).lower())


def _alpha2(code: str | None) -> str | None:
    if not code:
        return None
    if len(code) == 2:
        return code.lower()
    country = pycountry.countries.get(alpha_3=code.upper())
    return country.alpha_2.lower() if country is not None else None


def _gender(code: str | None) -> str | None:
    return {"M": "male", "F": "female"}.get(code or "")


def traveller_name(t: Traveller) -> str:
    """The traveller's full name: ``given surname`` when structured, else ``full_name``."""
    if t.surname or t.given_names:
        return " ".join(p for p in (t.given_names, t.surname) if p)
    return t.full_name or ""


def _entity(entity_id: str) -> Any:
    from followthemoney import model

    ent = model.make_entity("Person")
    ent.id = entity_id
    return ent


def traveller_entity(t: Traveller, *, full_name_only: bool = True) -> Any:
    """A FollowTheMoney ``Person`` for the traveller: ``name`` (``given surname``), or
    with ``full_name_only=False`` also ``firstName``/``lastName``; ``birthDate``,
    ``nationality`` (alpha-2), ``gender``, ``passportNumber``."""
    ent = _entity("q-" + t.traveller_id)
    name = traveller_name(t)
    if name:
        ent.add("name", name)
    if not full_name_only:
        if t.given_names:
            ent.add("firstName", t.given_names)
        if t.surname:
            ent.add("lastName", t.surname)
    if t.date_of_birth:
        ent.add("birthDate", t.date_of_birth)
    nat = _alpha2(t.nationality)
    if nat:
        ent.add("nationality", nat)
    gender = _gender(t.gender)
    if gender:
        ent.add("gender", gender)
    for doc in t.documents:
        ent.add("passportNumber", doc.number)
    return ent


def entry_entity(e: WatchlistEntry) -> Any:
    """A FollowTheMoney ``Person`` for a listed person: primary name as ``name``, other
    names as ``alias``, dates (a range as its first and last years), nationalities and
    citizenships (alpha-2), gender, document numbers as ``passportNumber``/``idNumber``."""
    ent = _entity(e.key)
    for n in e.names:
        text = n.full_name or " ".join(p for p in (n.given_names, n.surname) if p)
        ent.add("name" if n.kind == "primary" else "alias", text)
    for d in e.dates_of_birth:
        if d.date:
            ent.add("birthDate", d.date)
        else:
            for bound in (d.from_, d.to):
                if bound:
                    ent.add("birthDate", bound[:4])
    for code in e.nationalities + e.citizenships:
        a2 = _alpha2(code)
        if a2:
            ent.add("nationality", a2)
    for g in e.genders:
        gender = _gender(g)
        if gender:
            ent.add("gender", gender)
    for doc in e.documents:
        ent.add("passportNumber" if (doc.type or "P").upper().startswith("P") else "idNumber", doc.number)
    return ent


class TokenIndex:
    """Inverted index of name tokens (:func:`name_tokens`) to listed entities.

    :meth:`candidates` ranks entries by the number of distinct query tokens they share
    with any of their names, then by the summed IDF of those tokens."""

    def __init__(self, entries: Sequence[WatchlistEntry]) -> None:
        self.entries = list(entries)
        self.entities = [entry_entity(e) for e in self.entries]
        postings: dict[str, set[int]] = defaultdict(set)
        for pos, e in enumerate(self.entries):
            for n in e.names:
                text = n.full_name or " ".join(p for p in (n.given_names, n.surname) if p)
                for tok in name_tokens(text):
                    postings[tok].add(pos)
        self._postings = postings
        self._n = max(1, len(self.entries))

    def candidates(self, name: str, *, limit: int = 50) -> list[int]:
        """Positions of the best ``limit`` entries for the query ``name``, best first."""
        shared: Counter[int] = Counter()
        idf: dict[int, float] = defaultdict(float)
        for tok in set(name_tokens(name)):
            posting = self._postings.get(tok, set())
            if not posting:
                continue
            w = math.log(1.0 + self._n / len(posting))
            for pos in posting:
                shared[pos] += 1
                idf[pos] += w
        ranked = sorted(shared, key=lambda p: (-shared[p], -idf[p], p))
        return ranked[:limit]


class Peer:
    """One nomenklatura algorithm (``name`` in :data:`PEER_NAMES`) with default
    configuration, alerting at ``threshold`` (0.0–1.0); queries carry the full name only
    unless ``full_name_only`` is False (then also ``firstName``/``lastName``). Raises ``ValueError`` for an
    unknown algorithm and ``ImportError`` when nomenklatura is missing."""

    def __init__(
        self, name: str, *, threshold: float = PEER_THRESHOLD, limit: int = 50, full_name_only: bool = True
    ) -> None:
        from nomenklatura.matching import ScoringConfig, get_algorithm

        algorithm = get_algorithm(name)
        if algorithm is None:
            raise ValueError(f"unknown nomenklatura algorithm {name!r}")
        self.name = name
        self.threshold = threshold
        self.limit = limit
        self.full_name_only = full_name_only
        self._algorithm = algorithm
        self._config = ScoringConfig.defaults()
        self._index: TokenIndex | None = None

    def warm_up(self) -> float:
        """Run one comparison so lazily loaded reference data is loaded; CPU seconds."""
        t0 = time.process_time()
        a = traveller_entity(Traveller(traveller_id="w", full_name="Vladimir Putin", date_of_birth="1952-10-07"))
        b = traveller_entity(Traveller(traveller_id="x", full_name="Putin Vladimir Vladimirovich"))
        self._algorithm.compare(a, b, self._config)
        return time.process_time() - t0

    def compare(self, query: Any, candidate: Any) -> float:
        """Score 0.0–1.0 of two FollowTheMoney entities."""
        return float(self._algorithm.compare(query, candidate, self._config).score)

    def load(self, entries: Sequence[WatchlistEntry]) -> Peer:
        """Index ``entries`` (replaces any earlier list); returns ``self``."""
        self._index = TokenIndex(entries)
        return self

    def screen(self, travellers: Sequence[Traveller]) -> list[list[tuple[str, float]]]:
        """Per traveller the ``(entry key, score)`` pairs at or above the threshold,
        best first. Raises ``RuntimeError`` before :meth:`load`."""
        if self._index is None:
            raise RuntimeError("load() a list first")
        out = []
        for t in travellers:
            q = traveller_entity(t, full_name_only=self.full_name_only)
            hits = []
            for pos in self._index.candidates(traveller_name(t), limit=self.limit):
                score = self.compare(q, self._index.entities[pos])
                if score >= self.threshold:
                    hits.append((self._index.entries[pos].key, score))
            hits.sort(key=lambda h: -h[1])
            out.append(hits)
        return out

    def pair_score(self, query: Traveller, entry: WatchlistEntry) -> float:
        """Score of one traveller against one listed person (no index)."""
        return self.compare(traveller_entity(query), entry_entity(entry))

    def best_exhaustive(self, t: Traveller) -> tuple[str | None, float]:
        """The best-scoring entry over the whole loaded list (slow: for checks)."""
        if self._index is None:
            raise RuntimeError("load() a list first")
        q = traveller_entity(t)
        best: tuple[str | None, float] = (None, 0.0)
        for e, ent in zip(self._index.entries, self._index.entities, strict=True):
            s = self.compare(q, ent)
            if s > best[1]:
                best = (e.key, s)
        return best


def check_candidates(peer: Peer, travellers: Iterable[Traveller]) -> dict[str, Any]:
    """On ``travellers`` (a small sample), how often the token index's candidates hold
    the entry that an exhaustive comparison scores best at or above the threshold:
    ``{"queries", "exhaustive_hits", "found_by_index"}``."""
    if peer._index is None:
        raise RuntimeError("load() a list first")
    queries = hits = found = 0
    for t in travellers:
        queries += 1
        key, score = peer.best_exhaustive(t)
        if key is None or score < peer.threshold:
            continue
        hits += 1
        cands = peer._index.candidates(traveller_name(t), limit=peer.limit)
        if key in {peer._index.entries[p].key for p in cands}:
            found += 1
    return {"queries": queries, "exhaustive_hits": hits, "found_by_index": found}
