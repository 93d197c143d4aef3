"""Pure value types of the screening core.

These are the matcher's own shapes, independent of the wire records in ``schemas``
(``schemas.screening`` converts between the two). All are immutable except
:class:`MatchResult`, which the screener builds per hit.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar

_T = TypeVar("_T")


def _slot_init(cls: type[_T]) -> type[_T]:
    """Give the frozen, slotted dataclass ``cls`` an ``__init__`` that stores each
    field through its slot's descriptor, where the generated one calls
    ``object.__setattr__`` per field: the same parameters, defaults and stored values,
    about a third faster (a traveller becomes a :class:`Person` with a
    :class:`PersonName` and a :class:`DateSpec` on every screening). Raises
    ``TypeError`` for a class whose generated ``__init__`` does more than store its
    fields in order: a ``__post_init__``, an ``InitVar`` or keyword-only field, a field
    with a ``default_factory``, left out of ``__init__`` or without a slot."""
    generated = list(inspect.signature(cls.__init__).parameters.values())[1:]  # type: ignore[misc]
    plain = [
        inspect.Parameter(
            f.name,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            default=inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default,
        )
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
    ]
    if hasattr(cls, "__post_init__") or [(p.name, p.kind, p.default) for p in generated] != [
        (p.name, p.kind, p.default) for p in plain
    ]:
        raise TypeError(f"{cls.__name__}: its __init__ does more than store its fields")
    params: list[str] = []
    body: list[str] = []
    ns: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        slot: Any = cls.__dict__.get(f.name)
        if f.default_factory is not dataclasses.MISSING or not f.init or not hasattr(slot, "__set__"):
            raise TypeError(f"{cls.__name__}.{f.name}: a plain field with a slot is needed")
        ns[f"_set_{f.name}"] = slot.__set__
        if f.default is dataclasses.MISSING:
            params.append(f.name)
        else:
            ns[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        body.append(f"    _set_{f.name}(self, {f.name})")
    exec(f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body) + "\n", ns)
    init = ns["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


NAME_KINDS = ("primary", "alias", "original_script")
"""Allowed values of :attr:`PersonName.kind`."""


@_slot_init
@dataclass(frozen=True, slots=True)
class PersonName:
    """One name of a person, as sent or as listed.

    ``full_name`` is the free-form name (used when there is no split); ``surname`` and
    ``given_names`` are the structured parts (PAXLST ``NAD`` surname/given components,
    PNRGOV ``IFT``/``TIF`` names, a list's last/first name fields). Any script is allowed;
    normalisation happens in :mod:`matchers.normalise`. ``kind`` is ``primary``,
    ``alias`` or ``original_script``.
    """

    full_name: str | None = None
    surname: str | None = None
    given_names: str | None = None
    kind: str = "primary"

    def display(self) -> str:
        """``SURNAME, GIVEN`` when structured, else ``full_name``; ``""`` when nameless."""
        if self.surname or self.given_names:
            return ", ".join(p for p in (self.surname, self.given_names) if p)
        return self.full_name or ""


@_slot_init
@dataclass(frozen=True, slots=True)
class DateSpec:
    """A date of birth: ``date`` exact or partial ISO (``YYYY``, ``YYYY-MM``,
    ``YYYY-MM-DD``), or an inclusive range ``from_``–``to`` (each full or partial), with
    ``approximate`` where the source says circa (tolerance from
    :attr:`MatchConfig.approximate_years`), ``ambiguous_century`` on each reading of a
    two-digit year whose century the source left open (field case 06: 2025 or 1925; the
    person holds one spec per reading and a match on either is flagged). Source: PAXLST
    ``DTM+329``, PNRGOV ``SSR DOCS``, a list's date-of-birth field."""

    date: str | None = None
    from_: str | None = None
    to: str | None = None
    approximate: bool = False
    ambiguous_century: bool = False


@_slot_init
@dataclass(frozen=True, slots=True)
class DocumentKey:
    """A travel document: ``number`` as sent (normalised at comparison), ``type`` the
    document name code (PAXLST ``DOC`` 1001, e.g. ``P``), ``issuing_country`` ISO 3166
    alpha-3 (PAXLST ``LOC+91``)."""

    number: str
    type: str | None = None
    issuing_country: str | None = None


@_slot_init
@dataclass(frozen=True, slots=True)
class Person:
    """A traveller (query) or a listed person (entry).

    ``key`` is the traveller_id, or ``"{list_id}:{entry_id}"`` for listed persons;
    ``nationalities`` are ISO 3166 alpha-3 (or ICAO 9303 codes); ``genders`` are
    ``M``/``F``/``X``/``U``. Empty tuples mean unknown, never "none".
    """

    key: str
    names: tuple[PersonName, ...]
    dates_of_birth: tuple[DateSpec, ...] = ()
    nationalities: tuple[str, ...] = ()
    genders: tuple[str, ...] = ()
    documents: tuple[DocumentKey, ...] = ()
    list_id: str | None = None
    entry_id: str | None = None


def _empty_mapping() -> Mapping[str, float]:
    return MappingProxyType({})


@dataclass(frozen=True)
class MatchConfig:
    """Tuning of the screening core; all scores 0.0–1.0.

    * ``threshold`` — default alert threshold (a hit needs ``score >= threshold``);
      ``list_thresholds`` overrides it per ``list_id``.
    * ``strong_level`` — scores at or above it are reported as band ``strong``, hits
      below it as ``review``.
    * ``max_hits`` — at most this many hits per query, best first.
    * ``max_candidates`` — listed persons fully scored per query at most, after the
      index pre-selection (each only while the ``estimate_margin`` rule lets it).
    * ``ranking_pool`` — name records per query name variant that the index ranks by
      token alignment before the ``max_candidates`` cut; records beyond it (by the
      coarse set-membership estimate) are not candidates. More is slower and ranks
      crowded names (hundreds of namesakes) better.
    * ``estimate_margin`` — a candidate is fully scored only while its ranking estimate
      of the final score plus this margin reaches the threshold (and, once ``max_hits``
      hits are found, the weakest of them); the estimate's error on real lists stays
      well inside it.
    * ``refine_margin`` — a listed name meeting the query on one token only (by the
      index's keys) is not ranked when its coarse set-membership estimate plus this
      margin cannot reach what the ``estimate_margin`` rule lets through, unless
      either name has an initial or a token without vowels (0.0–1.0, name-score units
      before the name-only factor; larger is slower; 1.0 bars nothing).
    * ``token_min_similarity`` — token pairs below it count as unmatched.
    * ``absent_penalty`` / ``contradicted_penalty`` / ``extra_penalty`` — weight (relative to
      a matched token) of a listed token absent from the query, of a listed token that a
      different query token contradicts, and of an unmatched extra query token.
    * ``swap_penalty`` — subtracted from the name score when surname and given names are
      swapped between structured names.
    * ``lineage_swap_factor`` — multiplies the name score when a "child of" particle
      (BIN, IBN, BINT, BEN) stands before one name in the query and before another in
      the listed name (MUHAMMAD BIN SALMAN vs SALMAN BIN MUHAMMAD: father and son).
    * ``name_only_factor`` — the share of the name score a hit keeps with no other
      evidence; DOB/nationality/gender/document add or remove from it (``*_bonus`` /
      ``*_malus``).
    * ``approximate_years`` — tolerance of a circa date of birth, in years.
    """

    threshold: float = 0.75
    list_thresholds: Mapping[str, float] = field(default_factory=_empty_mapping)
    strong_level: float = 0.95
    max_hits: int = 10
    max_candidates: int = 300
    ranking_pool: int = 1000
    estimate_margin: float = 0.12
    refine_margin: float = 0.25
    token_min_similarity: float = 0.72
    absent_penalty: float = 0.15
    contradicted_penalty: float = 0.5
    surname_contradicted_penalty: float = 1.0
    extra_penalty: float = 0.15
    swap_penalty: float = 0.03
    lineage_swap_factor: float = 0.85
    single_token_cap: float = 0.5
    name_only_factor: float = 0.88
    dob_day_bonus: float = 0.12
    dob_month_bonus: float = 0.10
    dob_year_bonus: float = 0.08
    dob_partial_bonus: float = 0.03
    dob_mismatch_malus: float = 0.23
    nationality_bonus: float = 0.02
    nationality_malus: float = 0.03
    gender_malus: float = 0.05
    document_exact_floor: float = 0.95
    document_other_country_floor: float = 0.8
    document_near_floor: float = 0.76
    approximate_years: int = 2

    def threshold_for(self, list_id: str | None) -> float:
        """The alert threshold of ``list_id`` (``list_thresholds`` or ``threshold``)."""
        if list_id is not None and list_id in self.list_thresholds:
            return self.list_thresholds[list_id]
        return self.threshold


@dataclass
class MatchResult:
    """One query against one listed person: ``score`` 0.0–1.0, ``matched_name`` the
    listed name that aligned best (display form), ``explanation`` a JSON-serialisable
    dict (name alignment, reason codes, per-feature ``match``/``partial``/``mismatch``/
    ``unknown`` results with the values compared)."""

    list_id: str
    entry_id: str
    score: float
    matched_name: str
    explanation: dict[str, Any] = field(default_factory=dict)
