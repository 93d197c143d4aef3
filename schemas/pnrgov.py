"""PNRGOV (UN/EDIFACT passenger name record push, IATA/WCO/ICAO PNRGOV 10.1–13.1) →
canonical Travellers and PNR records.

Structure read (segment groups as in the IATA PNRGOV message implementation guide):

- ``UNB``/``UNG``/``UNH`` envelope (same identity fields as PAXLST, see
  :class:`schemas.envelope.MessageHeader`), ``MSG`` C302 1225 message function (``22`` full
  push, ``141`` changes only), level-0 ``TVL`` (the flight the push is for) and ``EQN``
  (number of PNRs, checked).
- Group 1, one per PNR, opened by ``SRC``: ``RCI`` reservation control information
  (C330 company:record locator:type:date ``DDMMYY``:time), ``SSR``, ``IFT``, ``ORG``,
  ``ADD``, ``DAT`` at PNR level.
- Group 2 traveller, opened by ``TIF`` (C322 surname:qualifier, C324 given name:passenger
  type:traveller reference:infant indicator); ``SSR DOCS`` (passport data: type, issuing
  country, number, nationality, birth date ``DDMMMYY``, gender incl. ``MI``/``FI`` infants,
  expiry, surname, given names), ``SSR DOCO`` (visa), ``SSR INFT`` (infant name and birth
  date), ``FTI``, ``REF``, ``FAR``, ``TKT``/``MON``/``PTK``/``TXD``/``FOP``.
- Group 5 itinerary, opened by ``TVL`` (C310 departure date:time:arrival date:time,
  departure and arrival airports, carrier, flight number:class), with ``RPI``, ``APD``,
  ``SSR``, ``RCI``, ``DAT`` and ``TRI`` check-in groups whose ``TIF`` only refer back to a
  traveller.
- Group 6 history, opened by ``ABI``: ``DAT``, ``SAC`` (action ``X`` cancelled, ``A``
  added, ``C`` changed) and the ``TIF``/``TVL``/``SSR``/``IFT 4:19``/``LTS`` they change;
  kept apart in :attr:`PnrRecord.history`, never mixed into travellers or itinerary.

Tolerance (field case 07): a ``SSR DOCS`` may sit before its ``TIF``, at PNR level or in
an itinerary group; it is attached by traveller reference, then by name, then by its
position; an unattachable one becomes a traveller of its own (its document is still
screened). Nothing recoverable is dropped: problems become warnings.

Data protection: free text (``IFT``, ``LTS``, ``SSR`` free text such as ``OTHS`` or meal
and medical codes), contact data (``ADD``, phone and e-mail ``IFT``) and payment data
never enter a :class:`~schemas.records.Traveller`. With ``drop_sensitive=True`` (the
default) they are not kept anywhere in the result; card numbers in ``FOP`` are masked to
the last four digits unless ``mask_payment=False``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, time
from typing import Any

from schemas.countries import to_alpha3
from schemas.edifact import (
    Interchange,
    Segment,
    birth_date_candidates,
    combine_iso,
    expand_two_digit_year,
    expiry_is_plausible,
    is_ascii_digits,
    tokenise,
)
from schemas.envelope import ENVELOPE_TAGS, EnvelopeDecoder, MessageHeader, header_names
from schemas.errors import DecodeError, NoTravellersError
from schemas.paxlst import clean_document_number
from schemas.records import Document, Flight, Gender, Role, Source, Traveller, Warning_
from schemas.screening import name_is_uncomparable

__all__ = [
    "NAME_TITLES",
    "NotPnrgovError",
    "PnrRecord",
    "PnrgovDecodeResult",
    "decode_pnrgov",
    "looks_like_pnrgov",
    "mask_card_number",
    "split_title",
]


class NotPnrgovError(DecodeError):
    """The interchange holds EDIFACT messages, but none of type ``PNRGOV`` (UNH S009 0065)
    and no PNR structure (``SRC``/``TIF``) either."""

    default_reason = "not_pnrgov"


NAME_TITLES: tuple[str, ...] = ("MSTR", "MISS", "MRS", "MR", "MS", "DR")
"""Titles that reservation systems glue to (or put after) the given name in ``TIF`` C324
and ``SSR DOCS``; longest first so ``MRS`` wins over ``MS``."""

_TITLED_NAMES = frozenset({"WILLIAMS", "ADAMS", "SIMS", "SAMS", "TOMS", "WILLEMS", "HELMS", "WILMS"})
"""Given names that end in a title's letters but are names (kept whole)."""

_MONTHS = {
    m: i for i, m in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1)
}
_SSR_DATE_RE = re.compile(r"^(\d{2})([A-Z]{3})(\d{2}|\d{4})$")
_INFT_DATE_RE = re.compile(r"\s*(\d{2}[A-Z]{3}(?:\d{4}|\d{2}))\s*$")
_DOCS_GENDERS: dict[str, tuple[Gender | None, bool]] = {
    "M": ("M", False),
    "F": ("F", False),
    "MI": ("M", True),
    "FI": ("F", True),
    "U": (None, False),
    "X": (None, False),
    "": (None, False),
}
"""``SSR DOCS`` gender field → (canonical gender, infant); ``U``/``X``/empty are unknown."""
_INFANT_TYPES = frozenset({"IN", "INF"})
_HISTORY_SSR = frozenset({"DOCS", "DOCO", "DOCA", "SEAT", "TKNE", "TKNA", "INFT", "CKIN", "FQTV"})
"""SSR codes whose code (never their text) may appear in history with ``drop_sensitive``;
meal, medical and other special-service codes reveal religion or health and are withheld."""
_KNOWN_TAGS = frozenset(
    {
        "MSG", "ORG", "TVL", "EQN", "SRC", "RCI", "SSR", "DAT", "IFT", "ADD", "EBD", "TIF", "FTI",
        "REF", "FAR", "TKT", "MON", "PTK", "TXD", "FOP", "TRA", "RPI", "APD", "TRI", "SSD", "TBD",
        "ABI", "SAC", "LTS",
    }
)  # fmt: skip
_NAME_SQUASH = re.compile(r"[^A-Z?]")


def split_title(given: str) -> tuple[str, str | None]:
    """Remove a title from the end of a PNR given name (``TIF`` C324 3036 / ``SSR DOCS``).

    A title separated by a space (``"NINA MS"``) or glued to the last word
    (``"ASTRIDMS"`` → ``"ASTRID"``, ``"MA?TAMRS"`` → ``"MA?TA"``) is removed, longest title
    first (:data:`NAME_TITLES`). It never eats name letters: at least two letters must
    remain, ``…NDR`` (``ALEKSANDR``) and a few names ending in title letters
    (``WILLIAMS``) are kept, and ``THOMAS``/``EMMA`` do not end in a title.

    Returns:
        ``(given name with collapsed spaces, title or None)``.
    """
    tokens = given.split()
    if not tokens:
        return "", None
    last = tokens[-1]
    up = last.upper()
    if up in NAME_TITLES:
        return " ".join(tokens[:-1]), up
    if up in _TITLED_NAMES:
        return " ".join(tokens), None
    for title in NAME_TITLES:
        if up.endswith(title) and len(up) - len(title) >= 2:
            stem = last[: -len(title)]
            if title == "DR" and stem.upper().endswith("N"):
                continue
            tokens[-1] = stem
            return " ".join(tokens), title
    return " ".join(tokens), None


def mask_card_number(value: str) -> str:
    """Mask a payment card number (``FOP`` C641 account number): every character but the
    last four digits becomes ``X`` (``"3717XXXXXXX5115"`` → ``"XXXXXXXXXXX5115"``)."""
    v = value.strip()
    if len(v) <= 4:
        return "X" * len(v)
    return "X" * (len(v) - 4) + v[-4:]


def _squash(name: str | None) -> str:
    return _NAME_SQUASH.sub("", (name or "").upper())


# ----------------------------------------------------------------------------- results


@dataclass
class PnrRecord:
    """One PNR (group 1, opened by ``SRC``) of a PNRGOV push.

    Attributes:
        record_locator: ``RCI`` C330 9956 of the first RCI (the reservation system's
            locator). carrier: its 3127 company code.
        push_type: ``MSG`` 1225 of the message (``"22"`` full push, ``"141"`` changes).
        booking_date: creation date from the first RCI (``DDMMYY`` → ISO), or ``None``.
        itinerary: the PNR's flights (group 5 ``TVL`` with date and both airports, in order,
            duplicates removed). traveller_ids: ids of the travellers decoded from it.
        history: one dict per ``ABI`` group: ``{"carrier", "location", "action_at",
            "changes": [{"action", "items": [...]}]}``; items name the changed segment and
            its non-sensitive content (see :func:`decode_pnrgov`).
        other_locators: further ``carrier:locator`` pairs from RCI (codeshare, GDS).
        message_ref: UNH 0062 of the message holding the PNR.
        payments: ``FOP`` ``{"type", "vendor", "card_number"}`` (masked) — only when
            ``drop_sensitive=False``.
        special_services: SSR codes (``{"code", "traveller_ref"}``) and free_text
            (``{"qualifier", "text"}``) — only when ``drop_sensitive=False``.
        warnings: findings about this PNR.
    """

    record_locator: str | None = None
    carrier: str | None = None
    push_type: str | None = None
    booking_date: str | None = None
    itinerary: list[Flight] = field(default_factory=list)
    traveller_ids: list[str] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    other_locators: list[str] = field(default_factory=list)
    message_ref: str | None = None
    payments: list[dict[str, str | None]] = field(default_factory=list)
    special_services: list[dict[str, str | None]] = field(default_factory=list)
    free_text: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict of every field."""
        out = asdict(self)
        out["itinerary"] = [f.model_dump(mode="json") for f in self.itinerary]
        out["warnings"] = [w.model_dump(mode="json") for w in self.warnings]
        return out


@dataclass
class PnrgovDecodeResult:
    """What :func:`decode_pnrgov` recovered from one interchange.

    ``messages``: one header per PNRGOV message (``message_type`` ``"PNRGOV"``);
    ``pnrs``: every PNR in order; ``travellers``: every traveller of every PNR;
    ``warnings``: data-quality findings (nothing lost); ``errors``: data that could not be
    used. Traveller-specific findings are also on the traveller's own ``warnings``.
    """

    messages: list[MessageHeader]
    pnrs: list[PnrRecord]
    travellers: list[Traveller]
    warnings: list[Warning_] = field(default_factory=list)
    errors: list[Warning_] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """``{"messages", "pnrs", "travellers", "warnings", "errors"}`` as JSON-ready values."""
        return {
            "messages": [m.to_json() for m in self.messages],
            "pnrs": [p.to_json() for p in self.pnrs],
            "travellers": [t.model_dump(mode="json") for t in self.travellers],
            "warnings": [w.model_dump(mode="json") for w in self.warnings],
            "errors": [w.model_dump(mode="json") for w in self.errors],
        }


# ----------------------------------------------------------------------------- drafts


@dataclass(slots=True)
class _Docs:
    """One ``SSR DOCS``/``DOCO``/``INFT`` line, before it is attached to a traveller."""

    kind: str
    segment: Segment
    fields: list[str]
    ref: str | None
    context: _Pax | None


@dataclass(eq=False, slots=True)
class _Pax:
    index: int
    segment: Segment
    ref: str | None
    surname: str | None
    given: str | None
    raw_given: str | None
    title: str | None
    role: Role = "passenger"
    infant_indicator: bool = False
    gender: Gender | None = None
    dob: date | None = None
    dob_alternatives: list[date] = field(default_factory=list)  # other centuries (case 06)
    dob_four_digit: bool = False  # the birth year was sent with four digits
    dob_segment: Segment | None = None
    nationality: str | None = None
    place_of_birth: str | None = None
    documents: list[Document] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    adult: _Pax | None = None
    has_docs: bool = False


@dataclass(slots=True)
class _Pnr:
    record: PnrRecord
    src: Segment | None
    paxes: list[_Pax] = field(default_factory=list)
    docs: list[_Docs] = field(default_factory=list)
    context: _Pax | None = None
    in_history: bool = False
    seen_legs: set[tuple[str | None, str | None, str | None]] = field(default_factory=set)


@dataclass(slots=True)
class _Message:
    header: MessageHeader
    start_position: int
    push_type: str | None = None
    flight: Flight | None = None
    flight_date: date | None = None
    eqn: tuple[int, Segment] | None = None
    pnr_count: int = 0
    readable: bool = True  # False: a message of another type, skipped
    pnr: _Pnr | None = None  # the PNR being read (group 1)


# ----------------------------------------------------------------------------- decoder


class _Decoder(EnvelopeDecoder[_Message]):
    MESSAGE_TYPE = "PNRGOV"
    SHOWN_TYPE_LENGTH = 12

    def __init__(
        self, inter: Interchange, reference_date: date | None, *, mask_payment: bool, drop_sensitive: bool
    ) -> None:
        super().__init__(inter, reference_date)
        self.mask_payment = mask_payment
        self.drop_sensitive = drop_sensitive
        self.pnrs: list[PnrRecord] = []
        self.used_prefixes: set[str] = set()
        self.group_names = 0
        self.placeholders = 0
        self.unknown_tags: dict[str, int] = {}
        self.src_seen = 0

    # -- main loop
    def run(self) -> None:
        msg: _Message | None = None
        for seg in self.inter.segments:
            tag = seg.tag
            if tag in ENVELOPE_TAGS:
                msg = self._envelope(seg, msg)
                continue
            if msg is None:
                msg = _Message(header=self._header_copy(), start_position=seg.position)
                msg.header.message_type = "PNRGOV"
                self.type_seen += 1
                self.warn("missing_unh", "segments outside a UNH/UNT message", seg)
            if tag == "UNT":
                self._end_message(seg, msg)
                msg = None
                continue
            if not msg.readable:
                continue
            if tag == "SRC":
                if msg.pnr is not None:
                    self._finish_pnr(msg, msg.pnr)
                msg.pnr = self._new_pnr(msg, seg)
                continue
            pnr = msg.pnr
            if pnr is None:
                if tag in ("RCI", "TIF", "SSR"):
                    pnr = msg.pnr = self._new_pnr(msg, None)
                    pnr.record.warnings.append(self.warn("missing_src", "PNR data before any SRC: read as a PNR", seg))
                else:
                    self._level0(seg, msg)
                    continue
            self._pnr_segment(seg, msg, pnr)
        if msg is not None:
            self._missing_unt(msg)
        if self.group_names:
            self.warn("group_name_skipped", f"{self.group_names} group name TIF(s) (qualifier G) are not travellers")
        if self.placeholders:
            self.warn("placeholder_name_skipped", f"{self.placeholders} TBA placeholder TIF(s) are not travellers")
        for tag, count in sorted(self.unknown_tags.items()):
            self.warn("unknown_segment", f"segment {tag!r} is not a PNRGOV segment ({count}x): ignored")

    # -- envelope
    def _open_message(self, seg: Segment) -> _Message:
        h, readable = self._unh_header(seg)
        if h.message_type is None:
            h.message_type = "PNRGOV"
        return _Message(header=h, start_position=seg.position, readable=readable)

    def _level0(self, seg: Segment, msg: _Message) -> None:
        """Level 0 (before the first ``SRC``): ``MSG``, ``ORG``, ``TVL``, ``EQN``."""
        tag = seg.tag
        if tag == "MSG":
            msg.push_type = seg.value(0, 1) or seg.value(0, 0) or None
        elif tag == "TVL":
            if msg.flight is None:
                parsed = self._tvl(seg)
                if parsed is not None:
                    msg.flight, msg.flight_date = parsed
        elif tag == "EQN":
            raw = seg.value(0, 0)
            if is_ascii_digits(raw):
                msg.eqn = (int(raw), seg)
            else:
                self.warn("malformed_segment", "EQN has no numeric count", seg)
        elif tag not in _KNOWN_TAGS:
            self._unknown(seg)

    def _unknown(self, seg: Segment) -> None:
        key = seg.tag[:8]
        self.unknown_tags[key] = self.unknown_tags.get(key, 0) + 1

    # -- dates
    def _ddmmyy(self, value: str, reference: date) -> date | None:
        """PNRGOV C310/C330/C688 date ``DDMMYY`` (century nearest ``reference``)."""
        v = value.strip()
        if len(v) != 6 or not is_ascii_digits(v):
            return None
        try:
            return expand_two_digit_year(int(v[4:6]), int(v[2:4]), int(v[0:2]), reference=reference, kind="event")
        except ValueError:
            return None

    @staticmethod
    def _hhmm(value: str) -> time | None:
        v = value.strip()
        if len(v) == 4 and is_ascii_digits(v) and int(v[:2]) < 24 and int(v[2:]) < 60:
            return time(int(v[:2]), int(v[2:]))
        return None

    def _tvl(self, seg: Segment) -> tuple[Flight, date | None] | None:
        """``TVL`` C310 dates/times, C328 departure and arrival locations, C306 carrier
        (marketing:operating), C308 flight number:booking class. ``None`` for a TVL
        without both airports (codeshare continuation ``TVL+++++474``, hotel or car)."""
        dep_airport = seg.value(1, 0).upper() or None
        arr_airport = seg.value(2, 0).upper() or None
        if dep_airport is None or arr_airport is None:
            return None
        dep_date = self._ddmmyy(seg.value(0, 0), self.env_date)
        if seg.value(0, 0) and dep_date is None:
            self.warn("invalid_date", "TVL departure date is not a valid DDMMYY date", seg)
        dep_time = self._hhmm(seg.value(0, 1))
        arr_raw, arr_time_raw = seg.value(0, 2), seg.value(0, 3)
        arr_date: date | None = None
        arr_time: time | None = None
        if len(arr_raw) == 4 and not arr_time_raw:  # DDMMYY:HHMM:HHMM (arrival time only)
            arr_time = self._hhmm(arr_raw)
        else:
            arr_date = self._ddmmyy(arr_raw, dep_date or self.env_date) if arr_raw else None
            arr_time = self._hhmm(arr_time_raw)
        if arr_date is None and arr_time is not None and dep_date is not None:
            if dep_time is None or arr_time >= dep_time:
                arr_date = dep_date
            else:
                arr_time = None  # arrives the next day or later: date unknown
        flight = Flight(
            carrier=seg.value(3, 0).upper() or None,
            number=seg.value(4, 0).upper() or None,
            departure_airport=dep_airport,
            arrival_airport=arr_airport,
            scheduled_departure=combine_iso(dep_date, dep_time) if dep_date else None,
            scheduled_arrival=combine_iso(arr_date, arr_time) if arr_date else None,
        )
        return flight, dep_date

    # -- PNR
    def _new_pnr(self, msg: _Message, src: Segment | None) -> _Pnr:
        msg.pnr_count += 1
        self.src_seen += 1
        record = PnrRecord(push_type=msg.push_type, message_ref=msg.header.message_ref)
        return _Pnr(record=record, src=src)

    def _pnr_segment(self, seg: Segment, msg: _Message, pnr: _Pnr) -> None:
        tag = seg.tag
        if pnr.in_history:
            self._history_segment(seg, pnr)
            return
        if tag == "ABI":
            pnr.in_history = True
            self._history_segment(seg, pnr)
        elif tag == "TIF":
            self._tif(seg, pnr)
        elif tag == "SSR":
            self._ssr(seg, pnr)
        elif tag == "RCI":
            self._rci(seg, msg, pnr)
        elif tag == "TVL":
            pnr.context = None
            parsed = self._tvl(seg)
            if parsed is None:
                return
            flight, _ = parsed
            key = (flight.carrier, flight.number, flight.scheduled_departure)
            if key not in pnr.seen_legs:
                pnr.seen_legs.add(key)
                pnr.record.itinerary.append(flight)
        elif tag in ("IFT", "LTS"):
            if not self.drop_sensitive:
                qualifier = ":".join(c for c in seg.element(0) if c) if tag == "IFT" else "LTS"
                start = 1 if tag == "IFT" else 0
                text = " ".join(":".join(el) for el in seg.elements[start:])
                pnr.record.free_text.append({"qualifier": qualifier, "text": text})
        elif tag == "FOP":
            if not self.drop_sensitive:
                card = seg.value(0, 4)
                pnr.record.payments.append(
                    {
                        "type": seg.value(0, 0) or None,
                        "vendor": seg.value(0, 3) or None,
                        "card_number": (mask_card_number(card) if self.mask_payment else card) or None,
                    }
                )
        elif tag in ("EQN", "MSG"):
            if tag == "EQN":
                self.warn("unexpected_segment", "EQN inside a PNR (level-0 segment): ignored", seg)
        elif tag not in _KNOWN_TAGS:
            self._unknown(seg)

    def _rci(self, seg: Segment, msg: _Message, pnr: _Pnr) -> None:
        """``RCI`` C330 (repeated as elements): company, record locator, control type,
        date ``DDMMYY``, time. The first locator of the first RCI is the PNR's."""
        rec = pnr.record
        for index in range(len(seg.elements)):
            carrier, locator = seg.value(index, 0).upper(), seg.value(index, 1).upper()
            if not locator:
                continue
            if rec.record_locator is None:
                rec.record_locator, rec.carrier = locator, carrier or None
                for comp in (seg.value(index, 3), seg.value(index, 2)):
                    created = self._ddmmyy(comp, self.env_date) if comp else None
                    if created is not None:
                        rec.booking_date = created.isoformat()
                        break
                continue
            pair = f"{carrier}:{locator}" if carrier else locator
            if locator != rec.record_locator and pair not in rec.other_locators:
                rec.other_locators.append(pair)

    def _tif(self, seg: Segment, pnr: _Pnr) -> None:
        """``TIF`` C322 3808 surname : 3810 qualifier (``G`` group), C324 3036 given name :
        6353 passenger type (``A`` adult, ``IN`` infant…) : 9944 traveller reference :
        9945 accompanied-by-infant indicator."""
        surname = " ".join(seg.value(0, 0).split())
        if seg.value(0, 1).upper() == "G":
            self.group_names += 1
            return
        raw_given = " ".join(seg.value(1, 0).split())
        if surname.upper() == "TBA" or raw_given.upper() == "TBA":
            self.placeholders += 1
            return
        ptype = seg.value(1, 1).upper()
        ref = seg.value(1, 2) or None
        given, title = split_title(raw_given)
        existing = self._find_pax(pnr, ref, surname, given)
        if existing is not None:
            pnr.context = existing
            return
        pax = _Pax(
            index=len(pnr.paxes) + 1,
            segment=seg,
            ref=ref,
            surname=surname or None,
            given=given or None,
            raw_given=raw_given or None,
            title=title,
            role="infant" if ptype in _INFANT_TYPES else "passenger",
            infant_indicator=bool(seg.value(1, 3)),
        )
        if not surname and not given:
            self.tw(pax, "traveller_without_name", "TIF has no name", seg, is_error=True)
        for name in (pax.surname, pax.given):
            if name and "?" in name:
                self.tw(
                    pax,
                    "unknown_character_in_name",
                    "literal '?' in name (unknown character, matched as a wildcard)",
                    seg,
                )
                break
        pnr.paxes.append(pax)
        pnr.context = pax

    @staticmethod
    def _find_pax(pnr: _Pnr, ref: str | None, surname: str, given: str) -> _Pax | None:
        if ref:
            for p in pnr.paxes:
                if p.ref == ref:
                    return p
            return None
        s, g = _squash(surname), _squash(given)
        for p in pnr.paxes:
            if _squash(p.surname) == s and _squash(p.given) == g:
                return p
        return None

    def _ssr(self, seg: Segment, pnr: _Pnr) -> None:
        """``SSR`` C334 4440 special requirement code, …, 4440 free text (component 9);
        element 2 C332 traveller reference (component 3)."""
        code = seg.value(0, 0).upper()
        ref = seg.value(1, 2) or None
        if code in ("DOCS", "DOCO", "INFT"):
            comps = seg.element(0)
            text = ":".join(comps[8:]) if len(comps) > 8 else next((c for c in comps[4:] if "/" in c), "")
            if not text.strip():
                self.warn("malformed_segment", f"SSR {code} without text", seg)
                return
            if code == "INFT":
                fields = [text]
            else:
                if not text.lstrip().startswith("/"):
                    text = "/" + text
                fields = [f.strip() for f in text.lstrip().split("/")[1:]]
            pnr.docs.append(_Docs(kind=code, segment=seg, fields=fields, ref=ref, context=pnr.context))
        elif not self.drop_sensitive and code:
            pnr.record.special_services.append({"code": code, "traveller_ref": ref})

    # -- history (group 6)
    def _history_segment(self, seg: Segment, pnr: _Pnr) -> None:
        tag = seg.tag
        hist = pnr.record.history
        if tag == "ABI" or not hist:
            if tag != "ABI":
                return
            hist.append(
                {
                    "carrier": seg.value(4, 0) or None,
                    "location": seg.value(2, 0) or None,
                    "action_at": None,
                    "changes": [],
                }
            )
            return
        rec = hist[-1]
        changes: list[dict[str, Any]] = rec["changes"]
        if tag == "DAT":
            if rec["action_at"] is None:
                d = self._ddmmyy(seg.value(0, 1), self.env_date)
                if d is not None:
                    rec["action_at"] = combine_iso(d, self._hhmm(seg.value(0, 2)))
            return
        if tag == "SAC":
            changes.append({"action": seg.value(2, 0) or seg.value(0, 0) or None, "items": []})
            return
        item: dict[str, Any] | None = None
        if tag == "TIF":
            if seg.value(0, 1).upper() == "G":
                item = {"segment": "TIF", "group": True}
            else:
                given, _ = split_title(" ".join(seg.value(1, 0).split()))
                item = {
                    "segment": "TIF",
                    "surname": " ".join(seg.value(0, 0).split()) or None,
                    "given_names": given or None,
                    "traveller_ref": seg.value(1, 2) or None,
                }
        elif tag == "TVL":
            parsed = self._tvl(seg)
            item = {"segment": "TVL", "flight": parsed[0].model_dump(mode="json") if parsed else None}
        elif tag == "SSR":
            code = seg.value(0, 0).upper()
            shown = code if (code in _HISTORY_SSR or not self.drop_sensitive) else None
            item = {"segment": "SSR", "code": shown}
        elif tag in ("IFT", "LTS"):
            item = {"segment": tag, "qualifier": ":".join(c for c in seg.element(0) if c) if tag == "IFT" else None}
            if not self.drop_sensitive:
                start = 1 if tag == "IFT" else 0
                item["text"] = " ".join(":".join(el) for el in seg.elements[start:])
        elif tag == "RPI":
            item = {"segment": "RPI", "status": seg.value(1, 0) or None}
        elif tag == "MSG":
            return
        elif tag not in _KNOWN_TAGS:
            self._unknown(seg)
            return
        if item is None:
            return
        if not changes:
            changes.append({"action": None, "items": []})
        changes[-1]["items"].append(item)

    # -- documents
    def _parse_ssr_date(self, raw: str, reference: date, kind: str) -> date | None:
        m = _SSR_DATE_RE.match(raw.strip().upper())
        if m is None:
            return None
        day, mon, year = int(m.group(1)), _MONTHS.get(m.group(2)), m.group(3)
        if mon is None:
            return None
        try:
            if len(year) == 4:
                return date(int(year), mon, day)
            return expand_two_digit_year(
                int(year), mon, day, reference=reference, kind="birth" if kind == "birth" else "expiry"
            )
        except ValueError:
            return None

    @staticmethod
    def _birth_readings(raw: str, reference: date) -> tuple[tuple[date, ...], bool] | None:
        """``SSR DOCS``/``INFT`` birth date ``DDMMMYY`` or ``DDMMMYYYY``: its plausible
        readings, latest first (:func:`~schemas.edifact.birth_date_candidates`; one for a
        four-digit year, which may lie in the future), and whether the year had four
        digits. ``None`` when it is no date."""
        m = _SSR_DATE_RE.match(raw.strip().upper())
        mon = _MONTHS.get(m.group(2)) if m else None
        if m is None or mon is None:
            return None
        day, year = int(m.group(1)), m.group(3)
        try:
            if len(year) == 4:
                return (date(int(year), mon, day),), True
            readings = birth_date_candidates(int(year), mon, day, reference=reference)
        except ValueError:
            return None
        return (readings, False) if readings else None

    def _set_birth(self, pax: _Pax, raw: str, ref_date: date, seg: Segment, what: str) -> None:
        """Record a birth date on ``pax`` (field case 06). A future date (four-digit year)
        is a data error: warned with the raw value, the DOB stays unknown. A two-digit
        year keeps its older plausible readings as alternatives; a four-digit year on
        another line decides between them. Lines that disagree otherwise are warned."""
        parsed = self._birth_readings(raw, ref_date)
        if parsed is None:
            self.tw(pax, "invalid_date", f"{what} birth date is not a valid DDMMMYY date", seg, is_error=True)
            return
        readings, four = parsed
        born = readings[0]
        if born > ref_date:
            note = f"{what} birth date {raw.strip()!r} after the flight date {ref_date.isoformat()}; ignored"
            self.tw(pax, "dob_in_future", note, seg, is_error=True)
            return
        if pax.dob is None:
            pax.dob, pax.dob_alternatives, pax.dob_four_digit, pax.dob_segment = born, list(readings[1:]), four, seg
        elif four and not pax.dob_four_digit and born in (pax.dob, *pax.dob_alternatives):
            pax.dob, pax.dob_alternatives, pax.dob_four_digit = born, [], True
        elif not (pax.dob in readings and (pax.dob_four_digit or not four)):
            self.tw(pax, "conflicting_date_of_birth", f"{what} lines disagree on the birth date", seg)

    def _country(self, raw: str, pax: _Pax, seg: Segment, what: str) -> str | None:
        v = raw.strip().upper()
        if not v:
            return None
        code = to_alpha3(v)
        if code is not None:
            return code
        if v.isalpha() and len(v) in (2, 3):
            self.tw(pax, "unknown_country_code", f"SSR DOCS {what} not ISO 3166/ICAO; kept as sent", seg)
            return v
        self.tw(pax, "invalid_country_code", f"SSR DOCS {what} is not a country code; dropped", seg)
        return None

    def _resolve_docs(self, pnr: _Pnr, d: _Docs, ref_date: date) -> _Pax:
        """Attach one SSR line to a traveller (field case 07); may create a traveller."""
        f = d.fields + [""] * 12
        infant = False
        surname, given = "", ""
        if d.kind == "DOCS":
            infant = f[5].upper() in ("MI", "FI")
            surname, given = f[7], " ".join(p for p in (f[8], f[9]) if p)
        elif d.kind == "INFT":
            infant = True
            surname, given = self._inft_name(d.fields[0])
        by_ref = next((p for p in pnr.paxes if d.ref and p.ref == d.ref), None)
        named = [p for p in pnr.paxes if surname and _names_agree(p, surname, given)]
        if infant:
            if by_ref is not None and by_ref.role == "infant":
                return by_ref
            infants = [p for p in named if p.role == "infant"]
            if infants:
                return infants[0]
            adult = by_ref or (d.context if d.context is not None and d.context.role != "infant" else None)
            if adult is None:
                adults = [p for p in pnr.paxes if p.role != "infant"]
                adult = adults[0] if len(adults) == 1 else None
            if adult is not None:
                own = next((p for p in pnr.paxes if p.adult is adult), None)
                if own is not None:
                    return own
            if named:
                return named[0]
            return self._pax_from_ssr(pnr, d, surname, given, infant=True, adult=adult)
        if by_ref is not None:
            return by_ref
        if named:
            return named[0]
        if surname:
            same = [p for p in pnr.paxes if _squash(p.surname) == _squash(surname)]
            if len(same) == 1:
                return same[0]
        if d.context is not None:
            return d.context
        if len(pnr.paxes) == 1:
            return pnr.paxes[0]
        return self._pax_from_ssr(pnr, d, surname, given, infant=False, adult=None)

    @staticmethod
    def _inft_name(text: str) -> tuple[str, str]:
        """``SSR INFT`` text ``SURNAME/GIVEN DDMMMYY`` or ``SURNAME/GIVEN/DDMMMYY``."""
        body = _INFT_DATE_RE.sub("", text.replace("/", " /").rstrip(" /"))
        parts = [p.strip() for p in body.split("/")]
        surname = parts[0] if parts else ""
        given = " ".join(p for p in parts[1:] if p and not _SSR_DATE_RE.match(p))
        return surname, given

    def _pax_from_ssr(self, pnr: _Pnr, d: _Docs, surname: str, given: str, *, infant: bool, adult: _Pax | None) -> _Pax:
        given_clean, title = split_title(given)
        pax = _Pax(
            index=len(pnr.paxes) + 1,
            segment=d.segment,
            ref=None,
            surname=" ".join(surname.split()) or None,
            given=given_clean or None,
            raw_given=given or None,
            title=title,
            role="infant" if infant else "passenger",
            adult=adult,
        )
        if infant and adult is not None:
            self.tw(pax, "infant_from_ssr", f"infant known only from SSR {d.kind}: traveller added", d.segment)
        else:
            self.tw(pax, "orphan_docs", f"SSR {d.kind} matches no TIF traveller: traveller added", d.segment)
        pnr.paxes.append(pax)
        return pax

    def _apply_docs(self, pax: _Pax, d: _Docs, ref_date: date) -> None:
        seg = d.segment
        f = d.fields + [""] * 12
        if d.kind == "INFT":
            m = _INFT_DATE_RE.search(d.fields[0].replace("/", " "))
            if m is not None and pax.dob is None:
                self._set_birth(pax, m.group(1), ref_date, seg, "SSR INFT")
            return
        if d.kind == "DOCO":
            # /place of birth/V/number/place of issue/issue date/country valid for
            if f[0] and pax.place_of_birth is None:
                pax.place_of_birth = f[0]
            number = clean_document_number(f[2])
            if number and all(doc.number != number for doc in pax.documents):
                issuer = to_alpha3(f[3]) if f[3] else None
                pax.documents.append(Document(type=f[1].upper() or "V", number=number, issuing_country=issuer))
            elif not number:
                self.tw(pax, "document_without_number", "SSR DOCO without visa number", seg)
            return
        # DOCS: /type/issuing country/number/nationality/DOB/gender/expiry/surname/given/middle
        pax.has_docs = True
        dtype, issuer_raw, number_raw, nat_raw, dob_raw, gender_raw, exp_raw = f[0:7]
        gender_code = gender_raw.upper()
        if gender_code in _DOCS_GENDERS:
            gender, infant = _DOCS_GENDERS[gender_code]
            if gender is not None:
                if pax.gender not in (None, gender):
                    self.tw(pax, "conflicting_gender", "SSR DOCS lines disagree on gender", seg)
                pax.gender = pax.gender or gender
            if infant:
                pax.role = "infant"
        else:
            self.tw(pax, "unknown_gender_code", "SSR DOCS gender not M/F/MI/FI/U/X", seg)
        if dob_raw:
            self._set_birth(pax, dob_raw, ref_date, seg, "SSR DOCS")
        missing = [w for w, v in (("gender", gender_code), ("date of birth", dob_raw)) if not v]
        if missing:
            self.tw(pax, "docs_incomplete", "SSR DOCS without " + " and ".join(missing), seg)
        if nat_raw and pax.nationality is None:
            pax.nationality = self._country(nat_raw, pax, seg, "nationality")
        number = clean_document_number(number_raw)
        if not number:
            self.tw(pax, "docs_without_document", "SSR DOCS without document number", seg)
        elif all(doc.number != number for doc in pax.documents):
            expiry: str | None = None
            if exp_raw:
                exp = self._parse_ssr_date(exp_raw, ref_date, "expiry")
                if exp is None:
                    self.tw(pax, "invalid_date", "SSR DOCS expiry is not a valid DDMMMYY date", seg, is_error=True)
                else:
                    expiry = exp.isoformat()
                    if not expiry_is_plausible(exp, ref_date):
                        self.tw(
                            pax,
                            "expiry_date_implausible",
                            "document expiry outside [flight - 15 y, flight + 20 y]",
                            seg,
                        )
            issuer = self._country(issuer_raw, pax, seg, "issuing country") if issuer_raw else None
            pax.documents.append(
                Document(type=dtype.upper() or None, number=number, issuing_country=issuer, expiry_date=expiry)
            )
        docs_surname, docs_given = f[7], " ".join(p for p in (f[8], f[9]) if p)
        if docs_surname or docs_given:
            if pax.surname is None and pax.given is None:
                pax.surname = " ".join(docs_surname.split()) or None
                pax.given = split_title(docs_given)[0] or None
            elif not _names_agree(pax, docs_surname, docs_given):
                self.tw(pax, "docs_name_mismatch", "SSR DOCS name differs from the TIF name; TIF name kept", seg)

    # -- assembly
    def _link_infants(self, pnr: _Pnr) -> None:
        for i, pax in enumerate(pnr.paxes):
            if pax.role != "infant" or pax.adult is not None:
                continue
            adults = [p for p in pnr.paxes[:i] if p.role != "infant"] or [p for p in pnr.paxes if p.role != "infant"]
            if pax.ref and pax.ref.upper().endswith("I"):
                base = pax.ref[:-1]
                pax.adult = next((p for p in pnr.paxes if p.ref == base and p is not pax), None)
            if pax.adult is None:
                flagged = [p for p in adults if p.infant_indicator]
                pool = flagged or adults
                pax.adult = pool[-1] if pool else None

    def _finish_pnr(self, msg: _Message, pnr: _Pnr) -> None:
        rec = pnr.record
        ref_date = msg.flight_date or self._first_leg_date(rec) or self.reference_date or self.env_date
        self._link_infants(pnr)
        for d in [d for d in pnr.docs if d.kind == "DOCS"] + [d for d in pnr.docs if d.kind != "DOCS"]:
            pax = self._resolve_docs(pnr, d, ref_date)
            self._apply_docs(pax, d, ref_date)
        self._link_infants(pnr)
        base = rec.record_locator or f"PNR{self.src_seen}"
        prefix, k = base, 1
        while prefix in self.used_prefixes:
            k += 1
            prefix = f"{base}#{k}"
        self.used_prefixes.add(prefix)
        ids = {id(p): f"{prefix}-{n}" for n, p in enumerate(pnr.paxes, 1)}
        for pax in pnr.paxes:
            tid = ids[id(pax)]
            alternatives = self._other_centuries(pax)
            if name_is_uncomparable(None, pax.surname, pax.given):
                note = "name has no comparable form (nothing left after transliteration); never matches a listed name"
                self.tw(pax, "uncomparable_name", note, pax.segment)
            extra: dict[str, Any] = {"push_type": msg.push_type}
            if pax.role == "infant" and pax.adult is not None:
                extra["accompanying_traveller_id"] = ids[id(pax.adult)]
            source = Source.model_validate(
                {
                    "format": "PNRGOV",
                    "message_ref": msg.header.message_ref,
                    "interchange_ref": msg.header.interchange_ref,
                    "sender": msg.header.sender,
                    "recipient": msg.header.recipient,
                    "common_access_ref": msg.header.common_access_ref,
                    "flight": msg.flight,
                    "legs": list(rec.itinerary),
                    "record_locator": rec.record_locator,
                    **extra,
                }
            )
            self.travellers.append(
                Traveller(
                    traveller_id=tid,
                    role=pax.role,
                    surname=pax.surname,
                    given_names=pax.given,
                    gender=pax.gender,
                    date_of_birth=pax.dob.isoformat() if pax.dob else None,
                    date_of_birth_alternatives=alternatives,
                    nationality=pax.nationality,
                    place_of_birth=pax.place_of_birth,
                    documents=pax.documents,
                    source=source,
                    warnings=pax.warnings,
                )
            )
            rec.traveller_ids.append(tid)
        self.pnrs.append(rec)

    def _other_centuries(self, pax: _Pax) -> list[str]:
        """The older plausible readings of a two-digit birth year (field case 06), warned
        ``dob_ambiguous_century``; ``[]`` for an infant (``TIF`` type ``IN``, ``SSR DOCS``
        ``MI``/``FI``, ``SSR INFT``: the recent century) or when a line decided."""
        if not pax.dob_alternatives or pax.role == "infant":
            return []
        note = "two-digit birth year fits two centuries (the older reading is over 100 years); both kept"
        self.tw(pax, "dob_ambiguous_century", note, pax.dob_segment or pax.segment)
        return [d.isoformat() for d in pax.dob_alternatives]

    def _first_leg_date(self, rec: PnrRecord) -> date | None:
        for leg in rec.itinerary:
            if leg.scheduled_departure:
                return date.fromisoformat(leg.scheduled_departure[:10])
        return None

    def _finish_message(self, msg: _Message) -> None:
        if not msg.readable:
            return
        if msg.pnr is not None:
            self._finish_pnr(msg, msg.pnr)
        self.messages.append(msg.header)
        if msg.eqn is not None and msg.eqn[0] != msg.pnr_count:
            count, seg = msg.eqn
            self.warn("pnr_count_mismatch", f"EQN says {count} PNRs, message has {msg.pnr_count}", seg)


def _names_agree(pax: _Pax, surname: str, given: str) -> bool:
    """Surnames equal and given names compatible once spaces, punctuation and a trailing
    title are ignored (one may add middle names: ``KEVINMICHAEL`` ~ ``KEVIN MICHAEL``)."""
    if _squash(pax.surname) != _squash(surname):
        return False
    mine = _squash(pax.given)
    theirs = _squash(split_title(given)[0])
    if not mine or not theirs:
        return True
    return mine.startswith(theirs) or theirs.startswith(mine)


def decode_pnrgov(
    data: bytes,
    *,
    reference_date: date | None = None,
    mask_payment: bool = True,
    drop_sensitive: bool = True,
    split_repetitions: bool = False,
) -> PnrgovDecodeResult:
    """Decode a PNRGOV interchange into PNR records and canonical travellers.

    Args:
        data: raw interchange bytes as received (transport wrapping, line breaks and the
            character set handled by :func:`schemas.edifact.tokenise`).
        reference_date: fallback for two-digit-year centuries when the message has no
            flight date (birth dates use the level-0 ``TVL`` departure date first, then the
            PNR's first leg, then this, then the UNB date, then today, UTC).
        mask_payment: mask ``FOP`` card numbers to the last four digits (only stored at all
            with ``drop_sensitive=False``).
        drop_sensitive: keep no free text (``IFT``, ``LTS``), special-service codes other
            than document/seat/ticket ones, or payment data anywhere in the result. With
            ``False`` they are kept on :class:`PnrRecord` (never on a Traveller).
        split_repetitions: honour the UNA repetition separator (position 5); off by
            default, since PNRGOV senders declare ``*`` there and use it as data (field
            case 03). Only for a sender known to repeat elements; each element then holds
            its first repetition.

    Returns:
        :class:`PnrgovDecodeResult`. ``traveller_id`` is ``"{record locator}-{n}"`` (``n``
        1-based within the PNR; ``#k`` added to a locator seen before in the interchange,
        ``PNR{k}`` when the PNR has no RCI). Group names (``TIF`` qualifier ``G``) and
        ``TBA`` placeholders are not travellers (counted in a warning). A push with
        ``EQN+0`` and no PNR returns an empty result with a ``no_pnrs`` warning.

    Raises:
        DecodeError: only when no traveller can be recovered: ``not_edifact``,
            ``undecodable_bytes``, ``not_pnrgov`` (:class:`NotPnrgovError`: no PNRGOV
            message), ``no_travellers`` (PNRGOV without any ``TIF`` traveller).
    """
    inter = tokenise(data, split_repetitions=split_repetitions)
    decoder = _Decoder(inter, reference_date, mask_payment=mask_payment, drop_sensitive=drop_sensitive)
    decoder.run()
    if not decoder.travellers:
        if decoder.type_seen == 0 and decoder.other_types:
            raise NotPnrgovError(detail=decoder._other_types_detail())
        tags = {s.tag for s in inter.segments}
        if "UNH" not in tags and not tags & {"SRC", "TIF"}:
            raise NotPnrgovError(detail="no UNH message header and no SRC/TIF segment")
        empty_push = "EQN" in tags and not any(s.tag == "EQN" and s.value(0) != "0" for s in inter.segments)
        if not decoder.pnrs and decoder.messages and empty_push:
            decoder.warn("no_pnrs", "PNRGOV push without PNRs (EQN+0)")
            decoder.set_statuses()
            return PnrgovDecodeResult(
                messages=decoder.messages, pnrs=[], travellers=[], warnings=decoder.warnings, errors=decoder.errors
            )
        raise NoTravellersError(detail="no TIF traveller found in any PNR")
    decoder.set_statuses()
    return PnrgovDecodeResult(
        messages=decoder.messages,
        pnrs=decoder.pnrs,
        travellers=decoder.travellers,
        warnings=decoder.warnings,
        errors=decoder.errors,
    )


def looks_like_pnrgov(data: bytes) -> bool:
    """Cheap sniff for ``parse --format auto``: ``True`` when the UNG or UNH header (read
    with the release-aware tokeniser from the first 4 KiB) names ``PNRGOV``. Never raises."""
    return header_names(data, "PNRGOV")
