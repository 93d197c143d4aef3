"""PAXLST (UN/EDIFACT passenger list, IATA/WCO API profile) → canonical Travellers.

Decodes D:02B/D:03B/D:05B passenger and crew lists as airlines send them. Structure
read (segment group names from the UN directory):

- ``UNB`` interchange header (sender 0004, recipient 0010, date/time S004, control
  reference 0020), optional ``UNG``, ``UNH`` message header (0062 reference, S009
  type/version, 0068 common access reference, S010 sequence 0070/0073 for multi-part
  manifests), ``BGM`` (1001 document code, 1004 identifier).
- ``TDT+20`` flight groups with ``LOC+125``/``87`` (or progressive ``LOC+92``) and
  ``DTM+189``/``232``.
- Traveller groups opened by ``NAD+FL`` (passenger), ``FM`` (crew), ``DDT`` (in-transit
  passenger), ``DDU`` (in-transit crew): ``ATT+2`` gender, ``DTM+329`` birth date,
  ``LOC+174`` residence, ``LOC+180`` place of birth, ``NAT+2`` nationality, ``DOC``
  documents with ``DTM+36`` expiry and ``LOC+91`` issuing country.
- ``CNT+42``/``41`` counts, ``UNT``/``UNZ`` trailers (checked, mismatches warned).
- ``BGM`` 1001 (:data:`DOCUMENT_CODES`): in a crew list (250, 336) every traveller is crew;
  a flight status message (266) may hold no traveller and is then not an error.
- ``RFF+AVF`` in a traveller group → ``Source.record_locator`` (per traveller); ``ABO``,
  ``AEA``, ``CR``, ``SEA`` accepted without a canonical field.
- ``DOC`` numbers keep their form but lose ``<`` fillers, whitespace and control
  characters (field case 17); a ``DOC`` without a type keeps its number (field case 07).
- The pre-2005 US/EDIFACT layout (``UNH`` version ``001:000``): ``CTA`` reporting party,
  ``TDT++flight+mode+carrier``, ``LOC+005``/``008``/``PT`` with country+airport,
  ``DTM+136``/``132`` with date and time in separate elements, ``UNS`` then one ``PDT``
  person-details segment per traveller (document, name, birth date, gender, PAX/CRW/ITI).

Everything recoverable is recovered; problems become :class:`~schemas.records.Warning_`
entries (``warnings`` for data-quality findings, ``errors`` for data that was lost).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from schemas.countries import to_alpha3
from schemas.edifact import (
    Interchange,
    Segment,
    birth_date_candidates,
    combine_iso,
    expiry_is_plausible,
    is_ascii_digits,
    parse_dtm,
    tokenise,
)
from schemas.envelope import ENVELOPE_TAGS, EnvelopeDecoder, MessageHeader, header_names
from schemas.errors import NotPaxlstError, NoTravellersError
from schemas.records import Document, Flight, Role, Source, Traveller, Warning_
from schemas.screening import name_is_uncomparable

__all__ = [
    "CREW_DOCUMENT_CODES",
    "DOCUMENT_CODES",
    "TRAVELLER_ROLES",
    "MessageHeader",
    "PaxlstDecodeResult",
    "clean_document_number",
    "decode_paxlst",
    "looks_like_paxlst",
]

TRAVELLER_ROLES: dict[str, Role] = {
    "FL": "passenger",
    "FM": "crew",
    "DDT": "in_transit_passenger",
    "DDU": "in_transit_crew",
}
"""``NAD`` party function code qualifier (3035) → traveller role."""

_HEADER_PARTIES = frozenset({"MS", "CZ", "CN", "CA", "CB", "DEC", "BA"})
_TRAVELLER_LOC = frozenset({"22", "91", "174", "178", "179", "180"})
_NO_COMPONENTS: list[str] = []
_IGNORED_TRAVELLER_LOC = frozenset({"22", "178", "179"})  # clearance, embarkation, debarkation: flight data
_TRAVELLER_DTM = frozenset({"329", "36", "182"})
_KNOWN_TRAVELLER_TAGS = frozenset(
    {
        "NAD",
        "ATT",
        "DTM",
        "LOC",
        "NAT",
        "DOC",
        "RFF",
        "MEA",
        "FTX",
        "COM",
        "EMP",
        "GEI",
        "CPI",
        "QTY",
        "FII",
        "PDI",
        "TSR",
        "GIS",
        "SEQ",
        "CTA",
        "CNT",
        "UNT",
        "UNE",
        "UNZ",
    }
)
_STRUCTURAL_TAGS = frozenset({"UNB", "UNG", "UNE", "UNZ", "UNH", "UNT", "BGM", "TDT", "NAD", "CNT", "UNS", "PDT"})
"""Tags that the main loop handles itself; every other tag inside a traveller group goes
to the traveller-segment handler."""
_KNOWN_RFF = frozenset({"AVF", "ABO", "AEA", "CR", "SEA", "TN"})
DOCUMENT_CODES: dict[str, str] = {
    "745": "passenger list",
    "250": "crew list declaration",
    "336": "master crew list",
    "266": "flight status update",
    "655": "gate pass request",
}
"""BGM 1001 document name codes used in the WCO/IATA/ICAO API guidelines and the US CBP
APIS implementation guide. 745: passengers (NAD+FL/DDT). 250: crew of one flight
(NAD+FM/DDU). 336: a crew member's standing registration (BGM 1004 ``G`` add, ``H``
delete, ``I`` change). 266: flight close-out or status (BGM 1004 ``CL``, ``CLOB``,
``CLNB``, ``XF`` cancelled, ``CF`` changed): may carry no traveller at all. 655: a
non-traveller's gate pass (screened as a passenger)."""

CREW_DOCUMENT_CODES = frozenset({"250", "336"})
"""BGM codes whose traveller groups are crew whatever the NAD qualifier says: a crew list
holds no passengers, and a sender that codes its crew ``NAD+FL`` must not turn them into
passengers (warned ``role_from_document_code``)."""

_STATUS_DOCUMENT_CODES = frozenset({"266"})
_DOC_NUMBER_NOISE = re.compile(r"[\s<\x00-\x1f\x7f-\x9f\u200b-\u200d\ufeff]+")
_PDT_ROLES: dict[str, Role] = {"PAX": "passenger", "CRW": "crew", "ITI": "in_transit_passenger"}
_LEGACY_LOC = {"5": "dep", "005": "dep", "8": "arr", "008": "arr", "PT": "transit"}


def clean_document_number(value: str) -> str:
    """A travel-document number as sent, minus MRZ ``<`` fillers, whitespace and control
    or zero-width characters (field case 17: ``"ZK4471203<"`` → ``"ZK4471203"``,
    ``"ZK4471203\\n\\t"`` → ``"ZK4471203"``). Case, hyphens and look-alike characters are
    kept: the matcher canonicalises. Returns ``""`` when nothing is left."""
    return _DOC_NUMBER_NOISE.sub("", value)


_GENDERS = {"M": "M", "F": "F", "X": "X", "U": "U", "MALE": "M", "FEMALE": "F"}
_FLIGHT_RE = re.compile(r"^([A-Z0-9]{2})(\d{1,5}[A-Z]?)$|^([A-Z]{3})(\d{1,5}[A-Z]?)$")
_NAME_PUNCT_DELETE = str.maketrans("", "", " -'.,?")


@dataclass
class PaxlstDecodeResult:
    """What :func:`decode_paxlst` recovered from one interchange.

    ``warnings``: data-quality findings (nothing lost); ``errors``: data that could not
    be used (a message skipped, a date or document dropped). Traveller-specific
    findings are also on the traveller's own ``warnings``.
    """

    messages: list[MessageHeader]
    travellers: list[Traveller]
    warnings: list[Warning_] = field(default_factory=list)
    errors: list[Warning_] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """``{"messages", "travellers", "warnings", "errors"}`` as JSON-ready values."""
        return {
            "messages": [m.to_json() for m in self.messages],
            "travellers": [t.model_dump(mode="json") for t in self.travellers],
            "warnings": [w.model_dump(mode="json") for w in self.warnings],
            "errors": [w.model_dump(mode="json") for w in self.errors],
        }


# ----------------------------------------------------------------------------- drafts


@dataclass(slots=True)
class _Stamp:
    value: str
    fmt: str | None
    segment: Segment


@dataclass(slots=True)
class _Leg:
    journey_id: str | None = None
    carrier: str | None = None
    departure_airport: str | None = None
    arrival_airport: str | None = None
    departure: _Stamp | None = None
    arrival: _Stamp | None = None
    scheduled: bool = False  # LOC+125/87 (the reported flight) rather than LOC+92
    last_loc: str = ""
    legacy: bool = False  # US/EDIFACT layout: TDT++flight+mode+carrier


@dataclass(slots=True)
class _DocDraft:
    segment: Segment
    type: str | None
    number: str
    expiry: _Stamp | None = None
    issuer: str | None = None


@dataclass(slots=True)
class _TravellerDraft:
    nad: Segment
    role: Role
    surname: str | None = None
    given_names: str | None = None
    full_name: str | None = None
    gender: str | None = None
    birth: _Stamp | None = None
    nationality: str | None = None
    residence: str | None = None
    place_of_birth: str | None = None
    documents: list[_DocDraft] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    record_locator: str | None = None
    infant: bool = False  # ATT+2 MI/FI: the recent century of a two-digit birth year


@dataclass(slots=True)
class _Message:
    header: MessageHeader
    unh: Segment | None
    legs: list[_Leg] = field(default_factory=list)
    travellers: list[_TravellerDraft] = field(default_factory=list)
    counts: list[tuple[str, int, Segment]] = field(default_factory=list)
    start_position: int = 0  # position of the UNH (or first) segment; UNT count = UNT position - this + 1
    readable: bool = True  # False: a message of another type, skipped
    unexpected_tags: set[str] = field(default_factory=set)


class _Decoder(EnvelopeDecoder[_Message]):
    MESSAGE_TYPE = "PAXLST"

    def __init__(self, inter: Interchange, reference_date: date | None) -> None:
        super().__init__(inter, reference_date)
        self.seen_refs: dict[str, int] = {}

    # -- main loop
    def run(self) -> None:
        msg: _Message | None = None
        tr: _TravellerDraft | None = None
        doc: _DocDraft | None = None
        for seg in self.inter.segments:
            tag = seg.tag
            if tr is not None and msg is not None and tag not in _STRUCTURAL_TAGS:
                # hot path: ATT/DTM/LOC/NAT/DOC… inside a traveller group
                doc = self._traveller_segment(seg, msg, tr, doc)
                continue
            if tag in ENVELOPE_TAGS:
                msg = self._envelope(seg, msg)
                if tag in ("UNZ", "UNH"):
                    tr, doc = None, None
                continue
            if msg is None:
                msg = _Message(header=self._header_copy(), unh=None)
                msg.start_position = seg.position
                self.warn("missing_unh", "segments outside a UNH/UNT message", seg)
            if tag == "UNT":
                self._end_message(seg, msg)
                msg, tr, doc = None, None, None
                continue
            if not msg.readable:
                continue
            if tag == "BGM":
                self._bgm(seg, msg)
            elif tag == "UNS":
                tr, doc = None, None  # US/EDIFACT: start of the PDT detail section
            elif tag == "PDT":
                self._pdt(seg, msg)
                tr, doc = None, None
            elif tag == "TDT":
                msg.legs.append(self._tdt(seg))
                tr, doc = None, None
            elif tag == "NAD":
                qual = seg.qualifier.upper()
                if qual in TRAVELLER_ROLES or (qual not in _HEADER_PARTIES and (msg.legs or msg.travellers)):
                    tr = self._nad(seg, msg)
                    doc = None
                else:
                    tr, doc = None, None
            elif tag == "CNT":
                self._cnt(seg, msg)
                tr, doc = None, None
            elif tr is not None:
                doc = self._traveller_segment(seg, msg, tr, doc)
            elif msg.legs and tag in ("LOC", "DTM"):
                self._leg_segment(seg, msg.legs[-1])
        if msg is not None:
            self._missing_unt(msg)

    # -- envelope
    def _open_message(self, seg: Segment) -> _Message:
        h, readable = self._unh_header(seg)
        msg = _Message(header=h, unh=seg, readable=readable)
        msg.start_position = seg.position
        return msg

    def _cnt(self, seg: Segment, msg: _Message) -> None:
        qual, raw = seg.value(0, 0), seg.value(0, 1)
        if not raw and is_ascii_digits(seg.value(1)):
            raw = seg.value(1)
            self.warn("malformed_segment", "CNT count sent as a separate element", seg)
        if not is_ascii_digits(raw):
            self.warn("malformed_segment", "CNT has no numeric count", seg)
            return
        if qual not in ("41", "42"):
            self.warn("unknown_qualifier", f"CNT qualifier {qual!r} not recognised", seg)
            return
        msg.counts.append((qual, int(raw), seg))

    def _bgm(self, seg: Segment, msg: _Message) -> None:
        """``BGM`` C002 1001 document name code, C106 1004 document identifier."""
        code = seg.value(0) or None
        msg.header.document_code = code
        msg.header.document_id = seg.value(1) or None
        if code is not None and code not in DOCUMENT_CODES:
            self.warn("unknown_document_code", f"BGM {code[:6]!r} is not a PAXLST document code", seg)

    def _pdt(self, seg: Segment, msg: _Message) -> None:
        """US/EDIFACT (pre-2005 CBP APIS) ``PDT`` person details, one segment per traveller:
        ``PDT+type/number:expiry YYMMDD:issuer (ISO alpha-2)+surname:first:middle:birth
        YYMMDD:gender+PAX|CRW|ITI+embarkation:debarkation (country+airport)``."""
        status = seg.value(2).upper()
        role = _PDT_ROLES.get(status)
        tr = _TravellerDraft(nad=seg, role=role or "passenger")
        if role is None:
            shown = repr(status[:4]) if status else "missing"
            self.tw(tr, "unknown_qualifier", f"PDT person status {shown}: read as a passenger", seg)
        surname = " ".join(seg.value(1, 0).split())
        given = " ".join(" ".join(seg.value(1, i).split()) for i in (1, 2) if seg.value(1, i))
        tr.surname, tr.given_names = surname or None, given or None
        if tr.surname is None and tr.given_names is None:
            self.tw(tr, "traveller_without_name", "PDT has no name", seg, is_error=True)
        for name in (tr.surname, tr.given_names):
            if name:
                self._check_name(name, tr, seg)
        birth = seg.value(1, 3)
        if birth:
            tr.birth = _Stamp(birth, None, seg)
        gender = seg.value(1, 4).upper()
        if gender:
            tr.gender = _GENDERS.get(gender)
            if tr.gender is None:
                self.tw(tr, "unknown_gender_code", "PDT gender code not M/F/X/U", seg)
        raw_doc = seg.value(0, 0)
        if raw_doc:
            dtype, sep, number = raw_doc.partition("/")
            if not sep:
                dtype, number = "", raw_doc
            new = self._doc(seg, dtype.strip().upper() or None, number, tr)
            if new is not None:
                expiry = seg.value(0, 1)
                if expiry:
                    new.expiry = _Stamp(expiry, None, seg)
                issuer = seg.value(0, 2)
                if issuer:
                    new.issuer = self._country(issuer, tr, seg)
        msg.travellers.append(tr)

    # -- flight
    def _tdt(self, seg: Segment) -> _Leg:
        qual = seg.qualifier
        if not qual and seg.value(3) and not seg.value(4):
            # US/EDIFACT layout: TDT++flight+mode of transport+carrier
            return _Leg(
                journey_id=seg.value(1).replace(" ", "").upper() or None,
                carrier=seg.value(3, 0).upper() or None,
                legacy=True,
            )
        if qual != "20":
            self.warn("unknown_qualifier", f"TDT qualifier {qual!r} read as 20", seg)
        journey = seg.value(1).replace(" ", "").upper() or None
        carrier = seg.value(4, 0).upper() or None
        return _Leg(journey_id=journey, carrier=carrier)

    def _legacy_leg_segment(self, seg: Segment, leg: _Leg) -> None:
        """US/EDIFACT ``LOC+005``/``008``/``PT`` (value: ISO alpha-2 country + IATA airport)
        and ``DTM+136``/``132`` (date YYMMDD + time HHMM in separate elements); a DTM
        belongs to the LOC before it."""
        q = seg.qualifier.upper()
        if seg.tag == "LOC":
            kind = _LEGACY_LOC.get(q)
            if kind is None:
                self.warn("unknown_qualifier", f"LOC qualifier {q[:4]!r} in a TDT group", seg)
                return
            value = seg.value(1, 0).upper()
            airport = value[2:] if len(value) == 5 else value
            leg.last_loc = kind
            if kind == "dep":
                leg.departure_airport, leg.scheduled = airport or None, True
            elif kind == "arr":
                leg.arrival_airport, leg.scheduled = airport or None, True
            return
        stamp = _Stamp(seg.value(1) + seg.value(2), None, seg)
        if q == "136" and leg.last_loc == "dep":
            leg.departure = stamp
        elif q == "132" and leg.last_loc == "arr":
            leg.arrival = stamp
        elif q not in ("136", "132"):
            self.warn("unknown_qualifier", f"DTM qualifier {q[:4]!r} in a TDT group", seg)

    def _leg_segment(self, seg: Segment, leg: _Leg) -> None:
        if leg.legacy:
            self._legacy_leg_segment(seg, leg)
            return
        q = seg.qualifier
        if seg.tag == "LOC":
            place = seg.value(1, 0).upper() or None
            if q == "125":
                leg.departure_airport, leg.scheduled = place, True
            elif q == "87":
                leg.arrival_airport, leg.scheduled = place, True
            elif q == "92":
                if leg.departure_airport is None:
                    leg.departure_airport = place
                else:
                    leg.arrival_airport = place
            else:
                self.warn("unknown_qualifier", f"LOC qualifier {q!r} in a TDT group", seg)
        else:
            stamp = _Stamp(seg.value(0, 1), seg.value(0, 2) or None, seg)
            if q == "189":
                leg.departure = stamp
            elif q in ("232", "132"):  # 132: estimated arrival (ACE style)
                if q == "232" or leg.arrival is None:
                    leg.arrival = stamp
            else:
                self.warn("unknown_qualifier", f"DTM qualifier {q!r} in a TDT group", seg)

    def _flight(self, leg: _Leg) -> Flight:
        carrier, number = leg.carrier, leg.journey_id
        if number:
            if carrier and number.startswith(carrier) and number[len(carrier) :].isalnum():
                number = number[len(carrier) :] or number
            elif carrier is None:
                m = _FLIGHT_RE.match(number)
                if m:
                    carrier = m.group(1) or m.group(3)
                    number = m.group(2) or m.group(4)
        return Flight(
            carrier=carrier,
            number=number,
            departure_airport=leg.departure_airport,
            arrival_airport=leg.arrival_airport,
            scheduled_departure=self._stamp_iso(leg.departure),
            scheduled_arrival=self._stamp_iso(leg.arrival),
        )

    def _stamp_iso(self, stamp: _Stamp | None) -> str | None:
        if stamp is None or not stamp.value:
            return None
        try:
            d, t = parse_dtm(stamp.value, stamp.fmt, reference=self.env_date, kind="event")
        except ValueError:
            self.warn("invalid_date", "flight date/time is not valid", stamp.segment)
            return None
        return combine_iso(d, t)

    # -- travellers
    def _nad(self, seg: Segment, msg: _Message) -> _TravellerDraft:
        qual = seg.qualifier.upper()
        role = TRAVELLER_ROLES.get(qual)
        tr = _TravellerDraft(nad=seg, role=role or "passenger")
        if role is None:
            self.tw(tr, "unknown_qualifier", f"NAD qualifier {qual!r} read as a passenger", seg)
        if msg.header.document_code in CREW_DOCUMENT_CODES and tr.role in ("passenger", "in_transit_passenger"):
            tr.role = "crew" if tr.role == "passenger" else "in_transit_crew"
            note = f"NAD+{qual} in a crew list (BGM {msg.header.document_code}): crew"
            self.tw(tr, "role_from_document_code", note, seg)
        names = [" ".join(c.split()) for c in seg.element(3)[:5]]
        if names and names[0]:
            tr.surname = names[0]
        given = " ".join(n for n in names[1:] if n)
        tr.given_names = given or None
        if tr.surname is None and tr.given_names is None:
            free = " ".join(" ".join(c.split()) for c in seg.element(2) if c.strip())
            if free:
                tr.full_name = free
                self.tw(tr, "name_not_structured", "NAD C080 empty; C058 used as full name", seg)
            else:
                self.tw(tr, "traveller_without_name", "NAD has no name", seg, is_error=True)
        for name in (tr.surname, tr.given_names, tr.full_name):
            if name:
                self._check_name(name, tr, seg)
        msg.travellers.append(tr)
        return tr

    def _check_name(self, name: str, tr: _TravellerDraft, seg: Segment) -> None:
        if "?" in name:
            self.tw(
                tr, "unknown_character_in_name", "literal '?' in name (unknown character, matched as a wildcard)", seg
            )
        letters = name.translate(_NAME_PUNCT_DELETE)
        if not letters or letters.isalpha():
            return
        odd = sorted({c for c in letters if not c.isalpha()})
        if odd:
            shown = ", ".join(f"U+{ord(c):04X}" for c in odd)
            self.tw(tr, "doubtful_character", f"unexpected character(s) in name: {shown}", seg)

    def _traveller_segment(
        self, seg: Segment, msg: _Message, tr: _TravellerDraft, doc: _DocDraft | None
    ) -> _DocDraft | None:
        tag = seg.tag
        first = seg.elements[0] if seg.elements else _NO_COMPONENTS
        q = first[0].strip() if first else ""
        if tag == "LOC":
            if q not in _IGNORED_TRAVELLER_LOC:
                self._traveller_loc(seg, q, tr, doc)
        elif tag == "ATT":
            if q == "2":
                self._gender(seg, tr)
        elif tag == "DTM":
            n = len(first)
            stamp = _Stamp(first[1].strip() if n > 1 else "", (first[2].strip() or None) if n > 2 else None, seg)
            if q == "329":
                tr.birth = stamp
            elif q == "36" and doc is not None:
                doc.expiry = stamp
            elif q not in _TRAVELLER_DTM:
                self.tw(tr, "unknown_qualifier", f"DTM qualifier {q!r} in a traveller group", seg)
        elif tag == "NAT":
            if q not in ("2", "1"):
                self.tw(tr, "unknown_qualifier", f"NAT qualifier {q!r} read as nationality", seg)
            raw = seg.value(1, 0)
            if raw and (tr.nationality is None or q == "2"):
                tr.nationality = self._country(raw, tr, seg)
        elif tag == "DOC":
            return self._doc(seg, q.upper() or None, seg.value(1, 0), tr)
        elif tag == "RFF":
            self._rff(seg, q.upper(), tr)
        elif tag not in _KNOWN_TRAVELLER_TAGS and tag not in msg.unexpected_tags:
            msg.unexpected_tags.add(tag)
            self.warn("unexpected_segment", f"{tag} not expected in a traveller group", seg)
        return doc

    def _gender(self, seg: Segment, tr: _TravellerDraft) -> None:
        """``ATT+2`` C956 9019 gender: ``M``/``F``/``X``/``U``; ``MI``/``FI`` (the PNR
        infant codes, field case 07) give ``M``/``F`` and mark an infant — a passenger
        becomes role ``infant`` and a two-digit birth year takes the recent century
        (field case 06)."""
        raw = seg.value(2, 0).upper()
        if not raw:
            return
        if raw in ("MI", "FI"):
            tr.infant = True
            if tr.role == "passenger":
                tr.role = "infant"
            raw = raw[0]
        value = _GENDERS.get(raw)
        if value is None:
            first = re.split(r"[^A-Z]+", raw)[0]
            value = _GENDERS.get(first)
            if value is not None:
                self.tw(tr, "gender_repeated", "ATT+2 value repeated; first value used", seg)
        if value is None:
            self.tw(tr, "unknown_gender_code", "ATT+2 gender code not M/F/X/U", seg)
        tr.gender = value

    def _doc(self, seg: Segment, dtype: str | None, raw_number: str, tr: _TravellerDraft) -> _DocDraft | None:
        """``DOC`` C002 1001 document type, C503 1004 number (field cases 07 and 17)."""
        number = clean_document_number(raw_number)
        if not number:
            self.tw(tr, "document_without_number", "DOC has no document number", seg, is_error=True)
            return None
        if number != raw_number.strip():
            self.tw(tr, "document_number_cleaned", "filler '<', whitespace or control characters removed", seg)
        if dtype is None:
            self.tw(tr, "document_type_missing", "DOC without document type code; number kept", seg)
        new = _DocDraft(segment=seg, type=dtype, number=number)
        tr.documents.append(new)
        return new

    def _rff(self, seg: Segment, q: str, tr: _TravellerDraft) -> None:
        """``RFF`` C506 in a traveller group: ``AVF`` reservation reference (the PNR record
        locator) goes to ``Source.record_locator``; ``ABO``/``AEA``/``CR``/``SEA`` (passenger,
        government agency, customer references, seat) have no canonical field and are
        accepted silently; anything else is warned."""
        ref = seg.value(0, 1)
        if q == "AVF":
            if ref:
                tr.record_locator = ref
        elif q not in _KNOWN_RFF:
            self.tw(tr, "unknown_qualifier", f"RFF qualifier {q[:4]!r} in a traveller group", seg)

    def _traveller_loc(self, seg: Segment, q: str, tr: _TravellerDraft, doc: _DocDraft | None) -> None:
        if q == "174":
            code = seg.value(1, 0)
            if code:
                tr.residence = self._country(code, tr, seg)
        elif q == "180":
            place = " ".join((seg.value(1, 3) or seg.value(1, 0)).split())
            tr.place_of_birth = place or None
        elif q == "91":
            code, codelist = seg.value(1, 0), seg.value(1, 1)
            if doc is None:
                self.tw(tr, "orphan_segment", "LOC+91 without a preceding DOC", seg)
            # code list 163 is a country subdivision (e.g. a US state), not a country
            elif code and codelist != "163" and (doc.issuer is None or codelist == "162"):
                doc.issuer = self._country(code, tr, seg)
        elif q not in _TRAVELLER_LOC:
            self.tw(tr, "unknown_qualifier", f"LOC qualifier {q!r} in a traveller group", seg)

    def _country(self, raw: str, tr: _TravellerDraft, seg: Segment) -> str:
        code = to_alpha3(raw)
        if code is None:
            self.tw(tr, "unknown_country_code", "country code not ISO 3166/ICAO; kept as sent", seg)
            return raw.strip().upper()
        return code

    # -- assembly
    def _finish_message(self, msg: _Message) -> None:
        if not msg.readable:
            return
        h = msg.header
        self.messages.append(h)
        legs = [self._flight(leg) for leg in msg.legs]
        primary_idx = next((i for i, leg in enumerate(msg.legs) if leg.scheduled), 0)
        flight = legs[primary_idx] if legs else None
        ref = self._reference(flight)
        base_ref = h.message_ref or f"MSG{len(self.messages)}"
        k = self.seen_refs.get(base_ref, 0)
        self.seen_refs[base_ref] = k + 1
        id_prefix = base_ref if k == 0 else f"{base_ref}#{k + 1}"
        source = Source(
            format="PAXLST",
            message_ref=h.message_ref,
            interchange_ref=h.interchange_ref,
            sender=h.sender,
            recipient=h.recipient,
            document_code=h.document_code,
            part_number=h.part_number,
            final_part=h.final_part,
            common_access_ref=h.common_access_ref,
            flight=flight,
            legs=legs,
        )
        for n, tr in enumerate(msg.travellers, start=1):
            own = source
            if tr.record_locator is not None:
                own = source.model_copy(update={"record_locator": tr.record_locator})
            self.travellers.append(self._build(tr, f"{id_prefix}-{n}", own, ref))
        self._check_counts(msg)

    def _reference(self, flight: Flight | None) -> date:
        if flight is not None:
            for stamp in (flight.scheduled_departure, flight.scheduled_arrival):
                if stamp:
                    return date.fromisoformat(stamp[:10])
        return self.reference_date or self.env_date

    def _build(self, tr: _TravellerDraft, tid: str, source: Source, ref: date) -> Traveller:
        if name_is_uncomparable(tr.full_name, tr.surname, tr.given_names):
            note = "name has no comparable form (nothing left after transliteration); never matches a listed name"
            self.tw(tr, "uncomparable_name", note, tr.nad)
        dob = None
        alternatives: list[str] = []
        if tr.birth is not None and tr.birth.value:
            try:
                d, _ = parse_dtm(tr.birth.value, tr.birth.fmt, reference=ref, kind="birth")
            except ValueError:
                self.tw(tr, "invalid_date", "DTM+329 is not a valid date", tr.birth.segment, is_error=True)
            else:
                if d > ref:
                    # only a four-digit year can land here; the raw value stays in the warning
                    self.tw(
                        tr,
                        "dob_in_future",
                        f"birth date {tr.birth.value!r} after the flight date {ref.isoformat()}; ignored",
                        tr.birth.segment,
                        is_error=True,
                    )
                else:
                    dob = d.isoformat()
                    alternatives = self._other_centuries(tr, ref)
        documents = []
        for dd in tr.documents:
            expiry = None
            if dd.expiry is not None and dd.expiry.value:
                try:
                    d, _ = parse_dtm(dd.expiry.value, dd.expiry.fmt, reference=ref, kind="expiry")
                except ValueError:
                    self.tw(tr, "invalid_date", "DTM+36 is not a valid date", dd.expiry.segment, is_error=True)
                else:
                    expiry = d.isoformat()
                    if not expiry_is_plausible(d, ref):
                        self.tw(
                            tr,
                            "expiry_date_implausible",
                            "document expiry outside [flight - 15 y, flight + 20 y]; "
                            "century chosen nearest the flight date",
                            dd.expiry.segment,
                        )
            documents.append(Document(type=dd.type, number=dd.number, issuing_country=dd.issuer, expiry_date=expiry))
        gender = tr.gender if tr.gender in ("M", "F", "X", "U") else None
        return Traveller.model_validate(
            {
                "traveller_id": tid,
                "role": tr.role,
                "surname": tr.surname,
                "given_names": tr.given_names,
                "full_name": tr.full_name,
                "gender": gender,
                "date_of_birth": dob,
                "date_of_birth_alternatives": alternatives,
                "nationality": tr.nationality,
                "country_of_residence": tr.residence,
                "place_of_birth": tr.place_of_birth,
                "documents": documents,
                "source": source,
                "warnings": tr.warnings,
            }
        )

    def _other_centuries(self, tr: _TravellerDraft, ref: date) -> list[str]:
        """The older readings of a two-digit ``DTM+329`` year (formats 101/201) that are
        still plausible (field case 06); ``[]`` for an infant or a four-digit year."""
        assert tr.birth is not None
        value = tr.birth.value.strip()
        if len(value) not in (6, 10) or tr.infant:
            return []
        readings = birth_date_candidates(int(value[0:2]), int(value[2:4]), int(value[4:6]), reference=ref)
        if len(readings) < 2:
            return []
        self.tw(
            tr,
            "dob_ambiguous_century",
            "two-digit birth year fits two centuries (the older reading is over 100 years); both kept",
            tr.birth.segment,
        )
        return [r.isoformat() for r in readings[1:]]

    def _check_counts(self, msg: _Message) -> None:
        pax = sum(1 for t in msg.travellers if t.role in ("passenger", "in_transit_passenger", "infant"))
        crew = len(msg.travellers) - pax
        multipart = msg.header.part_number is not None
        for qual, count, seg in msg.counts:
            actual = pax if qual == "42" else crew
            what = "passengers" if qual == "42" else "crew"
            if count != actual:
                note = " (one part of a multi-part manifest)" if multipart else ""
                self.warn(
                    "count_mismatch",
                    f"CNT+{qual} says {count} {what}, message has {actual}{note}",
                    seg,
                )


def decode_paxlst(
    data: bytes, *, reference_date: date | None = None, split_repetitions: bool = False
) -> PaxlstDecodeResult:
    """Decode a PAXLST interchange into canonical travellers.

    Args:
        data: raw interchange bytes as received (any transport wrapping, charset per the
            UNB syntax identifier, see :func:`schemas.edifact.tokenise`).
        reference_date: fallback date for two-digit-year centuries when the message has
            no flight date (the flight's scheduled departure is used first; then this;
            then the UNB date; then today, UTC).
        split_repetitions: honour the UNA repetition separator (position 5); off by
            default, since senders use ``*`` as data (field case 03). Only for a sender
            known to repeat elements; each element then holds its first repetition.

    Returns:
        :class:`PaxlstDecodeResult`; ``traveller_id`` is ``"{UNH 0062}-{n}"`` with ``n``
        the 1-based position of the ``NAD`` group in its message.

    A flight status message (``BGM+266``) without travellers returns an empty result with
    a ``no_travellers`` warning instead of raising.

    Raises:
        DecodeError: only when no traveller can be recovered: ``not_edifact``,
            ``undecodable_bytes``, ``not_paxlst`` (no PAXLST message), ``no_travellers``
            (PAXLST without any ``NAD`` traveller group).
    """
    inter = tokenise(data, split_repetitions=split_repetitions)
    decoder = _Decoder(inter, reference_date)
    decoder.run()
    if (
        not decoder.travellers
        and decoder.messages
        and all(m.document_code in _STATUS_DOCUMENT_CODES for m in decoder.messages)
    ):
        decoder.warn("no_travellers", "flight status message (BGM 266) without traveller groups")
    elif not decoder.travellers:
        if decoder.type_seen == 0 and decoder.other_types:
            raise NotPaxlstError(detail=decoder._other_types_detail())
        if not any(s.tag == "UNH" for s in inter.segments) and not any(s.tag == "NAD" for s in inter.segments):
            raise NotPaxlstError(detail="no UNH message header and no NAD segment")
        raise NoTravellersError(detail="no NAD+FL/FM/DDT/DDU traveller group found")
    decoder.set_statuses()
    return PaxlstDecodeResult(
        messages=decoder.messages,
        travellers=decoder.travellers,
        warnings=decoder.warnings,
        errors=decoder.errors,
    )


def looks_like_paxlst(data: bytes) -> bool:
    """Cheap sniff for ``parse --format auto``: ``True`` when the UNG or UNH header (read
    with the release-aware tokeniser from the first 4 KiB) names ``PAXLST``. Never
    raises."""
    return header_names(data, "PAXLST")
