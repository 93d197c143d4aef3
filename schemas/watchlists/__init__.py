"""Watchlist file readers: turn a list file into canonical ``WatchlistEntry`` records.

Formats (:data:`FORMATS`): ``un-xml`` (UN Security Council Consolidated List XML,
:mod:`.un_xml`), ``jsonl`` (our own JSON lines, :mod:`.jsonl`), ``csv`` (our own CSV,
:mod:`.csv_format`), ``ofac-csv`` (OFAC SDN / Consolidated legacy CSV, :mod:`.ofac_csv`),
``uk-hmt-csv`` (UK HMT/OFSI consolidated CSV, :mod:`.uk_hmt_csv`), ``eu-fsf-csv`` (EU
Financial Sanctions Files CSV, :mod:`.eu_fsf_csv`), ``ftm`` (OpenSanctions FollowTheMoney
JSON lines, :mod:`.ftm`). Senzing JSON is recognised and refused.

    >>> result = read_watchlist("watchlist.jsonl")          # doctest: +SKIP
    >>> result.summary()["entries"]                         # doctest: +SKIP

A bad record never stops an import: it is dropped and reported in
``WatchlistReadResult.errors``; a bad *value* in a kept record is dropped and reported
in ``WatchlistReadResult.warnings``.
"""

from __future__ import annotations

import re
from pathlib import Path

from .common import RowError, WatchlistFormatError, WatchlistReadResult
from .csv_format import read_csv
from .eu_fsf_csv import read_eu_fsf_csv
from .ftm import read_ftm
from .jsonl import read_jsonl
from .ofac_csv import read_ofac_csv
from .uk_hmt_csv import read_uk_hmt_csv
from .un_xml import read_un_xml

__all__ = [
    "FORMATS",
    "RowError",
    "WatchlistFormatError",
    "WatchlistReadResult",
    "detect_format",
    "read_watchlist",
]

FORMATS = ("un-xml", "jsonl", "csv", "ofac-csv", "uk-hmt-csv", "eu-fsf-csv", "ftm")
"""Format names accepted by :func:`read_watchlist` (the CLI's ``--format`` values)."""

_SNIFF_BYTES = 8192


_OFAC_PRIMARY = ("sdn.csv", "cons_prim.csv")
_OFAC_ROW = re.compile(r'^\d+,"[^"]*",(?:"[^"]*"|-0-\s*),')


def detect_format(path: Path) -> str:
    """The format of the watchlist at ``path``, one of :data:`FORMATS`, from its first
    bytes (the file name is only a tie-breaker):

    - a directory holding ``sdn.csv`` or ``cons_prim.csv``, or a header-less CSV whose
      rows start ``<ent_num>,"<name>",<type>`` → ``"ofac-csv"``;
    - XML whose root element is ``CONSOLIDATED_LIST`` → ``"un-xml"``;
    - a JSON object line with ``"schema"`` and ``"properties"`` → ``"ftm"``; any other
      first-line JSON object → ``"jsonl"``;
    - a ``Last Updated`` line or a header with ``Name 6`` and ``Group ID`` → ``"uk-hmt-csv"``;
    - a ``;``-separated header with ``Entity_logical_id`` and ``Naal_wholename`` → ``"eu-fsf-csv"``;
    - a first line with an ``entry_id`` column (comma-separated) → ``"csv"``.

    Raises :class:`WatchlistFormatError` (a ``ValueError``) for anything else — empty
    files, other XML lists, Senzing JSON (``DATA_SOURCE``/``RECORD_ID`` records; not
    supported: use the FollowTheMoney export), other CSV layouts — and ``OSError`` when
    the file cannot be read.
    """
    p = Path(path)
    if p.is_dir():
        if any((p / name).is_file() for name in _OFAC_PRIMARY):
            return "ofac-csv"
        raise WatchlistFormatError(f"{path}: directory holds no sdn.csv or cons_prim.csv (OFAC legacy CSV)")
    with p.open("rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        if "<CONSOLIDATED_LIST" in text:
            return "un-xml"
        raise WatchlistFormatError(f"{path}: XML file is not a UN consolidated list")
    first_line = text.split("\n", 1)[0].rstrip("\r")
    if text.startswith(("{", "[")):
        if '"DATA_SOURCE"' in text or '"RECORD_ID"' in text:
            raise WatchlistFormatError(
                f"{path}: Senzing JSON is not a supported watchlist format (use the FollowTheMoney export, format ftm)"
            )
        if text.startswith("["):
            raise WatchlistFormatError(f"{path}: JSON array is not a supported watchlist format")
        if '"schema"' in first_line and '"properties"' in first_line:
            return "ftm"
        return "jsonl"
    if first_line.casefold().lstrip('"').startswith("last updated"):
        return "uk-hmt-csv"
    lowered = first_line.casefold()
    if "name 6" in lowered and "group id" in lowered:
        return "uk-hmt-csv"
    if "entity_logical_id" in lowered and "naal_wholename" in lowered:
        return "eu-fsf-csv"
    if _OFAC_ROW.match(first_line) or p.name.casefold() in _OFAC_PRIMARY:
        return "ofac-csv"
    columns = [c.strip().strip('"').casefold() for c in first_line.split(",")]
    if "entry_id" in columns:
        return "csv"
    raise WatchlistFormatError(f"{path}: unknown watchlist format (expected one of {', '.join(FORMATS)})")


def read_watchlist(path: str | Path, *, format: str = "auto", list_id: str | None = None) -> WatchlistReadResult:
    """Read a watchlist file into canonical entries.

    - ``format``: ``"auto"`` (:func:`detect_format`) or one of :data:`FORMATS`.
    - ``path``: a file, or for ``ofac-csv`` also the directory holding ``sdn.csv`` /
      ``cons_prim.csv`` and their sibling files.
    - ``list_id``: the list the entries belong to; default ``"un-sc"`` for UN XML,
      ``"ofac-sdn"``/``"ofac-cons"``, ``"uk-hmt"``, ``"eu-fsf"``, the file name up to its
      first dot for FtM, the file stem otherwise (``watchlist.csv`` → ``"watchlist"``).

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
    if fmt == "ofac-csv":
        return read_ofac_csv(p, list_id=list_id)
    if fmt == "uk-hmt-csv":
        return read_uk_hmt_csv(p, list_id=list_id)
    if fmt == "eu-fsf-csv":
        return read_eu_fsf_csv(p, list_id=list_id)
    if fmt == "ftm":
        return read_ftm(p, list_id=list_id)
    raise WatchlistFormatError(f"unknown watchlist format {format!r} (expected auto or one of {', '.join(FORMATS)})")
