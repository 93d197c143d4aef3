"""UN/EDIFACT tokeniser shared by the PAXLST and PNRGOV decoders (ISO 9735).

The tokeniser turns raw interchange bytes into :class:`Segment` objects. It is the only
place that knows about service characters, so every other decoder (and every header
peek used for routing or charset selection) goes through it.

What it does, in order (field cases 01, 02, 03, 04):

1. **Bytes → text.** The ``UNB`` syntax identifier (S001 0001, e.g. ``UNOA``, ``UNOC``,
   ``UNOY``) is read with this same tokeniser from an ASCII-safe (Latin-1) view of the
   first bytes, then the whole interchange is decoded: valid UTF-8 first, else the
   declared character set, else cp1252/Latin-1. Anything but the declared set adds a
   ``charset_mislabelled``/``charset_violation``/``charset_unknown`` warning. Never
   raises on odd bytes (:func:`decode_bytes`).
2. **Hygiene.** A UTF-8 BOM, SOH/STX/ETX, form feeds and every CR/LF are removed (CR
   or LF survive only when ``UNA`` declares that one character as the segment
   terminator), so hard wraps in the middle of tags or values disappear. Text before
   ``UNA``/``UNB`` (Type-B routing headers) and after ``UNZ`` (e-mail footers) is
   ignored with a warning; whitespace around a segment tag is stripped.
3. **Service string advice.** ``UNA`` (any delimiters, possibly glued to ``UNB``) sets
   the component, element, decimal, release, repetition and terminator characters;
   without ``UNA`` the defaults ``:+.? '`` apply. A space in position 5 means "no
   repetition separator", and repetition splitting is **off** unless the caller asks for
   it, because PAXLST and PNRGOV senders use ``*`` as data.
4. **Scan.** The text is cut at every terminator with ``str.split``; a piece ending in
   an odd run of release characters had its terminator released, so it is glued to the
   next one (``??'`` is a literal ``?`` and a live terminator, ``???'`` a literal
   ``?'``). Pieces without a release character are split into elements and components
   with ``str.split``; the rest go through a compiled regular expression that consumes
   *release + any character* as one literal unit. Repetition splitting uses the
   regular-expression scanner for the whole text. ``python -m loadtest.bench_edifact``
   measures the speed.
"""

from __future__ import annotations

import re
from calendar import isleap
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

from schemas.errors import NotEdifactError, UndecodableBytesError
from schemas.records import Warning_

__all__ = [
    "CHARSETS",
    "DEFAULT_DELIMITERS",
    "DateKind",
    "Delimiters",
    "Interchange",
    "InterchangeHeader",
    "Segment",
    "birth_date_candidates",
    "decode_bytes",
    "escape",
    "expand_two_digit_year",
    "expiry_is_plausible",
    "format_segment",
    "is_ascii_digits",
    "parse_decimal",
    "parse_dtm",
    "peek_header",
    "tokenise",
    "write_interchange",
]


@dataclass(frozen=True)
class Delimiters:
    """The six service characters of an interchange (``UNA`` positions 1–6).

    ``release`` is ``None`` when the UNA gives a space there (syntax 4: no release
    character); ``repetition`` is ``None`` when UNA position 5 is a space or there is no
    UNA. All present characters are distinct.
    """

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str | None = "?"
    repetition: str | None = None
    terminator: str = "'"

    def service_characters(self) -> frozenset[str]:
        """Characters that must be released to appear in data (component, element,
        release, repetition, terminator)."""
        chars = {self.component, self.element, self.terminator}
        if self.release:
            chars.add(self.release)
        if self.repetition:
            chars.add(self.repetition)
        return frozenset(chars)

    def una(self) -> str:
        """The ``UNA`` service string advice for these delimiters (9 characters)."""
        return "UNA" + "".join(
            (
                self.component,
                self.element,
                self.decimal,
                self.release or " ",
                self.repetition or " ",
                self.terminator,
            )
        )


DEFAULT_DELIMITERS = Delimiters()
"""ISO 9735 defaults when no ``UNA`` is sent: ``:+.? '`` (no repetition separator)."""

CHARSETS: dict[str, str] = {
    "UNOA": "ascii",
    "UNOB": "ascii",
    "IATA": "ascii",
    "IATB": "ascii",
    "UNOC": "latin-1",
    "UNOD": "iso8859-2",
    "UNOE": "iso8859-5",
    "UNOF": "iso8859-7",
    "UNOG": "iso8859-3",
    "UNOH": "iso8859-4",
    "UNOI": "iso8859-6",
    "UNOJ": "iso8859-8",
    "UNOK": "iso8859-9",
    "UNOW": "utf-8",
    "UNOY": "utf-8",
}
"""UNB syntax identifier (S001 0001) → Python codec name."""

_LAYOUT_CONTROLS = ("\x01", "\x02", "\x03", "\x0c", "\ufeff")
_TAG_RE = re.compile(r"^[A-Z][A-Z0-9]{2}$")
_UNA_RE = re.compile(r"UNA([^A-Za-z0-9]{5})([^A-Za-z0-9])")
_UNA_NEWLINE_RE = re.compile(r"UNA([^A-Za-z0-9\r\n]{5})([\r\n])")
_UNB_RE = re.compile(r"UNB\s*(?=[^A-Za-z0-9\s])")
_UNH_RE = re.compile(r"UNH\s*(?=[^A-Za-z0-9\s])")
_C1_RE = re.compile(rb"[\x80-\x9f]")


@dataclass(slots=True)
class Segment:
    """One EDIFACT segment.

    Attributes:
        tag: segment tag, e.g. ``"NAD"`` (whitespace stripped).
        elements: data elements after the tag; each is the list of its component
            strings with release characters removed (``NAD+FL+++O?'DWYER:NIAMH`` →
            ``[["FL"], [""], [""], ["O'DWYER", "NIAMH"]]``).
        position: 1-based index of the segment in the interchange (``UNB`` is 1;
            ``UNA`` is service string advice, not a segment).
        offset: character offset of the segment start in the cleaned text.
        repeats: only when repetition splitting is on: element index → all its
            repetitions (``elements[i]`` then holds the first one).
    """

    tag: str
    elements: list[list[str]]
    position: int
    offset: int = 0
    repeats: dict[int, list[list[str]]] = field(default_factory=dict)

    def element(self, index: int) -> list[str]:
        """Components of data element ``index`` (0-based after the tag); ``[]`` if absent."""
        if 0 <= index < len(self.elements):
            return self.elements[index]
        return []

    def value(self, index: int, component: int = 0, default: str = "") -> str:
        """Component ``component`` of data element ``index``, stripped; ``default`` if absent
        or empty."""
        els = self.elements
        if 0 <= index < len(els):
            comps = els[index]
            if 0 <= component < len(comps):
                val = comps[component].strip()
                return val or default
        return default

    @property
    def qualifier(self) -> str:
        """First component of the first data element (e.g. ``"FL"`` in ``NAD+FL``)."""
        return self.value(0)

    @property
    def label(self) -> str:
        """``TAG+QUALIFIER`` (e.g. ``"DTM+329"``) or the tag alone, for warnings."""
        q = self.qualifier
        return f"{self.tag}+{q}" if q and len(q) <= 4 else self.tag


@dataclass
class InterchangeHeader:
    """What a cheap peek at ``UNB``/``UNG``/``UNH`` tells (routing and charset).

    Dates are as sent (``YYMMDD`` or ``CCYYMMDD``, ``HHMM``). Any field may be ``None``.
    """

    delimiters: Delimiters
    syntax_id: str | None = None
    syntax_version: int | None = None
    sender: str | None = None
    recipient: str | None = None
    prepared_date: str | None = None
    prepared_time: str | None = None
    control_ref: str | None = None
    group_message_type: str | None = None
    message_ref: str | None = None
    message_type: str | None = None
    message_version: str | None = None


@dataclass
class Interchange:
    """A tokenised interchange: segments from ``UNB`` (or ``UNH``) to ``UNZ``.

    ``charset`` is the codec actually used; ``warnings`` are syntax/hygiene findings
    (``Warning_.segment``/``position`` name the segment when known).
    """

    segments: list[Segment]
    delimiters: Delimiters
    una_present: bool
    syntax_id: str | None
    syntax_version: int | None
    charset: str
    warnings: list[Warning_] = field(default_factory=list)


# ----------------------------------------------------------------------------- decoding


def is_ascii_digits(value: str) -> bool:
    """``True`` for a non-empty string of ASCII digits (``str.isdigit`` also accepts
    ``²`` and other Unicode digits, which are never EDIFACT numbers)."""
    return value.isascii() and value.isdigit()


def decode_bytes(data: bytes, syntax_id: str | None) -> tuple[str, str, list[Warning_]]:
    """Decode interchange bytes according to the UNB syntax identifier (field case 04).

    Order: pure ASCII → as is; valid UTF-8 → UTF-8 (warning unless declared
    ``UNOW``/``UNOY``); else the declared codec (:data:`CHARSETS`), with ``UNOC`` bytes
    0x80–0x9F read as cp1252; else cp1252 (when it can) or Latin-1 with a warning.

    Args:
        data: raw bytes (BOM already removed or not).
        syntax_id: UNB S001 0001 (``"UNOA"``…) or ``None`` when unknown.

    Returns:
        ``(text, codec_used, warnings)``. Never raises: Latin-1 decodes every byte.
    """
    sid = (syntax_id or "").upper()
    declared = CHARSETS.get(sid)
    label = sid or "no syntax identifier"
    if data.isascii():
        return data.decode("ascii"), declared or "ascii", []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if declared == "utf-8":
            return text, "utf-8", []
        return text, "utf-8", [_charset_warning(sid, declared, "utf-8", label)]
    if declared is not None and declared not in ("ascii", "utf-8"):
        if declared == "latin-1" and _C1_RE.search(data):
            try:
                return (
                    data.decode("cp1252"),
                    "cp1252",
                    [Warning_(code="charset_mislabelled", message=f"{sid}→cp1252")],
                )
            except UnicodeDecodeError:
                pass
        try:
            return data.decode(declared), declared, []
        except UnicodeDecodeError:
            pass
    codec = "latin-1"
    if _C1_RE.search(data):
        try:
            text = data.decode("cp1252")
            codec = "cp1252"
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    else:
        text = data.decode("latin-1")
    return text, codec, [_charset_warning(sid, declared, codec, label)]


def _charset_warning(sid: str, declared: str | None, used: str, label: str) -> Warning_:
    if declared == "ascii":
        return Warning_(code="charset_violation", message=f"{sid} with 8-bit data, decoded as {used}")
    if declared is None:
        return Warning_(code="charset_unknown", message=f"{label}: decoded as {used}")
    return Warning_(code="charset_mislabelled", message=f"{sid}→{used}")


# ----------------------------------------------------------------------------- scanning


@lru_cache(maxsize=64)
def _scanner(delims: Delimiters, split_repetitions: bool) -> re.Pattern[str]:
    specials = [delims.component, delims.element, delims.terminator]
    if split_repetitions and delims.repetition:
        specials.append(delims.repetition)
    cls = "".join(re.escape(c) for c in specials)
    if delims.release:
        return re.compile(f"{re.escape(delims.release)}(.)?|[{cls}]", re.DOTALL)
    return re.compile(f"[{cls}]")


def _parse_una(chars: str) -> tuple[Delimiters, list[Warning_]]:
    comp, elem, dec, rel, rep, term = tuple(chars)
    delims = Delimiters(
        component=comp,
        element=elem,
        decimal=dec,
        release=None if rel == " " else rel,
        repetition=None if rep == " " else rep,
        terminator=term,
    )
    used = [c for c in (comp, elem, delims.release, delims.repetition, term) if c]
    if len(set(used)) != len(used) or " " in (comp, elem, term):
        return DEFAULT_DELIMITERS, [
            Warning_(
                code="una_invalid",
                message=f"UNA service characters {chars!r} are not distinct; defaults used",
                segment="UNA",
            )
        ]
    return delims, []


def _clean(text: str, keep: str | None) -> str:
    for ch in _LAYOUT_CONTROLS:
        if ch in text:
            text = text.replace(ch, "")
    for ch in ("\r", "\n"):
        if ch != keep and ch in text:
            text = text.replace(ch, "")
    return text


def _locate(text: str) -> tuple[int, int, Delimiters, bool, list[Warning_]]:
    """Find the interchange start in cleaned text.

    Returns ``(preamble_end, scan_start, delimiters, una_present, warnings)``.
    """
    warnings: list[Warning_] = []
    una = None
    first_unb = _UNB_RE.search(text)
    for m in _UNA_RE.finditer(text):
        if text[m.end() : m.end() + 16].lstrip().startswith(("UNB", "UNG", "UNH")):
            una = m
            break
        if una is None and (first_unb is None or m.start() < first_unb.start()):
            una = m
    if una is not None:
        delims, warnings = _parse_una(una.group(1) + una.group(2))
        return una.start(), una.end(), delims, True, warnings
    unb = first_unb
    if unb is not None:
        return unb.start(), unb.start(), DEFAULT_DELIMITERS, False, warnings
    unh = _UNH_RE.search(text)
    if unh is not None:
        warnings.append(Warning_(code="missing_unb", message="no UNB interchange header; started at UNH"))
        return unh.start(), unh.start(), DEFAULT_DELIMITERS, False, warnings
    raise NotEdifactError(detail="no UNA, UNB or UNH segment found")


def _scan(
    text: str,
    start: int,
    delims: Delimiters,
    *,
    split_repetitions: bool,
    max_segments: int | None,
    warnings: list[Warning_],
) -> list[Segment]:
    """Split ``text[start:]`` into segments.

    Without repetition splitting (the PAXLST/PNRGOV case) segments are cut with
    ``str.find``/``str.split`` (C speed); only a segment holding the release character
    goes through the release-aware regular expression, one segment at a time. With
    repetition splitting the whole text goes through :func:`_scan_regex`. Both give
    identical segments and warnings (checked by a property test)."""
    if split_repetitions and delims.repetition:
        return _scan_regex(
            text,
            start,
            delims,
            split_repetitions=split_repetitions,
            max_segments=max_segments,
            warnings=warnings,
        )
    rel = delims.release
    term, elem_sep, comp_sep = delims.terminator, delims.element, delims.component
    service = delims.service_characters()
    pattern = _scanner(delims, False)
    rel_char = rel or ""
    has_release = bool(rel_char) and rel_char in text
    segments: list[Segment] = []
    tag_ws = 0
    bad_release: dict[str, int] = {}
    valid_tags: set[str] = set()
    parts = text[start:].split(term)
    n_parts = len(parts)
    i = 0
    pos = start
    stopped = False
    tail: str | None = None

    while i < n_parts:
        raw = parts[i]
        i += 1
        if has_release:
            # a terminator after an odd run of release characters is data: glue the parts
            while i < n_parts and raw.endswith(rel_char) and (len(raw) - len(raw.rstrip(rel_char))) % 2:
                raw = raw + term + parts[i]
                i += 1
        if i >= n_parts:  # the text after the last terminator
            tail = raw
            break
        seg_start = pos
        pos += len(raw) + 1
        if has_release and rel_char in raw:
            elements = _split_released(raw, pattern, rel_char, comp_sep, elem_sep, service, bad_release)
        else:
            elements = [e.split(comp_sep) for e in raw.split(elem_sep)]
        tag_el = elements[0]
        raw_tag = tag_el[0]
        tag = raw_tag.strip()
        if not tag and len(elements) == 1 and len(tag_el) == 1:
            continue  # empty segment (e.g. "''" or layout whitespace)
        if tag != raw_tag:
            tag_ws += 1
        position = len(segments) + 1
        if tag not in valid_tags:
            if _TAG_RE.match(tag):
                valid_tags.add(tag)
            else:
                warnings.append(_bad_tag_warning(tag, position))
        del elements[0]
        segments.append(Segment(tag, elements, position, seg_start, {}))
        if tag == "UNZ":
            stopped = True
            break
        if max_segments is not None and len(segments) >= max_segments:
            return segments

    if stopped:
        _trailing_data(text[pos:], segments, warnings)
    else:
        if tail:
            if has_release and rel_char in tail:
                elements = _split_released(tail, pattern, rel_char, comp_sep, elem_sep, service, bad_release)
            else:
                elements = [e.split(comp_sep) for e in tail.split(elem_sep)]
            if any(c.strip() for el in elements for c in el):
                tag_el = elements[0]
                raw_tag = tag_el[0]
                tag = raw_tag.strip()
                if tag != raw_tag:
                    tag_ws += 1
                position = len(segments) + 1
                if not _TAG_RE.match(tag):
                    warnings.append(_bad_tag_warning(tag, position))
                warnings.append(_unterminated_warning(tag, position))
                segments.append(Segment(tag, elements[1:], position, pos))
        _check_unz(segments, max_segments, warnings)
    _finish_warnings(warnings, tag_ws, bad_release)
    return segments


def _bad_tag_warning(tag: str, position: int) -> Warning_:
    return Warning_(
        code="invalid_segment_tag",
        message=f"segment tag {tag[:12]!r} is not three upper-case characters",
        segment=tag[:12],
        position=position,
    )


def _unterminated_warning(tag: str, position: int) -> Warning_:
    return Warning_(
        code="unterminated_segment",
        message="last segment has no segment terminator",
        segment=tag[:12],
        position=position,
    )


def _trailing_data(rest: str, segments: list[Segment], warnings: list[Warning_]) -> None:
    """Warn about text after the ``UNZ`` (the last of ``segments``) that is not blank."""
    if rest.strip():
        warnings.append(
            Warning_(
                code="trailing_data_ignored",
                message=f"{len(rest.strip())} characters after UNZ ignored",
                segment="UNZ",
                position=segments[-1].position,
            )
        )


def _check_unz(segments: list[Segment], max_segments: int | None, warnings: list[Warning_]) -> None:
    """Warn when a full scan (no ``max_segments`` peek) did not end with ``UNZ``."""
    if max_segments is None and (not segments or segments[-1].tag != "UNZ"):
        warnings.append(Warning_(code="missing_unz", message="interchange has no UNZ trailer"))


def _finish_warnings(warnings: list[Warning_], tag_ws: int, bad_release: dict[str, int]) -> None:
    if tag_ws:
        warnings.append(
            Warning_(
                code="tag_whitespace",
                message=f"whitespace around the tag of {tag_ws} segment(s) removed",
            )
        )
    for char, count in bad_release.items():
        what = char if char == "end of data" else repr(char)
        warnings.append(
            Warning_(
                code="release_before_non_service_char",
                message=f"release character before {what} ({count}x): release dropped",
            )
        )


def _split_released(
    raw: str,
    pattern: re.Pattern[str],
    rel: str,
    comp_sep: str,
    elem_sep: str,
    service: frozenset[str],
    bad_release: dict[str, int],
) -> list[list[str]]:
    """Elements/components of one segment body that holds release characters."""
    elements: list[list[str]] = []
    comps: list[str] = []
    pieces: list[str] = []
    pos = 0
    for m in pattern.finditer(raw):
        s = m.start()
        if s > pos:
            pieces.append(raw[pos:s])
        pos = m.end()
        ch = m.group(0)
        if ch[0] == rel:
            escaped = m.group(1)
            if escaped is None:
                bad_release["end of data"] = bad_release.get("end of data", 0) + 1
                continue
            if escaped not in service:
                bad_release[escaped] = bad_release.get(escaped, 0) + 1
            pieces.append(escaped)
        elif ch == comp_sep:
            comps.append("".join(pieces))
            pieces = []
        elif ch == elem_sep:
            comps.append("".join(pieces))
            pieces = []
            elements.append(comps)
            comps = []
    if pos < len(raw):
        pieces.append(raw[pos:])
    comps.append("".join(pieces))
    elements.append(comps)
    return elements


def _scan_regex(
    text: str,
    start: int,
    delims: Delimiters,
    *,
    split_repetitions: bool,
    max_segments: int | None,
    warnings: list[Warning_],
) -> list[Segment]:
    pattern = _scanner(delims, split_repetitions)
    rel = delims.release
    comp_sep, elem_sep = delims.component, delims.element
    rep_sep = delims.repetition if split_repetitions else None
    service = delims.service_characters()

    segments: list[Segment] = []
    pieces: list[str] = []
    comps: list[str] = []
    reps: list[list[str]] = []
    elements: list[list[str]] = []
    repeats: dict[int, list[list[str]]] = {}
    seg_start = start
    pos = start
    stopped = False
    tag_ws = 0
    bad_release: dict[str, int] = {}

    def emit(end_offset: int, terminated: bool) -> None:
        nonlocal tag_ws, repeats
        if not elements:
            return
        tag_el = elements[0]
        raw_tag = tag_el[0] if tag_el else ""
        tag = raw_tag.strip()
        if len(elements) == 1 and len(tag_el) == 1 and not tag:
            repeats = {}
            return  # empty segment (e.g. "''" or layout whitespace)
        if tag != raw_tag:
            tag_ws += 1
        position = len(segments) + 1
        if not _TAG_RE.match(tag):
            warnings.append(_bad_tag_warning(tag, position))
        if not terminated:
            warnings.append(_unterminated_warning(tag, position))
        segments.append(
            Segment(
                tag=tag,
                elements=elements[1:],
                position=position,
                offset=seg_start,
                repeats={k - 1: v for k, v in repeats.items() if k > 0},
            )
        )
        repeats = {}

    for m in pattern.finditer(text, start):
        s = m.start()
        if s > pos:
            pieces.append(text[pos:s])
        pos = m.end()
        ch = m.group(0)
        if rel is not None and ch[0] == rel:
            escaped = m.group(1)
            if escaped is None:
                bad_release["end of data"] = bad_release.get("end of data", 0) + 1
                continue
            if escaped not in service:
                bad_release[escaped] = bad_release.get(escaped, 0) + 1
            pieces.append(escaped)
            continue
        if ch == comp_sep:
            comps.append("".join(pieces))
            pieces = []
        elif ch == elem_sep:
            comps.append("".join(pieces))
            pieces = []
            reps.append(comps)
            if len(reps) > 1:
                repeats[len(elements)] = reps
            elements.append(reps[0])
            comps, reps = [], []
        elif ch == rep_sep:
            comps.append("".join(pieces))
            pieces = []
            reps.append(comps)
            comps = []
        else:  # terminator
            comps.append("".join(pieces))
            pieces = []
            reps.append(comps)
            if len(reps) > 1:
                repeats[len(elements)] = reps
            elements.append(reps[0])
            comps, reps = [], []
            emit(seg_start, terminated=True)
            elements = []
            seg_start = pos
            if segments and segments[-1].tag == "UNZ":
                stopped = True
                break
            if max_segments is not None and len(segments) >= max_segments:
                return segments

    if stopped:
        _trailing_data(text[pos:], segments, warnings)
    else:
        if pos < len(text):
            pieces.append(text[pos:])
        if pieces or comps or reps or elements:
            comps.append("".join(pieces))
            reps.append(comps)
            elements.append(reps[0])
            if any(c.strip() for el in elements for c in el):
                emit(seg_start, terminated=False)
        _check_unz(segments, max_segments, warnings)
    _finish_warnings(warnings, tag_ws, bad_release)
    return segments


def _syntax_of(unb: Segment | None) -> tuple[str | None, int | None]:
    if unb is None or unb.tag != "UNB":
        return None, None
    sid = unb.value(0, 0).upper() or None
    ver = unb.value(0, 1)
    return sid, int(ver) if is_ascii_digits(ver) else None


def _prepare(data: bytes | str) -> tuple[str, str, str | None, list[Warning_]]:
    """Bytes → cleaned text. Returns ``(text, codec, syntax_id, warnings)``."""
    if isinstance(data, str):
        text = data
        codec = "str"
        sid = None
        warnings: list[Warning_] = []
    else:
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        head = data[:4096]
        if head.count(b"\x00") > max(4, len(head) // 10):
            raise UndecodableBytesError(detail="NUL bytes throughout the input (binary or UTF-16?)")
        header = _peek_text(head.decode("latin-1"))
        if header is None and len(data) > len(head):
            header = _peek_text(data.decode("latin-1"))
        sid = header.syntax_id if header else None
        text, codec, warnings = decode_bytes(data, sid)
    return text, codec, sid, warnings


def tokenise(data: bytes | str, *, split_repetitions: bool = False) -> Interchange:
    """Tokenise one EDIFACT interchange (PAXLST, PNRGOV or any other message).

    Args:
        data: raw bytes as received (decoded per the UNB syntax identifier, see
            :func:`decode_bytes`) or already-decoded text.
        split_repetitions: split elements on the UNA repetition separator (position
            5). Off by default: the IATA PAXLST and PNRGOV profiles do not use
            repetitions and senders send ``*`` as data (field case 03).

    Returns:
        An :class:`Interchange` with the segments from ``UNB`` to ``UNZ`` (both
        included; ``UNA`` is not a segment) and the hygiene/syntax warnings.

    Raises:
        NotEdifactError: no ``UNA``/``UNB``/``UNH`` anywhere in the input.
        UndecodableBytesError: the bytes are evidently not text (NUL-ridden).
    """
    text, codec, _sid, warnings = _prepare(data)
    return _tokenise_text(text, codec, warnings, split_repetitions=split_repetitions)


def _newline_terminator(text: str) -> str | None:
    m = _UNA_NEWLINE_RE.search(text)
    if m is None:
        return None
    after = text[m.end() :].lstrip(" \r\n")
    return m.group(2) if after.startswith(("UNB", "UNG", "UNH")) else None


def _tokenise_text(
    text: str,
    codec: str,
    warnings: list[Warning_],
    *,
    split_repetitions: bool,
    max_segments: int | None = None,
) -> Interchange:
    keep = _newline_terminator(text)
    text = _clean(text, keep)
    preamble_end, scan_start, delims, una_present, loc_warnings = _locate(text)
    warnings = list(warnings) + loc_warnings
    if text[:preamble_end].strip():
        warnings.append(
            Warning_(
                code="preamble_ignored",
                message=f"{len(text[:preamble_end].strip())} characters before the "
                "interchange ignored (transport header)",
            )
        )
    segments = _scan(
        text,
        scan_start,
        delims,
        split_repetitions=split_repetitions,
        max_segments=max_segments,
        warnings=warnings,
    )
    sid, ver = _syntax_of(segments[0] if segments else None)
    return Interchange(
        segments=segments,
        delimiters=delims,
        una_present=una_present,
        syntax_id=sid,
        syntax_version=ver,
        charset=codec,
        warnings=warnings,
    )


def _peek_text(text: str) -> InterchangeHeader | None:
    try:
        inter = _tokenise_text(text, "latin-1", [], split_repetitions=False, max_segments=3)
    except NotEdifactError:
        return None
    header = InterchangeHeader(delimiters=inter.delimiters)
    for seg in inter.segments:
        if seg.tag == "UNB":
            header.syntax_id, header.syntax_version = _syntax_of(seg)
            header.sender = seg.value(1) or None
            header.recipient = seg.value(2) or None
            header.prepared_date = seg.value(3, 0) or None
            header.prepared_time = seg.value(3, 1) or None
            header.control_ref = seg.value(4) or None
        elif seg.tag == "UNG":
            header.group_message_type = seg.value(0) or None
        elif seg.tag == "UNH":
            header.message_ref = seg.value(0) or None
            header.message_type = seg.value(1, 0) or None
            version = ":".join(p for p in (seg.value(1, 1), seg.value(1, 2)) if p)
            header.message_version = version or None
            break
    return header


def peek_header(data: bytes | str) -> InterchangeHeader | None:
    """Read ``UNA``/``UNB``/``UNG``/``UNH`` cheaply, with the same release-aware tokeniser.

    Reads an ASCII-safe (Latin-1) view of the first 4 KiB (the whole input if the
    header is not found there), so it works before the character set is known.

    Returns:
        The header fields, or ``None`` when the input holds no EDIFACT header. Never
        raises.
    """
    if isinstance(data, bytes):
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        header = _peek_text(data[:4096].decode("latin-1"))
        if (header is None or header.message_type is None) and len(data) > 4096:
            header = _peek_text(data.decode("latin-1"))
        return header
    return _peek_text(data)


# ----------------------------------------------------------------------------- writing


def escape(value: str, delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    """Prefix every service character in ``value`` with the release character.

    Raises:
        ValueError: ``value`` holds a service character and there is no release
            character.
    """
    service = delimiters.service_characters()
    if not any(c in service for c in value):
        return value
    if delimiters.release is None:
        raise ValueError("value contains a service character and no release is declared")
    rel = delimiters.release
    return "".join(rel + c if c in service else c for c in value)


def format_segment(tag: str, elements: list[list[str]], delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    """Serialise one segment (inverse of the tokeniser): ``TAG+a:b+c'`` with releases."""
    parts = [tag]
    for el in elements:
        parts.append(delimiters.component.join(escape(c, delimiters) for c in el))
    return delimiters.element.join(parts) + delimiters.terminator


def write_interchange(
    segments: list[tuple[str, list[list[str]]]],
    delimiters: Delimiters = DEFAULT_DELIMITERS,
    *,
    una: bool = True,
    newline: str = "",
) -> str:
    """Serialise ``(tag, elements)`` pairs into an interchange, ``UNA`` first when asked.

    ``newline`` (e.g. ``"\\r\\n"``) is added after every terminator for readability.
    """
    out = [delimiters.una() + newline] if una else []
    out.extend(format_segment(t, e, delimiters) + newline for t, e in segments)
    return "".join(out)


# ----------------------------------------------------------------------------- values


def parse_decimal(value: str, *, decimal_mark: str = ".", syntax_version: int | None = 4) -> Decimal:
    """Parse an EDIFACT numeric value (ISO 9735 decimal mark rules, field case 03 B).

    Syntax 4 accepts both ``.`` and ``,`` whatever UNA says; syntax 1–3 accept only the
    UNA position 3 ``decimal_mark``. Never uses float.

    Raises:
        ValueError: not a number under these rules.
    """
    v = value.strip()
    marks = {".", ","} if (syntax_version or 4) >= 4 else {decimal_mark}
    found = [c for c in v if c in (".", ",")]
    if len(found) > 1 or (found and found[0] not in marks):
        raise ValueError(f"invalid decimal value {value!r}")
    if found:
        v = v.replace(found[0], ".")
    try:
        result = Decimal(v)
    except InvalidOperation as exc:
        raise ValueError(f"invalid decimal value {value!r}") from exc
    if not result.is_finite():
        raise ValueError(f"invalid decimal value {value!r}")
    return result


DateKind = Literal["birth", "expiry", "event"]


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def expand_two_digit_year(yy: int, month: int, day: int, *, reference: date, kind: DateKind) -> date:
    """Choose the century of a two-digit year (field case 06; no fixed ``%y`` pivot).

    - ``birth``: the latest date on or before ``reference`` (departure date for
      APIS/PNR, load date for watchlists), so ``380517`` → 1938-05-17 for a 2026 flight.
    - ``expiry`` (and issue dates): the date within ``[reference − 15 y, reference +
      20 y]``; if none is, the candidate nearest to ``reference`` (check with
      :func:`expiry_is_plausible` and warn).
    - ``event`` (flight times, UNB dates): the candidate nearest to ``reference``.

    Args:
        yy: 0–99. month: 1–12. day: 1–31.

    Raises:
        ValueError: no calendar date exists for that month/day in any candidate century.
    """
    if not 0 <= yy <= 99:
        raise ValueError(f"two-digit year out of range: {yy}")
    base = (reference.year // 100) * 100
    candidates: list[date] = []
    for century in (base - 200, base - 100, base, base + 100):
        year = century + yy
        if year < 1:
            continue
        if month == 2 and day == 29 and not isleap(year):
            continue
        candidates.append(date(year, month, day))  # raises ValueError on bad month/day
    if not candidates:
        raise ValueError(f"no valid date for {yy:02d}{month:02d}{day:02d}")
    if kind == "birth":
        past = [c for c in candidates if c <= reference]
        if past:
            return max(past)
        return min(candidates)
    if kind == "expiry":
        inside = [c for c in candidates if expiry_is_plausible(c, reference)]
        if inside:
            return inside[0]
    return min(candidates, key=lambda c: abs((c - reference).days))


MAX_AGE_YEARS = 120
"""Oldest plausible traveller or listed person, in years: an older-century reading of a
two-digit birth year is kept as a candidate only while the person would be at most
this old (field case 06)."""


def birth_date_candidates(
    yy: int, month: int, day: int, *, reference: date, max_age_years: int = MAX_AGE_YEARS
) -> tuple[date, ...]:
    """Every reading of a two-digit-year birth date (``YYMMDD``, ``DDMMMYY``, ``DD-MM-YY``)
    that lies on or before ``reference`` (flight departure for PAXLST ``DTM+329`` and
    PNRGOV ``SSR DOCS``, load date for watchlists) and makes the person at most
    ``max_age_years`` old on it, latest first (field case 06).

    The first is the reading :func:`expand_two_digit_year` gives for ``kind="birth"``
    (``380517`` → 1938-05-17 for a 2026 flight). A second one means the century is
    ambiguous: ``250901`` → (2025-09-01, 1925-09-01), an infant or a person over 100.
    Callers keep both unless other data decides (an infant marker, a four-digit year
    elsewhere). ``()`` when the month/day exists in no such year (29 February of a
    non-leap year).

    Raises:
        ValueError: ``yy`` outside 0–99, or a month/day that exists in no year.
    """
    if not 0 <= yy <= 99:
        raise ValueError(f"two-digit year out of range: {yy}")
    date(2000, month, day)  # raises ValueError for month 13, 31 April … (2000 is a leap year)
    oldest = reference.year - max_age_years - 1
    out: list[date] = []
    century = (reference.year // 100) * 100
    while century + yy >= oldest and century + yy >= 1:
        year = century + yy
        century -= 100
        if month == 2 and day == 29 and not isleap(year):
            continue
        born = date(year, month, day)
        if born <= reference and _add_years(born, max_age_years + 1) > reference:
            out.append(born)
    return tuple(out)


def expiry_is_plausible(value: date, reference: date) -> bool:
    """``True`` when a document expiry/issue date lies in ``[reference − 15 y, reference
    + 20 y]`` (field case 06)."""
    return _add_years(reference, -15) <= value <= _add_years(reference, 20)


_DTM_LENGTHS: dict[int, str] = {6: "101", 8: "102", 10: "201", 12: "203", 14: "204"}


def parse_dtm(value: str, fmt: str | None, *, reference: date, kind: DateKind) -> tuple[date, time | None]:
    """Parse a ``DTM`` C507 value by its format code (2379).

    Formats: ``101`` YYMMDD, ``102`` CCYYMMDD, ``201`` YYMMDDHHMM, ``203``
    CCYYMMDDHHMM, ``204`` CCYYMMDDHHMMSS; ``None``/empty → guessed from the length
    (6, 8, 10, 12, 14 digits). Two-digit years go through
    :func:`expand_two_digit_year` with ``reference`` and ``kind``.

    Returns:
        ``(date, time or None)``.

    Raises:
        ValueError: unknown format, wrong length, non-digits or impossible date/time.
    """
    v = value.strip()
    if fmt == "102" and len(v) == 8 and is_ascii_digits(v):  # fast path: CCYYMMDD, the common case
        return date(int(v[0:4]), int(v[4:6]), int(v[6:8])), None
    code = (fmt or "").strip() or _DTM_LENGTHS.get(len(v), "")
    if not is_ascii_digits(v):
        raise ValueError(f"DTM value is not numeric: {value!r}")
    expected = {"101": 6, "102": 8, "201": 10, "203": 12, "204": 14}.get(code)
    if expected is None:
        raise ValueError(f"unsupported DTM format code {code!r}")
    if len(v) != expected:
        # tolerate a 2-digit-year value sent with a 4-digit-year code and vice versa
        guessed = _DTM_LENGTHS.get(len(v))
        if guessed is None:
            raise ValueError(f"DTM value {value!r} does not fit format {code}")
        code = guessed
    if code in ("101", "201"):
        d = expand_two_digit_year(int(v[0:2]), int(v[2:4]), int(v[4:6]), reference=reference, kind=kind)
        rest = v[6:]
    else:
        d = date(int(v[0:4]), int(v[4:6]), int(v[6:8]))
        rest = v[8:]
    t = None
    if rest:
        t = time(int(rest[0:2]), int(rest[2:4]), int(rest[4:6]) if len(rest) >= 6 else 0)
    return d, t


def combine_iso(d: date, t: time | None) -> str:
    """``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM`` (seconds only when non-zero)."""
    if t is None:
        return d.isoformat()
    return datetime.combine(d, t).isoformat(timespec="seconds" if t.second else "minutes")
