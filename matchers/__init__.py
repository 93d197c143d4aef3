"""The screening core: normalisation, candidate index, feature scoring, explanations.

Pure: no I/O, no asyncio, no environment variables; configured by :class:`MatchConfig`.
"""

from matchers.model import (
    DateSpec,
    DocumentKey,
    MatchConfig,
    MatchResult,
    Person,
    PersonName,
)
from matchers.screener import Screener

__all__ = [
    "DateSpec",
    "DocumentKey",
    "MatchConfig",
    "MatchResult",
    "Person",
    "PersonName",
    "Screener",
]
