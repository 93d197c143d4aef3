"""Writes canonical Travellers as a UN/EDIFACT PAXLST interchange (D:05B, WCO/IATA API
guideline layout): the reverse of :mod:`schemas.paxlst`, used for generated test traffic,
the load generator and sample manifests. Escaping and layout come from
:func:`schemas.edifact.write_interchange`.

Segments written: UNA, UNB, UNG, UNH, BGM+745 (passengers) or 250 (crew), NAD+MS,
TDT+20 with LOC+125/87 and DTM+189/232 (format 201), one traveller group per traveller
(NAD+FL/FM/DDT/DDU, ATT+2, DTM+329 format 102, LOC+178/179/174/180, NAT+2, DOC with
DTM+36 and LOC+91), CNT+42 (or 41 for crew), UNT, UNE, UNZ.
"""

from __future__ import annotations

from collections.abc import Sequence

from schemas.edifact import DEFAULT_DELIMITERS, Delimiters, write_interchange
from schemas.records import Flight, Traveller

_ROLE_QUALIFIER = {"passenger": "FL", "crew": "FM", "in_transit_passenger": "DDT", "in_transit_crew": "DDU",
                   "infant": "FL"}

Segment = tuple[str, list[list[str]]]


def _yymmddhhmm(iso: str | None) -> str:
    """``2026-11-29T09:00`` → ``2611290900`` (DTM format 201)."""
    if not iso:
        return ""
    digits = iso.replace("-", "").replace("T", "").replace(":", "")
    return digits[2:12].ljust(10, "0")


def _traveller_group(tr: Traveller, flight: Flight) -> list[Segment]:
    surname = tr.surname or tr.full_name
    if not surname:
        raise ValueError(f"traveller {tr.traveller_id} has no name")
    name = [surname, tr.given_names] if tr.given_names else [surname]
    segs: list[Segment] = [("NAD", [[_ROLE_QUALIFIER[tr.role]], [], [], name])]
    if tr.gender:
        segs.append(("ATT", [["2"], [], [tr.gender]]))
    if tr.date_of_birth and len(tr.date_of_birth) == 10:
        segs.append(("DTM", [["329", tr.date_of_birth.replace("-", ""), "102"]]))
    if flight.departure_airport:
        segs.append(("LOC", [["178"], [flight.departure_airport]]))
    if flight.arrival_airport:
        segs.append(("LOC", [["179"], [flight.arrival_airport]]))
    if tr.country_of_residence:
        segs.append(("LOC", [["174"], [tr.country_of_residence]]))
    if tr.place_of_birth:
        segs.append(("LOC", [["180"], ["", "", "", tr.place_of_birth]]))
    if tr.nationality:
        segs.append(("NAT", [["2"], [tr.nationality]]))
    for doc in tr.documents:
        segs.append(("DOC", [[doc.type or "P", "110", "111"], [doc.number]]))
        if doc.expiry_date and len(doc.expiry_date) == 10:
            segs.append(("DTM", [["36", doc.expiry_date.replace("-", ""), "102"]]))
        if doc.issuing_country:
            segs.append(("LOC", [["91"], [doc.issuing_country]]))
    return segs


def encode_paxlst(
    travellers: Sequence[Traveller],
    *,
    flight: Flight,
    interchange_ref: str,
    message_ref: str,
    sender: str = "ZZAIR",
    recipient: str = "ZZBORDER",
    prepared: str = "261129:0800",
    delimiters: Delimiters = DEFAULT_DELIMITERS,
    newline: str = "\n",
) -> bytes:
    """Encode ``travellers`` on ``flight`` as one PAXLST interchange (UTF-8 bytes, UNOA
    declared: callers pass ASCII names for strict receivers).

    Only full ``YYYY-MM-DD`` dates of birth are written (``DTM+329`` has no partial
    form). Raises ValueError when a traveller has neither a surname nor a full name, or
    a value holds a service character and ``delimiters`` declare no release character.
    """
    crew = bool(travellers) and all(tr.role in ("crew", "in_transit_crew") for tr in travellers)
    carrier = flight.carrier or ""
    body: list[Segment] = [
        ("BGM", [["250" if crew else "745"]]),
        ("NAD", [["MS"], [], [], [f"{sender} OPERATIONS"]]),
        ("TDT", [["20"], [f"{carrier}{flight.number or ''}"], [], [], [carrier]]),
        ("LOC", [["125"], [flight.departure_airport or ""]]),
        ("DTM", [["189", _yymmddhhmm(flight.scheduled_departure), "201"]]),
        ("LOC", [["87"], [flight.arrival_airport or ""]]),
        ("DTM", [["232", _yymmddhhmm(flight.scheduled_arrival or flight.scheduled_departure), "201"]]),
    ]
    for tr in travellers:
        body.extend(_traveller_group(tr, flight))
    body.append(("CNT", [["41" if crew else "42", str(len(travellers))]]))
    message: list[Segment] = [("UNH", [[message_ref], ["PAXLST", "D", "05B", "UN", "IATA"]]), *body]
    message.append(("UNT", [[str(len(message) + 1)], [message_ref]]))
    date, _, time = prepared.partition(":")
    segments: list[Segment] = [
        ("UNB", [["UNOA", "4"], [sender], [recipient], [date, time], [interchange_ref]]),
        ("UNG", [["PAXLST"], [sender], [recipient], [date, time], ["1"], ["UN"], ["D", "05B"]]),
        *message,
        ("UNE", [["1"], ["1"]]),
        ("UNZ", [["1"], [interchange_ref]]),
    ]
    return write_interchange(segments, delimiters, newline=newline).encode("utf-8")
