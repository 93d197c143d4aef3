"""Type stub of the compiled candidate stage (``native/src/lib.rs``, built by ``pip install``)."""

from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from typing import Any

class TokenSets:
    def sizes(self) -> tuple[int, int, int]: ...
    def neighbours(self) -> list[tuple[int, float]]: ...
    @staticmethod
    def reached(sets: Sequence[TokenSets], rids: Sequence[int]) -> list[int]: ...

class Evidence:
    def __init__(
        self,
        dob_lo: Any,
        dob_hi: Any,
        gender: Any,
        nat_off: Any,
        nat_ids: Any,
        day_off: Any,
        day_ids: Any,
        constants: tuple[float, float, float, float, float, float, float],
        keys: tuple[Sequence[str], Sequence[str]] | None = None,
    ) -> None: ...
    def factor(self, pos: int, query: tuple[Sequence[int], Sequence[int], Sequence[int], int]) -> float: ...
    def query(
        self, fold: FoldedNames, person: Any
    ) -> tuple[bool, tuple[list[int], list[int], list[int], int] | None]: ...

class CandidateCore:
    def __init__(
        self,
        rec_start: Any,
        rec_tids: Any,
        rec_person: Any,
        rec_loose: Any,
        tid_w: Any,
        texts: Sequence[str],
        post_off: Any,
        post_ids: Any,
        core_off: Any,
        core_texts: Sequence[str],
        metas: Sequence[str],
        keys: Any,
        joins: Any,
        variants: Mapping[str, str],
        phonetic: Callable[[str], str],
        df: Any,
        n_weight: int,
        max_idf: float,
    ) -> None: ...
    def query_token(
        self, forms: Sequence[str], metas: Sequence[str], min_similarity: float, syllable: bool = False
    ) -> TokenSets: ...
    def string_similarity(self, a: str, b: str) -> tuple[float, str]: ...
    @staticmethod
    def key_hash(key: str) -> int: ...
    def token_sets(self, tids: Sequence[int], sims: Sequence[float], joined: Sequence[int]) -> TokenSets: ...
    def cached_query_token(
        self, cache: QueryCache, text: str, core: str, min_similarity: float, syllable: bool = False
    ) -> TokenSets: ...
    def text_candidates(
        self,
        cache: QueryCache,
        variants: Sequence[tuple[Sequence[str], Sequence[str]]],
        limit: int,
        pool: int,
        min_similarity: float,
        shape: tuple[float, float, float, float],
        need: float | None,
        refine_margin: float,
        max_boost: float,
        boost: tuple[Evidence, tuple[Sequence[int], Sequence[int], Sequence[int], int]] | None,
        prune: tuple[float, float, float] | None = None,
        syllables: Sequence[Sequence[bool]] | None = None,
    ) -> list[tuple[int, float]]: ...
    def name_candidates(
        self,
        cache: QueryCache,
        fold: FoldedNames,
        names: Iterable[Any],
        limit: int,
        pool: int,
        min_similarity: float,
        shapes: tuple[tuple[float, float, float, float], tuple[float, float, float, float]],
        need: float | None,
        refine_margin: float,
        max_boost: float,
        boost: tuple[Evidence, tuple[Sequence[int], Sequence[int], Sequence[int], int]] | None,
        prune: tuple[float, float, float] | None = None,
    ) -> tuple[bool, list[tuple[int, float]]] | None: ...
    def batch_candidates(
        self,
        cache: QueryCache,
        fold: FoldedNames,
        persons: Iterable[Any],
        limit: int,
        pool: int,
        min_similarity: float,
        shapes: tuple[tuple[float, float, float, float], tuple[float, float, float, float]],
        need: float | None,
        refine_margin: float,
        evidence: Evidence | None,
        prune: tuple[float, float, float] | None,
        unpruned: Sequence[int],
    ) -> list[list[tuple[int, float]] | None]: ...

class QueryCache:
    def __init__(self) -> None: ...
    def __len__(self) -> int: ...
    def held_ids(self) -> int: ...

def metaphone_key(text: str) -> str | None: ...

class Similarity:
    def __init__(self, variants: Mapping[str, str], phonetic: Callable[[str], str]) -> None: ...
    def __call__(self, a: str, b: str) -> tuple[float, str]: ...

class FoldedNames:
    def __init__(
        self,
        unknown: Set[str],
        titles: Set[str],
        suffixes: Set[str],
        particles: Set[str],
        unmovable: Set[str],
        lookalike: Mapping[str, str],
        plain: Mapping[str, str],
        icao: Mapping[str, str],
        triggers: Set[str],
    ) -> None: ...
    def __call__(
        self, full_name: str | None, surname: str | None = None, given_names: str | None = None
    ) -> list[tuple[list[str], list[str], list[bool]]] | None: ...
    def add_syllables(self, han: Mapping[str, str], hangul: Mapping[str, tuple[str, str, str]]) -> bool: ...
    def name_variants(
        self, full_name: str | None, surname: str | None = None, given_names: str | None = None
    ) -> tuple[bool, list[tuple[list[str], list[str], list[bool], str, str]]] | None: ...
    @property
    def syllabic(self) -> bool: ...

class NameForm:
    def __init__(
        self,
        similarity: Similarity,
        tokens: Sequence[tuple[str, str, str, bool, str, float, bool, bool]],
        structured: bool,
    ) -> None: ...
    def __len__(self) -> int: ...

class NameScorer:
    def __init__(
        self, similarity: Similarity, constants: tuple[float, float, float, float, float, float, float, float]
    ) -> None: ...
    def score(
        self,
        query: NameForm,
        candidate: NameForm,
        query_weights: Sequence[float],
        candidate_weights: Sequence[float],
    ) -> float: ...
    def best(
        self,
        queries: Sequence[NameForm],
        query_weights: Sequence[Sequence[float]],
        candidates: Sequence[NameForm],
        candidate_weights: Sequence[Sequence[float]],
    ) -> tuple[int, int, float]: ...
