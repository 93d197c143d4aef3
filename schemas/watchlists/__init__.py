"""Watchlist file readers: turn a list file into canonical ``WatchlistEntry`` records.

Formats (:data:`FORMATS`): ``un-xml`` (UN Security Council Consolidated List XML,
:mod:`.un_xml`), ``jsonl`` (our own JSON lines, :mod:`.jsonl`), ``csv`` (our own CSV,
:mod:`.csv_format`). Later: ``ofac-csv``, ``uk-hmt-csv``, ``eu-fsf-csv``, ``ftm``.

    >>> result = read_watchlist("watchlist.jsonl")          # doctest: +SKIP
    >>> result.summary()["entries"]                         # doctest: +SKIP

A bad record never stops an import: it is dropped and reported in
``WatchlistReadResult.errors``; a bad *value* in a kept record is dropped and reported
in ``WatchlistReadResult.warnings``.
"""

from __future__ import annotations

from pathlib import Path

from .common import RowError, WatchlistFormatError, WatchlistReadResult
from .csv_format import read_csv
from .jsonl import read_jsonl
from .un_xml import read_un_xml

__all__ = [
    "FORMATS",
    "RowError",
    "WatchlistFormatError",
    "WatchlistReadResult",
    "detect_format",
    "read_watchlist",
]

FORMATS = ("un-xml", "jsonl", "csv")
"""Format names accepted by :func:`read_watchlist` (the CLI's ``--format`` values)."""

_SNIFF_BYTES = 8192


def detect_format(path: Path) -> str:
    """The format of the watchlist file at ``path``, one of :data:`FORMATS`, from its
    first bytes (the file name is only a tie-breaker):

    - XML whose root element is ``CONSOLIDATED_LIST`` → ``"un-xml"``;
    - first non-blank character ``{`` → ``"jsonl"``;
    - a first line with an ``entry_id`` column (comma-separated) → ``"csv"``.

    Raises :class:`WatchlistFormatError` (a ``ValueError``) for anything else — empty
    files, other XML lists, CSV layouts of other lists (OFAC, UK HMT, EU FSF: not yet
    supported) — and ``OSError`` when the file cannot be read.
    """
    with Path(path).open("rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        if "<CONSOLIDATED_LIST" in text:
            return "un-xml"
        raise WatchlistFormatError(f"{path}: XML file is not a UN consolidated list")
    if text.startswith("{"):
        return "jsonl"
    first_line = text.split("\n", 1)[0]
    columns = [c.strip().strip('"').casefold() for c in first_line.split(",")]
    if "entry_id" in columns:
        return "csv"
    raise WatchlistFormatError(f"{path}: unknown watchlist format (expected one of {', '.join(FORMATS)})")


def read_watchlist(path: str | Path, *, format: str = "auto", list_id: str | None = None) -> WatchlistReadResult:
    """Read a watchlist file into canonical entries.

    - ``format``: ``"auto"`` (:func:`detect_format`) or one of :data:`FORMATS`.
    - ``list_id``: the list the entries belong to; default ``"un-sc"`` for UN XML, the
      file stem otherwise (``watchlist.csv`` → ``"watchlist"``).

    Returns a :class:`WatchlistReadResult` (entries, skipped counts, row errors, the
    file's ``list_version``; ``summary()`` gives the ``watchlist inspect`` object).
    Raises :class:`WatchlistFormatError` for an unknown or undetectable format, and
    ``OSError`` when the file cannot be read. A bad row never raises: it is counted in
    ``errors`` and reading goes on.
    """
    p = Path(path)
    fmt = detect_format(p) if format == "auto" else format
    if fmt == "un-xml":
        return read_un_xml(p, list_id=list_id)
    if fmt == "jsonl":
        return read_jsonl(p, list_id=list_id)
    if fmt == "csv":
        return read_csv(p, list_id=list_id)
    raise WatchlistFormatError(f"unknown watchlist format {format!r} (expected auto or one of {', '.join(FORMATS)})")
